import type { Kysely } from 'kysely';
import type { Request, Response } from 'express';
import { z } from 'zod';
import { alertsForChronology } from '../../alerts/alerts.service.js';
import { getChronology, exportChronology, type ChronologyQuery } from '../../chronology/chronology.service.js';
import { agencyOptions, concernOptions, typeLabel } from '../../chronology/event-labels.js';
import {
  amendEntry,
  entryForAmendment,
  entryHistory,
  listDrafts,
  loadDraft,
  markEnteredInError,
  recordEntry,
  RECORDING_KINDS,
  saveDraft,
  type RecordingKind,
} from '../../chronology/recording.service.js';
import { describeTimeline, layoutTimeline } from '../../chronology/timeline.js';
import { renderTimelineSvg } from '../../chronology/timeline-svg.js';
import { isDay, todayInLondon } from '../../calendar/days.js';
import type { DB } from '../../db/schema.js';
import { AGENCIES, REFERRAL_SOURCE_CODES } from '../../ingest/exchange-schema.js';
import { getPersonView, getWholeFamily } from '../../people/people.service.js';
import { NotFoundError, UserFacingError } from '../../shared/errors.js';
import { formErrors, type FormErrors } from '../form-errors.js';
import { KIND_TEXT, formValuesOf, parseEntryForm } from '../chronology-forms.js';
import { actorContext, guard } from '../middleware/guards.middleware.js';
import type { RouteDef } from './route.js';
import type { EvaluationJobs } from '../../jobs/job-queue.js';

const RECORDERS = guard.role('practitioner', 'manager', 'front-door');

function list(value: unknown): string[] {
  if (value === undefined) return [];
  return (Array.isArray(value) ? value : [value]).map(String).filter(Boolean);
}

/** A date from three inputs (day, month, year), or undefined when empty or not a date. */
function dateFrom(q: Record<string, unknown>, prefix: string): string | undefined {
  // GOV.UK date inputs name their parts "<prefix>-day", "<prefix>-month", "<prefix>-year".
  const y = String(q[`${prefix}-year`] ?? '').trim();
  const m = String(q[`${prefix}-month`] ?? '').trim();
  const d = String(q[`${prefix}-day`] ?? '').trim();
  if (!y) return undefined;
  const day = `${y.padStart(4, '0')}-${(m || '1').padStart(2, '0')}-${(d || '1').padStart(2, '0')}`;
  return isDay(day) ? day : undefined;
}

/** The chronology's filters, read from the address (every filter is optional; bad values are ignored). */
function chronologyQuery(req: Request): ChronologyQuery {
  const q = req.query as Record<string, unknown>;
  const page = Number(q.page);
  return {
    family: q.scope === 'family',
    agencies: list(q.agency).filter((a) => (AGENCIES as readonly string[]).includes(a)),
    types: list(q.type),
    concerns: list(q.concern),
    significantOnly: q.significant === 'yes',
    from: dateFrom(q, 'from'),
    to: dateFrom(q, 'to'),
    text: typeof q.q === 'string' ? q.q.slice(0, 200) : undefined,
    page: Number.isInteger(page) && page > 0 ? page : undefined,
    entry: typeof q.entry === 'string' ? q.entry : undefined,
    figuresFrom: dateFrom(q, 'figuresFrom'),
    figuresTo: dateFrom(q, 'figuresTo'),
  };
}

/** The address of the same chronology with some parameters changed (for pagination links). */
function withParams(req: Request, changes: Record<string, string | undefined>): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(req.query)) for (const value of list(v)) params.append(k, value);
  for (const [k, v] of Object.entries(changes)) {
    params.delete(k);
    if (v !== undefined) params.set(k, v);
  }
  const text = params.toString();
  return `${req.path}${text ? `?${text}` : ''}`;
}

async function renderChronology(db: Kysely<DB>, req: Request, res: Response) {
  const ctx = actorContext(req, 'read the chronology');
  const view = await getPersonView(db, ctx, String(req.params.id), 'chronology');
  const query = chronologyQuery(req);
  const chronology = await getChronology(db, ctx, view.person.id, query);
  // Alerts and what was done about them belong in the child's story: listed with the entries' page,
  // and marked on the timeline.
  const alerts = await alertsForChronology(db, ctx, chronology.members.map((m) => m.id));
  const lanes = new Map(chronology.members.filter((m) => m.child || m.id === view.person.id).map((m, i) => [m.id, i]));
  for (const a of alerts) {
    if (a.raised < chronology.timeline.from || a.raised > chronology.timeline.to) continue;
    const lane = lanes.get(a.person.id);
    chronology.timeline.marks.push({ date: a.raised, kind: 'alert', label: `Alert: ${a.title}`, ...(lane !== undefined ? { lane } : {}) });
  }
  const layout = layoutTimeline(chronology.timeline, { width: 960 });
  const drafts = await listDrafts(db, ctx, view.person.id);
  // Page links: the first, the last and those around the current page, with gaps between.
  const pages: ({ number: number; href: string; current: boolean } | { ellipsis: true })[] = [];
  for (let n = 1; n <= chronology.pages; n += 1) {
    if (n === 1 || n === chronology.pages || Math.abs(n - chronology.page) <= 1) pages.push({ number: n, href: withParams(req, { page: String(n) }), current: n === chronology.page });
    else if (!('ellipsis' in (pages.at(-1) ?? {}))) pages.push({ ellipsis: true });
  }
  const pageSize = 100;
  const range = { from: (chronology.page - 1) * pageSize + 1, to: Math.min(chronology.page * pageSize, chronology.total) };
  res.render('pages/person-chronology.njk', {
    ...view,
    section: 'chronology',
    chronology,
    alerts,
    query,
    rawQuery: req.query,
    timelineSvg: renderTimelineSvg(layout),
    timelineList: describeTimeline(chronology.timeline),
    pages,
    range,
    previousHref: chronology.page > 1 ? withParams(req, { page: String(chronology.page - 1) }) : null,
    nextHref: chronology.page < chronology.pages ? withParams(req, { page: String(chronology.page + 1) }) : null,
    exportHref: (format: string) => `/people/${view.person.id}/chronology/export?format=${format}${query.family ? '&scope=family' : ''}`,
    concernOptions: concernOptions(),
    drafts: drafts.map((kind) => ({ kind, title: KIND_TEXT[kind as RecordingKind]?.title ?? kind })),
    flash: req.query,
  });
}

function isKind(kind: string): kind is RecordingKind {
  return (RECORDING_KINDS as readonly string[]).includes(kind);
}

/** The people an entry about this person may name: the person and the family members the user can see. */
async function peopleToName(db: Kysely<DB>, req: Request, personId: string) {
  const ctx = actorContext(req, 'record an entry');
  const view = await getPersonView(db, ctx, personId, 'chronology');
  const family = await getWholeFamily(db, ctx, view.person.id);
  const people = [{ id: view.person.id, name: view.person.name, relation: 'this person' }, ...family.members.map((m) => ({ id: m.person.id, name: m.person.name, relation: m.via ?? m.relation }))];
  const seen = new Set<string>();
  return { view, people: people.filter((p) => (seen.has(p.id) ? false : (seen.add(p.id), true))) };
}

interface FormState {
  values: Record<string, unknown>;
  errors?: FormErrors;
  labels?: string[];
  draftRestored?: Date | null;
  amend?: { eventId: string; version: number };
  status?: number;
}

async function renderForm(db: Kysely<DB>, req: Request, res: Response, kind: RecordingKind, state: FormState) {
  const { view, people } = await peopleToName(db, req, String(req.params.id));
  res.status(state.status ?? 200).render('pages/record-entry.njk', {
    ...view,
    section: 'chronology',
    kind,
    kindText: KIND_TEXT[kind],
    typeLabel: typeLabel(kind),
    people,
    // Checkbox fields come back as one value or several: always lists for the template.
    values: { ...state.values, subjects: list(state.values.subjects), participants: list(state.values.participants), concerns: list(state.values.concerns) },
    errors: state.errors,
    labels: state.labels,
    draftRestored: state.draftRestored ?? null,
    amend: state.amend ?? null,
    concernOptions: concernOptions(),
    agencyOptions: agencyOptions(),
    referralSources: REFERRAL_SOURCE_CODES,
  });
}

const reasonForm = z.object({ reason: z.string().trim().min(5, 'Enter why, in a few words').max(2000, 'Write 2,000 characters or fewer') });

/** The chronology pages, recording, amendments and exports. */
export function chronologyRoutes(db: Kysely<DB>, jobs: EvaluationJobs): RouteDef[] {
  return [
    { method: 'get', path: '/people/:id/chronology', guard: guard.signedIn, handler: (req, res) => renderChronology(db, req, res) },
    {
      method: 'get',
      path: '/people/:id/chronology/export',
      guard: RECORDERS,
      handler: async (req, res) => {
        const ctx = actorContext(req, 'export the chronology');
        const format = z.enum(['json', 'csv', 'pdf']).safeParse(req.query.format);
        if (!format.success) {
          await getPersonView(db, ctx, String(req.params.id), 'chronology');
          throw new UserFacingError('Choose a format for the export: PDF, CSV or JSON.');
        }
        const result = await exportChronology(db, ctx, String(req.params.id), { family: req.query.scope === 'family', format: format.data });
        res.setHeader('Content-Type', result.contentType);
        res.setHeader('Content-Disposition', `attachment; filename="${result.fileName}"`);
        res.send(result.body);
      },
    },
    {
      method: 'get',
      path: '/people/:id/record',
      guard: RECORDERS,
      handler: async (req, res) => {
        const ctx = actorContext(req, 'record an entry');
        const view = await getPersonView(db, ctx, String(req.params.id), 'chronology');
        const kind = typeof req.query.kind === 'string' ? req.query.kind : undefined;
        if (kind && isKind(kind)) return res.redirect(303, `/people/${view.person.id}/record/${kind}`);
        res.status(kind ? 400 : 200).render('pages/record-choose.njk', { ...view, section: 'chronology', kinds: RECORDING_KINDS.map((k) => ({ value: k, ...KIND_TEXT[k] })), errors: kind ? { summary: [{ text: 'Select what you are recording', href: '#kind' }], fields: { kind: { text: 'Select what you are recording' } } } : undefined });
      },
    },
    {
      method: 'get',
      path: '/people/:id/record/:kind',
      guard: RECORDERS,
      handler: async (req, res) => {
        const kind = String(req.params.kind);
        if (!isKind(kind)) throw new NotFoundError();
        const draft = await loadDraft(db, actorContext(req, 'record an entry'), String(req.params.id), kind);
        const [y, m, d] = todayInLondon().split('-');
        const fresh = { subjects: [String(req.params.id)], 'date-day': String(Number(d)), 'date-month': String(Number(m)), 'date-year': y };
        await renderForm(db, req, res, kind, { values: draft?.content ?? fresh, draftRestored: draft?.updatedAt ?? null });
      },
    },
    {
      method: 'post',
      path: '/people/:id/record/:kind',
      guard: RECORDERS,
      handler: async (req, res) => {
        const kind = String(req.params.kind);
        if (!isKind(kind)) throw new NotFoundError();
        const parsed = parseEntryForm(kind, req.body);
        if (parsed.ok === false) return renderForm(db, req, res, kind, { values: req.body as Record<string, unknown>, errors: formErrors(parsed.error), status: 400 });
        if (parsed.ok === 'confirm-labels') return renderForm(db, req, res, kind, { values: req.body as Record<string, unknown>, labels: parsed.labels, status: 200 });
        const ctx = actorContext(req, 'record an entry');
        const saved = await recordEntry(db, ctx, parsed.entry);
        await jobs.peopleChanged(ctx.partnershipId, { personIds: [...parsed.entry.subjects, ...(parsed.entry.participants ?? [])] });
        res.redirect(303, `/people/${String(req.params.id)}/chronology?recorded=${encodeURIComponent(saved.id)}#entry-${saved.id}`);
      },
    },
    {
      method: 'post',
      path: '/people/:id/record/:kind/draft',
      guard: RECORDERS,
      handler: async (req, res) => {
        const kind = String(req.params.kind);
        if (!isKind(kind)) throw new NotFoundError();
        const { _csrf, ...content } = req.body as Record<string, unknown>;
        void _csrf;
        await saveDraft(db, actorContext(req, 'keep a draft'), String(req.params.id), kind, content);
        if (req.is('application/json') || req.get('accept')?.includes('application/json')) return res.status(204).end();
        res.redirect(303, `/people/${String(req.params.id)}/record/${kind}?saved=draft`);
      },
    },
    {
      method: 'get',
      path: '/people/:id/entries/:eventId',
      guard: guard.signedIn,
      handler: async (req, res) => {
        const ctx = actorContext(req, 'read an entry’s history');
        const view = await getPersonView(db, ctx, String(req.params.id), 'chronology');
        const history = await entryHistory(db, ctx, String(req.params.eventId));
        const own = await entryForAmendment(db, ctx, String(req.params.eventId)).then(
          () => true,
          () => false,
        );
        res.render('pages/entry-history.njk', { ...view, section: 'chronology', history, eventId: String(req.params.eventId), canAmend: own && req.user!.roles.some((r) => ['practitioner', 'manager', 'front-door'].includes(r)), values: {}, flash: req.query });
      },
    },
    {
      method: 'get',
      path: '/people/:id/entries/:eventId/amend',
      guard: RECORDERS,
      handler: async (req, res) => {
        const entry = await entryForAmendment(db, actorContext(req, 'amend an entry'), String(req.params.eventId));
        if (entry.status !== 'current') throw new NotFoundError();
        await renderForm(db, req, res, entry.kind, { values: formValuesOf(entry), amend: { eventId: String(req.params.eventId), version: entry.version } });
      },
    },
    {
      method: 'post',
      path: '/people/:id/entries/:eventId/amend',
      guard: RECORDERS,
      handler: async (req, res) => {
        const ctx = actorContext(req, 'amend an entry');
        const entry = await entryForAmendment(db, ctx, String(req.params.eventId));
        const amend = { eventId: String(req.params.eventId), version: entry.version };
        const parsed = parseEntryForm(entry.kind, { ...(req.body as object), labelsConfirmed: 'yes' });
        const reason = reasonForm.safeParse(req.body);
        if (parsed.ok !== true || !reason.success) {
          const errors = parsed.ok === false ? formErrors(parsed.error) : { summary: [], fields: {} };
          if (!reason.success) {
            const r = formErrors(reason.error);
            errors.summary.push(...r.summary);
            Object.assign(errors.fields, r.fields);
          }
          return renderForm(db, req, res, entry.kind, { values: req.body as Record<string, unknown>, errors, amend, status: 400 });
        }
        await amendEntry(db, ctx, String(req.params.eventId), parsed.entry, reason.data.reason);
        await jobs.peopleChanged(ctx.partnershipId, { personIds: [...parsed.entry.subjects, ...entry.subjects] });
        res.redirect(303, `/people/${String(req.params.id)}/entries/${String(req.params.eventId)}?amended=1`);
      },
    },
    {
      method: 'post',
      path: '/people/:id/entries/:eventId/entered-in-error',
      guard: RECORDERS,
      handler: async (req, res) => {
        const ctx = actorContext(req, 'correct an entry');
        const parsed = reasonForm.safeParse(req.body);
        if (!parsed.success) {
          const view = await getPersonView(db, ctx, String(req.params.id), 'chronology');
          const history = await entryHistory(db, ctx, String(req.params.eventId));
          return res.status(400).render('pages/entry-history.njk', { ...view, section: 'chronology', history, eventId: String(req.params.eventId), canAmend: true, errors: formErrors(parsed.error), values: req.body });
        }
        await markEnteredInError(db, ctx, String(req.params.eventId), parsed.data.reason);
        await jobs.peopleChanged(ctx.partnershipId, { personIds: [String(req.params.id)] });
        res.redirect(303, `/people/${String(req.params.id)}/entries/${String(req.params.eventId)}?error=1`);
      },
    },
  ];
}
