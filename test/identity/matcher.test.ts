import { describe, expect, it } from 'vitest';
import { generatePeople } from '../../bench/generate-people.js';
import { ConstrainedClusters } from '../../src/identity/cluster.js';
import { MODEL_PARAMS } from '../../src/identity/data/model-params.js';
import { Matcher, type Resolution } from '../../src/identity/matcher.js';
import type { IdentityRecordInput } from '../../src/identity/normalise.js';
import { rec, validNhs } from './builders.js';

// A few hundred invented people, so that the prior is that of a real (if small) population
// rather than of a world with only the records under test in it.
const BACKGROUND = generatePeople(400, 11);
const ON = '2025-06-01';

function matcherWith(records: IdentityRecordInput[], options: ConstructorParameters<typeof Matcher>[1] = {}): Matcher {
  const m = new Matcher(MODEL_PARAMS, { evaluationDate: ON, ...options });
  m.add(BACKGROUND);
  m.add(records);
  return m;
}

function together(result: Resolution, a: string, b: string): boolean {
  return result.persons.some((p) => p.includes(a) && p.includes(b));
}

const home = { line1: '7 Mossfield Crescent', town: 'Stoke-on-Trent', postcode: 'ST2 0QT' };

describe('deterministic links on NHS numbers', () => {
  it('links two records with the same valid NHS number even when the names alone would not', () => {
    const a = rec({ givenName: 'Maisie', familyName: 'Doyle', dateOfBirth: '2024-05-10', sex: 'female', nhsNumber: validNhs(5324) });
    const b = rec({ givenName: 'Baby', familyName: 'Fenwick', dateOfBirth: '2024-05-10', sex: 'female', nhsNumber: validNhs(5324).replace(/ /g, '') });
    const m = matcherWith([a, b]);
    expect(m.compare(a.id, b.id)).toMatchObject({ band: 'auto', basis: 'nhs-number' });
    expect(together(m.resolve(), a.id, b.id)).toBe(true);
  });

  it('sends a shared NHS number to review when other fields flatly contradict it', () => {
    const nhs = validNhs(7001);
    const a = rec({ givenName: 'Leanne', familyName: 'Bostock', dateOfBirth: '1979-09-03', sex: 'female', nhsNumber: nhs });
    const b = rec({ givenName: 'Jordan', familyName: 'Bostock', dateOfBirth: '1999-01-15', sex: 'male', nhsNumber: nhs });
    const m = matcherWith([a, b]);
    const result = m.resolve();
    expect(together(result, a.id, b.id)).toBe(false);
    const item = result.reviewQueue.find((r) => r.records.includes(a.id) && r.records.includes(b.id));
    expect(item?.explanation.basis).toBe('nhs-number-contradicted');
    expect(item?.why).toMatch(/flatly disagree/);
    expect(item!.score).toBeGreaterThanOrEqual(0);
    expect(item!.score).toBeLessThanOrEqual(1);
  });

  it('never links two records with different valid NHS numbers, however alike, not even through a third', () => {
    const same = { givenName: 'Riley', familyName: 'Mellor', dateOfBirth: '2020-03-26', sex: 'male', address: home };
    const a = rec({ ...same, nhsNumber: validNhs(3004) });
    const b = rec({ ...same, nhsNumber: validNhs(4000) });
    const c = rec({ ...same });
    const m = matcherWith([a, b, c]);
    expect(m.compare(a.id, b.id)).toMatchObject({ band: 'none', basis: 'different-nhs-numbers' });
    const result = m.resolve();
    expect(together(result, a.id, b.id)).toBe(false);
    // The third record links to one of them; the other link is cut and offered for review.
    expect(together(result, a.id, c.id) !== together(result, b.id, c.id)).toBe(true);
    expect(result.stats.cutLinks).toBeGreaterThanOrEqual(1);
    expect(result.reviewQueue.some((r) => r.records.includes(c.id) && /two different valid NHS numbers/.test(r.why))).toBe(true);
  });

  it('ignores an NHS number with a wrong check digit (and reports it)', () => {
    const bad = '943 476 5918';
    const a = rec({ givenName: 'Ann', familyName: 'Lee', dateOfBirth: '1950-01-01', nhsNumber: bad });
    const b = rec({ givenName: 'Zoltan', familyName: 'Kowalczyk', dateOfBirth: '2001-06-30', nhsNumber: bad });
    const m = matcherWith([a, b]);
    expect(m.record(a.id)!.warnings.some((w) => w.field === 'nhsNumber')).toBe(true);
    expect(m.compare(a.id, b.id).basis).toBe('score');
    expect(together(m.resolve(), a.id, b.id)).toBe(false);
  });
});

describe('children are protected', () => {
  it('never links twins: same birth date, surname and address, different first names', () => {
    const a = rec({ givenName: 'Mason', familyName: 'Mellor', dateOfBirth: '2020-03-26', sex: 'male', address: home });
    const b = rec({ givenName: 'Riley', familyName: 'Mellor', dateOfBirth: '2020-03-26', sex: 'male', address: home });
    const c = rec({ familyName: 'Mellor', dateOfBirth: '2020-03-26', sex: 'male', address: home });
    const m = matcherWith([a, b, c]);
    expect(m.compare(a.id, b.id)).toMatchObject({ band: 'none', basis: 'twins' });
    const result = m.resolve();
    expect(together(result, a.id, b.id)).toBe(false);
    // A record with no first name fits both twins: it may join one, never both.
    expect(together(result, a.id, c.id) && together(result, b.id, c.id)).toBe(false);
  });

  it('does not take a typing error in one first name for twins', () => {
    const a = rec({ givenName: 'Mason', familyName: 'Mellor', dateOfBirth: '2020-03-26', sex: 'male', address: home });
    const b = rec({ givenName: 'Masen', familyName: 'Mellor', dateOfBirth: '2020-03-26', sex: 'male', address: home });
    const m = matcherWith([a, b]);
    expect(m.compare(a.id, b.id).basis).toBe('score');
    expect(together(m.resolve(), a.id, b.id)).toBe(true);
  });

  it('never links a child automatically to an adult born a generation earlier (a parent with the same name)', () => {
    const mum = rec({ givenName: 'Kelly', familyName: 'Robson', dateOfBirth: '1987-04-19', sex: 'female', address: home });
    const daughter = rec({ givenName: 'Kelly', familyName: 'Robson', dateOfBirth: '2012-04-17', sex: 'female', address: home });
    const m = matcherWith([mum, daughter]);
    expect(m.compare(mum.id, daughter.id).basis).toBe('generation-apart');
    expect(m.compare(mum.id, daughter.id).band).not.toBe('auto');
    expect(together(m.resolve(), mum.id, daughter.id)).toBe(false);
  });

  it('needs a higher probability to link children automatically than adults', () => {
    expect(MODEL_PARAMS.thresholds.autoLinkChild).toBeGreaterThan(MODEL_PARAMS.thresholds.autoLink);
    // The same evidence (an initial only, a date a month out) about an adult and about a child.
    const pair = (dobA: string, dobB: string) => [
      rec({ givenName: 'H', familyName: 'Quennell', dateOfBirth: dobA, sex: 'female' }),
      rec({ givenName: 'Harriet', familyName: 'Quennell', dateOfBirth: dobB }),
    ];
    const [adultA, adultB] = pair('1980-03-14', '1980-04-16');
    const [childA, childB] = pair('2015-03-14', '2015-04-16');
    const m = matcherWith([adultA!, adultB!, childA!, childB!]);
    const adult = m.compare(adultA!.id, adultB!.id);
    const child = m.compare(childA!.id, childB!.id);
    expect(adult.probability).toBeCloseTo(child.probability, 6);
    expect(adult.probability).toBeGreaterThanOrEqual(MODEL_PARAMS.thresholds.autoLink);
    expect(child.probability).toBeLessThan(MODEL_PARAMS.thresholds.autoLinkChild);
    expect(adult).toMatchObject({ band: 'auto', child: false });
    expect(child).toMatchObject({ band: 'review', child: true, autoThreshold: MODEL_PARAMS.thresholds.autoLinkChild });
    const result = m.resolve();
    expect(together(result, adultA!.id, adultB!.id)).toBe(true);
    expect(together(result, childA!.id, childB!.id)).toBe(false);
    expect(result.reviewQueue.some((r) => r.records.includes(childA!.id) && /A child is involved/.test(r.why))).toBe(true);
  });
});

describe('fuzzy agreement', () => {
  it('matches a nickname, and says so', () => {
    const a = rec({ givenName: 'Tom', familyName: 'Whitfield', dateOfBirth: '1984-07-19', sex: 'male' });
    const b = rec({ givenName: 'Thomas', familyName: 'Whitfield', dateOfBirth: '1984-07-19', sex: 'male' });
    const m = matcherWith([a, b]);
    const e = m.compare(a.id, b.id);
    expect(e.band).toBe('auto');
    expect(e.fields.find((f) => f.field === 'givenName')).toMatchObject({ outcome: 'partial', level: 'nickname' });
    expect(together(m.resolve(), a.id, b.id)).toBe(true);
  });

  it('matches a nickname known only from the vendored public lists', () => {
    const a = rec({ givenName: 'Monty', familyName: 'Whitfield', dateOfBirth: '1984-07-19', sex: 'male' });
    const b = rec({ givenName: 'Montgomery', familyName: 'Whitfield', dateOfBirth: '1984-07-19', sex: 'male' });
    const m = matcherWith([a, b]);
    expect(m.compare(a.id, b.id).fields.find((f) => f.field === 'givenName')).toMatchObject({ outcome: 'partial', level: 'nickname' });
  });

  it('does not take an old equivalence in the public lists for a nickname: twins Patrick and Peter stay apart', () => {
    const address = { line1: '3 Rope Walk', town: 'Kelby', postcode: 'SX9 4RT' };
    const a = rec({ givenName: 'Patrick', familyName: 'Dunmore', dateOfBirth: '2016-03-02', sex: 'male', address });
    const b = rec({ givenName: 'Peter', familyName: 'Dunmore', dateOfBirth: '2016-03-02', sex: 'male', address });
    const m = matcherWith([a, b]);
    expect(m.compare(a.id, b.id).fields.find((f) => f.field === 'givenName')).toMatchObject({ outcome: 'disagree' });
    expect(together(m.resolve(), a.id, b.id)).toBe(false);
  });

  it('tolerates day and month swapped in a date of birth', () => {
    const a = rec({ givenName: 'Kayleigh', familyName: 'Atkinson', dateOfBirth: '1999-11-08', sex: 'female' });
    const b = rec({ givenName: 'Kayliegh', familyName: 'Atkinson', dateOfBirth: '1999-08-11', sex: 'female' });
    const m = matcherWith([a, b]);
    const e = m.compare(a.id, b.id);
    expect(e.fields.find((f) => f.field === 'dateOfBirth')).toMatchObject({ outcome: 'partial', level: 'day and month swapped' });
    expect(e.band).toBe('auto');
  });

  it('counts a common surname for less than a rare one', () => {
    const m = matcherWith([]);
    const people = [
      rec({ givenName: 'Sam', familyName: 'Smith', dateOfBirth: '1990-01-01' }),
      rec({ givenName: 'Sam', familyName: 'Smith', dateOfBirth: '1990-01-01' }),
      rec({ givenName: 'Sam', familyName: 'Quennell', dateOfBirth: '1990-01-01' }),
      rec({ givenName: 'Sam', familyName: 'Quennell', dateOfBirth: '1990-01-01' }),
    ];
    m.add(people);
    const weight = (x: IdentityRecordInput, y: IdentityRecordInput) => m.compare(x.id, y.id).fields.find((f) => f.field === 'familyName')!.weight;
    expect(weight(people[0]!, people[1]!)).toBeLessThan(weight(people[2]!, people[3]!) - 2);
  });
});

describe('blocking', () => {
  it('compares only a small share of all pairs', () => {
    const m = new Matcher(MODEL_PARAMS, { evaluationDate: ON });
    m.add(generatePeople(3000, 5));
    const { stats } = m.resolve();
    expect(stats.allPairs).toBe((3000 * 2999) / 2);
    expect(stats.comparisons).toBeGreaterThan(0);
    expect(stats.comparisons).toBeLessThan(stats.allPairs * 0.01);
  });
});

describe('review decisions and source ids', () => {
  it('never links a pair a reviewer called different, not even through a third record', () => {
    const same = { givenName: 'Craig', familyName: 'Mellor', dateOfBirth: '1990-02-11', sex: 'male', address: home };
    const a = rec(same);
    const b = rec(same);
    const c = rec(same);
    const m = matcherWith([a, b, c], { decisions: [{ records: [a.id, b.id], decision: 'different' }] });
    expect(m.compare(a.id, b.id)).toMatchObject({ band: 'none', basis: 'reviewer-different' });
    const result = m.resolve();
    expect(together(result, a.id, b.id)).toBe(false);
    expect(together(result, a.id, c.id) || together(result, b.id, c.id)).toBe(true);
  });

  it('links a pair a reviewer called the same, however little they agree', () => {
    const a = rec({ givenName: 'Kyle', sex: 'male' });
    const b = rec({ givenName: 'Liam', familyName: 'Pearson', dateOfBirth: '1984-10-05', sex: 'male' });
    const m = matcherWith([a, b]);
    expect(together(m.resolve(), a.id, b.id)).toBe(false);
    m.addDecisions([{ records: [b.id, a.id], decision: 'same' }]);
    const result = m.resolve();
    expect(together(result, a.id, b.id)).toBe(true);
    expect(result.reviewQueue.some((r) => r.records.includes(a.id) && r.records.includes(b.id))).toBe(false);
  });

  it('treats records of one source with the same sourceRecordId as one person', () => {
    const a = rec({ source: 'csc', sourceRecordId: 'LL-1208839', kind: 'unborn', familyName: 'Atkinson', expectedDate: '2018-07-12' });
    const b = rec({ source: 'csc', sourceRecordId: 'LL-1208839', givenName: 'Lucy', familyName: 'Atkinson', dateOfBirth: '2018-07-09' });
    const m = matcherWith([a, b]);
    expect(m.compare(a.id, b.id)).toMatchObject({ band: 'auto', basis: 'source-record-id' });
    expect(together(m.resolve(), a.id, b.id)).toBe(true);
  });
});

describe('unborn babies', () => {
  it('never links an unborn record to a born child by score', () => {
    const unborn = rec({ kind: 'unborn', familyName: 'Fenwick', expectedDate: '2024-05-14', sex: 'unknown' });
    const baby = rec({ givenName: 'Maisie', familyName: 'Fenwick', dateOfBirth: '2024-05-10', sex: 'female' });
    const m = matcherWith([unborn, baby]);
    expect(m.compare(unborn.id, baby.id)).toMatchObject({ band: 'none', basis: 'unborn' });
    expect(together(m.resolve(), unborn.id, baby.id)).toBe(false);
  });

  it('links two sources’ unborn records of one mother and pregnancy, but not twins', () => {
    const mum = { givenName: 'Jade', familyName: 'Fenwick', dateOfBirth: '2005-04-14', sex: 'female', nhsNumber: validNhs(5321) };
    const mumA = rec({ ...mum, source: 'mw' });
    const mumB = rec({ ...mum, source: 'eh' });
    const unbornA = rec({ source: 'mw', kind: 'unborn', familyName: 'Fenwick', expectedDate: '2024-05-14' });
    const unbornB = rec({ source: 'eh', kind: 'unborn', familyName: 'Fenwick', expectedDate: '2024-05-20' });
    const m = matcherWith([mumA, mumB, unbornA, unbornB]);
    m.addUnbornOf(unbornA.id, mumA.id);
    m.addUnbornOf(unbornB.id, mumB.id);
    const result = m.resolve();
    expect(together(result, unbornA.id, unbornB.id)).toBe(true);
    expect(together(result, unbornA.id, mumA.id)).toBe(false);
    expect(result.stats.unbornLinks).toBe(1);

    const twin1 = rec({ source: 'mw', kind: 'unborn', familyName: 'Bostock', expectedDate: '2020-04-09' });
    const twin2 = rec({ source: 'mw', kind: 'unborn', familyName: 'Bostock', expectedDate: '2020-04-09' });
    const other = rec({ source: 'csc', kind: 'unborn', familyName: 'Bostock', expectedDate: '2020-04-12' });
    const mother = rec({ source: 'mw', givenName: 'Leanne', familyName: 'Bostock', dateOfBirth: '1979-09-03', sex: 'female' });
    const m2 = matcherWith([twin1, twin2, other, mother]);
    for (const u of [twin1, twin2, other]) m2.addUnbornOf(u.id, mother.id);
    const r2 = m2.resolve();
    expect(together(r2, twin1.id, twin2.id)).toBe(false);
    expect(together(r2, twin1.id, other.id) || together(r2, twin2.id, other.id)).toBe(false);
    expect(r2.stats.ambiguousPregnancies).toEqual([expect.arrayContaining([twin1.id, twin2.id, other.id])]);
  });
});

describe('matchOne and explanations', () => {
  it('finds the person a new record is, best first, with every field explained side by side', () => {
    const known = rec({ givenName: 'Rebecca', familyName: 'Marsh', otherNames: ['Rebecca Whitfield'], dateOfBirth: '1987-02-09', sex: 'female', address: { line1: '12 Mill Lane', town: 'Kelby', postcode: 'SX9 2AR' } });
    const m = matcherWith([known]);
    const candidates = m.matchOne({ id: 'new', givenName: 'Becky', familyName: 'Whitfield', sex: 'female', address: { line1: '12 Mill Ln', postcode: 'sx92ar' } });
    expect(candidates[0]).toMatchObject({ recordId: known.id, band: 'auto' });
    const e = candidates[0]!.explanation;
    expect(e.records).toEqual(['new', known.id]);
    expect(e.probability).toBeGreaterThan(0.9);
    expect(e.modelVersion).toBe(MODEL_PARAMS.version);
    const byField = Object.fromEntries(e.fields.map((f) => [f.field, f]));
    expect(byField.givenName).toMatchObject({ outcome: 'partial', level: 'nickname', left: 'becky' });
    expect(byField.familyName).toMatchObject({ outcome: 'partial', level: 'other name' });
    expect(byField.postcode).toMatchObject({ outcome: 'agree', left: 'SX9 2AR', right: 'SX9 2AR' });
    expect(byField.address).toMatchObject({ outcome: 'agree' });
    expect(byField.dateOfBirth).toMatchObject({ outcome: 'missing', weight: 0 });
    for (const f of e.fields) expect(f.why).toMatch(new RegExp(`^${f.label}: `));
    expect(e.summary).toMatch(/match probability/);
    // Never more than asked for, and the new record is not added.
    expect(m.matchOne({ id: 'new2', givenName: 'Rebecca', familyName: 'Marsh' }, { limit: 1 })).toHaveLength(1);
    expect(m.record('new')).toBeUndefined();
  });

  it('gives a disagreeing field a negative weight and an agreeing one a positive weight', () => {
    const a = rec({ givenName: 'Evelyn', familyName: 'Whitfield', dateOfBirth: '2013-10-14', sex: 'female' });
    const b = rec({ givenName: 'Noah', familyName: 'Whitfield', dateOfBirth: '2021-11-02', sex: 'male' });
    const m = matcherWith([a, b]);
    const e = m.compare(a.id, b.id);
    const byField = Object.fromEntries(e.fields.map((f) => [f.field, f]));
    expect(byField.familyName!.outcome).toBe('agree');
    expect(byField.familyName!.weight).toBeGreaterThan(0);
    for (const f of ['givenName', 'dateOfBirth', 'sex']) {
      expect(byField[f]!.outcome).toBe('disagree');
      expect(byField[f]!.weight).toBeLessThan(0);
    }
    expect(e.band).toBe('none');
  });

  it('replaces a record sent again with the same id (a new version)', () => {
    const a = rec({ givenName: 'Kirsty', familyName: 'Fenwick', dateOfBirth: '2001-03-12' });
    const m = matcherWith([a]);
    const size = m.size;
    m.add([{ ...a, familyName: 'Doyle' }]);
    expect(m.size).toBe(size);
    expect(m.record(a.id)!.family!.full).toBe('doyle');
  });
});

describe('constrained clustering', () => {
  it('cuts the weakest link of a chain that would join incompatible records', () => {
    const clusters = new ConstrainedClusters({ size: 4, nhsNumber: (p) => (p === 0 ? '1' : p === 1 ? '2' : null), forbidden: new Map([[2, new Map([[3, 'look like twins']])], [3, new Map([[2, 'look like twins']])]]) });
    const cut = clusters.addEdges([
      { a: 0, b: 3, strength: 1 },
      { a: 0, b: 2, strength: 10 },
      { a: 1, b: 2, strength: 5 },
      { a: 1, b: 3, strength: 7 },
    ]);
    expect(cut.map((c) => [c.a, c.b])).toEqual([
      [1, 2],
      [0, 3],
    ]);
    expect(cut[0]!.reason).toMatch(/NHS/);
    expect(cut[1]!.reason).toMatch(/twins|NHS/);
    expect(clusters.groups().map((g) => [...g].sort())).toEqual([
      [0, 2],
      [1, 3],
    ]);
  });
});
