// Plain English for alert explanations: dates as a practitioner writes them, counts with their
// nouns, percentages rounded as the reviews give them.
import type { Day } from '../calendar/days.js';
import { ukDate } from '../shared/uk-date.js';

/** "2 May 2019". */
export function longDate(day: Day): string {
  return ukDate(day);
}

/** "1 appointment", "3 appointments" (or an irregular plural). */
export function count(n: number, singular: string, plural = `${singular}s`): string {
  return `${n} ${n === 1 ? singular : plural}`;
}

/** A percentage as a whole number: 6 of 25 → "24%". */
export function percent(part: number, whole: number): string {
  return whole === 0 ? '0%' : `${Math.round((part / whole) * 100)}%`;
}

/** "a, b and c". */
export function listOf(items: readonly string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`;
}
