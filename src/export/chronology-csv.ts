// The chronology as CSV for case reviews and courts: exactly the columns below, one row per entry,
// every cell a spreadsheet would run as a formula neutralised (src/shared/csv.ts).
import { csvLine } from '../shared/csv.js';

/** The header, exactly as the issue defines it. */
export const CHRONOLOGY_CSV_HEADER = ['date', 'date_precision', 'recorded', 'agency', 'source', 'id', 'type', 'concerns', 'subjects', 'summary', 'significant'] as const;

/** One entry as the CSV writes it. */
export interface CsvEntry {
  date: string;
  datePrecision: string;
  recorded: string | null;
  agency: string;
  source: string;
  id: string;
  type: string;
  concerns: readonly string[];
  subjects: readonly string[];
  summary: string;
  significant: boolean;
}

/** The whole CSV text (CRLF line ends, as RFC 4180 says). */
export function chronologyCsv(entries: readonly CsvEntry[]): string {
  let out = csvLine(CHRONOLOGY_CSV_HEADER);
  for (const e of entries) {
    out += csvLine([e.date, e.datePrecision, e.recorded ?? '', e.agency, e.source, e.id, e.type, e.concerns.join('; '), e.subjects.join('; '), e.summary, e.significant ? 'true' : 'false']);
  }
  return out;
}
