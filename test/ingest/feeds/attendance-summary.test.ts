import { describe, expect, it } from 'vitest';
import {
  ATTENDANCE_CODES,
  AttendanceSummariser,
  summariseAttendance,
  type AttendanceCode,
  type AttendanceMark,
} from '../../../src/ingest/feeds/attendance-summary.js';
import { DEFAULT_HALF_TERMS, halfTermOf, halfTermsSchema, type HalfTerm } from '../../../src/ingest/feeds/school-terms.js';
import { validateObjects } from './feed-helpers.js';

const TERMS: HalfTerm[] = [
  { name: 'Autumn 1', start: '2024-09-02', end: '2024-10-25' },
  { name: 'Autumn 2', start: '2024-11-04', end: '2024-12-20' },
];
const OPTIONS = { source: 'lps', setting: 'school' as const };

/** Weekdays from `start`, `count` of them. */
function weekdays(start: string, count: number): string[] {
  const days: string[] = [];
  const day = new Date(`${start}T00:00:00Z`);
  while (days.length < count) {
    if (day.getUTCDay() !== 0 && day.getUTCDay() !== 6) days.push(day.toISOString().slice(0, 10));
    day.setUTCDate(day.getUTCDate() + 1);
  }
  return days;
}

/** Marks for one pupil: `codes[i]` for the i-th session from `start` (AM, PM, AM, ...). */
function marksFor(pupilKey: string, start: string, codes: readonly AttendanceCode[], firstLine = 2): AttendanceMark[] {
  const days = weekdays(start, Math.ceil(codes.length / 2));
  return codes.map((code, i) => ({ line: firstLine + i, pupil: `lps:pupil:${pupilKey}`, pupilKey, date: days[Math.floor(i / 2)]!, session: i % 2 === 0 ? 'AM' : 'PM', code }));
}

const repeat = (code: AttendanceCode, n: number): AttendanceCode[] => Array.from({ length: n }, () => code);

describe('attendance codes', () => {
  it('counts each code as the DfE does: present and approved activity attended, authorised and unauthorised absent, the rest not possible', () => {
    const codes = Object.keys(ATTENDANCE_CODES) as AttendanceCode[];
    const { events } = summariseAttendance(marksFor('P1', '2024-09-02', codes), TERMS, OPTIONS);
    const expected = { present: 0, 'approved-activity': 0, authorised: 0, unauthorised: 0, 'not-possible': 0 };
    for (const code of codes) expected[ATTENDANCE_CODES[code]] += 1;
    expect(expected).toEqual({ present: 3, 'approved-activity': 5, authorised: 10, unauthorised: 4, 'not-possible': 12 });
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ possibleSessions: 22, attendedSessions: 8, unauthorisedSessions: 4 });
    const perCategory: Record<string, AttendanceCode[]> = {
      present: ['/', '\\', 'L'],
      'approved-activity': ['K', 'V', 'P', 'W', 'B'],
      authorised: ['C1', 'C2', 'C', 'M', 'J1', 'S', 'T', 'R', 'I', 'E'],
      unauthorised: ['G', 'N', 'O', 'U'],
      'not-possible': ['D', 'Q', 'Y1', 'Y2', 'Y3', 'Y4', 'Y5', 'Y6', 'Y7', 'X', 'Z', '#'],
    };
    for (const [category, list] of Object.entries(perCategory)) for (const code of list) expect([code, ATTENDANCE_CODES[code]]).toEqual([code, category]);
  });
});

describe('summariseAttendance', () => {
  it('gives an attendance-summary event per pupil per half term, with the figures and a summary stating them', () => {
    const marks = [
      ...marksFor('P1', '2024-09-02', [...repeat('/', 76), 'I', 'I', 'N', 'G']),
      ...marksFor('P2', '2024-09-02', [...repeat('/', 10), 'X', 'X']),
      ...marksFor('P1', '2024-11-04', ['/', 'M']),
    ];
    const { events, problems } = summariseAttendance(marks, TERMS, OPTIONS);
    expect(problems).toEqual([]);
    expect(events[0]).toEqual({
      object: 'event',
      id: 'lps:attendance:P1:2024-09-02',
      source: 'lps',
      type: 'attendance-summary',
      date: '2024-10-25',
      subjects: ['lps:pupil:P1'],
      setting: 'school',
      from: '2024-09-02',
      to: '2024-10-25',
      possibleSessions: 80,
      attendedSessions: 76,
      unauthorisedSessions: 2,
      summary: 'Autumn 1: attended 76 of 80 sessions (95.0%); absent 4 sessions (5.0%): authorised 2 (2.5%), unauthorised 2 (2.5%).',
    });
    // Pupils in the order they first appear, each one's half terms in date order.
    expect(events.map((e) => e.id)).toEqual(['lps:attendance:P1:2024-09-02', 'lps:attendance:P1:2024-11-04', 'lps:attendance:P2:2024-09-02']);
    expect(events[2]).toMatchObject({ possibleSessions: 10, attendedSessions: 10 });
  });

  it('says persistent absence at 10% and more, severe absence at 50% and more, exactly at the line', () => {
    const summaryOf = (codes: AttendanceCode[]) => String(summariseAttendance(marksFor('P1', '2024-09-02', codes), TERMS, OPTIONS).events[0]!.summary);
    // Autumn 1 has 80 sessions.
    const justUnder = summaryOf([...repeat('/', 73), ...repeat('I', 7)]);
    const atTen = summaryOf([...repeat('/', 72), ...repeat('O', 8)]);
    const justUnderHalf = summaryOf([...repeat('/', 41), ...repeat('I', 39)]);
    const atHalf = summaryOf([...repeat('/', 40), ...repeat('I', 20), ...repeat('N', 20)]);
    expect(justUnder).not.toMatch(/absence \(/);
    expect(atTen).toContain('Persistent absence (10% or more of possible sessions missed).');
    expect(justUnderHalf).toContain('Persistent absence');
    expect(atHalf).toContain('absent 40 sessions (50.0%): authorised 20 (25.0%), unauthorised 20 (25.0%). Severe absence (50% or more of possible sessions missed).');
    expect(atHalf).not.toContain('Persistent');
  });

  it('dates a half term still running (nothing on or after its last day) by the last session any pupil has in it', () => {
    const marks = [...marksFor('P1', '2024-11-04', repeat('/', 6)), ...marksFor('P2', '2024-11-04', repeat('/', 8))];
    const { events } = summariseAttendance(marks, TERMS, OPTIONS);
    expect(events.map((e) => [e.from, e.to, e.date, e.possibleSessions])).toEqual([
      ['2024-11-04', '2024-11-07', '2024-11-07', 6],
      ['2024-11-04', '2024-11-07', '2024-11-07', 8],
    ]);
    expect(events[0]!.summary).toBe('Autumn 2 (in progress; sessions to 2024-11-07): attended 6 of 6 sessions (100.0%); absent 0 sessions (0.0%): authorised 0 (0.0%), unauthorised 0 (0.0%).');
    // A mark on the last day completes it.
    const complete = summariseAttendance([...marks, ...marksFor('P3', '2024-12-20', ['/'])], TERMS, OPTIONS);
    expect(complete.events.map((e) => e.to)).toEqual(['2024-12-20', '2024-12-20', '2024-12-20']);
  });

  it('says when a half term had no possible sessions', () => {
    const { events } = summariseAttendance(marksFor('P1', '2024-09-02', ['X', 'X', '#', 'Y4']), TERMS, OPTIONS);
    expect(events[0]).toMatchObject({ possibleSessions: 0, attendedSessions: 0, unauthorisedSessions: 0 });
    expect(events[0]!.summary).toMatch(/: no possible sessions \(every session recorded was one the pupil was not expected to attend\)\.$/);
  });

  it('rejects a mark in no half term and a second mark for a session, by line, and counts the first', () => {
    const marks: AttendanceMark[] = [
      { line: 2, pupil: 'lps:pupil:P1', pupilKey: 'P1', date: '2024-09-02', session: 'AM', code: 'O' },
      { line: 3, pupil: 'lps:pupil:P1', pupilKey: 'P1', date: '2024-09-02', session: 'AM', code: '/' },
      { line: 4, pupil: 'lps:pupil:P1', pupilKey: 'P1', date: '2024-10-30', session: 'AM', code: '/' },
      { line: 5, pupil: 'lps:pupil:P2', pupilKey: 'P2', date: '2024-09-02', session: 'AM', code: '/' },
    ];
    const summariser = new AttendanceSummariser(TERMS, OPTIONS);
    expect(marks.map((mark) => summariser.add(mark)?.line ?? null)).toEqual([null, 3, 4, null]);
    const { events, problems } = summariser.finish();
    expect(problems).toEqual([
      { line: 3, field: 'session', message: 'session "AM" on 2024-09-02 already has a mark for this pupil on an earlier row; this one is not counted' },
      { line: 4, field: 'date', message: 'date "2024-10-30" is not in any half term of the partnership\'s term dates' },
    ]);
    expect(events.map((e) => [e.subjects, e.possibleSessions, e.unauthorisedSessions])).toEqual([
      [['lps:pupil:P1'], 1, 1],
      [['lps:pupil:P2'], 1, 0],
    ]);
    expect(summariseAttendance(marks, TERMS, OPTIONS)).toEqual({ events, problems });
  });

  it('gives events the exchange validator accepts, for early years too, and the same events for the same marks', async () => {
    const marks = [...marksFor('P1', '2024-09-02', ['/', 'N', 'I', 'X'])];
    const { events } = summariseAttendance(marks, TERMS, { source: 'nursery', setting: 'early-years' });
    const records = [
      { object: 'source', id: 'nursery', agency: 'early-years', name: 'Nursery' },
      { object: 'record', id: 'lps:pupil:P1', source: 'nursery' },
    ];
    const checked = await validateObjects([...records, ...events]);
    expect(checked.rejections).toEqual([]);
    expect(events[0]).toMatchObject({ setting: 'early-years', source: 'nursery', id: 'nursery:attendance:P1:2024-09-02' });
    expect(summariseAttendance(marks, TERMS, { source: 'nursery', setting: 'early-years' }).events).toEqual(events);
  });
});

describe('half terms (the per-partnership setting)', () => {
  it('has typical England defaults for 2019/20 to 2027/28, six half terms a year, in order, on weekdays, never overlapping', () => {
    expect(halfTermsSchema.safeParse(DEFAULT_HALF_TERMS).success).toBe(true);
    expect(DEFAULT_HALF_TERMS).toHaveLength(54);
    expect(DEFAULT_HALF_TERMS[0]).toEqual({ name: '2019/20 Autumn 1', start: '2019-09-02', end: '2019-10-25' });
    expect(DEFAULT_HALF_TERMS.at(-1)).toEqual({ name: '2027/28 Summer 2', start: '2028-06-05', end: '2028-07-21' });
    for (const [i, term] of DEFAULT_HALF_TERMS.entries()) {
      const startDay = new Date(`${term.start}T00:00:00Z`).getUTCDay();
      const endDay = new Date(`${term.end}T00:00:00Z`).getUTCDay();
      expect([term.name, startDay >= 1 && startDay <= 5, endDay]).toEqual([term.name, true, 5]);
      if (i > 0) expect(term.start > DEFAULT_HALF_TERMS[i - 1]!.end).toBe(true);
    }
  });

  it('finds the half term of a day, and none in a holiday', () => {
    expect(halfTermOf('2024-10-25', DEFAULT_HALF_TERMS)?.name).toBe('2024/25 Autumn 1');
    expect(halfTermOf('2024-11-04', DEFAULT_HALF_TERMS)?.name).toBe('2024/25 Autumn 2');
    expect(halfTermOf('2024-10-30', DEFAULT_HALF_TERMS)).toBeUndefined();
    expect(halfTermOf('2024-08-10', DEFAULT_HALF_TERMS)).toBeUndefined();
    expect(halfTermOf('2024-09-03', [...TERMS].reverse())?.name).toBe('Autumn 1');
  });

  it('refuses a setting with a bad date, a half term ending before it starts, or two overlapping', () => {
    const messages = (value: unknown) => {
      const result = halfTermsSchema.safeParse(value);
      return result.success ? [] : result.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    };
    expect(messages([{ name: 'A', start: '2024-09-31', end: '2024-10-20' }])).toEqual(['0.start: "2024-09-31" is not a date (write it as YYYY-MM-DD)']);
    expect(messages([{ name: 'A', start: '2024-10-20', end: '2024-09-02' }])).toEqual(['0.end: ends before it starts']);
    expect(messages([TERMS[1], { name: 'Overlap', start: '2024-12-01', end: '2025-01-10' }, TERMS[0]])).toEqual([
      '1.start: overlaps "Autumn 2" (a day belongs to one half term at most)',
    ]);
    expect(messages({ name: 'A' })).toEqual([': must be a list of half terms']);
  });
});
