import { once } from 'node:events';
import { createWriteStream, statSync } from 'node:fs';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterAll, describe, expect, it } from 'vitest';
import { AttendanceSummariser } from '../../../src/ingest/feeds/attendance-summary.js';
import { readFeed } from '../../../src/ingest/feeds/feed.js';
import { DEFAULT_HALF_TERMS } from '../../../src/ingest/feeds/school-terms.js';
import { tempFolder } from '../ingest-helpers.js';

// A whole school's register for a term and a half, 200,000 rows (1,000 pupils, 100 school days,
// two sessions a day), is read and summarised in bounded memory: rows are streamed, and only each
// pupil's first details and each pupil's counts per half term are kept. The file is written to the
// operating system's temporary folder on the fly and never held by the test. Heap use is sampled
// after garbage collection; the bound is loose on purpose (streaming grows the heap by about 5 MB),
// but holding the items as they come (each row's mark and text) grows it by over 60 MB.

const PUPILS = 1_000;
const DAYS = 100;
const ROWS = PUPILS * DAYS * 2;
const MAX_GROWTH_BYTES = 25 * 1024 * 1024;

function collector(): () => void {
  if (typeof globalThis.gc === 'function') return globalThis.gc;
  setFlagsFromString('--expose-gc');
  const gc: unknown = runInNewContext('gc');
  return typeof gc === 'function' ? (gc as () => void) : () => {};
}

/** The school days of the default half terms from September 2024. */
function schoolDays(count: number): string[] {
  const days: string[] = [];
  for (const term of DEFAULT_HALF_TERMS.filter((t) => t.start >= '2024-09-01')) {
    const day = new Date(`${term.start}T00:00:00Z`);
    while (days.length < count && day.toISOString().slice(0, 10) <= term.end) {
      if (day.getUTCDay() !== 0 && day.getUTCDay() !== 6) days.push(day.toISOString().slice(0, 10));
      day.setUTCDate(day.getUTCDate() + 1);
    }
  }
  return days;
}

async function writeRegister(path: string): Promise<void> {
  const out = createWriteStream(path);
  const write = async (text: string) => {
    if (!out.write(text)) await once(out, 'drain');
  };
  await write('upn,pupil_id,given_name,family_name,date_of_birth,sex,date,session,code\r\n');
  for (const date of schoolDays(DAYS)) {
    for (const session of ['AM', 'PM']) {
      const batch: string[] = [];
      for (let p = 0; p < PUPILS; p += 1) {
        const upn = `A${String(100000000000 + p)}`;
        const code = (p + date.charCodeAt(9)) % 17 === 0 ? 'N' : p % 23 === 0 ? 'I' : session === 'AM' ? '/' : '\\';
        // Every tenth pupil's family name is quoted with a comma in it, as exports write "Smith, Jr".
        const family = p % 10 === 0 ? `"Pupil, ${p}"` : `Pupil${p}`;
        batch.push(`${upn},LP${p},Test,${family},2016-0${1 + (p % 9)}-1${p % 10},${p % 2 === 0 ? 'F' : 'M'},${date},${session},${code}\r\n`);
      }
      await write(batch.join(''));
    }
  }
  out.end();
  await once(out, 'finish');
}

const folder = tempFolder('attendance-stream');
afterAll(() => folder.cleanup());

describe('attendance CSV streaming', () => {
  it('reads and summarises 200,000 register rows in bounded memory', async () => {
    const path = folder.path('register.csv');
    await writeRegister(path);
    const fileBytes = statSync(path).size;
    const gc = collector();

    gc();
    const baseline = process.memoryUsage().heapUsed;
    let peak = 0;
    let items = 0;
    let records = 0;
    let marks = 0;
    let problems = 0;
    let lastProgress = 0;
    const summariser = new AttendanceSummariser(DEFAULT_HALF_TERMS, { source: 'lps', setting: 'school' });
    for await (const item of readFeed('attendance', path, { source: 'lps', agency: 'school', onProgress: (p) => (lastProgress = p.bytesRead) })) {
      items += 1;
      if (item.type === 'attendance-mark') {
        marks += 1;
        if (summariser.add(item.mark) !== null) problems += 1;
      } else if (item.type === 'object' && item.object.object === 'record') records += 1;
      else if (item.type === 'problem') problems += 1;
      if (items % 25_000 === 0) {
        gc();
        peak = Math.max(peak, process.memoryUsage().heapUsed - baseline);
      }
    }
    const { events } = summariser.finish();
    gc();
    peak = Math.max(peak, process.memoryUsage().heapUsed - baseline);

    console.info(`streamed ${ROWS} attendance rows (${Math.round(fileBytes / 1024 / 1024)} MB): heap grew at most ${Math.round(peak / 1024 / 1024)} MB`);
    expect(problems).toBe(0);
    expect(records).toBe(PUPILS);
    expect(marks).toBe(ROWS);
    // 100 school days from September: all of Autumn 1 (40 days), Autumn 2 (35) and 25 days of Spring 1.
    expect(events).toHaveLength(PUPILS * 3);
    expect(events.slice(0, 3).map((e) => [e.from, e.to, e.possibleSessions])).toEqual([
      ['2024-09-02', '2024-10-25', 80],
      ['2024-11-04', '2024-12-20', 70],
      ['2025-01-06', '2025-02-07', 50],
    ]);
    expect(lastProgress).toBe(fileBytes);
    expect(peak).toBeLessThan(MAX_GROWTH_BYTES);
  });
});
