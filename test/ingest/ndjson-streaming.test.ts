import { once } from 'node:events';
import { createWriteStream, statSync } from 'node:fs';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterAll, describe, expect, it } from 'vitest';
import { readExchangeFile } from '../../src/ingest/read-exchange-file.js';
import { tempFolder } from './ingest-helpers.js';

// A large NDJSON import is read in bounded memory: the file is streamed and only ids are kept.
// The file is generated on the fly (~200,000 lines, tens of megabytes) and never held by the test.
// Heap use is sampled after garbage collection; the bound is loose on purpose (no timing, no
// exact figures), but holding the file or its objects would break it several times over.

const SOURCES = 20;
const RECORDS = 2_000;
const EVENTS = 198_000;
const LINES = 1 + SOURCES + RECORDS + EVENTS;
const MAX_GROWTH_BYTES = 100 * 1024 * 1024;

/** A real collection when the flag can be set at run time; otherwise (never seen) no collection, and the bound still holds. */
function collector(): () => void {
  if (typeof globalThis.gc === 'function') return globalThis.gc;
  setFlagsFromString('--expose-gc');
  const gc: unknown = runInNewContext('gc');
  return typeof gc === 'function' ? (gc as () => void) : () => {};
}

/** Writes the file a thousand lines at a time, so that the test spends its time reading, not writing. */
async function writeLargeFile(path: string): Promise<void> {
  const out = createWriteStream(path);
  let batch: string[] = [];
  const write = async (line: string, last = false) => {
    batch.push(line);
    if (batch.length < 1000 && !last) return;
    const ok = out.write(`${batch.join('\n')}\n`);
    batch = [];
    if (!ok) await once(out, 'drain');
  };
  await write(JSON.stringify({ object: 'header', format: 'throughline-exchange/1', title: 'generated for the streaming test' }));
  for (let s = 0; s < SOURCES; s += 1) await write(`{"object":"source","id":"s${s}","agency":"school","name":"School ${s}"}`);
  for (let r = 0; r < RECORDS; r += 1) {
    const s = r % SOURCES;
    await write(`{"object":"record","id":"s${s}:p${r}","source":"s${s}","givenName":"Test","familyName":"Person ${r}","dateOfBirth":"20${10 + (r % 10)}-0${1 + (r % 9)}-1${r % 10}","sex":"unknown"}`);
  }
  for (let e = 0; e < EVENTS; e += 1) {
    const r = e % RECORDS;
    const s = r % SOURCES;
    const date = `2020-${String(1 + (e % 12)).padStart(2, '0')}-${String(1 + (e % 28)).padStart(2, '0')}`;
    const fields =
      e % 3 === 0
        ? '"type":"appointment","service":"clinic","status":"attended"'
        : '"type":"concern","concerns":["hygiene"],"summary":"Generated concern, long enough to look like a real note of what was seen."';
    const about = e > 0 && e % 5 === 0 ? `,"about":["s${((e - 1) % RECORDS) % SOURCES}:e${e - 1}"]` : '';
    await write(`{"object":"event","id":"s${s}:e${e}","source":"s${s}",${fields},"date":"${date}","subjects":["s${s}:p${r}"]${about}}`, e === EVENTS - 1);
  }
  out.end();
  await once(out, 'finish');
}

const folder = tempFolder('stream');
afterAll(() => folder.cleanup());

describe('NDJSON streaming', () => {
  it('reads ~200,000 lines in bounded memory, yielding every object', async () => {
    const path = folder.path('large.ndjson');
    await writeLargeFile(path);
    const fileBytes = statSync(path).size;
    const gc = collector();

    gc();
    const baseline = process.memoryUsage().heapUsed;
    let peak = 0;
    let accepted = 0;
    let rejected = 0;
    let lastProgress = 0;
    const reading = await readExchangeFile(path, { onProgress: (p) => (lastProgress = p.bytesRead) });
    for await (const item of reading.items) {
      if (item.status === 'accepted') accepted += 1;
      else rejected += 1;
      if ((accepted + rejected) % 25_000 === 0) {
        gc();
        peak = Math.max(peak, process.memoryUsage().heapUsed - baseline);
      }
    }
    gc();
    peak = Math.max(peak, process.memoryUsage().heapUsed - baseline);

    console.info(`streamed ${LINES} lines (${Math.round(fileBytes / 1024 / 1024)} MB): heap grew at most ${Math.round(peak / 1024 / 1024)} MB`);
    expect(rejected).toBe(0);
    expect(accepted).toBe(LINES - 1);
    expect(lastProgress).toBe(fileBytes);
    expect(peak).toBeLessThan(MAX_GROWTH_BYTES);
  });
});
