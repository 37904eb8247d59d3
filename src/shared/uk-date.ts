const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/**
 * A date as GOV.UK style writes it, keeping the precision it was recorded with:
 * "2019-05-04" → "4 May 2019", "2019-05" → "May 2019", "2019" → "2019". Anything else is shown as is.
 * Used by pages, exports and alert explanations alike, so a date reads the same everywhere.
 */
export function ukDate(value: unknown): string {
  const text = value instanceof Date ? value.toISOString().slice(0, 10) : String(value ?? '');
  const match = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?/.exec(text);
  if (!match) return text;
  const [, year, month, day] = match;
  if (!month) return year!;
  const monthName = MONTHS[Number(month) - 1] ?? month;
  return day ? `${Number(day)} ${monthName} ${year}` : `${monthName} ${year}`;
}
