import type { ColumnType, Generated } from 'kysely';

/** A JSON column: objects go in, objects come out. */
export type Json = ColumnType<unknown, string, string>;

/** Roles a user may hold. */
export const ROLES = ['practitioner', 'front-door', 'manager', 'partnership-analyst', 'admin', 'dpo'] as const;
export type Role = (typeof ROLES)[number];

export interface PartnershipsTable {
  id: string;
  slug: string;
  name: string;
  is_demo: Generated<boolean>;
  settings: Json;
  created_at: Date;
}

export interface OrganisationsTable {
  id: string;
  partnership_id: string;
  code: string;
  name: string;
  agency: string;
  authority: string | null;
  sharing_agreement_id: string | null;
  created_at: Date;
}

export interface UsersTable {
  id: string;
  partnership_id: string;
  organisation_id: string;
  email: string;
  display_name: string;
  job_title: string | null;
  password_hash: string;
  roles: Role[];
  is_demo: Generated<boolean>;
  active: Generated<boolean>;
  created_at: Date;
}

export interface SessionsTable {
  id: string;
  token_hash: string;
  partnership_id: string;
  user_id: string;
  created_at: Date;
  last_seen_at: Date;
  idle_expires_at: Date;
  absolute_expires_at: Date;
  ended_at: Date | null;
  end_reason: string | null;
  ip: string | null;
  user_agent: string | null;
}

export interface SignInThrottleTable {
  email: string;
  failures: number;
  window_started_at: Date;
  locked_until: Date | null;
}

export interface AuditLogTable {
  id: string;
  chain_id: string;
  seq: number;
  partnership_id: string | null;
  occurred_at: Date;
  actor_type: 'user' | 'cli' | 'system' | 'anonymous';
  actor_id: string | null;
  actor_label: string;
  organisation_id: string | null;
  action: string;
  object_type: string | null;
  object_id: string | null;
  purpose: string | null;
  outcome: 'success' | 'denied' | 'failure';
  correlation_id: string;
  ip: string | null;
  details: Json;
  prev_hash: string;
  hash: string;
}

export interface PersonsTable {
  id: string;
  partnership_id: string;
  kind: 'person' | 'unborn';
  given_name: string | null;
  family_name: string | null;
  date_of_birth: string | null;
  expected_date: string | null;
  sex: 'female' | 'male' | 'unknown';
  nhs_number: string | null;
  restricted: Generated<boolean>;
  created_at: Date;
  address: Json | null;
  phone: string | null;
  /** Set when this person was merged into another: the survivor (this id redirects there). */
  merged_into: string | null;
  updated_at: Date | null;
}

export const LINK_TYPES = [
  'mother',
  'father',
  'step-parent',
  'partner',
  'carer',
  'sibling',
  'half-sibling',
  'grandparent',
  'household-member',
  'unborn-child-of',
] as const;
export type LinkType = (typeof LINK_TYPES)[number];

export interface PersonLinksTable {
  id: string;
  partnership_id: string;
  from_person_id: string;
  to_person_id: string;
  type: LinkType;
  start_date: string | null;
  end_date: string | null;
  lives_elsewhere: Generated<boolean>;
  created_at: Date;
  /** The imported relationship this link was projected from (null: recorded in the application). */
  relationship_key: string | null;
}

export type InvolvementRole = 'lead-practitioner' | 'team-around-child' | 'service-provided' | 'front-door';

export interface InvolvementsTable {
  id: string;
  partnership_id: string;
  person_id: string;
  organisation_id: string;
  worker_user_id: string | null;
  role: InvolvementRole;
  start_date: string;
  end_date: string | null;
  last_activity_date: string | null;
  created_at: Date;
}

export interface AccessGrantsTable {
  id: string;
  partnership_id: string;
  person_id: string;
  grantee_user_id: string | null;
  grantee_organisation_id: string | null;
  scope: 'restricted-details' | 'restricted-events';
  reason: string;
  granted_by: string;
  starts_at: Date;
  ends_at: Date | null;
  created_at: Date;
}

export interface BreakGlassTable {
  id: string;
  partnership_id: string;
  user_id: string;
  organisation_id: string;
  kind: 'search' | 'access';
  person_id: string | null;
  reason: string;
  started_at: Date;
  expires_at: Date;
}

export interface BreakGlassReviewsTable {
  id: string;
  partnership_id: string;
  break_glass_id: string;
  reviewer_user_id: string;
  outcome: 'appropriate' | 'inappropriate';
  note: string;
  reviewed_at: Date;
}

export interface SharingAgreementsTable {
  id: string;
  partnership_id: string;
  name: string;
  reference: string | null;
  lawful_basis: string;
  starts_on: string;
  ends_on: string | null;
  created_at: Date;
}

export type ConsentStatus = 'given' | 'refused' | 'not-sought';

export interface ConsentsTable {
  id: string;
  partnership_id: string;
  person_id: string;
  organisation_id: string;
  status: ConsentStatus;
  reason: string | null;
  recorded_by: string;
  recorded_at: Date;
}

export interface ImportsTable {
  id: string;
  partnership_id: string;
  file_name: string;
  file_sha256: string;
  format: 'json' | 'ndjson' | 'fhir' | 'attendance' | 'police';
  title: string | null;
  actor: string;
  started_at: Date;
  finished_at: Date | null;
  summary: Json | null;
}

export type ExchangeKind = 'source' | 'record' | 'relationship' | 'event';

export interface ExchangeVersionsTable {
  id: string;
  partnership_id: string;
  kind: ExchangeKind;
  object_key: string;
  source_key: string;
  version: number;
  content_sha256: string;
  /** The object exactly as received (its JSON text, keys in the order sent). */
  received: string;
  import_id: string | null;
  location: string | null;
  received_at: Date;
  /** Who made a version recorded in the application, and why (an amendment's reason). */
  actor?: string | null;
  reason?: string | null;
  status?: EventStatus | null;
  /** A feed's row or resource exactly as received (the exchange object read from it is `received`). */
  original?: string | null;
}

export interface SourceSystemsTable {
  id: string;
  partnership_id: string;
  source_key: string;
  agency: string;
  name: string | null;
  authority: string | null;
  organisation_id: string;
  version: number;
  content_sha256: string;
  updated_at: Date;
}

export interface RecordsTable {
  id: string;
  partnership_id: string;
  record_key: string;
  source_key: string;
  version: number;
  content_sha256: string;
  person_id: string | null;
  source_record_id: string | null;
  kind: 'person' | 'unborn';
  given_name: string | null;
  family_name: string | null;
  other_names: Json | null;
  date_of_birth: string | null;
  expected_date: string | null;
  sex: 'female' | 'male' | 'unknown';
  nhs_number: string | null;
  nhs_number_valid: Generated<boolean>;
  upn: string | null;
  address: Json | null;
  phone: string | null;
  restricted: Generated<boolean>;
  details: Json;
  recorded: string | null;
  search_keys: string[];
  first_received_at: Date;
  updated_at: Date;
}

export interface RelationshipsTable {
  id: string;
  partnership_id: string;
  relationship_key: string;
  source_key: string;
  version: number;
  content_sha256: string;
  from_record_key: string | null;
  to_record_key: string;
  type: LinkType;
  start_date: string | null;
  end_date: string | null;
  lives_elsewhere: Generated<boolean>;
  father_unknown: Generated<boolean>;
  recorded: string | null;
  updated_at: Date;
}

export interface EventsTable {
  id: string;
  partnership_id: string;
  event_key: string;
  source_key: string;
  version: number;
  content_sha256: string;
  type: string;
  date: string;
  date_precision: string;
  date_sort: string;
  recorded: string | null;
  recorded_sort: string;
  summary: string | null;
  significant: Generated<boolean>;
  restricted: Generated<boolean>;
  concerns: Json;
  about: Json;
  details: Json;
  first_received_at: Date;
  updated_at: Date;
  origin: ColumnType<'import' | 'recorded', 'import' | 'recorded' | undefined, 'import' | 'recorded'>;
  recorded_by: string | null;
  recorded_by_user_id: string | null;
  status: ColumnType<EventStatus, EventStatus | undefined, EventStatus>;
  status_reason: string | null;
}

/** Whether an entry stands, or was marked as entered in error (it stays, for auditors). */
export type EventStatus = 'current' | 'entered-in-error';

export interface EventPersonsTable {
  partnership_id: string;
  event_id: string;
  person_id: string;
  role: 'subject' | 'participant';
}

export interface RecordingDraftsTable {
  id: string;
  partnership_id: string;
  user_id: string;
  person_id: string;
  kind: string;
  content: Json;
  updated_at: Date;
}

export interface AttendanceMarksTable {
  id: string;
  partnership_id: string;
  source_key: string;
  pupil_key: string;
  pupil_ref: string;
  date: string;
  session: 'AM' | 'PM';
  code: string;
  version: number;
  original: string;
  import_id: string | null;
  received_at: Date;
}

export interface AlertsTable {
  id: string;
  partnership_id: string;
  rule: string;
  rule_version: number;
  person_id: string;
  subject_records: Json;
  unborn_person_id: string | null;
  unborn_records: Json;
  episode: string;
  raised_on: string;
  raised_at: Date;
  raised_severity: 'medium' | 'high';
  severity: 'medium' | 'high';
  evidence: Json;
  explanation: string;
  settings: Json;
  status: 'open' | 'closed';
  closed_on: string | null;
  closed_by: 'event' | 'response' | 'merged' | null;
  closing_event: string | null;
  closing_note: string | null;
  assigned_user_id: string | null;
  updated_at: Date;
}

/** What can happen to an alert (alert_actions.kind). */
export type AlertActionKind = 'raised' | 'severity' | 'carried-over' | 'acknowledged' | 'action-taken' | 'escalated' | 'signed-off' | 'closed-by-event' | 'merged';

export interface AlertActionsTable {
  id: string;
  partnership_id: string;
  alert_id: string;
  kind: AlertActionKind;
  actor: string;
  user_id: string | null;
  reason: string | null;
  details: Json;
  at: Date;
}

export interface AlertRecipientsTable {
  partnership_id: string;
  alert_id: string;
  user_id: string | null;
  organisation_id: string | null;
  reason: string;
  added_at: Date;
}

export interface AlertRecordsTable {
  partnership_id: string;
  alert_id: string;
  record_key: string;
}

export interface AlertInboxTable {
  partnership_id: string;
  user_id: string;
  alert_id: string;
  severity: string;
  open: boolean;
  unread: boolean;
  created_at: Date;
  emailed_at: Date | null;
}

export interface EvaluationScheduleTable {
  partnership_id: string;
  person_id: string;
  next_on: string;
  updated_at: Date;
}

export interface EventRecordsTable {
  partnership_id: string;
  event_id: string;
  record_key: string;
  role: 'subject' | 'participant' | 'named';
}

export type IdentityDecision = 'same' | 'different' | 'ask';

export interface IdentityDecisionsTable {
  id: string;
  partnership_id: string;
  record_a: string;
  record_b: string;
  decision: IdentityDecision;
  reason: string | null;
  score: number | null;
  decided_by: string;
  decided_at: Date;
}

export type IdentityChangeKind = 'created' | 'linked' | 'merged' | 'unmerged' | 'separated';

export interface IdentityChangesTable {
  id: string;
  partnership_id: string;
  kind: IdentityChangeKind;
  person_id: string;
  other_person_id: string | null;
  records: Json;
  basis: string;
  reason: string | null;
  undoes: string | null;
  actor: string;
  at: Date;
}

export interface IdentityReviewQueueTable {
  partnership_id: string;
  record_a: string;
  record_b: string;
  score: number;
  explanation: Json;
  queued_at: Date;
}

export interface SchemaMigrationsTable {
  version: string;
  name: string;
  checksum: string;
  applied_at: Date;
}

/** The whole database, as Kysely sees it. */
export interface DB {
  partnerships: PartnershipsTable;
  organisations: OrganisationsTable;
  users: UsersTable;
  sessions: SessionsTable;
  sign_in_throttle: SignInThrottleTable;
  audit_log: AuditLogTable;
  persons: PersonsTable;
  person_links: PersonLinksTable;
  involvements: InvolvementsTable;
  access_grants: AccessGrantsTable;
  break_glass: BreakGlassTable;
  break_glass_reviews: BreakGlassReviewsTable;
  sharing_agreements: SharingAgreementsTable;
  consents: ConsentsTable;
  imports: ImportsTable;
  exchange_versions: ExchangeVersionsTable;
  source_systems: SourceSystemsTable;
  records: RecordsTable;
  relationships: RelationshipsTable;
  events: EventsTable;
  event_records: EventRecordsTable;
  event_persons: EventPersonsTable;
  recording_drafts: RecordingDraftsTable;
  attendance_marks: AttendanceMarksTable;
  alerts: AlertsTable;
  alert_actions: AlertActionsTable;
  alert_recipients: AlertRecipientsTable;
  alert_records: AlertRecordsTable;
  alert_inbox: AlertInboxTable;
  evaluation_schedule: EvaluationScheduleTable;
  identity_decisions: IdentityDecisionsTable;
  identity_changes: IdentityChangesTable;
  identity_review_queue: IdentityReviewQueueTable;
  schema_migrations: SchemaMigrationsTable;
}

/** Tables that hold case data: only the data-access door may touch them (see test/unit/door.test.ts). */
export const CASE_DATA_TABLES = [
  'persons', 'person_links', 'involvements', 'access_grants', 'break_glass', 'consents', 'imports', 'exchange_versions',
  'source_systems', 'records', 'relationships', 'events', 'event_records', 'identity_decisions', 'identity_changes',
  'identity_review_queue', 'event_persons', 'recording_drafts', 'attendance_marks', 'alerts', 'alert_actions',
  'alert_recipients', 'alert_records', 'evaluation_schedule',
] as const;
