/**
 * The timeline picture's layout: the pure geometry of the picture case reviews draw by hand (periods
 * of universal services, early help, child in need, child protection and care as bands, one lane per
 * person; key events as marks above the bands; years or months along the bottom; a key). Rendering
 * is elsewhere and shares this one layout: `timeline-svg.ts` for the page, the PDF export for print,
 * so the page and the printout cannot disagree.
 *
 * Conventions:
 * - Days are `YYYY-MM-DD` strings turned into UTC epoch day numbers (`src/calendar/days.ts`), never
 *   local-time Date objects, so the clocks changing and the server's time zone cannot move a band.
 *   A day is a column of the plot: a band covers whole days, from the left edge of its first day to
 *   the right edge of its last; a mark sits in the middle of its day.
 * - Bands differ by colour, by a hatching pattern (none, vertical, diagonal, cross-hatch,
 *   horizontal), by their name written in them when there is room, and by the key. Outline and
 *   hatching colours have at least 3:1 contrast against white and against the band's tint (WCAG 2.2
 *   AA non-text contrast); text is near-black on white or on the tints.
 * - Marks differ by shape (and fill), not only by colour. Marks close together in a row are grouped:
 *   one shape per kind, stacked upwards, with "×N" beside it for N events; past four kinds the top of
 *   the stack reads "+N" for the rest. The grouping coarsens until the whole picture has at most
 *   MAX_GLYPHS shapes, so 10,000 events still make a small picture; the list (`describeTimeline`)
 *   has every one.
 * - Bands and marks outside the range, or with dates that are not real days, are not drawn; they are
 *   counted in `stats`. Bands are clipped to the range, and an edge that continues past it (or a band
 *   still open) is drawn without its end line.
 */
import { isDay, toEpochDay } from '../calendar/days.js';
import { ukDate } from '../shared/uk-date.js';

/** A calendar day, `YYYY-MM-DD`. */
export type Day = string;

/** The kinds of service period a band can show, from least to most intervention. */
export type BandKind = 'universal' | 'early-help' | 'child-in-need' | 'child-protection' | 'looked-after';

/** A period of service for one person. */
export interface TimelineBand {
  kind: BandKind;
  from: Day;
  /** Null while still open: the band runs to the end of the range. */
  to: Day | null;
  /** e.g. "Child protection plan (neglect)". */
  label: string;
}

/** One row of the picture: a person, with their periods of service. */
export interface TimelineLane {
  /** A person's name, e.g. "Child B (born 2017)"; or "Family". */
  label: string;
  bands: TimelineBand[];
}

/** The kinds of key event a mark can show. */
export type MarkKind = 'significant' | 'incident' | 'referral' | 'contact' | 'pregnancy' | 'birth' | 'move' | 'police' | 'ed-attendance' | 'alert' | 'other';

/** A key event. */
export interface TimelineMark {
  date: Day;
  kind: MarkKind;
  /** Plain words, e.g. "Referral to children's social care". */
  label: string;
  /** Index into lanes; absent (or not a lane) = the family-wide row. */
  lane?: number;
  eventId?: string;
}

/** What the picture shows. */
export interface TimelineInput {
  title: string;
  from: Day;
  to: Day;
  lanes: TimelineLane[];
  marks: TimelineMark[];
}

/** Hatching drawn over a band's tint, so kinds differ without colour. */
export type BandPattern = 'none' | 'vertical' | 'diagonal' | 'cross' | 'horizontal';

/** The shapes marks are drawn with. */
export type MarkShape = 'star' | 'triangle' | 'diamond' | 'ring' | 'triangle-down' | 'disc' | 'arrow' | 'square' | 'plus' | 'cross' | 'dash';

/** How a band kind is drawn and named. */
export interface BandStyle {
  /** Name in the key, e.g. "Child protection plan". */
  name: string;
  /** Written in a band too narrow for its own label; empty for none. */
  short: string;
  /** Outline and hatching: at least 3:1 against white and against `fill`. */
  stroke: string;
  /** Light tint behind the hatching; near-black text on it has at least 4.5:1. */
  fill: string;
  pattern: BandPattern;
}

/** How a mark kind is drawn and named. */
export interface MarkStyle {
  name: string;
  plural: string;
  shape: MarkShape;
  /** At least 3:1 against white. */
  colour: string;
  /** Filled, or an outline on white (a second way, besides shape, to tell marks apart). */
  filled: boolean;
}

/** Kinds in the order bands are keyed and described. */
export const BAND_KINDS: readonly BandKind[] = ['universal', 'early-help', 'child-in-need', 'child-protection', 'looked-after'];

/** Kinds in the order marks are stacked (bottom first), keyed and described: the gravest first. */
export const MARK_KINDS: readonly MarkKind[] = ['significant', 'incident', 'alert', 'police', 'ed-attendance', 'referral', 'contact', 'birth', 'pregnancy', 'move', 'other'];

/** Colours are GOV.UK Frontend's palette, so the picture matches the pages around it. */
export const BAND_STYLES: Readonly<Record<BandKind, BandStyle>> = {
  universal: { name: 'Universal services', short: '', stroke: '#505a5f', fill: '#f3f2f1', pattern: 'none' },
  'early-help': { name: 'Early help', short: 'EH', stroke: '#00703c', fill: '#e6f2eb', pattern: 'vertical' },
  'child-in-need': { name: 'Child in need', short: 'CIN', stroke: '#1d70b8', fill: '#e8f1f8', pattern: 'diagonal' },
  'child-protection': { name: 'Child protection plan', short: 'CP', stroke: '#d4351c', fill: '#fcefec', pattern: 'cross' },
  'looked-after': { name: 'Looked after (in care)', short: 'Care', stroke: '#4c2c92', fill: '#efebf6', pattern: 'horizontal' },
};

/** Mark styles by kind. */
export const MARK_STYLES: Readonly<Record<MarkKind, MarkStyle>> = {
  significant: { name: 'Significant event', plural: 'significant events', shape: 'star', colour: '#0b0c0c', filled: true },
  incident: { name: 'Serious incident', plural: 'serious incidents', shape: 'triangle', colour: '#d4351c', filled: true },
  alert: { name: 'Alert raised', plural: 'alerts raised', shape: 'cross', colour: '#942514', filled: true },
  police: { name: 'Police incident', plural: 'police incidents', shape: 'square', colour: '#003078', filled: true },
  'ed-attendance': { name: 'Emergency department attendance', plural: 'emergency department attendances', shape: 'plus', colour: '#a8244f', filled: true },
  referral: { name: 'Referral', plural: 'referrals', shape: 'diamond', colour: '#1d70b8', filled: true },
  contact: { name: 'Contact', plural: 'contacts', shape: 'ring', colour: '#1d70b8', filled: false },
  birth: { name: 'Birth', plural: 'births', shape: 'disc', colour: '#00703c', filled: true },
  pregnancy: { name: 'Pregnancy', plural: 'pregnancies', shape: 'triangle-down', colour: '#912b88', filled: false },
  move: { name: 'House move', plural: 'house moves', shape: 'arrow', colour: '#594d00', filled: true },
  other: { name: 'Other key event', plural: 'other key events', shape: 'dash', colour: '#505a5f', filled: true },
};

/** Near-black text, as GOV.UK Frontend. */
export const TIMELINE_INK = '#0b0c0c';
/** Grid lines and row baselines: decoration, the ticks and labels carry the information. */
export const TIMELINE_GRID = '#b1b4b6';
/** Text size of every label (user units; the SVG is drawn 1:1 at the default width). */
export const TIMELINE_FONT_SIZE = 14;

/** A band as drawn: a rectangle clipped to the range. */
export interface TimelineBandRect {
  kind: BandKind;
  label: string;
  x: number;
  y: number;
  width: number;
  height: number;
  /** The band began before the range: no left edge is drawn. */
  continuesBefore: boolean;
  /** The band ends after the range or is still open: no right edge is drawn. */
  continuesAfter: boolean;
  /** Text written in the band on a white chip, or null when even the short name does not fit. */
  text: { value: string; x: number; baseline: number; chip: { x: number; y: number; width: number; height: number } } | null;
}

/** One mark shape (standing for `count` events of one kind on or near its day). */
export interface TimelineGlyph {
  kind: MarkKind;
  shape: MarkShape;
  /** Centre. */
  x: number;
  y: number;
  size: number;
  count: number;
  /** First and last day of the events it stands for. */
  from: Day;
  to: Day;
  /** "×N" written to the right of the shape when it stands for more than one event. */
  countText: { value: string; x: number; baseline: number } | null;
}

/** "+N" at the top of a stack with more kinds than fit. */
export interface TimelineOverflow {
  x: number;
  baseline: number;
  value: string;
  count: number;
}

/** A row: the family-wide marks, or one lane. */
export interface TimelineRow {
  /** Lane index, or null for the family-wide row. */
  lane: number | null;
  label: string;
  /** The label as drawn, wrapped to the label column; baselines in `labelBaselines`. */
  labelLines: string[];
  labelBaselines: number[];
  top: number;
  bottom: number;
  /** The line marks stand on (the top of the bands; the row's foot when it has no bands). */
  baseline: number;
  bands: TimelineBandRect[];
}

/** A tick on the time axis. */
export interface TimelineTick {
  x: number;
  /** Empty for a minor tick; one or two lines (e.g. ["Jan", "2020"]). */
  label: string[];
  major: boolean;
}

/** An entry in the key. */
export type TimelineLegendItem =
  | { type: 'band'; kind: BandKind; x: number; y: number; width: number; height: number; label: string; textX: number; baseline: number }
  | { type: 'mark'; kind: MarkKind; x: number; y: number; size: number; label: string; textX: number; baseline: number }
  | { type: 'count'; x: number; baseline: number; sample: string; label: string; textX: number };

/** The whole picture's geometry, in user units with the origin at the top left. */
export interface TimelineLayout {
  /** Base for element ids (unique per picture on a page). */
  id: string;
  width: number;
  height: number;
  /** Text alternative: short title and a summary description. */
  title: string;
  desc: string;
  from: Day;
  to: Day;
  /** The time area: x to x + width, top to bottom (the axis line). */
  plot: { x: number; width: number; top: number; bottom: number };
  ticks: TimelineTick[];
  /** Baseline of the first line of tick labels. */
  tickBaseline: number;
  rows: TimelineRow[];
  glyphs: TimelineGlyph[];
  overflows: TimelineOverflow[];
  legend: TimelineLegendItem[];
  /** Baseline of "Key" above the legend. */
  legendBaseline: number;
  /** Written across the plot when there is nothing to draw. */
  message: { value: string; x: number; baseline: number } | null;
  stats: {
    /** Marks drawn (inside the range, on a real day). */
    marks: number;
    /** Marks left out: outside the range, or not on a real day. */
    marksOutside: number;
    bandsOutside: number;
    /** Shapes and "+N"s drawn for the marks: at most MAX_GLYPHS, or one stack (four) per row when the rows alone need more. */
    glyphs: number;
    /** True when some shape stands for more than one event. */
    grouped: boolean;
  };
}

/** Options for `layoutTimeline`. */
export interface TimelineLayoutOptions {
  /** Width in user units (default 1000, at least 480). */
  width?: number;
  /** Base for element ids when a page shows more than one picture (default "timeline"). */
  id?: string;
}

const DEFAULT_WIDTH = 1000;
const MIN_WIDTH = 480;
const MAX_WIDTH = 4000;
const MARGIN = 16;
/** Room right of the plot for the last tick label's second half and the last stack's "×N". */
const RIGHT_PAD = 48;
const FONT = TIMELINE_FONT_SIZE;
const LINE_H = 18;
const TRACK_H = 28;
const GLYPH = 12;
const SLOT = 18;
const MAX_STACK = 4;
const ROW_GAP = 12;
const CLUSTER_GAP = 6;
/** Shapes the whole picture may hold before grouping coarsens (the output-size bound). */
export const MAX_GLYPHS = 300;

// Helvetica's advance widths (per 1000 em) for printable ASCII; Arial has the same metrics. Used to
// fit labels in bands, wrap lane names and flow the key the same way on screen and in the PDF
// (which draws with Helvetica). Other characters count as a wide-ish 600, so estimates err on room.
const HELVETICA_WIDTHS = [
  278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278, 556, 556, 556, 556, 556, 556, 556, 556, 556, 556, 278, 278, 584, 584, 584, 556,
  1015, 667, 667, 722, 722, 667, 611, 778, 722, 278, 500, 667, 556, 833, 722, 778, 667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 278, 278, 278, 469, 556,
  333, 556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500, 222, 833, 556, 556, 556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500, 334, 260, 334, 584,
];

/** Estimated width of `text` in Helvetica/Arial at `size`. */
export function textWidth(text: string, size: number = FONT): number {
  let units = 0;
  for (let i = 0; i < text.length; i += 1) units += HELVETICA_WIDTHS[text.charCodeAt(i) - 32] ?? 600;
  return (units * size) / 1000;
}

const r1 = (v: number): number => Math.round(v * 10) / 10;

/** Splits text into lines no wider than `width`, breaking at spaces; a word too long for a line is broken. */
function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.trim().split(/\s+/).filter(Boolean)) {
    const candidate = line ? `${line} ${word}` : word;
    if (textWidth(candidate) <= width) { line = candidate; continue; }
    if (line) lines.push(line);
    let rest = word;
    while (textWidth(rest) > width) {
      let n = rest.length - 1;
      while (n > 1 && textWidth(rest.slice(0, n)) > width) n -= 1;
      lines.push(rest.slice(0, n));
      rest = rest.slice(n);
    }
    line = rest;
  }
  if (line) lines.push(line);
  return lines.length ? lines : [''];
}

/** Epoch day of a real day, or null: record data may hold anything, and one bad date must not stop the picture. */
function epoch(day: unknown): number | null {
  return isDay(day) ? toEpochDay(day) : null;
}

/** The range as epoch days, first ≤ last; a reversed range is put the right way round. */
function rangeOf(input: TimelineInput): { first: number; last: number; from: Day; to: Day } {
  const a = epoch(input.from);
  const b = epoch(input.to);
  if (a === null || b === null) throw new RangeError(`The timeline's range must be two calendar days (YYYY-MM-DD), not ${JSON.stringify(input.from)} to ${JSON.stringify(input.to)}`);
  return a <= b ? { first: a, last: b, from: input.from, to: input.to } : { first: b, last: a, from: input.to, to: input.from };
}

interface ClippedBand { band: TimelineBand; lane: number; start: number; end: number; before: boolean; after: boolean }

/** Bands overlapping the range, clipped to it (epoch days, inclusive). */
function clipBands(input: TimelineInput, first: number, last: number): { bands: ClippedBand[]; outside: number } {
  const bands: ClippedBand[] = [];
  let outside = 0;
  input.lanes.forEach((lane, index) => {
    for (const band of lane.bands) {
      const from = epoch(band.from);
      const to = band.to === null ? last : epoch(band.to);
      if (from === null || to === null || to < from || to < first || from > last || !BAND_STYLES[band.kind]) { outside += 1; continue; }
      bands.push({ band, lane: index, start: Math.max(from, first), end: Math.min(to, last), before: from < first, after: band.to === null || to > last });
    }
  });
  bands.sort((p, q) => p.lane - q.lane || p.start - q.start || p.end - q.end || BAND_KINDS.indexOf(p.band.kind) - BAND_KINDS.indexOf(q.band.kind) || (p.band.label < q.band.label ? -1 : p.band.label > q.band.label ? 1 : 0));
  return { bands, outside };
}

interface PlacedMark { mark: TimelineMark; day: number; row: number; kindIndex: number }

const laneOf = (mark: TimelineMark, lanes: number): number | null =>
  mark.lane !== undefined && Number.isInteger(mark.lane) && mark.lane >= 0 && mark.lane < lanes ? mark.lane : null;

/** Orders marks by day, then row, then gravity, then label and id: the same whatever order they arrive in. */
function compareMarks(p: PlacedMark, q: PlacedMark): number {
  return p.day - q.day || p.row - q.row || p.kindIndex - q.kindIndex || cmp(p.mark.label, q.mark.label) || cmp(p.mark.eventId ?? '', q.mark.eventId ?? '');
}
const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** Marks inside the range, by day. Row -1 is the family-wide row; 0… are lanes. */
function placeMarks(input: TimelineInput, first: number, last: number): { marks: PlacedMark[]; outside: number } {
  const marks: PlacedMark[] = [];
  let outside = 0;
  for (const mark of input.marks) {
    const day = epoch(mark.date);
    const kindIndex = MARK_KINDS.indexOf(mark.kind);
    if (day === null || day < first || day > last) { outside += 1; continue; }
    marks.push({ mark, day, row: laneOf(mark, input.lanes.length) ?? -1, kindIndex: kindIndex < 0 ? MARK_KINDS.length - 1 : kindIndex });
  }
  marks.sort(compareMarks);
  return { marks, outside };
}

interface Cluster { start: number; end: number; x: number; counts: number[] }

interface Slot { kind: MarkKind | null; count: number; text: string | null }

/** A cluster's stack, bottom first: one slot per kind, and "+N" in the last slot past MAX_STACK kinds. */
function slotsOf(counts: readonly number[]): Slot[] {
  const slots: Slot[] = [];
  let rest = 0;
  counts.forEach((count, k) => {
    if (!count) return;
    if (slots.length < MAX_STACK) slots.push({ kind: MARK_KINDS[k]!, count, text: count > 1 ? `×${count}` : null });
    else rest += count;
  });
  if (rest > 0) {
    const last = slots.pop()!;
    rest += last.count;
    slots.push({ kind: null, count: rest, text: `+${rest}` });
  }
  return slots;
}

/**
 * How far along the next stack must start: from this stack's centre, past its right edge (the shape
 * and its widest "×N", or the "+N" written from the shape's left edge), and a gap, to the next
 * shape's centre.
 */
function extent(counts: readonly number[]): number {
  let right = GLYPH / 2;
  for (const slot of slotsOf(counts)) {
    if (!slot.text) continue;
    // "+N" is bold: about a tenth wider than the regular widths.
    right = Math.max(right, slot.kind === null ? textWidth(slot.text) * 1.1 - GLYPH / 2 : GLYPH / 2 + 3 + textWidth(slot.text));
  }
  return right + CLUSTER_GAP + GLYPH / 2;
}

/**
 * Groups one row's marks (sorted by x) into stacks, left to right. A stack takes the marks from its
 * first, x0, up to x0 + L, where L is the larger of `window` and the room its own stack needs
 * (which grows as its counts do); it is drawn at the middle of its marks, moved left as far as
 * needed (never left of x0) for the next stack to fit. So a shape is never drawn away from the
 * events it stands for by more than its own width and count, and no two stacks overlap, without any
 * merging pass: one walk over the marks.
 */
function cluster(xs: readonly number[], kinds: readonly number[], window: number): Cluster[] {
  const out: Cluster[] = [];
  let i = 0;
  while (i < xs.length) {
    const counts: number[] = new Array<number>(MARK_KINDS.length).fill(0);
    const start = i;
    const x0 = xs[i]!;
    let room = Math.max(window, extent(counts));
    let maxCount = 0;
    let kindsSeen = 0;
    while (i < xs.length && xs[i]! < x0 + room) {
      const k = kinds[i]!;
      if (counts[k] === 0) kindsSeen += 1;
      counts[k]! += 1;
      i += 1;
      // The stack's room changes only when a new kind arrives or a count gains a digit.
      const c = counts[k]!;
      if (counts[k] === 1 || c > maxCount) {
        const digitsChanged = String(c).length !== String(maxCount).length;
        maxCount = Math.max(maxCount, c);
        if (counts[k] === 1 || digitsChanged || kindsSeen > MAX_STACK) room = Math.max(window, extent(counts));
      }
    }
    const last = xs[i - 1]!;
    const x = Math.max(x0, Math.min((x0 + last) / 2, x0 + room - extent(counts)));
    out.push({ start, end: i, x, counts });
  }
  return out;
}

const glyphCount = (clusters: readonly Cluster[]): number => clusters.reduce((n, c) => n + slotsOf(c.counts).length, 0);

const MONTHS_SHORT = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** Year, month (1-12) and day of an epoch day, by the same integer arithmetic as `src/calendar/days.ts`. */
function civil(epochDay: number): [number, number, number] {
  const z = epochDay + 719_468;
  const era = Math.floor(z / 146_097);
  const doe = z - era * 146_097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  return [yoe + era * 400 + (m <= 2 ? 1 : 0), m, d];
}

const pad2 = (n: number): string => (n < 10 ? `0${n}` : String(n));
const epochOf = (y: number, m: number, d: number): number => toEpochDay(`${String(y).padStart(4, '0')}-${pad2(m)}-${pad2(d)}`);

/**
 * Axis ticks: years over two years or more, months over two months or more, else days; labelled
 * every 1, 2, 5… years (or 1, 2, 3, 6 months; 1, 2, 7, 14 days) so labels never crowd.
 */
function ticksFor(first: number, last: number, dayX: (d: number) => number, pxPerDay: number): TimelineTick[] {
  const span = last - first + 1;
  const ticks: TimelineTick[] = [];
  const [y0, m0] = civil(first);
  const [y1, m1] = civil(last);
  if (span >= 730) {
    const perYear = pxPerDay * 365.25;
    const step = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000].find((k) => k * perYear >= 48) ?? 1000;
    for (let y = y0 + (first === epochOf(y0, 1, 1) ? 0 : 1); y <= y1; y += 1) {
      const major = y % step === 0;
      if (!major && perYear < 4) continue;
      ticks.push({ x: dayX(epochOf(y, 1, 1)), label: major ? [String(y)] : [], major });
    }
  } else if (span >= 62) {
    const perMonth = pxPerDay * 30.44;
    const step = [1, 2, 3, 6, 12].find((k) => k * perMonth >= 40) ?? 12;
    let yearShown = false;
    for (let i = y0 * 12 + m0 - 1; i <= y1 * 12 + m1 - 1; i += 1) {
      const y = Math.floor(i / 12);
      const m = (i % 12) + 1;
      const day = epochOf(y, m, 1);
      if (day < first) continue;
      const major = (m - 1) % step === 0;
      const label = major ? (m === 1 || !yearShown ? [MONTHS_SHORT[m - 1]!, String(y)] : [MONTHS_SHORT[m - 1]!]) : [];
      if (major) yearShown = true;
      ticks.push({ x: dayX(day), label, major });
    }
  } else {
    const step = [1, 2, 7, 14, 31].find((k) => k * pxPerDay >= 56) ?? 31;
    let yearShown = false;
    for (let d = first; d <= last; d += step) {
      const [y, m, dd] = civil(d);
      const label = [`${dd} ${MONTHS_SHORT[m - 1]!}`, ...(!yearShown || (m === 1 && dd <= step) ? [String(y)] : [])];
      yearShown = true;
      // A day's tick is its middle, where its marks stand.
      ticks.push({ x: dayX(d) + pxPerDay / 2, label, major: true });
    }
  }
  return ticks;
}

const plural = (n: number, one: string, many: string): string => `${n} ${n === 1 ? one : many}`;

/** The description: the range, each lane's periods (other than universal services), the events by kind. */
function summarise(input: TimelineInput, from: Day, to: Day, bands: readonly ClippedBand[], marks: readonly PlacedMark[], grouped: boolean): string {
  const parts = [`${input.title}, ${ukDate(from)} to ${ukDate(to)}.`];
  if (!input.lanes.length && !marks.length) return `${parts[0]} Nothing recorded in this period.`;
  let told = 0;
  let untold = 0;
  input.lanes.forEach((lane, index) => {
    const all = bands.filter((b) => b.lane === index);
    const own = all.filter((b) => b.band.kind !== 'universal');
    if (!own.length) { parts.push(`${lane.label}: ${all.length ? 'universal services only' : 'no periods recorded'}.`); return; }
    const said: string[] = [];
    for (const b of own) {
      if (told >= 40) { untold += 1; continue; }
      told += 1;
      said.push(`${b.band.label} ${ukDate(b.band.from)} to ${b.band.to === null ? 'now (still open)' : ukDate(b.band.to)}`);
    }
    if (said.length) parts.push(`${lane.label}: ${said.join('; ')}.`);
  });
  if (untold) parts.push(`And ${plural(untold, 'more period', 'more periods')}.`);
  if (marks.length) {
    const counts = MARK_KINDS.map((kind) => [kind, marks.filter((m) => MARK_KINDS[m.kindIndex] === kind).length] as const).filter(([, n]) => n > 0);
    parts.push(`${plural(marks.length, 'key event', 'key events')}: ${counts.map(([kind, n]) => (n === 1 ? `1 ${MARK_STYLES[kind].name.toLowerCase()}` : `${n} ${MARK_STYLES[kind].plural}`)).join(', ')}.`);
    if (grouped) parts.push('Events close together are drawn as one mark with a count.');
  } else parts.push('No key events.');
  return parts.join(' ');
}

/**
 * Lays the picture out. Pure and deterministic: the same input, in any order, gives the same layout.
 * Throws RangeError only when the range itself is not two calendar days; anything wrong inside the
 * lanes and marks is left out and counted in `stats`.
 */
export function layoutTimeline(input: TimelineInput, options: TimelineLayoutOptions = {}): TimelineLayout {
  const width = Math.round(Math.min(MAX_WIDTH, Math.max(MIN_WIDTH, options.width ?? DEFAULT_WIDTH)));
  const id = (options.id ?? 'timeline').replace(/[^A-Za-z0-9_-]/g, '_') || 'timeline';
  const { first, last, from, to } = rangeOf(input);
  const labelW = Math.round(Math.min(220, Math.max(120, width * 0.2)));
  const plotX = MARGIN + labelW;
  const plotW = width - plotX - RIGHT_PAD;
  const span = last - first + 1;
  const pxPerDay = plotW / span;
  const dayX = (d: number): number => plotX + (d - first) * pxPerDay;

  const { bands, outside: bandsOutside } = clipBands(input, first, last);
  const { marks, outside: marksOutside } = placeMarks(input, first, last);

  // Rows: the family-wide row when it has marks, then one per lane. Marks are split by row, each
  // row's x positions computed once; clustering then only walks these arrays.
  const hasFamilyRow = marks.some((m) => m.row === -1);
  const rowIds = [...(hasFamilyRow ? [-1] : []), ...input.lanes.map((_, i) => i)];
  const byRow = new Map<number, { xs: number[]; kinds: number[]; days: number[] }>(rowIds.map((r) => [r, { xs: [], kinds: [], days: [] }]));
  for (const m of marks) {
    const row = byRow.get(m.row)!;
    row.xs.push(dayX(m.day) + pxPerDay / 2);
    row.kinds.push(m.kindIndex);
    row.days.push(m.day);
  }

  let window = GLYPH + CLUSTER_GAP;
  let clusters: Map<number, Cluster[]>;
  for (;;) {
    clusters = new Map(rowIds.map((r) => { const row = byRow.get(r)!; return [r, cluster(row.xs, row.kinds, window)]; }));
    const total = [...clusters.values()].reduce((n, c) => n + glyphCount(c), 0);
    if (total <= MAX_GLYPHS || window > plotW * 2) break;
    window *= 2;
  }

  const rows: TimelineRow[] = [];
  const glyphs: TimelineGlyph[] = [];
  const overflows: TimelineOverflow[] = [];
  let grouped = false;
  let cursor = MARGIN;
  const plotTop = cursor;
  for (const r of rowIds) {
    const rowClusters = clusters.get(r)!;
    const stacks = rowClusters.map((c) => slotsOf(c.counts));
    const depth = stacks.reduce((n, s) => Math.max(n, s.length), 0);
    // Overlapping bands in one lane (early help alongside child in need, say) go on separate tracks.
    const own = bands.filter((b) => b.lane === r);
    const trackEnds: number[] = [];
    const trackOf = own.map((b) => {
      let t = trackEnds.findIndex((end) => end < b.start);
      if (t < 0) { t = trackEnds.length; trackEnds.push(b.end); } else trackEnds[t] = b.end;
      return t;
    });
    const tracks = r === -1 ? 0 : Math.max(1, trackEnds.length);
    const label = r === -1 ? 'Family' : (input.lanes[r]?.label ?? '');
    const labelLines = wrap(label, labelW - 12);
    const stackH = Math.max(depth, 1) * SLOT;
    const barTop = cursor + stackH + 4;
    const barH = tracks * TRACK_H;
    const bodyBottom = barTop + barH;
    const labelH = labelLines.length * LINE_H;
    // The label is centred on the bands (on the marks for the family row), pushed down if taller.
    const centre = tracks ? barTop + barH / 2 : barTop - stackH / 2;
    const labelTop = Math.max(cursor, centre - labelH / 2);
    const bottom = Math.max(bodyBottom, labelTop + labelH) + ROW_GAP;
    const rects: TimelineBandRect[] = own.map((b, i) => {
      const x = dayX(b.start);
      const w = Math.max(2, (b.end - b.start + 1) * pxPerDay);
      const y = barTop + trackOf[i]! * TRACK_H + 2;
      const h = TRACK_H - 4;
      const style = BAND_STYLES[b.band.kind];
      const fits = (text: string): boolean => text.length > 0 && textWidth(text) + 12 <= w;
      const value = fits(b.band.label) ? b.band.label : fits(style.short) ? style.short : null;
      const tw = value ? textWidth(value) : 0;
      return {
        kind: b.band.kind, label: b.band.label, x: r1(x), y: r1(y), width: r1(w), height: h, continuesBefore: b.before, continuesAfter: b.after,
        text: value ? { value, x: r1(x + 6), baseline: r1(y + h / 2 + 5), chip: { x: r1(x + 3), y: r1(y + 3), width: r1(tw + 6), height: h - 6 } } : null,
      };
    });
    const row = byRow.get(r)!;
    rowClusters.forEach((c, ci) => {
      const cx = r1(c.x);
      const firstDay = row.days[c.start]!;
      const lastDay = row.days[c.end - 1]!;
      stacks[ci]!.forEach((slot, si) => {
        const cy = r1(barTop - 2 - SLOT * si - SLOT / 2);
        if (slot.count > 1) grouped = true;
        if (slot.kind === null) { overflows.push({ x: r1(cx - GLYPH / 2), baseline: r1(cy + 5), value: slot.text!, count: slot.count }); return; }
        // The days of this kind in the cluster, for "first and last day" of the shape.
        let kFirst = lastDay;
        let kLast = firstDay;
        const k = MARK_KINDS.indexOf(slot.kind);
        for (let i = c.start; i < c.end; i += 1) if (row.kinds[i] === k) { kFirst = Math.min(kFirst, row.days[i]!); kLast = Math.max(kLast, row.days[i]!); }
        glyphs.push({
          kind: slot.kind, shape: MARK_STYLES[slot.kind].shape, x: cx, y: cy, size: GLYPH, count: slot.count, from: dayOf(kFirst), to: dayOf(kLast),
          countText: slot.text ? { value: slot.text, x: r1(cx + GLYPH / 2 + 3), baseline: r1(cy + 5) } : null,
        });
      });
    });
    rows.push({
      lane: r === -1 ? null : r, label, labelLines, labelBaselines: labelLines.map((_, i) => r1(labelTop + LINE_H * i + 14)),
      top: r1(cursor), bottom: r1(bottom), baseline: r1(tracks ? barTop : barTop - 2), bands: rects,
    });
    cursor = bottom;
  }

  let message: TimelineLayout['message'] = null;
  if (!rows.length) {
    message = { value: `Nothing recorded between ${ukDate(from)} and ${ukDate(to)}.`, x: r1(plotX + 4), baseline: r1(cursor + 24) };
    cursor += 40;
  }
  const plotBottom = cursor;
  const ticks = ticksFor(first, last, dayX, pxPerDay).map((t) => ({ ...t, x: r1(t.x) }));
  const tickBaseline = plotBottom + 8 + 14;
  const twoLines = ticks.some((t) => t.label.length > 1);
  cursor = tickBaseline + (twoLines ? LINE_H : 0) + 20;

  // The key: the kinds in the picture, in a fixed order, flowing left to right.
  const legend: TimelineLegendItem[] = [];
  const legendBaseline = cursor + 14;
  if (bands.length || marks.length) cursor = legendBaseline + 10;
  let lx = MARGIN;
  const place = (itemW: number): [number, number] => {
    if (lx > MARGIN && lx + itemW > width - MARGIN) { lx = MARGIN; cursor += 24; }
    const at: [number, number] = [lx, cursor];
    lx += itemW + 20;
    return at;
  };
  for (const kind of BAND_KINDS) {
    if (!bands.some((b) => b.band.kind === kind)) continue;
    const name = BAND_STYLES[kind].name;
    const [x, y] = place(32 + 6 + textWidth(name));
    legend.push({ type: 'band', kind, x, y: y + 2, width: 32, height: 16, label: name, textX: x + 38, baseline: y + 15 });
  }
  const markKinds = new Set(marks.map((m) => m.kindIndex));
  MARK_KINDS.forEach((kind, k) => {
    if (!markKinds.has(k)) return;
    const name = MARK_STYLES[kind].name;
    const [x, y] = place(GLYPH + 6 + textWidth(name));
    legend.push({ type: 'mark', kind, x: x + GLYPH / 2, y: y + 10, size: GLYPH, label: name, textX: x + GLYPH + 6, baseline: y + 15 });
  });
  if (grouped) {
    const sample = '×3';
    const label = 'events grouped at one mark (+N: further events)';
    const [x, y] = place(textWidth(sample) + 6 + textWidth(label));
    legend.push({ type: 'count', x, baseline: y + 15, sample, label, textX: x + textWidth(sample) + 6 });
  }
  if (legend.length) cursor += 24;
  const height = Math.ceil(cursor + MARGIN - 10);

  return {
    id, width, height,
    title: input.title,
    desc: summarise(input, from, to, bands, marks, grouped),
    from, to,
    plot: { x: plotX, width: r1(plotW), top: plotTop, bottom: r1(plotBottom) },
    ticks, tickBaseline: r1(tickBaseline),
    rows, glyphs, overflows, legend, legendBaseline: r1(legendBaseline), message,
    stats: { marks: marks.length, marksOutside, bandsOutside, glyphs: glyphs.length + overflows.length, grouped },
  };
}

const dayOf = (epochDay: number): Day => {
  const [y, m, d] = civil(epochDay);
  return `${String(y).padStart(4, '0')}-${pad2(m)}-${pad2(d)}`;
};

/** A mark's outline, for any renderer: a circle, or a polygon (points clockwise from the top). */
export type GlyphOutline = { type: 'circle'; cx: number; cy: number; r: number } | { type: 'polygon'; points: [number, number][] };

/** The outline of `shape` centred on (x, y) in a box `size` wide. */
export function glyphOutline(shape: MarkShape, x: number, y: number, size: number): GlyphOutline {
  const h = size / 2;
  const poly = (pts: [number, number][]): GlyphOutline => ({ type: 'polygon', points: pts.map(([px, py]) => [r1(x + px * h), r1(y + py * h)]) });
  switch (shape) {
    case 'disc':
    case 'ring':
      return { type: 'circle', cx: x, cy: y, r: r1(h * (shape === 'ring' ? 0.85 : 0.9)) };
    case 'square':
      return poly([[-0.8, -0.8], [0.8, -0.8], [0.8, 0.8], [-0.8, 0.8]]);
    case 'diamond':
      return poly([[0, -1.1], [1, 0], [0, 1.1], [-1, 0]]);
    case 'triangle':
      return poly([[0, -1], [1, 0.85], [-1, 0.85]]);
    case 'triangle-down':
      return poly([[-1, -0.85], [1, -0.85], [0, 1]]);
    case 'arrow':
      return poly([[-1, -0.35], [0.1, -0.35], [0.1, -0.9], [1, 0], [0.1, 0.9], [0.1, 0.35], [-1, 0.35]]);
    case 'plus':
      return poly([[-0.3, -1], [0.3, -1], [0.3, -0.3], [1, -0.3], [1, 0.3], [0.3, 0.3], [0.3, 1], [-0.3, 1], [-0.3, 0.3], [-1, 0.3], [-1, -0.3], [-0.3, -0.3]]);
    case 'cross': {
      // The plus turned 45 degrees.
      const c = Math.SQRT1_2;
      const plus: [number, number][] = [[-0.3, -1], [0.3, -1], [0.3, -0.3], [1, -0.3], [1, 0.3], [0.3, 0.3], [0.3, 1], [-0.3, 1], [-0.3, 0.3], [-1, 0.3], [-1, -0.3], [-0.3, -0.3]];
      return poly(plus.map(([px, py]) => [(px - py) * c, (px + py) * c]));
    }
    case 'dash':
      return poly([[-1, -0.3], [1, -0.3], [1, 0.3], [-1, 0.3]]);
    case 'star': {
      const pts: [number, number][] = [];
      for (let i = 0; i < 10; i += 1) {
        const a = (Math.PI / 5) * i - Math.PI / 2;
        const rad = i % 2 === 0 ? 1.1 : 0.45;
        pts.push([Math.cos(a) * rad, Math.sin(a) * rad]);
      }
      return poly(pts);
    }
  }
}

/** Line segments of a hatching pattern over a rectangle, clipped to it (for renderers without pattern fills). */
export function hatchSegments(pattern: BandPattern, x: number, y: number, w: number, h: number, step = 8): [number, number, number, number][] {
  const out: [number, number, number, number][] = [];
  if (pattern === 'vertical') for (let px = x + step / 2; px < x + w; px += step) out.push([r1(px), y, r1(px), y + h]);
  if (pattern === 'horizontal') for (let py = y + step / 2; py < y + h; py += step) out.push([x, r1(py), x + w, r1(py)]);
  if (pattern === 'diagonal' || pattern === 'cross') {
    // Lines x + y = c (rising to the right, "/"), clipped to the rectangle; the cross adds x − y = c.
    for (let c = x + y + step / 2; c < x + w + y + h; c += step) {
      const x1 = Math.max(x, c - (y + h));
      const x2 = Math.min(x + w, c - y);
      if (x2 > x1) out.push([r1(x1), r1(c - x1), r1(x2), r1(c - x2)]);
    }
    if (pattern === 'cross') {
      for (let c = x - (y + h) + step / 2; c < x + w - y; c += step) {
        const x1 = Math.max(x, c + y);
        const x2 = Math.min(x + w, c + y + h);
        if (x2 > x1) out.push([r1(x1), r1(x1 - c), r1(x2), r1(x2 - c)]);
      }
    }
  }
  return out;
}

/**
 * The same information as a list, for screen readers and print: one line per band (lanes' periods
 * overlapping the range, with their real dates) and one per mark inside the range, each in date order.
 */
export function describeTimeline(input: TimelineInput): { bands: { lane: string; text: string }[]; marks: { date: Day; text: string }[] } {
  const { first, last } = rangeOf(input);
  const { bands } = clipBands(input, first, last);
  const { marks } = placeMarks(input, first, last);
  const ordered = [...bands].sort((p, q) => (epoch(p.band.from)! - epoch(q.band.from)!) || p.lane - q.lane || p.end - q.end || BAND_KINDS.indexOf(p.band.kind) - BAND_KINDS.indexOf(q.band.kind));
  return {
    bands: ordered.map((b) => ({
      lane: input.lanes[b.lane]?.label ?? '',
      text: `${b.band.label}: ${ukDate(b.band.from)} to ${b.band.to === null ? 'now (still open)' : ukDate(b.band.to)}`,
    })),
    // Family-wide marks are row -1, so on a shared day they come before each lane's.
    marks: marks.map((m) => ({ date: m.mark.date, text: `${m.row === -1 ? 'Family' : (input.lanes[m.row]?.label ?? '')}: ${m.mark.label}` })),
  };
}
