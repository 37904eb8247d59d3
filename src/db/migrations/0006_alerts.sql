-- Alerts raised by the pattern rules (src/patterns), their routing and every response. An alert's
-- state (open or closed, severity, who holds it) changes; every change is also an append-only row
-- in alert_actions, so the history of an alert is never lost.

create table alerts (
  id uuid primary key,
  partnership_id uuid not null references partnerships (id),
  rule text not null,
  rule_version integer not null,
  -- The person it is raised on (the child, or the mother of an unborn baby) and that person's
  -- records when it was raised (how it is found again when identities change).
  person_id uuid not null,
  subject_records jsonb not null,
  unborn_person_id uuid,
  unborn_records jsonb not null,
  episode text not null,
  raised_on text not null,
  raised_at timestamptz not null,
  raised_severity text not null check (raised_severity in ('medium', 'high')),
  severity text not null check (severity in ('medium', 'high')),
  evidence jsonb not null,
  explanation text not null,
  -- The rule's thresholds in force when it was raised: an alert can always be explained later.
  settings jsonb not null,
  status text not null check (status in ('open', 'closed')),
  closed_on text,
  closed_by text check (closed_by in ('event', 'response', 'merged')),
  closing_event text,
  closing_note text,
  -- Who holds it now (after an escalation, a manager); null: its recipients.
  assigned_user_id uuid references users (id),
  updated_at timestamptz not null,
  foreign key (partnership_id, person_id) references persons (partnership_id, id)
);
create index alerts_person on alerts (partnership_id, person_id);
create index alerts_open on alerts (partnership_id, status, rule);

-- Everything that happened to an alert: raised, severity changed, carried over to a merged person,
-- acknowledged, action taken, escalated, signed off, closed by its satisfying event.
create table alert_actions (
  id uuid primary key,
  partnership_id uuid not null references partnerships (id),
  alert_id uuid not null references alerts (id),
  kind text not null check (kind in ('raised', 'severity', 'carried-over', 'acknowledged', 'action-taken', 'escalated', 'signed-off', 'closed-by-event', 'merged')),
  actor text not null,
  user_id uuid references users (id),
  reason text,
  details jsonb not null,
  at timestamptz not null
);
create index alert_actions_alert on alert_actions (alert_id, at);

-- Whom an alert goes to: a named worker, or an organisation's team (where nobody is named), with why.
create table alert_recipients (
  partnership_id uuid not null references partnerships (id),
  alert_id uuid not null references alerts (id),
  user_id uuid references users (id),
  organisation_id uuid,
  reason text not null,
  added_at timestamptz not null,
  check ((user_id is null) <> (organisation_id is null))
);
create index alert_recipients_alert on alert_recipients (alert_id);
create index alert_recipients_user on alert_recipients (user_id);
create index alert_recipients_organisation on alert_recipients (organisation_id);

-- A user's inbox: ids only (no personal data), so the navigation can count new and open alerts
-- without reading anyone's record. Reading an alert goes through the data-access door.
create table alert_inbox (
  partnership_id uuid not null references partnerships (id),
  user_id uuid not null references users (id),
  alert_id uuid not null references alerts (id),
  severity text not null,
  open boolean not null,
  unread boolean not null,
  created_at timestamptz not null,
  emailed_at timestamptz,
  primary key (user_id, alert_id)
);
create index alert_inbox_user_open on alert_inbox (user_id, open);

-- When each person must be looked at again with nothing new recorded (a deadline a rule set).
create table evaluation_schedule (
  partnership_id uuid not null references partnerships (id),
  person_id uuid not null,
  next_on text not null,
  updated_at timestamptz not null,
  primary key (partnership_id, person_id)
);
create index evaluation_schedule_due on evaluation_schedule (partnership_id, next_on);
