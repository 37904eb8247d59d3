-- The multi-agency chronology. Events come from imports (as received, every version kept in
-- exchange_versions) and from practitioners recording in the application. Nothing is deleted: an
-- amendment is a new version with who and why; a wrong entry is marked "entered in error" with a
-- reason and stays visible to auditors.

-- Who recorded an entry made in the application, and whether it still stands.
alter table events add column origin text not null default 'import' check (origin in ('import', 'recorded'));
alter table events add column recorded_by text;
alter table events add column recorded_by_user_id uuid references users (id);
alter table events add column status text not null default 'current' check (status in ('current', 'entered-in-error'));
alter table events add column status_reason text;
create index events_type on events (partnership_id, type);

-- Each version says who made it and why (entries recorded here; imported versions name the import).
alter table exchange_versions add column actor text;
alter table exchange_versions add column reason text;
alter table exchange_versions add column status text check (status in ('current', 'entered-in-error'));
-- What an agency feed sent (a CSV row, a FHIR resource) exactly as received, beside the exchange
-- object it was read into (which is what `received` holds for a feed).
alter table exchange_versions add column original text;

-- Imports read agency feeds too (FHIR bundles, school attendance and police notification CSV).
alter table imports drop constraint imports_format_check;
alter table imports add constraint imports_format_check check (format in ('json', 'ndjson', 'fhir', 'attendance', 'police'));
create index exchange_versions_object on exchange_versions (partnership_id, kind, object_key, version);

-- Whom an entry recorded in the application concerns: persons (as the practitioner chose them),
-- not agency records. A person merged into another keeps its id, so the entry follows the merge
-- and an undone merge gives it back.
create table event_persons (
  partnership_id uuid not null references partnerships (id),
  event_id uuid not null references events (id),
  person_id uuid not null,
  role text not null check (role in ('subject', 'participant')),
  primary key (event_id, person_id, role),
  foreign key (partnership_id, person_id) references persons (partnership_id, id)
);
create index event_persons_person on event_persons (partnership_id, person_id);

-- A form a practitioner has started and not yet saved, kept so that nothing is lost when a session
-- times out. One draft per user, person and kind of entry; removed when the entry is saved.
create table recording_drafts (
  id uuid primary key,
  partnership_id uuid not null references partnerships (id),
  user_id uuid not null references users (id),
  person_id uuid not null,
  kind text not null,
  content jsonb not null,
  updated_at timestamptz not null,
  unique (user_id, person_id, kind),
  foreign key (partnership_id, person_id) references persons (partnership_id, id)
);

-- A school's register, one mark per pupil per session, as the attendance feed sends it. Append-only:
-- a changed mark is a new version. Half-term summaries (attendance-summary events) are worked out
-- from the latest version of every mark held, so a file may repeat or extend what came before.
create table attendance_marks (
  id uuid primary key,
  partnership_id uuid not null references partnerships (id),
  source_key text not null,
  pupil_key text not null,
  pupil_ref text not null,
  date text not null,
  session text not null check (session in ('AM', 'PM')),
  code text not null,
  version integer not null check (version >= 1),
  original text not null,
  import_id uuid references imports (id),
  received_at timestamptz not null,
  unique (partnership_id, source_key, pupil_key, date, session, version)
);
create index attendance_marks_pupil on attendance_marks (partnership_id, source_key, pupil_key, date);

-- A grant may also open a person's restricted entries (not only a restricted person's details).
alter table access_grants drop constraint access_grants_scope_check;
alter table access_grants add constraint access_grants_scope_check check (scope in ('restricted-details', 'restricted-events'));
