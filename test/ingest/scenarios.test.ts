import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { formatIssue } from '../../src/ingest/exchange-issues.js';
import { readExchangeFile } from '../../src/ingest/read-exchange-file.js';
import { collect, tempFolder, toNdjson } from './ingest-helpers.js';
import { sharedDir } from '../helpers/shared-material.js';

// Every shared scenario is a whole, valid exchange file: it must load with no rejection at all,
// as JSON and as the same objects in NDJSON.

const SCENARIOS = sharedDir('scenarios');
const files = readdirSync(SCENARIOS).filter((name) => name.endsWith('.json')).sort();
const folder = tempFolder('scenarios');
afterAll(() => folder.cleanup());

describe('shared scenarios', () => {
  it('are all there', () => {
    expect(files.length).toBeGreaterThanOrEqual(5);
  });

  it.each(files)('%s loads with no rejection', async (name) => {
    const path = join(SCENARIOS, name);
    const doc = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown[]>;
    const reading = await readExchangeFile(path);
    const got = await collect(reading);
    const scenario = reading.scenario!;
    const parts = [...scenario.expect, ...scenario.expectNot, ...(scenario.incident ? [scenario.incident] : [])];
    const scenarioRejections = parts.flatMap((part) => (part.status === 'rejected' ? part.rejections.map(formatIssue) : []));
    const scenarioWarnings = parts.flatMap((part) => part.warnings.map(formatIssue));

    console.info(`${name}: ${got.accepted.length} objects, ${got.rejections.length} rejections, ${got.warnings.length + scenarioWarnings.length} warnings`);
    expect(reading.format).toBe('json');
    expect(reading.title).toBe(doc.title);
    expect(got.rejections).toEqual([]);
    expect(scenarioRejections).toEqual([]);
    expect([...got.warnings, ...scenarioWarnings]).toEqual([]);
    const total = ['sources', 'records', 'relationships', 'events'].reduce((n, key) => n + (doc[key]?.length ?? 0), 0);
    expect(got.accepted).toHaveLength(total);
    expect(scenario.expect).toHaveLength(doc.expect?.length ?? 0);
    expect(scenario.expectNot).toHaveLength(doc.expectNot?.length ?? 0);

    // Order: sources, then records, relationships, events; each object exactly as received.
    const kinds = got.items.map((item) => item.kind);
    expect(kinds).toEqual([...kinds].sort((a, b) => ['source', 'record', 'relationship', 'event'].indexOf(a!) - ['source', 'record', 'relationship', 'event'].indexOf(b!)));
    expect(got.items.filter((item) => item.kind === 'event').map((item) => item.object)).toEqual(doc.events);
  });

  it.each(files)('%s loads as NDJSON with no rejection', async (name) => {
    const doc = JSON.parse(readFileSync(join(SCENARIOS, name), 'utf8')) as Record<string, unknown>;
    const path = folder.write(name.replace(/\.json$/, '.ndjson'), toNdjson(doc));
    const reading = await readExchangeFile(path);
    const got = await collect(reading);
    expect(reading.format).toBe('ndjson');
    expect(got.rejections).toEqual([]);
    expect(got.warnings).toEqual([]);
    expect(got.items[0]?.location.object).toBe('line 2');
  });
});
