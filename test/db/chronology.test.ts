import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { cliContext } from '../../src/access/cli-context.js';
import { exportChronology, getChronology, type ChronologyView } from '../../src/chronology/chronology.service.js';
import { CHRONOLOGY_CSV_HEADER } from '../../src/export/chronology-csv.js';
import type { Database } from '../../src/db/database.js';
import { runImport } from '../../src/ingest/import-run.js';
import { buildPartnership } from '../helpers/builders.js';
import { sharedDir } from '../helpers/shared-material.js';
import { flat, occurrences, pdfText } from '../helpers/pdf-text.js';
import { describeEachStore } from '../helpers/stores.js';

// Issue 5, "done when": after importing child-b.json the family chronology shows every event from
// every source in date order with its agency; the figures reproduce the review's appointment
// percentages; the picture shows the early-help and plan periods; the CSV and JSON exports hold
// every non-restricted event exactly once (the PDF's text is checked in test/export).
const FILE = sharedDir('scenarios', 'child-b.json');
interface Scenario {
  sources: { id: string; agency: string }[];
  events: { id: string; source: string; subjects: string[]; restricted?: boolean; childrenPresent?: string[]; child?: string; unborn?: string | string[]; person?: string }[];
}
const scenario = JSON.parse(readFileSync(FILE, 'utf8')) as Scenario;
const truth = (JSON.parse(readFileSync(sharedDir('scenarios', 'identities', 'child-b.json'), 'utf8')) as { persons: Record<string, string[]> }).persons;

/** Events of the file about anyone in Child B's family circle (parents, siblings, the mother's elder children). */
function familyEvents(): Scenario['events'] {
  const family = new Set(['mother', 'father', 'b', 'sib1', 'sib2', 'jordan', 'chelsea'].flatMap((p) => truth[p]!));
  return scenario.events.filter((e) => [...e.subjects, ...(e.childrenPresent ?? []), ...(e.child ? [e.child] : []), ...[e.unborn ?? []].flat(), ...(e.person ? [e.person] : [])].some((r) => family.has(r)));
}

describeEachStore('the chronology', (target) => {
  let store: Database;
  let partnershipId: string;
  let childB: string;
  let view: ChronologyView;
  beforeAll(async () => {
    store = await target.open();
    partnershipId = await buildPartnership(store.db);
    const run = await runImport(store.db, cliContext(partnershipId, 'test'), FILE);
    expect(run.summary.rejected).toEqual([]);
    childB = (await store.db.selectFrom('records').select('person_id').where('partnership_id', '=', partnershipId).where('record_key', '=', 'hosp:b').executeTakeFirstOrThrow()).person_id!;
    view = await getChronology(store.db, cliContext(partnershipId, 'test'), childB, { family: true, all: true });
  });
  afterAll(async () => {
    await store.close();
  });

  it('shows every event about the family from every source, once each, in date order, with its agency', () => {
    const expected = familyEvents();
    expect(view.entries.map((e) => e.key).sort()).toEqual(expected.map((e) => e.id).sort());
    const days = view.entries.map((e) => e.dateSort);
    expect(days).toEqual([...days].sort());
    const agencyOf = new Map(scenario.sources.map((s) => [s.id, s.agency]));
    for (const e of view.entries) expect(e.agency).toBe(agencyOf.get(e.key.split(':')[0]!));
    // The command line reads for the partnership: only the restricted entries are withheld.
    expect(view.entries.filter((e) => e.visibility !== 'full').map((e) => e.key).sort()).toEqual(expected.filter((e) => e.restricted).map((e) => e.id).sort());
  });

  it('labels each family entry with whom it concerns', () => {
    const twinsCheck = view.entries.find((e) => e.key === 'hv:e003');
    expect(twinsCheck?.subjects.length).toBeGreaterThan(0);
    expect(view.members.map((m) => m.id)).toContain(childB);
  });

  it('reproduces the review’s hospital outpatient figures for each child (24%, 62%, 50%)', async () => {
    const personOf = async (record: string) =>
      (await store.db.selectFrom('records').select('person_id').where('partnership_id', '=', partnershipId).where('record_key', '=', record).executeTakeFirstOrThrow()).person_id!;
    const outpatients = async (record: string) => {
      const id = await personOf(record);
      return view.figures.find((f) => f.personId === id)!.appointments.filter((a) => a.service === 'outpatients').map((a) => a.text);
    };
    expect(await outpatients('hosp:b')).toEqual([expect.stringMatching(/^Brought to 6 of 25 outpatient appointments \(24%\)/)]);
    expect(await outpatients('hosp:sib1')).toEqual([expect.stringMatching(/^Brought to 8 of 13 outpatient appointments \(62%\)/)]);
    expect(await outpatients('hosp:sib2')).toEqual([expect.stringMatching(/^Brought to 10 of 20 outpatient appointments \(50%\)/)]);
    const nursery = view.figures.find((f) => f.personId === childB)!.attendance.map((a) => a.text);
    expect(nursery.some((t) => /29% attendance \(17 of 58 sessions/.test(t))).toBe(true);
    expect(nursery.some((t) => /31% attendance \(20 of 65 sessions/.test(t))).toBe(true);
  });

  it('draws the early-help and plan periods as bands in the timeline picture', () => {
    const lane = view.timeline.lanes[0]!;
    const kinds = lane.bands.map((b) => b.kind);
    expect(kinds).toContain('early-help');
    expect(kinds).toContain('child-protection');
    expect(kinds).toContain('child-in-need');
    expect(kinds).toContain('universal');
    expect(view.timeline.marks.some((m) => m.kind === 'birth')).toBe(true);
  });

  it('filters by agency, type and significance, and searches the words of entries', async () => {
    const ctx = cliContext(partnershipId, 'test');
    const police = await getChronology(store.db, ctx, childB, { family: true, agencies: ['police'], all: true });
    expect(police.entries.length).toBeGreaterThan(0);
    expect(police.entries.every((e) => e.agency === 'police')).toBe(true);
    const visits = await getChronology(store.db, ctx, childB, { types: ['home-visit'], all: true });
    expect(visits.entries.every((e) => e.type === 'home-visit')).toBe(true);
    const significant = await getChronology(store.db, ctx, childB, { family: true, significantOnly: true, all: true });
    expect(significant.entries.every((e) => e.significant)).toBe(true);
    const words = await getChronology(store.db, ctx, childB, { family: true, text: 'PAMS', all: true });
    expect(words.entries.length).toBeGreaterThan(0);
    expect(words.entries.every((e) => /pams/i.test(e.summary ?? ''))).toBe(true);
    const paged = await getChronology(store.db, ctx, childB, { family: true, page: 2, pageSize: 50 });
    expect(paged.entries.map((e) => e.key)).toEqual(view.entries.slice(50, 100).map((e) => e.key));
  });

  it('exports CSV and JSON with every non-restricted entry exactly once, audited', async () => {
    const ctx = cliContext(partnershipId, 'case review');
    const expected = familyEvents().filter((e) => !e.restricted).map((e) => e.id).sort();
    const csv = await exportChronology(store.db, ctx, 'hosp:b', { family: true, format: 'csv' });
    const lines = csv.body.toString('utf8').trimEnd().split('\r\n');
    expect(lines[0]).toBe(CHRONOLOGY_CSV_HEADER.map((h) => `"${h}"`).join(','));
    const ids = lines.slice(1).map((l) => JSON.parse(`[${l}]`)[5] as string);
    expect(ids.sort()).toEqual(expected);
    expect(csv.omitted).toBe(familyEvents().filter((e) => e.restricted).length);

    const json = await exportChronology(store.db, ctx, childB, { family: true, format: 'json' });
    const doc = JSON.parse(json.body.toString('utf8')) as { format: string; events: { id: string; source: string }[]; records: { id: string }[] };
    expect(doc.format).toBe('throughline-exchange/1');
    expect(doc.events.map((e) => e.id).sort()).toEqual(expected);
    for (const e of doc.events) expect(e.source).toBe(e.id.split(':')[0]);

    const pdf = await exportChronology(store.db, ctx, childB, { family: true, format: 'pdf' });
    const text = flat(pdfText(pdf.body).all);
    for (const id of expected) expect(occurrences(text, `Ref ${id} `) + (text.endsWith(`Ref ${id}`) ? 1 : 0), id).toBe(1);
    for (const e of familyEvents().filter((x) => x.restricted)) expect(text).not.toContain(`Ref ${e.id} `);
    expect(text).toContain(`Restricted entries not included: ${csv.omitted}`);

    const withRestricted = await exportChronology(store.db, cliContext(partnershipId, 'serious case review, court order 123'), childB, { family: true, format: 'json', includeRestricted: true });
    expect((JSON.parse(withRestricted.body.toString('utf8')) as { events: unknown[] }).events).toHaveLength(familyEvents().length);
    const exports = await store.db.selectFrom('audit_log').select(['details']).where('partnership_id', '=', partnershipId).where('action', '=', 'chronology.export').execute();
    expect(exports).toHaveLength(4);
    const last = (typeof exports[3]!.details === 'string' ? JSON.parse(exports[3]!.details) : exports[3]!.details) as { includeRestricted: boolean; purpose: string };
    expect(last).toMatchObject({ includeRestricted: true, purpose: 'serious case review, court order 123' });
  });
});
