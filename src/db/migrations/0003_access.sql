-- Need-to-know access: involvements that go quiet, restricted people's contact details, explicit
-- grants, break-glass, information-sharing agreements and consent.

alter table persons add column address jsonb;
alter table persons add column phone text;

-- An involvement opened by recording goes quiet: the relationship ends a set time after its last
-- activity. Explicit allocations (lead practitioner, team around the child) last until they end.
alter table involvements add column last_activity_date text;
alter table involvements drop constraint involvements_role_check;
alter table involvements add constraint involvements_role_check
  check (role in ('lead-practitioner', 'team-around-child', 'service-provided', 'front-door'));

-- Explicit permission to see what is restricted: a restricted person's contact details (and, later,
-- restricted events). Granted to a user or to a whole organisation.
create table access_grants (
  id uuid primary key,
  partnership_id uuid not null references partnerships (id),
  person_id uuid not null,
  grantee_user_id uuid references users (id),
  grantee_organisation_id uuid,
  scope text not null check (scope in ('restricted-details')),
  reason text not null,
  granted_by text not null,
  starts_at timestamptz not null,
  ends_at timestamptz,
  created_at timestamptz not null,
  check ((grantee_user_id is null) <> (grantee_organisation_id is null)),
  foreign key (partnership_id, person_id) references persons (partnership_id, id),
  foreign key (partnership_id, grantee_organisation_id) references organisations (partnership_id, id)
);
create index access_grants_person on access_grants (person_id);

-- Break-glass: an emergency search beyond one's own records, or time-limited access to one person,
-- each with the user's reason. Append-only; reviews are separate rows.
create table break_glass (
  id uuid primary key,
  partnership_id uuid not null references partnerships (id),
  user_id uuid not null references users (id),
  organisation_id uuid not null,
  kind text not null check (kind in ('search', 'access')),
  person_id uuid,
  reason text not null check (length(reason) > 0),
  started_at timestamptz not null,
  expires_at timestamptz not null,
  foreign key (partnership_id, person_id) references persons (partnership_id, id),
  foreign key (partnership_id, organisation_id) references organisations (partnership_id, id)
);
create index break_glass_user on break_glass (user_id, expires_at);
create index break_glass_organisation on break_glass (organisation_id, started_at);

create table break_glass_reviews (
  id uuid primary key,
  partnership_id uuid not null references partnerships (id),
  break_glass_id uuid not null references break_glass (id),
  reviewer_user_id uuid not null references users (id),
  outcome text not null check (outcome in ('appropriate', 'inappropriate')),
  note text not null,
  reviewed_at timestamptz not null
);
create index break_glass_reviews_break_glass on break_glass_reviews (break_glass_id);

-- The partnership's information-sharing agreements, and which one each organisation shares under.
create table sharing_agreements (
  id uuid primary key,
  partnership_id uuid not null references partnerships (id),
  name text not null,
  reference text,
  lawful_basis text not null,
  starts_on text not null,
  ends_on text,
  created_at timestamptz not null,
  unique (partnership_id, id)
);
alter table organisations add column sharing_agreement_id uuid references sharing_agreements (id);

-- Consent where the work is consent-based (early help). Append-only: the latest row is current.
create table consents (
  id uuid primary key,
  partnership_id uuid not null references partnerships (id),
  person_id uuid not null,
  organisation_id uuid not null,
  status text not null check (status in ('given', 'refused', 'not-sought')),
  reason text,
  recorded_by text not null,
  recorded_at timestamptz not null,
  check (status = 'given' or length(coalesce(reason, '')) > 0),
  foreign key (partnership_id, person_id) references persons (partnership_id, id),
  foreign key (partnership_id, organisation_id) references organisations (partnership_id, id)
);
create index consents_person on consents (person_id, recorded_at);
