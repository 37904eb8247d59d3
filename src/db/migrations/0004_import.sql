-- Import and identity. Every version of every exchange-format object is kept exactly as received,
-- beside its normalised form; the current state of each object (its latest version) is projected
-- into sources / records / relationships / events. Records are linked into persons by identity
-- resolution, whose every decision and change is kept.
--
-- Objects are identified by (partnership, the object's exchange id), as the exchange format says.

-- One run of the importer over one file.
create table imports (
  id uuid primary key,
  partnership_id uuid not null references partnerships (id),
  file_name text not null,
  file_sha256 text not null,
  format text not null check (format in ('json', 'ndjson')),
  title text,
  actor text not null,
  started_at timestamptz not null,
  finished_at timestamptz,
  summary jsonb,
  unique (partnership_id, id)
);
create index imports_partnership on imports (partnership_id, started_at);

-- Every version of every object, as received (the JSON text, key order kept). Append-only: a
-- changed object is a new version; the old one stays. The normalised form of the current version
-- is in the tables below; an older version's is worked out again from what was received (the
-- reading is deterministic), so it is not stored twice.
create table exchange_versions (
  id uuid primary key,
  partnership_id uuid not null references partnerships (id),
  kind text not null check (kind in ('source', 'record', 'relationship', 'event')),
  object_key text not null,
  source_key text not null,
  version integer not null check (version >= 1),
  content_sha256 text not null,
  received text not null,
  import_id uuid references imports (id),
  location text,
  received_at timestamptz not null,
  unique (partnership_id, kind, object_key, version)
);

-- Sending systems ("hv", "school-1"), each mapped to one organisation of the partnership.
create table source_systems (
  id uuid primary key,
  partnership_id uuid not null references partnerships (id),
  source_key text not null,
  agency text not null,
  name text,
  authority text,
  organisation_id uuid not null,
  version integer not null,
  content_sha256 text not null,
  updated_at timestamptz not null,
  unique (partnership_id, source_key),
  foreign key (partnership_id, organisation_id) references organisations (partnership_id, id)
);

-- Resolved people: a person is the set of records identity resolution put together. A person
-- merged into another keeps its row, pointing at the survivor, so its address redirects.
alter table persons add column merged_into uuid references persons (id) deferrable initially deferred;
alter table persons add column updated_at timestamptz;
create index persons_merged_into on persons (merged_into);

-- The current version of each source's record of a person.
create table records (
  id uuid primary key,
  partnership_id uuid not null references partnerships (id),
  record_key text not null,
  source_key text not null,
  version integer not null,
  content_sha256 text not null,
  person_id uuid,
  source_record_id text,
  kind text not null check (kind in ('person', 'unborn')),
  given_name text,
  family_name text,
  other_names jsonb,
  date_of_birth text,
  expected_date text,
  sex text not null check (sex in ('female', 'male', 'unknown')),
  nhs_number text,
  nhs_number_valid boolean not null default false,
  upn text,
  address jsonb,
  phone text,
  restricted boolean not null default false,
  details jsonb not null,
  recorded text,
  search_keys text[] not null,
  first_received_at timestamptz not null,
  updated_at timestamptz not null,
  unique (partnership_id, record_key),
  foreign key (partnership_id, person_id) references persons (partnership_id, id)
);
create index records_person on records (person_id);
create index records_search_keys on records using gin (search_keys);

-- The current version of each family or household link, between two records.
create table relationships (
  id uuid primary key,
  partnership_id uuid not null references partnerships (id),
  relationship_key text not null,
  source_key text not null,
  version integer not null,
  content_sha256 text not null,
  from_record_key text,
  to_record_key text not null,
  type text not null,
  start_date text,
  end_date text,
  lives_elsewhere boolean not null default false,
  father_unknown boolean not null default false,
  recorded text,
  updated_at timestamptz not null,
  unique (partnership_id, relationship_key)
);
create index relationships_from on relationships (partnership_id, from_record_key);
create index relationships_to on relationships (partnership_id, to_record_key);

-- The current version of each event. Type-specific fields are kept in `details` as normalised.
create table events (
  id uuid primary key,
  partnership_id uuid not null references partnerships (id),
  event_key text not null,
  source_key text not null,
  version integer not null,
  content_sha256 text not null,
  type text not null,
  date text not null,
  date_precision text not null,
  date_sort text not null,
  recorded text,
  recorded_sort text not null,
  summary text,
  significant boolean not null default false,
  restricted boolean not null default false,
  concerns jsonb not null,
  about jsonb not null,
  details jsonb not null,
  first_received_at timestamptz not null,
  updated_at timestamptz not null,
  unique (partnership_id, event_key)
);
create index events_date on events (partnership_id, date_sort);

-- Which records an event is about (subjects), who took part, and who else it names.
create table event_records (
  partnership_id uuid not null references partnerships (id),
  event_id uuid not null references events (id),
  record_key text not null,
  role text not null check (role in ('subject', 'participant', 'named')),
  primary key (event_id, record_key, role)
);
create index event_records_record on event_records (partnership_id, record_key);

-- A person's decision about a pair of records ("same person", "different people", "not sure").
-- Append-only; the latest decision about a pair is the one in force.
create table identity_decisions (
  id uuid primary key,
  partnership_id uuid not null references partnerships (id),
  record_a text not null,
  record_b text not null,
  decision text not null check (decision in ('same', 'different', 'ask')),
  reason text,
  score double precision,
  decided_by text not null,
  decided_at timestamptz not null,
  check (record_a < record_b)
);
create index identity_decisions_pair on identity_decisions (partnership_id, record_a, record_b, decided_at);

-- Every change to who is who: records linked to a person, persons merged, a merge undone, a record
-- separated. Append-only; `records` lists the record keys that moved.
create table identity_changes (
  id uuid primary key,
  partnership_id uuid not null references partnerships (id),
  kind text not null check (kind in ('created', 'linked', 'merged', 'unmerged', 'separated')),
  person_id uuid not null,
  other_person_id uuid,
  records jsonb not null,
  basis text not null,
  reason text,
  undoes uuid references identity_changes (id) deferrable initially deferred,
  actor text not null,
  at timestamptz not null
);
create index identity_changes_person on identity_changes (person_id, at);
create index identity_changes_other on identity_changes (other_person_id);

-- Pairs waiting for a person to decide. Derived by each resolution (decisions are kept above).
create table identity_review_queue (
  partnership_id uuid not null references partnerships (id),
  record_a text not null,
  record_b text not null,
  score double precision not null,
  explanation jsonb not null,
  queued_at timestamptz not null,
  primary key (partnership_id, record_a, record_b),
  check (record_a < record_b)
);

-- A family link on persons that came from an imported relationship (the rest were recorded here).
alter table person_links add column relationship_key text;
create index person_links_relationship on person_links (partnership_id, relationship_key);
