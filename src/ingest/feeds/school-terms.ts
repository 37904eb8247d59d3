// School half terms: the periods a school's attendance is summarised over. Term dates are set by
// each local authority (and by academies for themselves), so they are a per-partnership setting,
// checked with `halfTermsSchema`. `DEFAULT_HALF_TERMS` are typical England dates for a partnership
// that has not set its own yet; they are approximations, not any authority's published dates.
import { z } from 'zod';
import { parseExchangeDate } from '../exchange-dates.js';
import type { Day } from './feed-fields.js';

export type { Day } from './feed-fields.js';

/** One half term: a name, and its first and last days of teaching (inclusive). */
export interface HalfTerm {
  /** How the half term is shown, e.g. "2024/25 Autumn 1". */
  name: string;
  start: Day;
  end: Day;
}

const day = z.string({ error: 'must be a date written YYYY-MM-DD' }).refine((text) => /^\d{4}-\d{2}-\d{2}$/.test(text) && parseExchangeDate(text).ok, {
  error: (issue) => `${JSON.stringify(issue.input)} is not a date (write it as YYYY-MM-DD)`,
});

/**
 * A partnership's half terms: a list of `{ name, start, end }`, each ending on or after it starts,
 * and no two overlapping (a day belongs to one half term at most). Any order; days between half
 * terms are holidays.
 */
export const halfTermsSchema = z
  .array(
    z
      .object({ name: z.string().min(1, { error: 'must not be empty' }), start: day, end: day }, { error: 'must be an object { name, start, end }' })
      .refine((term) => term.start <= term.end, { error: 'ends before it starts', path: ['end'] }),
    { error: 'must be a list of half terms' },
  )
  .superRefine((terms, ctx) => {
    const sorted = terms.map((term, index) => ({ term, index })).sort((a, b) => (a.term.start < b.term.start ? -1 : a.term.start > b.term.start ? 1 : 0));
    for (let i = 1; i < sorted.length; i += 1) {
      const previous = sorted[i - 1]!;
      const current = sorted[i]!;
      if (current.term.start <= previous.term.end) {
        ctx.addIssue({ code: 'custom', path: [current.index, 'start'], message: `overlaps ${JSON.stringify(previous.term.name)} (a day belongs to one half term at most)` });
      }
    }
  });

/**
 * Typical England half terms for the school years 2019/20 to 2027/28: DEFAULTS, to be replaced by
 * each partnership's own term dates (they differ between local authorities by days, sometimes a
 * week). Worked out by rule, not copied from any authority: autumn from the first weekday on or
 * after 2 September; October half term the week whose Monday falls 23-29 October; Christmas from
 * the last Friday on or before 22 December; spring from the first weekday on or after 4 January;
 * February half term the week whose Monday falls 12-18 February; Easter the two weeks from the
 * Monday before Easter Sunday; May half term the week of the spring bank holiday (last Monday of
 * May); the year ending on the Friday falling 17-23 July. docs/agency-feeds.md lists them.
 */
export const DEFAULT_HALF_TERMS: readonly HalfTerm[] = [
  { name: '2019/20 Autumn 1', start: '2019-09-02', end: '2019-10-25' },
  { name: '2019/20 Autumn 2', start: '2019-11-04', end: '2019-12-20' },
  { name: '2019/20 Spring 1', start: '2020-01-06', end: '2020-02-14' },
  { name: '2019/20 Spring 2', start: '2020-02-24', end: '2020-04-03' },
  { name: '2019/20 Summer 1', start: '2020-04-20', end: '2020-05-22' },
  { name: '2019/20 Summer 2', start: '2020-06-01', end: '2020-07-17' },
  { name: '2020/21 Autumn 1', start: '2020-09-02', end: '2020-10-23' },
  { name: '2020/21 Autumn 2', start: '2020-11-02', end: '2020-12-18' },
  { name: '2020/21 Spring 1', start: '2021-01-04', end: '2021-02-12' },
  { name: '2020/21 Spring 2', start: '2021-02-22', end: '2021-03-26' },
  { name: '2020/21 Summer 1', start: '2021-04-12', end: '2021-05-28' },
  { name: '2020/21 Summer 2', start: '2021-06-07', end: '2021-07-23' },
  { name: '2021/22 Autumn 1', start: '2021-09-02', end: '2021-10-22' },
  { name: '2021/22 Autumn 2', start: '2021-11-01', end: '2021-12-17' },
  { name: '2021/22 Spring 1', start: '2022-01-04', end: '2022-02-11' },
  { name: '2021/22 Spring 2', start: '2022-02-21', end: '2022-04-08' },
  { name: '2021/22 Summer 1', start: '2022-04-25', end: '2022-05-27' },
  { name: '2021/22 Summer 2', start: '2022-06-06', end: '2022-07-22' },
  { name: '2022/23 Autumn 1', start: '2022-09-02', end: '2022-10-21' },
  { name: '2022/23 Autumn 2', start: '2022-10-31', end: '2022-12-16' },
  { name: '2022/23 Spring 1', start: '2023-01-04', end: '2023-02-10' },
  { name: '2022/23 Spring 2', start: '2023-02-20', end: '2023-03-31' },
  { name: '2022/23 Summer 1', start: '2023-04-17', end: '2023-05-26' },
  { name: '2022/23 Summer 2', start: '2023-06-05', end: '2023-07-21' },
  { name: '2023/24 Autumn 1', start: '2023-09-04', end: '2023-10-20' },
  { name: '2023/24 Autumn 2', start: '2023-10-30', end: '2023-12-22' },
  { name: '2023/24 Spring 1', start: '2024-01-04', end: '2024-02-09' },
  { name: '2023/24 Spring 2', start: '2024-02-19', end: '2024-03-22' },
  { name: '2023/24 Summer 1', start: '2024-04-08', end: '2024-05-24' },
  { name: '2023/24 Summer 2', start: '2024-06-03', end: '2024-07-19' },
  { name: '2024/25 Autumn 1', start: '2024-09-02', end: '2024-10-25' },
  { name: '2024/25 Autumn 2', start: '2024-11-04', end: '2024-12-20' },
  { name: '2024/25 Spring 1', start: '2025-01-06', end: '2025-02-14' },
  { name: '2024/25 Spring 2', start: '2025-02-24', end: '2025-04-11' },
  { name: '2024/25 Summer 1', start: '2025-04-28', end: '2025-05-23' },
  { name: '2024/25 Summer 2', start: '2025-06-02', end: '2025-07-18' },
  { name: '2025/26 Autumn 1', start: '2025-09-02', end: '2025-10-24' },
  { name: '2025/26 Autumn 2', start: '2025-11-03', end: '2025-12-19' },
  { name: '2025/26 Spring 1', start: '2026-01-05', end: '2026-02-13' },
  { name: '2025/26 Spring 2', start: '2026-02-23', end: '2026-03-27' },
  { name: '2025/26 Summer 1', start: '2026-04-13', end: '2026-05-22' },
  { name: '2025/26 Summer 2', start: '2026-06-01', end: '2026-07-17' },
  { name: '2026/27 Autumn 1', start: '2026-09-02', end: '2026-10-23' },
  { name: '2026/27 Autumn 2', start: '2026-11-02', end: '2026-12-18' },
  { name: '2026/27 Spring 1', start: '2027-01-04', end: '2027-02-12' },
  { name: '2026/27 Spring 2', start: '2027-02-22', end: '2027-03-19' },
  { name: '2026/27 Summer 1', start: '2027-04-05', end: '2027-05-28' },
  { name: '2026/27 Summer 2', start: '2027-06-07', end: '2027-07-23' },
  { name: '2027/28 Autumn 1', start: '2027-09-02', end: '2027-10-22' },
  { name: '2027/28 Autumn 2', start: '2027-11-01', end: '2027-12-17' },
  { name: '2027/28 Spring 1', start: '2028-01-04', end: '2028-02-11' },
  { name: '2027/28 Spring 2', start: '2028-02-21', end: '2028-04-07' },
  { name: '2027/28 Summer 1', start: '2028-04-24', end: '2028-05-26' },
  { name: '2027/28 Summer 2', start: '2028-06-05', end: '2028-07-21' },
];

/**
 * The half term `date` (YYYY-MM-DD) falls in, or undefined when it is in none (a holiday, or
 * outside the dates set). `terms` must not overlap (halfTermsSchema); any order.
 */
export function halfTermOf(date: Day, terms: readonly HalfTerm[]): HalfTerm | undefined {
  // A partnership has a few dozen half terms: looking at each is quicker than anything cleverer.
  return terms.find((term) => date >= term.start && date <= term.end);
}
