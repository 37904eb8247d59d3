// School attendance: the DfE register codes (from 19 August 2024; shared reference
// uk-standards.md section 4) and the summary of a pupil's marks over each half term as an
// exchange `attendance-summary` event. Pure: the marks come from the attendance CSV feed, the half
// terms from the partnership's settings; no clock is read, so the same marks always give the same
// events.
//
// The DfE statistics count a pupil's own possible sessions: present and approved educational
// activity count as attended; authorised and unauthorised absence as absent; the "not a possible
// session" codes (dual registration elsewhere, transport not provided, school closed, not of
// compulsory school age ...) are left out. Overall absence of 10% or more of possible sessions is
// persistent absence, and 50% or more severe absence.
import { quote } from '../exchange-issues.js';
import { halfTermOf, type Day, type HalfTerm } from './school-terms.js';

/** What a register code counts as. */
export type AttendanceCategory = 'present' | 'approved-activity' | 'authorised' | 'unauthorised' | 'not-possible';

/** Every register code in use from 19 August 2024, and what it counts as. */
export const ATTENDANCE_CODES = {
  '/': 'present',
  '\\': 'present',
  L: 'present',
  K: 'approved-activity',
  V: 'approved-activity',
  P: 'approved-activity',
  W: 'approved-activity',
  B: 'approved-activity',
  C1: 'authorised',
  C2: 'authorised',
  C: 'authorised',
  M: 'authorised',
  J1: 'authorised',
  S: 'authorised',
  T: 'authorised',
  R: 'authorised',
  I: 'authorised',
  E: 'authorised',
  G: 'unauthorised',
  N: 'unauthorised',
  O: 'unauthorised',
  U: 'unauthorised',
  D: 'not-possible',
  Q: 'not-possible',
  Y1: 'not-possible',
  Y2: 'not-possible',
  Y3: 'not-possible',
  Y4: 'not-possible',
  Y5: 'not-possible',
  Y6: 'not-possible',
  Y7: 'not-possible',
  X: 'not-possible',
  Z: 'not-possible',
  '#': 'not-possible',
} as const satisfies Record<string, AttendanceCategory>;

/** A register code in use from 19 August 2024. */
export type AttendanceCode = keyof typeof ATTENDANCE_CODES;

/** Codes withdrawn in 2024 (or earlier), and what replaced them: a register export holding one is out of date, not guessed at. */
export const WITHDRAWN_ATTENDANCE_CODES: Readonly<Record<string, string>> = {
  H: 'agreed holiday; withdrawn in 2024 (leave is now C, an unauthorised holiday G)',
  J: 'interview; withdrawn in 2024 (now J1)',
  Y: 'unable to attend, exceptional circumstances; withdrawn in 2024 (now Y1 to Y7)',
  F: 'extended holiday; withdrawn (an unauthorised holiday is G)',
};

/** True when `code` is a register code in use. */
export function isAttendanceCode(code: string): code is AttendanceCode {
  return Object.prototype.hasOwnProperty.call(ATTENDANCE_CODES, code);
}

/** One register mark: a pupil's code for one session (a morning or an afternoon). */
export interface AttendanceMark {
  /** The line of the CSV row it came from. */
  line: number;
  /** The pupil's record id, as the feed yielded it. */
  pupil: string;
  /** The pupil's identifier in the feed (the UPN, else the school's pupil id), used in the summary's id. */
  pupilKey: string;
  date: Day;
  session: 'AM' | 'PM';
  code: AttendanceCode;
}

/** Options for {@link summariseAttendance}. */
export interface AttendanceSummaryOptions {
  /** The source id: the events' `source`, and the prefix of their ids. */
  source: string;
  /** The events' `setting`. */
  setting: 'school' | 'early-years';
}

/** A mark that was not counted: its line, the column, and why. */
export interface AttendanceSummaryProblem {
  line: number;
  field: string;
  message: string;
}

interface Group {
  pupil: string;
  pupilKey: string;
  pupilOrder: number;
  term: HalfTerm;
  present: number;
  approved: number;
  authorised: number;
  unauthorised: number;
  /** One bit per session of the half term, set once it has a mark: a second mark for a session is not counted. */
  seen: Uint8Array;
}

const DAY_MS = 24 * 60 * 60 * 1000;

/** Days since 1970-01-01 of a YYYY-MM-DD day. */
function dayNumber(day: Day): number {
  return Date.UTC(Number(day.slice(0, 4)), Number(day.slice(5, 7)) - 1, Number(day.slice(8, 10))) / DAY_MS;
}

/** A share of possible sessions as a percentage with one decimal, as the DfE publishes them. */
function percent(part: number, whole: number): string {
  return `${((part / whole) * 100).toFixed(1)}%`;
}

function sessions(n: number): string {
  return `${n} session${n === 1 ? '' : 's'}`;
}

/** The summary text: attendance, authorised and unauthorised absence, and persistent or severe absence. */
function summaryText(group: Group, possible: number, attended: number, until: Day | null): string {
  const period = until === null ? group.term.name : `${group.term.name} (in progress; sessions to ${until})`;
  if (possible === 0) return `${period}: no possible sessions (every session recorded was one the pupil was not expected to attend).`;
  const absent = group.authorised + group.unauthorised;
  let text =
    `${period}: attended ${attended} of ${sessions(possible)} (${percent(attended, possible)}); ` +
    `absent ${sessions(absent)} (${percent(absent, possible)}): authorised ${group.authorised} (${percent(group.authorised, possible)}), ` +
    `unauthorised ${group.unauthorised} (${percent(group.unauthorised, possible)}).`;
  // Whole-number comparisons: 10% and 50% exactly count, with no rounding at the edge.
  if (absent * 2 >= possible) text += ' Severe absence (50% or more of possible sessions missed).';
  else if (absent * 10 >= possible) text += ' Persistent absence (10% or more of possible sessions missed).';
  return text;
}

/**
 * Summarises register marks one at a time, holding only counts per pupil and half term (and a bit
 * per session, to find a session marked twice), so that a register of any length read as a stream
 * is summarised in memory bounded by its pupils. `summariseAttendance` is the same over a list.
 */
export class AttendanceSummariser {
  private readonly groups = new Map<string, Group>();
  private readonly pupilOrder = new Map<string, number>();
  private readonly latestInTerm = new Map<string, Day>();
  private readonly problems: AttendanceSummaryProblem[] = [];
  private latest: Day | null = null;
  private lastTerm: HalfTerm | undefined;

  constructor(
    private readonly terms: readonly HalfTerm[],
    private readonly options: AttendanceSummaryOptions,
  ) {}

  /** Counts one mark; returns the problem when it cannot be counted (it is also kept for `finish`). */
  add(mark: AttendanceMark): AttendanceSummaryProblem | null {
    // Marks come in runs of the same half term: try the last one first.
    const last = this.lastTerm;
    const term = last !== undefined && mark.date >= last.start && mark.date <= last.end ? last : halfTermOf(mark.date, this.terms);
    if (term === undefined) {
      return this.problem({ line: mark.line, field: 'date', message: `date ${quote(mark.date)} is not in any half term of the partnership's term dates` });
    }
    this.lastTerm = term;
    const key = `${mark.pupil}\u0000${term.start}`;
    let group = this.groups.get(key);
    if (group === undefined) {
      if (!this.pupilOrder.has(mark.pupil)) this.pupilOrder.set(mark.pupil, this.pupilOrder.size);
      const length = dayNumber(term.end) - dayNumber(term.start) + 1;
      group = {
        pupil: mark.pupil,
        pupilKey: mark.pupilKey,
        pupilOrder: this.pupilOrder.get(mark.pupil)!,
        term,
        present: 0,
        approved: 0,
        authorised: 0,
        unauthorised: 0,
        seen: new Uint8Array(Math.ceil((length * 2) / 8)),
      };
      this.groups.set(key, group);
    }
    const bit = (dayNumber(mark.date) - dayNumber(term.start)) * 2 + (mark.session === 'PM' ? 1 : 0);
    const byte = bit >> 3;
    const flag = 1 << (bit & 7);
    if ((group.seen[byte]! & flag) !== 0) {
      return this.problem({
        line: mark.line,
        field: 'session',
        message: `session ${quote(mark.session)} on ${mark.date} already has a mark for this pupil on an earlier row; this one is not counted`,
      });
    }
    group.seen[byte] = group.seen[byte]! | flag;
    switch (ATTENDANCE_CODES[mark.code]) {
      case 'present':
        group.present += 1;
        break;
      case 'approved-activity':
        group.approved += 1;
        break;
      case 'authorised':
        group.authorised += 1;
        break;
      case 'unauthorised':
        group.unauthorised += 1;
        break;
      case 'not-possible':
        break;
    }
    if (this.latest === null || mark.date > this.latest) this.latest = mark.date;
    const termLatest = this.latestInTerm.get(term.start);
    if (termLatest === undefined || mark.date > termLatest) this.latestInTerm.set(term.start, mark.date);
    return null;
  }

  /** The attendance-summary events of every mark added (see summariseAttendance), and every mark not counted. */
  finish(): { events: Record<string, unknown>[]; problems: AttendanceSummaryProblem[] } {
    const ordered = [...this.groups.values()].sort(
      (a, b) => a.pupilOrder - b.pupilOrder || (a.term.start < b.term.start ? -1 : a.term.start > b.term.start ? 1 : 0),
    );
    const events = ordered.map((group): Record<string, unknown> => {
      const attended = group.present + group.approved;
      const possible = attended + group.authorised + group.unauthorised;
      const running = this.latest !== null && this.latest < group.term.end;
      const until = running ? this.latestInTerm.get(group.term.start)! : null;
      const to = until ?? group.term.end;
      return {
        object: 'event',
        id: `${this.options.source}:attendance:${group.pupilKey}:${group.term.start}`,
        source: this.options.source,
        type: 'attendance-summary',
        date: to,
        subjects: [group.pupil],
        setting: this.options.setting,
        from: group.term.start,
        to,
        possibleSessions: possible,
        attendedSessions: attended,
        unauthorisedSessions: group.unauthorised,
        summary: summaryText(group, possible, attended, until),
      };
    });
    return { events, problems: [...this.problems] };
  }

  private problem(problem: AttendanceSummaryProblem): AttendanceSummaryProblem {
    this.problems.push(problem);
    return problem;
  }
}

/**
 * Summarises register marks per pupil and half term as `attendance-summary` exchange events (the
 * NDJSON line shape), with the marks that could not be counted: a date in no half term, or a
 * session already marked for that pupil (the first mark counts).
 *
 * Each event covers one half term: `from` is its start; `to` and `date` its end, or, while the
 * half term is still running (no mark in the marks is on or after its last day), the last day any
 * pupil has a mark in it, which the summary text says. Events come in the order pupils first
 * appear, each pupil's half terms in date order; ids are `${source}:attendance:${pupilKey}:${term.start}`,
 * so a later, longer extract of the same half term updates the same event.
 */
export function summariseAttendance(
  marks: Iterable<AttendanceMark>,
  terms: readonly HalfTerm[],
  options: AttendanceSummaryOptions,
): { events: Record<string, unknown>[]; problems: AttendanceSummaryProblem[] } {
  const summariser = new AttendanceSummariser(terms, options);
  for (const mark of marks) summariser.add(mark);
  return summariser.finish();
}
