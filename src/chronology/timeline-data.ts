// What the timeline picture shows, worked out from the chronology's events: for each child a lane
// of service periods (universal services where no plan held; early help, child in need, child
// protection and care as bands) and key events as marks (referrals and contacts, police
// incidents, emergency attendances, pregnancies, births, moves, serious incidents and anything
// marked significant). Pure; the layout and drawing are timeline.ts and timeline-svg.ts.
import { addDays, type Day } from '../calendar/days.js';
import { planName, typeLabel } from './event-labels.js';
import type { BandKind, MarkKind, TimelineBand, TimelineInput, TimelineLane, TimelineMark } from './timeline.js';

/** An event as the picture needs it. */
export interface TimelineEvent {
  id: string;
  type: string;
  date: Day;
  significant: boolean;
  /** The people in scope it is about. */
  persons: readonly string[];
  details: Readonly<Record<string, unknown>> | null;
  /** An event id this one answers (a plan end's plan start). */
  about?: readonly string[];
}

/** A person who gets a lane. */
export interface TimelinePerson {
  id: string;
  label: string;
  /** Where the lane's universal period starts (date of birth, or the first event). */
  from: Day | null;
}

const BAND_OF_PLAN: Readonly<Record<string, BandKind>> = {
  'early-help': 'early-help',
  'child-in-need': 'child-in-need',
  'child-protection': 'child-protection',
  'looked-after': 'looked-after',
};

const MARK_OF_TYPE: Readonly<Record<string, MarkKind>> = {
  referral: 'referral',
  contact: 'contact',
  pregnancy: 'pregnancy',
  birth: 'birth',
  move: 'move',
  'police-incident': 'police',
  'ed-attendance': 'ed-attendance',
  incident: 'incident',
};

/** The plan bands of one person: each plan start paired with its end (by `about`, else the next end of the same plan). */
export function planBands(events: readonly TimelineEvent[], person: string): TimelineBand[] {
  const own = events.filter((e) => e.persons.includes(person));
  const starts = own.filter((e) => e.type === 'plan-start');
  const ends = own.filter((e) => e.type === 'plan-end');
  const used = new Set<string>();
  const bands: TimelineBand[] = [];
  for (const start of starts) {
    const plan = String(start.details?.plan ?? '');
    const kind = BAND_OF_PLAN[plan];
    if (!kind) continue;
    const end =
      ends.find((e) => !used.has(e.id) && (e.about ?? []).includes(start.id)) ??
      ends.find((e) => !used.has(e.id) && e.date >= start.date && String(e.details?.plan ?? '') === plan && !(e.about ?? []).some((a) => starts.some((s) => s.id === a && s.id !== start.id)));
    if (end) used.add(end.id);
    bands.push({ kind, from: start.date, to: end?.date ?? null, label: planName(plan, start.details?.category).replace(/^./, (c) => c.toUpperCase()) });
  }
  return bands;
}

/** Fills the gaps between plans with universal-services bands, from `from` to `to`. */
function withUniversal(bands: TimelineBand[], from: Day, to: Day): TimelineBand[] {
  const sorted = [...bands].sort((a, b) => (a.from < b.from ? -1 : 1));
  const out: TimelineBand[] = [];
  let cursor = from;
  for (const b of sorted) {
    if (b.from > cursor) out.push({ kind: 'universal', from: cursor, to: addDays(b.from, -1), label: 'Universal services' });
    out.push(b);
    const end = b.to ?? to;
    if (end >= cursor) cursor = addDays(end, 1);
  }
  if (cursor <= to) out.push({ kind: 'universal', from: cursor, to, label: 'Universal services' });
  return out;
}

function markLabel(e: TimelineEvent): string {
  if (e.type === 'referral' || e.type === 'contact') {
    const to = typeof e.details?.to === 'string' ? ` to ${e.details.to.replace(/-/g, ' ')}` : '';
    return `${typeLabel(e.type)}${to}`;
  }
  if (e.type === 'ed-attendance' && typeof e.details?.reason === 'string') return `Emergency department (${e.details.reason})`;
  if (e.type === 'police-incident' && typeof e.details?.kind === 'string') return `Police incident (${e.details.kind.replace(/-/g, ' ')})`;
  return typeLabel(e.type);
}

/**
 * The picture's input: one lane per person (children first, as given), bands of their plans over
 * universal services, and marks for key events (a family-wide mark when it is about several lanes).
 */
export function timelineInput(title: string, people: readonly TimelinePerson[], events: readonly TimelineEvent[], range: { from: Day; to: Day }): TimelineInput {
  const lanes: TimelineLane[] = people.map((p) => {
    const start = p.from && p.from > range.from ? p.from : range.from;
    return { label: p.label, bands: withUniversal(planBands(events, p.id), start, range.to) };
  });
  const laneOf = new Map(people.map((p, i) => [p.id, i]));
  const marks: TimelineMark[] = [];
  for (const e of events) {
    const kind = MARK_OF_TYPE[e.type] ?? (e.significant ? 'significant' : null);
    if (!kind) continue;
    const inLanes = e.persons.map((p) => laneOf.get(p)).filter((i): i is number => i !== undefined);
    const lane = inLanes.length === 1 ? inLanes[0] : undefined;
    marks.push({ date: e.date, kind, label: markLabel(e), eventId: e.id, ...(lane !== undefined ? { lane } : {}) });
  }
  return { title, from: range.from, to: range.to, lanes, marks };
}
