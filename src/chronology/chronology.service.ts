// Reading a chronology: one child's or adult's, or a whole family's (every member the viewer may
// see, each entry labelled with whom it concerns). Every entry comes with its source agency, who
// recorded it, and its recorded date when that differs from its date. What the viewer may not see
// in full is shown as a stub (a restricted entry: its agency, date and whom to ask; an entry seen
// only through a family member: that the agency is involved). The picture and the figures are
// worked out from the whole chronology; filters narrow only the list. Through the door, audited.
import type { Kysely, Transaction } from 'kysely';
import { grantedPersons, personAccess, rulesFor } from '../access/access-policy.js';
import type { AccessBasis, EventVisibility } from '../access/access-rules.js';
import type { ActorContext } from '../access/actor-context.js';
import { throughDoor } from '../access/door.js';
import { ageInYears, todayInLondon, type Day } from '../calendar/days.js';
import { parseExchangeDate, replaceDates } from '../ingest/exchange-dates.js';
import type { DB } from '../db/schema.js';
import { familyCircle, parentsFrom } from '../family/family-circle.js';
import { partnershipSharingBasis, sharingBasisFor } from '../directory/directory.service.js';
import { renderChronologyExport } from '../export/chronology-export.js';
import { findLinks, findPersons, findSurvivors, type PersonRow } from '../people/people.repository.js';
import { AccessDeniedError, NotFoundError, PersonMovedError } from '../shared/errors.js';
import { isUuid } from '../shared/ids.js';
import * as repo from './chronology.repository.js';
import { agencyLabel, concernLabel, dateLabel, detailLines, typeLabel } from './event-labels.js';
import { childFigures, type ChildFigures } from './figures.js';
import { timelineInput } from './timeline-data.js';
import type { TimelineInput } from './timeline.js';

/** What the viewer asks of a chronology. */
export interface ChronologyQuery {
  family?: boolean;
  agencies?: string[];
  types?: string[];
  concerns?: string[];
  significantOnly?: boolean;
  from?: string;
  to?: string;
  text?: string;
  page?: number;
  pageSize?: number;
  /** Period of the figures panel (default: the whole chronology). */
  figuresFrom?: string;
  figuresTo?: string;
  /** All entries on one page (exports): no paging. */
  all?: boolean;
  /** Open the page that holds this entry (an event id), when no page is asked for. */
  entry?: string;
  /** Command line only, with a purpose: restricted entries included in a partnership export. */
  includeRestricted?: boolean;
}

/** A person named on an entry. */
export interface EntryPerson {
  id: string;
  name: string;
}

/** One chronology entry as the viewer may see it. */
export interface ChronologyEntry {
  id: string;
  key: string;
  origin: 'import' | 'recorded';
  visibility: EventVisibility;
  type: string;
  typeLabel: string;
  date: string;
  datePrecision: string;
  dateLabel: string;
  dateSort: Day;
  /** The recorded date, when it differs from the date (a late entry). */
  recorded: string | null;
  recordedLabel: string | null;
  late: boolean;
  agency: string;
  agencyLabel: string;
  sourceKey: string;
  sourceName: string;
  recordedBy: string | null;
  subjects: EntryPerson[];
  participants: EntryPerson[];
  summary: string | null;
  details: string[];
  rawDetails: Record<string, unknown>;
  concerns: string[];
  concernLabels: string[];
  significant: boolean;
  restricted: boolean;
  status: 'current' | 'entered-in-error';
  statusReason: string | null;
  version: number;
  about: string[];
}

/** A chronology page: the entries asked for, the picture and figures of the whole, and who is in it. */
export interface ChronologyView {
  personId: string;
  scope: 'person' | 'family';
  members: { id: string; name: string; child: boolean; dateOfBirth: string | null }[];
  entries: ChronologyEntry[];
  total: number;
  page: number;
  pages: number;
  timeline: TimelineInput;
  figures: ChildFigures[];
  /** Entries of the chronology the viewer may not see in full (restricted or seen only through family). */
  withheld: number;
  /** Entries shown only as "restricted entry". */
  restricted: number;
  /** Agencies and event types present, for the filters. */
  agencies: { value: string; text: string }[];
  types: { value: string; text: string }[];
}

const DEFAULT_PAGE_SIZE = 100;

function personName(row: PersonRow): string {
  const name = [row.given_name, row.family_name].filter(Boolean).join(' ');
  if (row.kind === 'unborn' && !row.given_name) return `Unborn baby ${row.family_name ?? ''}`.trim();
  return name || 'Name not recorded';
}

/** The first day of a date of birth as recorded (vague dates count from the start of their period). */
function birthDay(row: PersonRow): Day | null {
  if (!row.date_of_birth) return null;
  const reading = parseExchangeDate(row.date_of_birth);
  return reading.ok ? reading.date.sortKey : null;
}

function isChildRow(row: PersonRow, day: Day): boolean {
  if (row.kind === 'unborn') return true;
  const dob = birthDay(row);
  return dob !== null && dob <= day && ageInYears(dob, day) < 18;
}

function json<T>(value: unknown, fallback: T): T {
  if (value === null || value === undefined) return fallback;
  return (typeof value === 'string' ? JSON.parse(value) : value) as T;
}

/** Stored details with their dates as first days, for the picture and the figures. */
function dayDetails(value: unknown): Record<string, unknown> | null {
  const details = json<Record<string, unknown> | null>(value, null);
  return details === null ? null : (replaceDates(details, 'sortKey') as Record<string, unknown>);
}

/** The people a chronology is about: the person, or their whole family as far as the viewer may see. */
async function scopeOf(trx: Transaction<DB>, ctx: ActorContext, personId: string, family: boolean): Promise<Map<string, AccessBasis>> {
  const own = (await personAccess(trx, ctx, [personId])).get(personId);
  const rules = await rulesFor(trx, ctx);
  if (!own || !rules.canOpenRecord(own)) throw new AccessDeniedError('no legitimate relationship');
  const scope = new Map<string, AccessBasis>([[personId, own]]);
  if (!family) return scope;
  const direct = await findLinks(trx, ctx.partnershipId, [personId]);
  const parentLinks = await findLinks(trx, ctx.partnershipId, parentsFrom(personId, direct).map((p) => p.id));
  const members = familyCircle(personId, direct, parentLinks).memberIds;
  for (const [id, basis] of await personAccess(trx, ctx, members)) if (rules.canOpenRecord(basis)) scope.set(id, basis);
  return scope;
}

/** The viewer's agency (for what they see of entries reached through family). */
async function viewerAgency(trx: Transaction<DB>, ctx: ActorContext): Promise<string> {
  if (!ctx.actor.organisationId) return 'other';
  return (await repo.organisation(trx, ctx.partnershipId, ctx.actor.organisationId))?.agency ?? 'other';
}

/**
 * Reads a chronology for a page or an export. Refusal and absence both end in NotFoundError (the
 * refusal audited); a merged person's id raises PersonMovedError with the survivor.
 */
export async function getChronology(db: Kysely<DB>, ctx: ActorContext, personId: string, query: ChronologyQuery = {}): Promise<ChronologyView> {
  const family = query.family === true;
  try {
    return await throughDoor(db, ctx, { action: 'chronology.read', objectType: 'person', objectId: personId, details: { family, export: query.all === true } }, async ({ trx, note }) => {
      if (!isUuid(personId)) throw new AccessDeniedError('not a person id');
      const survivor = (await findSurvivors(trx, ctx.partnershipId, [personId])).get(personId);
      if (survivor && survivor !== personId) throw new PersonMovedError(survivor);
      const view = await readChronology(trx, ctx, personId, family, query);
      note({ personIds: view.members.map((m) => m.id), entries: view.entries.length, total: view.total, withheld: view.withheld });
      return view;
    });
  } catch (error) {
    if (error instanceof AccessDeniedError) throw new NotFoundError('Person not found');
    throw error;
  }
}

async function readChronology(trx: Transaction<DB>, ctx: ActorContext, personId: string, family: boolean, query: ChronologyQuery): Promise<ChronologyView> {
  const scope = await scopeOf(trx, ctx, personId, family);
  const ids = [...scope.keys()];
  const people = new Map((await findPersons(trx, ctx.partnershipId, ids)).map((r) => [r.id, r]));
  const sources = new Map((await repo.sources(trx, ctx.partnershipId)).map((s) => [s.source_key, s]));
  const rules = await rulesFor(trx, ctx);
  const user = ctx.actor.type === 'user';
  // What the viewer sees is decided set-wise in the database (one scope, every query reads it), so
  // a family with tens of thousands of entries costs a page, not a loop over every entry.
  const visibility: repo.ScopeVisibility = {
    user,
    includeRestricted: !user && query.includeRestricted === true,
    ownSources: user ? [...sources.values()].filter((s) => s.organisation_id === ctx.actor.organisationId).map((s) => s.source_key) : [],
    fullPersons: ids.filter((id) => scope.get(id) !== 'family'),
    grantedPersons: user ? [...(await grantedPersons(trx, ctx, ids, 'restricted-events'))] : [],
    familyTypes: user ? rules.familyVisibleTypes(await viewerAgency(trx, ctx)) : 'all',
  };
  await repo.createScope(trx, ctx.partnershipId, ids, visibility);
  const agencyOf = (key: string) => sources.get(key)?.agency ?? 'other';
  const filters: repo.ScopeFilters = {
    types: query.types,
    concerns: query.concerns,
    significantOnly: query.significantOnly,
    from: query.from,
    to: query.to,
    text: query.text?.trim() || undefined,
    sourceKeys: query.agencies?.length ? [...sources.keys()].filter((k) => query.agencies!.includes(agencyOf(k))) : undefined,
  };
  if (filters.sourceKeys && filters.sourceKeys.length === 0) filters.sourceKeys = ['\u0000none'];
  const counts = await repo.scopeCounts(trx, filters);
  const pageSize = query.all ? Math.max(1, counts.total) : Math.min(Math.max(query.pageSize ?? DEFAULT_PAGE_SIZE, 1), 500);
  const pages = Math.max(1, Math.ceil(counts.total / pageSize));
  let asked = query.page;
  if (asked === undefined && query.entry && isUuid(query.entry)) {
    const before = await repo.scopePosition(trx, filters, query.entry);
    if (before !== null) asked = Math.floor(before / pageSize) + 1;
  }
  const page = Math.min(Math.max(asked ?? 1, 1), pages);
  const pageRows = await repo.scopePage(trx, filters, query.all ? null : pageSize, (page - 1) * pageSize);
  const entries = await entriesFor(trx, ctx, pageRows, sources);

  // The picture and the figures: the whole chronology, entries the viewer reads in full and that stand.
  const keyEvents = (await repo.scopeKeyEvents(trx)).map((r) => ({ ...r, details: dayDetails(r.details), about: json<string[]>(r.about, []) }));
  const today = todayInLondon();
  const members = ids
    .map((id) => people.get(id))
    .filter((r): r is PersonRow => r !== undefined)
    .map((r) => ({ id: r.id, name: personName(r), child: isChildRow(r, today), dateOfBirth: birthDay(r) }));
  members.sort((a, b) => (a.id === personId ? -1 : b.id === personId ? 1 : Number(b.child) - Number(a.child) || (a.dateOfBirth ?? '').localeCompare(b.dateOfBirth ?? '')));
  const lanePeople = members.filter((m) => m.child || m.id === personId);
  const first = keyEvents[0]?.date_sort ?? today;
  const from = [first, ...lanePeople.map((m) => m.dateOfBirth ?? first)].sort()[0]!;
  const lastEvent = keyEvents.at(-1)?.date_sort ?? today;
  const timeline = timelineInput(
    family ? `Family timeline` : `Timeline`,
    lanePeople.map((m) => ({ id: m.id, label: m.dateOfBirth ? `${m.name} (born ${m.dateOfBirth.slice(0, 4)})` : m.name, from: m.dateOfBirth })),
    keyEvents.filter((r) => r.type !== 'attendance-summary').map((r) => ({ id: r.id, type: r.type, date: r.date_sort, significant: r.significant, persons: r.persons, details: r.details, about: r.about })),
    { from, to: lastEvent > today ? lastEvent : today },
  );
  const period = { from: query.figuresFrom ?? null, to: query.figuresTo ?? null };
  const figures = childFigures(
    members.filter((m) => m.child),
    (await repo.scopeAppointmentCounts(trx, period)).map((a) => ({ personId: a.person_id, sourceKey: a.source_key, service: a.service, status: a.status, count: a.n })),
    keyEvents.filter((r) => r.type === 'attendance-summary').map((r) => ({ type: r.type, date: r.date_sort, sourceKey: r.source_key, persons: r.persons, details: r.details })),
    (key) => sources.get(key)?.name ?? key,
    period,
  );
  const options = await repo.scopeOptions(trx);
  return {
    personId,
    scope: family ? 'family' : 'person',
    members,
    entries,
    total: counts.total,
    page,
    pages,
    timeline,
    figures,
    withheld: counts.withheld,
    restricted: counts.restricted,
    agencies: [...new Set(options.map((o) => agencyOf(o.source_key)))].sort().map((value) => ({ value, text: agencyLabel(value) })),
    types: [...new Set(options.filter((o) => o.full).map((o) => o.type))].sort().map((value) => ({ value, text: typeLabel(value) })),
  };
}

/** The full entries of one page: details, people named, and what the viewer may see of each. */
async function entriesFor(trx: Transaction<DB>, ctx: ActorContext, rows: readonly repo.ScopeEventRow[], sources: ReadonlyMap<string, { agency: string; name: string | null }>): Promise<ChronologyEntry[]> {
  const full = new Map((await repo.eventsById(trx, ctx.partnershipId, rows.filter((r) => r.visibility === 'full').map((r) => r.id))).map((r) => [r.id, r]));
  const links = await repo.eventPeople(trx, ctx.partnershipId, rows.map((r) => r.id));
  const readable = await personAccess(trx, ctx, [...new Set(links.map((l) => l.person_id))]);
  const names = new Map((await findPersons(trx, ctx.partnershipId, [...readable.keys()])).map((r) => [r.id, personName(r)]));
  return rows.map((row) => {
    const v = row.visibility;
    const detail = full.get(row.id);
    const source = sources.get(row.source_key);
    const people = (role: string) =>
      [...new Set(links.filter((l) => l.event_id === row.id && (role === 'subject' ? l.role === 'subject' || l.role === 'named' : l.role === role)).map((l) => l.person_id))]
        .map((id) => ({ id, name: names.get(id) ?? 'Someone you do not have access to' }))
        .sort((a, b) => a.name.localeCompare(b.name));
    const recordedDiffers = row.recorded !== null && row.recorded_sort !== row.date_sort;
    const rawDetails = v === 'full' ? json<Record<string, unknown>>(detail?.details, {}) : {};
    const concerns = v === 'full' ? json<string[]>(detail?.concerns, []) : [];
    return {
      id: row.id,
      key: row.event_key,
      origin: row.origin,
      visibility: v,
      type: v === 'restricted-stub' ? 'restricted' : row.type,
      typeLabel: v === 'restricted-stub' ? 'Restricted entry' : typeLabel(row.type),
      date: row.date,
      datePrecision: row.date_precision,
      dateLabel: dateLabel(row.date),
      dateSort: row.date_sort,
      recorded: recordedDiffers ? row.recorded : null,
      recordedLabel: recordedDiffers ? dateLabel(row.recorded!) : null,
      late: recordedDiffers && row.recorded_sort > row.date_sort,
      agency: source?.agency ?? 'other',
      agencyLabel: agencyLabel(source?.agency ?? 'other'),
      sourceKey: row.source_key,
      sourceName: source?.name ?? row.source_key,
      recordedBy: v === 'full' ? (detail?.recorded_by ?? null) : null,
      subjects: v === 'restricted-stub' ? [] : people('subject'),
      participants: v === 'full' ? people('participant') : [],
      summary: v === 'full' ? (detail?.summary ?? null) : null,
      details: v === 'full' ? detailLines(row.type, replaceDates(rawDetails, 'value') as Record<string, unknown>) : [],
      rawDetails,
      concerns,
      concernLabels: concerns.map(concernLabel),
      significant: v === 'full' && row.significant,
      restricted: row.restricted,
      status: row.status,
      statusReason: v === 'full' ? (detail?.status_reason ?? null) : null,
      version: row.version,
      about: v === 'full' ? json<string[]>(detail?.about, []) : [],
    };
  });
}

/** The formats a chronology is exported in. */
export type ExportFormat = 'json' | 'csv' | 'pdf';

/** An export, ready to write or send. */
export interface ChronologyExport {
  fileName: string;
  contentType: string;
  body: Buffer;
  /** Entries in the export. */
  entries: number;
  /** Entries left out because the exporter may not see them in full (restricted, or seen only through family). */
  omitted: number;
  /** Entries left out because they were marked as entered in error. */
  enteredInError: number;
}

/** What the export renderers need besides the entries. */
export interface ExportContext {
  view: ChronologyView;
  exported: ChronologyEntry[];
  subject: { id: string; name: string };
  sharing: { agreement: string; lawfulBasis: string } | null;
  partnership: string;
  exportedBy: string;
  exportedAt: Date;
  purpose: string;
  /** For the exchange-format export: every object as received, read in the same transaction. */
  exchange: ExchangeParts;
}

/** The objects of an exchange-format export, as received. */
export interface ExchangeParts {
  sources: Record<string, unknown>[];
  records: Record<string, unknown>[];
  relationships: Record<string, unknown>[];
  events: Record<string, unknown>[];
}

/**
 * Exports a child's (or a family's) chronology for a case review or a court: JSON in the exchange
 * format, CSV, or PDF. `id` is a person id or an imported record id. Every entry the exporter may
 * see in full is in it exactly once; restricted entries they may not see are left out and counted.
 * The command line exports for the partnership: restricted entries only with `includeRestricted`
 * (and a purpose, recorded). Audited, with the counts.
 */
export async function exportChronology(
  db: Kysely<DB>,
  ctx: ActorContext,
  id: string,
  options: { family: boolean; format: ExportFormat; includeRestricted?: boolean },
): Promise<ChronologyExport> {
  const includeRestricted = options.includeRestricted === true && ctx.actor.type !== 'user';
  try {
    return await throughDoor(db, ctx, { action: 'chronology.export', objectType: 'person', objectId: isUuid(id) ? id : null, details: { format: options.format, family: options.family, includeRestricted, record: isUuid(id) ? undefined : id } }, async ({ trx, note }) => {
      let personId = id;
      if (!isUuid(id)) {
        const owner = await repo.recordOwner(trx, ctx.partnershipId, id);
        if (!owner) throw new AccessDeniedError('no such record');
        personId = owner;
      }
      personId = (await findSurvivors(trx, ctx.partnershipId, [personId])).get(personId) ?? personId;
      const view = await readChronology(trx, ctx, personId, options.family, { family: options.family, all: true, includeRestricted });
      const exported = view.entries.filter((e) => e.visibility === 'full' && e.status === 'current');
      const enteredInError = view.entries.filter((e) => e.visibility === 'full' && e.status !== 'current').length;
      const omitted = view.entries.length - exported.length - enteredInError;
      const subject = view.members.find((m) => m.id === personId)!;
      const partnership = await trx.selectFrom('partnerships').select('name').where('id', '=', ctx.partnershipId).executeTakeFirst();
      const sharing = ctx.actor.type === 'user' ? await sharingBasisFor(trx, ctx.actor.organisationId) : await partnershipSharingBasis(trx, ctx.partnershipId);
      const exchange = options.format === 'json' ? await exchangeParts(trx, ctx, exported) : { sources: [], records: [], relationships: [], events: [] };
      const exportedAt = new Date();
      const body = await renderChronologyExport(options.format, { view, exported, subject: { id: subject.id, name: subject.name }, sharing, partnership: partnership?.name ?? '', exportedBy: ctx.actor.label, exportedAt, purpose: ctx.purpose, exchange });
      note({ entries: exported.length, omitted, enteredInError, personIds: view.members.map((m) => m.id), purpose: ctx.purpose });
      const stem = `chronology-${options.family ? 'family-' : ''}${subject.name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '') || 'person'}-${exportedAt.toISOString().slice(0, 10)}`;
      const types: Record<ExportFormat, string> = { json: 'application/json', csv: 'text/csv; charset=utf-8', pdf: 'application/pdf' };
      return { fileName: `${stem}.${options.format}`, contentType: types[options.format], body, entries: exported.length, omitted, enteredInError };
    });
  } catch (error) {
    if (error instanceof AccessDeniedError) throw new NotFoundError('Person not found');
    throw error;
  }
}

/**
 * Every object an exchange-format export holds, as received: the exported events (an imported
 * event keeps its id and source; one recorded here is `throughline:<uuid>`), the records they name
 * (a restricted record only by its id and source: its details never leave in an export), the
 * relationships among those records, and their sources. References to events not exported are
 * dropped, so the file stands on its own.
 */
async function exchangeParts(trx: Transaction<DB>, ctx: ActorContext, exported: readonly ChronologyEntry[]): Promise<ExchangeParts> {
  const pid = ctx.partnershipId;
  const received = await repo.latestReceived(trx, pid, 'event', exported.map((e) => e.key));
  const keys = new Set(exported.map((e) => e.key));
  const events: Record<string, unknown>[] = [];
  const recordKeys = new Set<string>();
  const sourceKeys = new Set<string>();
  for (const e of exported) {
    const object = JSON.parse(received.get(e.key) ?? '{}') as Record<string, unknown>;
    if (Array.isArray(object.about)) {
      object.about = object.about.filter((a) => keys.has(String(a)));
      if ((object.about as unknown[]).length === 0) delete object.about;
    }
    events.push(object);
    sourceKeys.add(String(object.source));
    for (const field of ['subjects', 'participants', 'childrenPresent', 'unborn', 'child', 'person']) {
      const v = object[field];
      for (const r of Array.isArray(v) ? v : typeof v === 'string' ? [v] : []) recordKeys.add(String(r));
    }
  }
  const personKeys = [...recordKeys].filter((k) => k.startsWith('throughline:person:'));
  const agencyKeys = [...recordKeys].filter((k) => !k.startsWith('throughline:person:'));
  const recordJson = await repo.latestReceived(trx, pid, 'record', agencyKeys);
  const flags = await repo.recordFlags(trx, pid, agencyKeys);
  const records: Record<string, unknown>[] = [];
  for (const key of agencyKeys.sort()) {
    const object = JSON.parse(recordJson.get(key) ?? JSON.stringify({ id: key })) as Record<string, unknown>;
    sourceKeys.add(String(object.source));
    records.push(flags.get(key)?.restricted ? { id: object.id, source: object.source, restricted: true } : object);
  }
  if (personKeys.length > 0) sourceKeys.add('throughline');
  for (const p of await repo.personsById(trx, pid, personKeys.map((k) => k.slice('throughline:person:'.length)))) {
    const base = { id: `throughline:person:${p.id}`, source: 'throughline', kind: p.kind };
    records.push(
      p.restricted
        ? { ...base, restricted: true }
        : { ...base, ...(p.given_name ? { givenName: p.given_name } : {}), ...(p.family_name ? { familyName: p.family_name } : {}), ...(p.date_of_birth ? { dateOfBirth: p.date_of_birth } : {}), ...(p.expected_date ? { expectedDate: p.expected_date } : {}), sex: p.sex, ...(p.nhs_number ? { nhsNumber: p.nhs_number } : {}) },
    );
  }
  const relationshipJson = await repo.latestReceived(trx, pid, 'relationship', await repo.relationshipsAmong(trx, pid, agencyKeys));
  const relationships = [...relationshipJson.values()].map((t) => JSON.parse(t) as Record<string, unknown>);
  const sourceJson = await repo.latestReceived(trx, pid, 'source', [...sourceKeys]);
  const known = new Map((await repo.sources(trx, pid)).map((s) => [s.source_key, s]));
  const sources = [...sourceKeys].sort().map((key) => {
    const text = sourceJson.get(key);
    if (text) return JSON.parse(text) as Record<string, unknown>;
    if (key === 'throughline') return { id: 'throughline', agency: 'other', name: 'Throughline (people as the partnership holds them)' };
    const s = known.get(key);
    return { id: key, agency: s?.agency ?? 'other', name: s?.name ?? key, ...(s?.authority ? { authority: s.authority } : {}) };
  });
  return { sources, records, relationships, events };
}
