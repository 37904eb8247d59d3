// Importing an exchange file into a partnership. The file is read and each object validated on its
// own (read-exchange-file.ts); accepted objects are stored in batches, each batch one transaction
// through the door with its audit row. Inside a batch every object stands alone: the batch is
// written in bulk under a savepoint, and if that fails each object is retried under its own
// savepoint, so one bad object is rejected and nothing good is lost or half-written.
//
// Idempotent: an object whose content (the JSON as received) is unchanged is left alone; a changed
// object from the same source with the same id becomes a new version, and the old one is kept.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { basename } from 'node:path';
import type { Insertable, Kysely } from 'kysely';
import { hasRole, type ActorContext } from '../access/actor-context.js';
import { throughDoor, type DoorScope } from '../access/door.js';
import type { DB, EventRecordsTable, EventsTable, ExchangeKind, ExchangeVersionsTable, ImportsTable, RecordsTable, RelationshipsTable } from '../db/schema.js';
import { recordSearchKeys } from '../identity/search-keys.js';
import { recordIdentity } from './record-identity.js';
import { logger } from '../shared/logger.js';
import { newId } from '../shared/ids.js';
import type { NormalisedDate } from './exchange-dates.js';
import { type Issue } from './exchange-issues.js';
import type { NormalisedEvent, NormalisedRecord, NormalisedRelationship, NormalisedSource } from './exchange-schema.js';
import { NdjsonValidator, type AcceptedItem, type ExchangeItem, type ObjectKind } from './exchange-validator.js';
import { AttendanceSummariser, type AttendanceMark } from './feeds/attendance-summary.js';
import { readFeed, type FeedKind, type FeedOptions } from './feeds/feed.js';
import { DEFAULT_HALF_TERMS, halfTermOf, halfTermsSchema, type HalfTerm } from './feeds/school-terms.js';
import { UserFacingError } from '../shared/errors.js';
import * as repo from './import.repository.js';
import { readExchangeFile, type ExchangeFileReading } from './read-exchange-file.js';

/** Counts of records, relationships and events, as the summary reports them. */
export interface ImportCounts {
  records: number;
  relationships: number;
  events: number;
}

/** One rejection or warning in the summary: where, which field, what was wrong. */
export interface SummaryIssue {
  object: string;
  id?: string;
  field: string | null;
  message: string;
}

/** What importing one file did. */
export interface FileImportSummary {
  file: string;
  imported: ImportCounts;
  updated: ImportCounts;
  unchanged: ImportCounts;
  rejected: SummaryIssue[];
  warnings: SummaryIssue[];
}

/** How far an import has got, for a progress bar. */
export interface ImportProgress {
  bytesRead: number;
  totalBytes: number;
  objects: number;
}

export interface ImportOptions {
  onProgress?: (progress: ImportProgress) => void;
  /** Objects per transaction. */
  batchSize?: number;
}

/** The outcome for the caller: the summary, and which records changed (for identity resolution). */
export interface FileImportResult {
  summary: FileImportSummary;
  importId: string;
  /** True when records, relationships or births changed, so identities must be resolved again. */
  identityChanged: boolean;
  title: string | undefined;
  /** Records that are new or changed, or that a new or changed event or relationship names (whose people the rules look at again). */
  touchedRecords: string[];
}

const DEFAULT_BATCH = 500;

const COUNTED: Partial<Record<ObjectKind, keyof ImportCounts>> = { record: 'records', relationship: 'relationships', event: 'events' };

function zeroCounts(): ImportCounts {
  return { records: 0, relationships: 0, events: 0 };
}

function summaryIssue(issue: Issue): SummaryIssue {
  return {
    object: issue.location.object,
    ...(issue.location.id !== undefined ? { id: issue.location.id } : {}),
    field: issue.field,
    message: issue.message,
  };
}

/** SHA-256 of a file, streamed (the import row records which file was read). */
async function fileSha256(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** Imports come from the command line, set-up jobs, or a partnership administrator's upload. */
function mayImport(ctx: ActorContext): boolean {
  return ctx.actor.type !== 'user' || hasRole(ctx, 'admin');
}

/**
 * Imports one exchange file into the actor's partnership and returns its summary. A file that is
 * not the format is refused whole (FileRefusedError) before anything is stored.
 */
export async function importExchangeFile(db: Kysely<DB>, ctx: ActorContext, path: string, options: ImportOptions = {}): Promise<FileImportResult> {
  const file = basename(path);
  const progress = progressTracker(options);
  const reading: ExchangeFileReading = await readExchangeFile(path, { knownIds: knownIdsFor(db, ctx, file), onProgress: progress.bytes });
  return importItems(db, ctx, { file, path, format: reading.format, title: reading.title, warnings: reading.warnings.map(summaryIssue), items: reading.items }, options, progress);
}

/** The answer to "was this object imported before?", from the store, through the door. */
function knownIdsFor(db: Kysely<DB>, ctx: ActorContext, file: string) {
  // References to objects not in the file are answered from what the partnership holds. Each such
  // lookup is a read of case data, so it goes through the door (and is cached by the validator).
  return (kind: ObjectKind, key: string) =>
    throughDoor(db, ctx, { action: 'import.reference-check', objectType: kind, details: { file } }, ({ trx }) => repo.objectExists(trx, ctx.partnershipId, kind, key));
}

interface ProgressTracker {
  objects: number;
  bytes: (p: { bytesRead: number; totalBytes: number }) => void;
  report: () => void;
}

function progressTracker(options: ImportOptions): ProgressTracker {
  let bytes = { bytesRead: 0, totalBytes: 0 };
  const tracker: ProgressTracker = {
    objects: 0,
    bytes: (p) => {
      bytes = p;
      options.onProgress?.({ ...p, objects: tracker.objects });
    },
    report: () => options.onProgress?.({ ...bytes, objects: tracker.objects }),
  };
  return tracker;
}

/** An item of an import: an exchange object (accepted or rejected), or a school register mark (attendance feed). */
type ImportItem = ExchangeItem | { status: 'mark'; mark: AttendanceMark; original: string } | { status: 'warning'; issue: SummaryIssue };

/** What is being imported: one file, already opened and checked as a whole. */
interface ImportSource {
  file: string;
  path: string;
  format: ImportsTable['format'];
  title: string | undefined;
  warnings: SummaryIssue[];
  items: AsyncIterable<ImportItem>;
  /** A feed's rows as received, for the items read from them. */
  originals?: WeakMap<object, string>;
  /** The attendance feed: how to summarise the marks into half terms. */
  attendance?: { source: string; setting: 'school' | 'early-years'; terms: readonly HalfTerm[]; nextLine: () => number; validator: NdjsonValidator };
}

async function importItems(db: Kysely<DB>, ctx: ActorContext, input: ImportSource, options: ImportOptions, progress: ProgressTracker): Promise<FileImportResult> {
  const { file } = input;
  const importId = newId();
  const summary: FileImportSummary = { file, imported: zeroCounts(), updated: zeroCounts(), unchanged: zeroCounts(), rejected: [], warnings: [...input.warnings] };
  const fileSha = await fileSha256(input.path);
  await throughDoor(db, ctx, { action: 'import.start', objectType: 'import', objectId: importId, details: { file, sha256: fileSha, format: input.format } }, ({ trx, deny }) => {
    if (!mayImport(ctx)) deny('only a partnership administrator imports agency records');
    return repo.insertImport(trx, {
      id: importId,
      partnership_id: ctx.partnershipId,
      file_name: file,
      file_sha256: fileSha,
      format: input.format,
      title: input.title ?? null,
      actor: ctx.actor.label,
      started_at: new Date(),
    });
  });

  const state: BatchState = { importId, summary, identityChanged: false, sources: new Map(), originals: input.originals, touched: new Set() };
  let batch: AcceptedItem[] = [];
  let marks: { mark: AttendanceMark; original: string }[] = [];
  const affected = new Map<string, { pupil: string; pupilKey: string; term: HalfTerm }>();
  const flush = async () => {
    if (batch.length === 0) return;
    const items = batch;
    batch = [];
    await storeBatch(db, ctx, items, state);
  };
  const flushMarks = async () => {
    if (marks.length === 0 || !input.attendance) return;
    const held = marks;
    marks = [];
    await storeMarks(db, ctx, input.attendance, held, importId, affected);
  };
  for await (const item of input.items) {
    if (item.status === 'mark') {
      marks.push(item);
      if (marks.length >= MARK_BATCH) await flushMarks();
      continue;
    }
    if (item.status === 'warning') {
      summary.warnings.push(item.issue);
      continue;
    }
    progress.objects += 1;
    summary.warnings.push(...item.warnings.map(summaryIssue));
    if (item.status === 'rejected') {
      summary.rejected.push(...item.rejections.map(summaryIssue));
    } else {
      batch.push(item);
      if (batch.length >= (options.batchSize ?? DEFAULT_BATCH)) await flush();
    }
    if (progress.objects % 1000 === 0) progress.report();
  }
  await flush();
  await flushMarks();
  if (input.attendance && affected.size > 0) {
    // Half-term summaries from every mark held (this file's and earlier ones'), so a register sent
    // in parts, or sent again, always gives the whole half term.
    for (const item of await attendanceSummaries(db, ctx, input.attendance, [...affected.values()])) {
      if (item.status === 'rejected') summary.rejected.push(...item.rejections.map(summaryIssue));
      else batch.push(item);
    }
    await flush();
  }
  progress.report();

  await throughDoor(db, ctx, { action: 'import.finish', objectType: 'import', objectId: importId, details: countsForAudit(summary) }, ({ trx }) =>
    repo.finishImport(trx, importId, summary),
  );
  return { summary, importId, identityChanged: state.identityChanged, title: input.title, touchedRecords: [...state.touched] };
}

const MARK_BATCH = 2000;

/** Stores a batch of register marks: new marks, and new versions of changed ones (a mark is never overwritten). */
async function storeMarks(
  db: Kysely<DB>,
  ctx: ActorContext,
  attendance: NonNullable<ImportSource['attendance']>,
  marks: readonly { mark: AttendanceMark; original: string }[],
  importId: string,
  affected: Map<string, { pupil: string; pupilKey: string; term: HalfTerm }>,
): Promise<void> {
  const days = marks.map((m) => m.mark.date).sort();
  await throughDoor(db, ctx, { action: 'import.attendance-marks', objectType: 'import', objectId: importId, details: { marks: marks.length } }, async ({ trx, note }) => {
    const held = await repo.heldMarks(trx, ctx.partnershipId, attendance.source, marks.map((m) => m.mark.pupil), days[0]!, days.at(-1)!);
    const now = new Date();
    const rows: Insertable<DB['attendance_marks']>[] = [];
    for (const { mark, original } of marks) {
      const term = halfTermOf(mark.date, attendance.terms);
      if (!term) continue; // the summariser reports it, naming the line
      const key = `${mark.pupil}|${mark.date}|${mark.session}`;
      const before = held.get(key);
      if (before && before.code === mark.code) continue;
      held.set(key, { version: (before?.version ?? 0) + 1, code: mark.code });
      rows.push({ id: newId(), partnership_id: ctx.partnershipId, source_key: attendance.source, pupil_key: mark.pupil, pupil_ref: mark.pupilKey, date: mark.date, session: mark.session, code: mark.code, version: (before?.version ?? 0) + 1, original, import_id: importId, received_at: now });
      affected.set(`${mark.pupil}|${term.start}`, { pupil: mark.pupil, pupilKey: mark.pupilKey, term });
    }
    await repo.insertMarks(trx, rows);
    note({ stored: rows.length });
  });
}

/** The attendance-summary events of the half terms that changed, worked out from every mark held, validated like any object. */
async function attendanceSummaries(db: Kysely<DB>, ctx: ActorContext, attendance: NonNullable<ImportSource['attendance']>, groups: readonly { pupil: string; pupilKey: string; term: HalfTerm }[]): Promise<ExchangeItem[]> {
  const summariser = new AttendanceSummariser(attendance.terms, { source: attendance.source, setting: attendance.setting });
  await throughDoor(db, ctx, { action: 'import.attendance-summaries', objectType: 'import', details: { halfTerms: groups.length } }, async ({ trx }) => {
    for (const g of groups) {
      for (const m of await repo.currentMarks(trx, ctx.partnershipId, attendance.source, g.pupil, g.term.start, g.term.end)) {
        summariser.add({ line: 0, pupil: m.pupil_key, pupilKey: m.pupil_ref, date: m.date, session: m.session, code: m.code as AttendanceMark['code'] });
      }
    }
  });
  const items: ExchangeItem[] = [];
  for (const event of summariser.finish().events) {
    const item = await attendance.validator.validateLine(attendance.nextLine(), JSON.stringify({ object: 'event', ...event }));
    if (item) items.push(item);
  }
  return items;
}

/**
 * Imports one agency feed (a FHIR bundle, a school's attendance register, police domestic-abuse
 * notifications: docs/agency-feeds.md) as exchange objects from `source`: each row read into
 * objects, checked line by line as an NDJSON file would be, and stored exactly as an exchange file.
 * Each row is kept as received beside the objects read from it.
 */
export async function importFeedFile(db: Kysely<DB>, ctx: ActorContext, kind: FeedKind, path: string, feed: FeedOptions, options: ImportOptions = {}): Promise<FileImportResult> {
  const file = basename(path);
  const progress = progressTracker(options);
  const validator = new NdjsonValidator({ knownIds: knownIdsFor(db, ctx, file) });
  const originals = new WeakMap<object, string>();
  let lastLine = 1;
  const lines = readFeed(kind, path, { ...feed, onProgress: progress.bytes });
  // Refusals come with the first item: open the feed before anything is stored.
  const iterator = lines[Symbol.asyncIterator]();
  const first = await iterator.next();
  async function* items(): AsyncGenerator<ImportItem> {
    for (let next = first; !next.done; next = await iterator.next()) {
      const fi = next.value;
      lastLine = Math.max(lastLine, fi.line);
      if (fi.type === 'object') {
        const item = await validator.validateLine(fi.line, JSON.stringify(fi.object));
        if (!item) continue;
        if (item.status === 'accepted') originals.set(item, fi.original);
        yield item;
      } else if (fi.type === 'attendance-mark') {
        yield { status: 'mark', mark: fi.mark, original: fi.original };
      } else {
        const location = { object: `line ${fi.line}`, ...(fi.id !== undefined ? { id: fi.id } : {}) };
        const issue = { location, field: fi.field, message: fi.message };
        if (fi.severity === 'warning') yield { status: 'warning', issue: summaryIssue(issue) };
        else yield { status: 'rejected', kind: null, object: undefined, location, rejections: [issue], warnings: [] };
      }
    }
  }
  let attendance: ImportSource['attendance'];
  if (kind === 'attendance') {
    const settings = await throughDoor(db, ctx, { action: 'import.settings', objectType: 'partnership', objectId: ctx.partnershipId }, ({ trx }) => repo.partnershipSettings(trx, ctx.partnershipId));
    const terms = halfTermsSchema.safeParse((settings as { schoolTerms?: unknown }).schoolTerms ?? DEFAULT_HALF_TERMS);
    if (!terms.success) throw new UserFacingError("The partnership's school term dates (settings.schoolTerms) are not valid; fix them before importing a school register.");
    attendance = { source: feed.source, setting: feed.agency === 'early-years' ? 'early-years' : 'school', terms: terms.data, nextLine: () => ++lastLine, validator };
  }
  return importItems(db, ctx, { file, path, format: kind, title: undefined, warnings: [], items: items(), originals, attendance }, options, progress);
}

function countsForAudit(summary: FileImportSummary): Record<string, unknown> {
  return { file: summary.file, imported: summary.imported, updated: summary.updated, unchanged: summary.unchanged, rejected: summary.rejected.length, warnings: summary.warnings.length };
}

interface BatchState {
  importId: string;
  summary: FileImportSummary;
  identityChanged: boolean;
  /** Sources seen in this import (key → organisation id), so each is looked up once. */
  sources: Map<string, string>;
  /** A feed's rows as received, by the item read from them. */
  originals: WeakMap<object, string> | undefined;
  /** Record keys touched by what was stored. */
  touched: Set<string>;
}

/** One object ready to write: its version row and its current-state row. */
interface Prepared {
  item: AcceptedItem;
  outcome: 'imported' | 'updated';
  version: Insertable<ExchangeVersionsTable>;
  write: (trx: DoorScope['trx']) => Promise<void>;
  /** Writes of the same kind, done together in bulk. */
  bulk: BulkRows;
}

interface BulkRows {
  records: Insertable<RecordsTable>[];
  relationships: Insertable<RelationshipsTable>[];
  events: Insertable<EventsTable>[];
  eventRecords: Insertable<EventRecordsTable>[];
}

function emptyBulk(): BulkRows {
  return { records: [], relationships: [], events: [], eventRecords: [] };
}

async function writeBulk(trx: DoorScope['trx'], rows: BulkRows): Promise<void> {
  await repo.upsertRecords(trx, rows.records);
  await repo.upsertRelationships(trx, rows.relationships);
  await repo.upsertEvents(trx, rows.events, rows.eventRecords);
}

function keyOf(item: AcceptedItem): { key: string; source: string } {
  const n = item.normalised as { id: string; source?: string };
  return { key: n.id, source: item.kind === 'source' ? n.id : n.source! };
}

/** Stores one batch of accepted objects in one transaction through the door. */
async function storeBatch(db: Kysely<DB>, ctx: ActorContext, items: AcceptedItem[], state: BatchState): Promise<void> {
  const { summary } = state;
  const counts = { imported: 0, updated: 0, unchanged: 0, rejected: 0 };
  const audit = { action: 'import.batch', objectType: 'import', objectId: state.importId };
  const outcome = await throughDoor(db, ctx, audit, async (scope) => {
    const { trx } = scope;
    if (!mayImport(ctx)) scope.deny('only a partnership administrator imports agency records');
    const now = new Date();
    const byKind = new Map<ExchangeKind, string[]>();
    for (const item of items) {
      const list = byKind.get(item.kind) ?? [];
      list.push(keyOf(item).key);
      byKind.set(item.kind, list);
    }
    const held = new Map<ExchangeKind, Map<string, repo.HeldVersion>>();
    for (const [kind, keys] of byKind) held.set(kind, await repo.heldVersions(trx, ctx.partnershipId, kind, keys));

    const prepared: Prepared[] = [];
    const rejected: SummaryIssue[] = [];
    const unchanged: AcceptedItem[] = [];
    let identityChanged = false;
    for (const item of items) {
      const { key, source } = keyOf(item);
      const before = held.get(item.kind)!.get(key);
      const received = JSON.stringify(item.object);
      const sha = sha256(received);
      if (before && before.source !== source) {
        rejected.push({
          ...summaryIssue({ location: item.location, field: 'source', message: '' }),
          message: `source ${JSON.stringify(source)} is not the source that sent this id before (${JSON.stringify(before.source)}): an id belongs to the source that first sent it`,
        });
        continue;
      }
      if (before && before.sha === sha) {
        unchanged.push(item);
        continue;
      }
      if (item.kind === 'source') {
        // Sources are few: written at once (each under its own savepoint), so that records later in
        // the batch find their organisation.
        await repo.savepoint(trx, 'savepoint');
        try {
          await storeSource(trx, ctx, item.normalised, { id: before?.id ?? newId(), version: (before?.version ?? 0) + 1, sha, now }, state);
          await repo.insertVersions(trx, [versionRow(ctx, state, item, key, source, (before?.version ?? 0) + 1, sha, received, now)]);
          await repo.savepoint(trx, 'release');
        } catch (error) {
          await repo.savepoint(trx, 'rollback');
          logger.error({ err: error, importId: state.importId, object: item.location.object }, 'a source could not be stored');
          rejected.push({ ...summaryIssue({ location: item.location, field: null, message: '' }), message: 'could not be stored (the database refused it; the details are in the log)' });
        }
        continue;
      }
      const version = (before?.version ?? 0) + 1;
      const id = before?.id ?? newId();
      const bulk = emptyBulk();
      if (item.kind === 'record') {
        bulk.records.push(recordRow(ctx, item.normalised, { id, version, sha, now }));
        identityChanged = true;
      } else if (item.kind === 'relationship') {
        bulk.relationships.push(relationshipRow(ctx, item.normalised, { id, version, sha, now }));
        identityChanged = true;
      } else {
        const { row, links } = eventRows(ctx, item.normalised, { id, version, sha, now });
        bulk.events.push(row);
        bulk.eventRecords.push(...links);
        if (item.normalised.type === 'birth') identityChanged = true;
      }
      held.get(item.kind)!.set(key, { id, version, sha, source });
      prepared.push({
        item,
        outcome: before ? 'updated' : 'imported',
        version: versionRow(ctx, state, item, key, source, version, sha, received, now),
        write: (t) => writeBulk(t, bulk),
        bulk,
      });
    }

    // Everything in one go; if the database refuses any of it, object by object.
    const stored: Prepared[] = [];
    await repo.savepoint(trx, 'savepoint');
    try {
      const all = emptyBulk();
      for (const p of prepared) {
        all.records.push(...p.bulk.records);
        all.relationships.push(...p.bulk.relationships);
        all.events.push(...p.bulk.events);
        all.eventRecords.push(...p.bulk.eventRecords);
      }
      await writeBulk(trx, all);
      await repo.insertVersions(trx, prepared.map((p) => p.version));
      await repo.savepoint(trx, 'release');
      stored.push(...prepared);
    } catch (error) {
      await repo.savepoint(trx, 'rollback');
      logger.warn({ err: error, importId: state.importId }, 'a batch could not be stored in one go; storing its objects one by one');
      for (const p of prepared) {
        await repo.savepoint(trx, 'savepoint');
        try {
          await p.write(trx);
          await repo.insertVersions(trx, [p.version]);
          await repo.savepoint(trx, 'release');
          stored.push(p);
        } catch (objectError) {
          await repo.savepoint(trx, 'rollback');
          logger.error({ err: objectError, importId: state.importId, object: p.item.location.object }, 'an object could not be stored');
          rejected.push({ ...summaryIssue({ location: p.item.location, field: null, message: '' }), message: 'could not be stored (the database refused it; the details are in the log)' });
        }
      }
    }
    counts.imported = stored.filter((p) => p.outcome === 'imported').length;
    counts.updated = stored.filter((p) => p.outcome === 'updated').length;
    counts.unchanged = unchanged.length;
    counts.rejected = rejected.length;
    scope.note(counts);
    return { stored, unchanged, rejected, identityChanged };
  });
  for (const p of outcome.stored) {
    const counted = COUNTED[p.item.kind];
    if (counted) summary[p.outcome][counted] += 1;
  }
  for (const item of outcome.unchanged) {
    const counted = COUNTED[item.kind];
    if (counted) summary.unchanged[counted] += 1;
  }
  summary.rejected.push(...outcome.rejected);
  if (outcome.identityChanged) state.identityChanged = true;
  for (const p of outcome.stored) {
    if (p.item.kind === 'record') state.touched.add(p.item.normalised.id);
    for (const r of p.bulk.relationships) {
      state.touched.add(r.to_record_key);
      if (r.from_record_key) state.touched.add(r.from_record_key);
    }
    for (const link of p.bulk.eventRecords) state.touched.add(link.record_key);
  }
}

function versionRow(
  ctx: ActorContext,
  state: BatchState,
  item: AcceptedItem,
  key: string,
  source: string,
  version: number,
  sha: string,
  received: string,
  now: Date,
): Insertable<ExchangeVersionsTable> {
  return {
    id: newId(),
    partnership_id: ctx.partnershipId,
    kind: item.kind,
    object_key: key,
    source_key: source,
    version,
    content_sha256: sha,
    received,
    import_id: state.importId,
    location: item.location.object,
    received_at: now,
    original: state.originals?.get(item) ?? null,
  };
}

interface RowMeta {
  id: string;
  version: number;
  sha: string;
  now: Date;
}

/** A source is mapped to the organisation whose code is its id, created on first import. */
async function storeSource(trx: DoorScope['trx'], ctx: ActorContext, source: NormalisedSource, meta: RowMeta, state: BatchState): Promise<void> {
  let organisationId = state.sources.get(source.id) ?? (await repo.organisationByCode(trx, ctx.partnershipId, source.id));
  if (!organisationId) {
    organisationId = newId();
    await repo.insertOrganisation(trx, { id: organisationId, partnershipId: ctx.partnershipId, code: source.id, name: source.name, agency: source.agency, authority: source.authority ?? null });
  }
  await repo.upsertSource(trx, {
    id: meta.id,
    partnership_id: ctx.partnershipId,
    source_key: source.id,
    agency: source.agency,
    name: source.name,
    authority: source.authority ?? null,
    organisation_id: organisationId,
    version: meta.version,
    content_sha256: meta.sha,
    updated_at: meta.now,
  });
  state.sources.set(source.id, organisationId);
}

function dateValue(d: NormalisedDate | undefined): string | null {
  return d?.value ?? null;
}

/** An address with its dates as recorded (text), the way pages and exports show it. */
function addressValue(address: NormalisedRecord['address']): string | null {
  if (!address) return null;
  const { from, to, ...rest } = address;
  return JSON.stringify({ ...rest, ...(from ? { from: from.value } : {}), ...(to ? { to: to.value } : {}) });
}

function recordRow(ctx: ActorContext, r: NormalisedRecord, meta: RowMeta): Insertable<RecordsTable> {

  return {
    id: meta.id,
    partnership_id: ctx.partnershipId,
    record_key: r.id,
    source_key: r.source,
    version: meta.version,
    content_sha256: meta.sha,
    person_id: null,
    source_record_id: r.sourceRecordId ?? null,
    kind: r.kind,
    given_name: r.givenName ?? null,
    family_name: r.familyName ?? null,
    other_names: r.otherNames ? JSON.stringify(r.otherNames) : null,
    date_of_birth: dateValue(r.dateOfBirth),
    expected_date: dateValue(r.expectedDate),
    sex: r.sex ?? 'unknown',
    nhs_number: r.nhsNumber?.digits ?? r.nhsNumber?.value ?? null,
    nhs_number_valid: r.nhsNumber?.valid ?? false,
    upn: r.upn ?? null,
    address: addressValue(r.address),
    phone: r.phone ?? null,
    restricted: r.restricted ?? false,
    details: JSON.stringify({
      ethnicity: r.ethnicity,
      firstLanguage: r.firstLanguage,
      interpreterNeeded: r.interpreterNeeded,
      religion: r.religion,
      disability: r.disability,
    }),
    recorded: dateValue(r.recorded),
    search_keys: recordSearchKeys(recordIdentity(r, 'as-received')),
    first_received_at: meta.now,
    updated_at: meta.now,
  };
}

function relationshipRow(ctx: ActorContext, r: NormalisedRelationship, meta: RowMeta): Insertable<RelationshipsTable> {
  return {
    id: meta.id,
    partnership_id: ctx.partnershipId,
    relationship_key: r.id,
    source_key: r.source,
    version: meta.version,
    content_sha256: meta.sha,
    from_record_key: r.from ?? null,
    to_record_key: r.to,
    type: r.type,
    start_date: dateValue(r.start),
    end_date: dateValue(r.end),
    lives_elsewhere: r.livesElsewhere ?? false,
    father_unknown: r.fatherUnknown ?? false,
    recorded: dateValue(r.recorded),
    updated_at: meta.now,
  };
}

const COMMON_EVENT_FIELDS = new Set(['id', 'source', 'type', 'date', 'recorded', 'subjects', 'participants', 'summary', 'significant', 'restricted', 'concerns', 'about']);

/** Record ids an event names outside its subjects and participants (children present, the baby born). */
function namedRecords(e: NormalisedEvent): string[] {
  const named: string[] = [];
  const add = (v: unknown) => {
    if (typeof v === 'string') named.push(v);
    else if (Array.isArray(v)) for (const x of v) if (typeof x === 'string') named.push(x);
  };
  const fields = e as unknown as Record<string, unknown>;
  if (e.type === 'police-incident') add(fields.childrenPresent);
  if (e.type === 'pregnancy') add(fields.unborn);
  if (e.type === 'birth') {
    add(fields.child);
    add(fields.unborn);
  }
  if (e.type === 'household') add(fields.person);
  return named;
}

function eventRows(ctx: ActorContext, e: NormalisedEvent, meta: RowMeta): { row: Insertable<EventsTable>; links: Insertable<EventRecordsTable>[] } {
  const details = Object.fromEntries(Object.entries(e).filter(([k]) => !COMMON_EVENT_FIELDS.has(k)));
  const row: Insertable<EventsTable> = {
    id: meta.id,
    partnership_id: ctx.partnershipId,
    event_key: e.id,
    source_key: e.source,
    version: meta.version,
    content_sha256: meta.sha,
    type: e.type,
    date: e.date.value,
    date_precision: e.date.precision,
    date_sort: e.date.sortKey,
    recorded: dateValue(e.recorded),
    recorded_sort: (e.recorded ?? e.date).sortKey,
    summary: e.summary ?? null,
    significant: e.significant ?? false,
    restricted: e.restricted ?? false,
    concerns: JSON.stringify(e.concerns ?? []),
    about: JSON.stringify(e.about ?? []),
    details: JSON.stringify(details),
    first_received_at: meta.now,
    updated_at: meta.now,
  };
  const links = new Map<string, Insertable<EventRecordsTable>>();
  const link = (key: string, role: EventRecordsTable['role']) => {
    const k = `${key}\u0000${role}`;
    if (!links.has(k)) links.set(k, { partnership_id: ctx.partnershipId, event_id: meta.id, record_key: key, role });
  };
  for (const s of e.subjects) link(s, 'subject');
  for (const p of e.participants ?? []) link(p, 'participant');
  for (const n of namedRecords(e)) link(n, 'named');
  return { row, links: [...links.values()] };
}
