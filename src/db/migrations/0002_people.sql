-- People and who works with them. Case data: every row carries partnership_id and is read or written
-- only through the data-access door (src/access), which checks permission and writes the audit row.

create table persons (
  id uuid primary key,
  partnership_id uuid not null references partnerships (id),
  kind text not null default 'person' check (kind in ('person', 'unborn')),
  given_name text,
  family_name text,
  date_of_birth text,
  expected_date text,
  sex text not null default 'unknown' check (sex in ('female', 'male', 'unknown')),
  nhs_number text,
  restricted boolean not null default false,
  created_at timestamptz not null,
  unique (partnership_id, id)
);
create index persons_partnership on persons (partnership_id);

-- Family and household links: "from is the type of to" (as in the exchange format).
create table person_links (
  id uuid primary key,
  partnership_id uuid not null references partnerships (id),
  from_person_id uuid not null,
  to_person_id uuid not null,
  type text not null check (type in ('mother', 'father', 'step-parent', 'partner', 'carer', 'sibling',
    'half-sibling', 'grandparent', 'household-member', 'unborn-child-of')),
  start_date text,
  end_date text,
  lives_elsewhere boolean not null default false,
  created_at timestamptz not null,
  foreign key (partnership_id, from_person_id) references persons (partnership_id, id),
  foreign key (partnership_id, to_person_id) references persons (partnership_id, id)
);
create index person_links_from on person_links (from_person_id);
create index person_links_to on person_links (to_person_id);

-- An organisation's involvement with a person: the legitimate relationship that need-to-know access
-- is built on (lead practitioner, team around the child, a service provided).
create table involvements (
  id uuid primary key,
  partnership_id uuid not null references partnerships (id),
  person_id uuid not null,
  organisation_id uuid not null,
  worker_user_id uuid references users (id),
  role text not null check (role in ('lead-practitioner', 'team-around-child', 'service-provided')),
  start_date text not null,
  end_date text,
  created_at timestamptz not null,
  foreign key (partnership_id, person_id) references persons (partnership_id, id),
  foreign key (partnership_id, organisation_id) references organisations (partnership_id, id)
);
create index involvements_person on involvements (person_id);
create index involvements_organisation on involvements (organisation_id);
