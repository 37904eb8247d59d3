-- Foundation: partnerships, organisations, users, sessions and the audit trail.
-- Every table that holds case data carries partnership_id, so two partnerships' data never mix and
-- the schema can later be distributed by partnership. Ids are UUIDs made by the application.

create table partnerships (
  id uuid primary key,
  slug text not null unique check (slug ~ '^[a-z0-9][a-z0-9-]*$'),
  name text not null,
  is_demo boolean not null default false,
  settings jsonb not null default '{}'::jsonb,
  created_at timestamptz not null
);

-- An agency that belongs to a partnership (children's social care, a GP practice, a school ...).
create table organisations (
  id uuid primary key,
  partnership_id uuid not null references partnerships (id),
  code text not null,
  name text not null,
  agency text not null,
  authority text,
  created_at timestamptz not null,
  unique (partnership_id, code),
  unique (partnership_id, id)
);

create table users (
  id uuid primary key,
  partnership_id uuid not null references partnerships (id),
  organisation_id uuid not null,
  email text not null unique check (email = lower(email)),
  display_name text not null,
  job_title text,
  password_hash text not null,
  roles text[] not null check (roles <@ array['practitioner', 'front-door', 'manager', 'partnership-analyst', 'admin', 'dpo']::text[]),
  is_demo boolean not null default false,
  active boolean not null default true,
  created_at timestamptz not null,
  foreign key (partnership_id, organisation_id) references organisations (partnership_id, id)
);
create index users_organisation on users (organisation_id);

-- Sessions live in the database (never only in a cookie). The cookie holds a random token; only its
-- SHA-256 hash is stored, so a copy of this table cannot be used to sign in.
create table sessions (
  id uuid primary key,
  token_hash text not null unique,
  partnership_id uuid not null references partnerships (id),
  user_id uuid not null references users (id),
  created_at timestamptz not null,
  last_seen_at timestamptz not null,
  idle_expires_at timestamptz not null,
  absolute_expires_at timestamptz not null,
  ended_at timestamptz,
  end_reason text,
  ip text,
  user_agent text
);
create index sessions_user on sessions (user_id);

-- Failed sign-ins per email address (known or not, so lock-out does not reveal which accounts exist).
create table sign_in_throttle (
  email text primary key,
  failures integer not null,
  window_started_at timestamptz not null,
  locked_until timestamptz
);

-- The audit trail. Append-only: the triggers below refuse UPDATE, DELETE and TRUNCATE, whoever asks.
-- Each row is chained to the previous row of the same chain (one chain per partnership, plus a
-- system chain for events that belong to no partnership) by a SHA-256 hash over its canonical
-- content, so a row changed or removed behind the application's back is detected by `audit verify`.
create table audit_log (
  id uuid primary key,
  chain_id uuid not null,
  seq bigint not null check (seq > 0),
  partnership_id uuid references partnerships (id),
  occurred_at timestamptz not null,
  actor_type text not null check (actor_type in ('user', 'cli', 'system', 'anonymous')),
  actor_id text,
  actor_label text not null,
  organisation_id uuid,
  action text not null,
  object_type text,
  object_id text,
  purpose text,
  outcome text not null check (outcome in ('success', 'denied', 'failure')),
  correlation_id text not null,
  ip text,
  details jsonb not null,
  prev_hash text not null,
  hash text not null,
  unique (chain_id, seq)
);
create index audit_log_partnership_time on audit_log (partnership_id, occurred_at);
create index audit_log_object on audit_log (object_type, object_id);
create index audit_log_actor on audit_log (actor_id);

create function audit_log_refuse_change() returns trigger
language plpgsql as $$
begin
  raise exception 'the audit trail is append-only: % is not allowed on audit_log', tg_op
    using errcode = 'insufficient_privilege';
end;
$$;

create trigger audit_log_no_update_or_delete
  before update or delete on audit_log
  for each row execute function audit_log_refuse_change();

create trigger audit_log_no_truncate
  before truncate on audit_log
  for each statement execute function audit_log_refuse_change();
