import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { NICKNAMES, NOT_USED, SUPPLEMENT, readNicknameLists } from '../../src/identity/data/nicknames.js';
import { foldText } from '../../src/identity/normalise.js';
import { areNicknames, forenameRoots } from '../../src/identity/nicknames.js';
import { metaphone, soundex } from '../../src/identity/phonetic.js';
import { editDistance, jaroWinkler } from '../../src/identity/similarity.js';

describe('Jaro–Winkler', () => {
  it('matches the published examples (Winkler 1990)', () => {
    expect(jaroWinkler('martha', 'marhta')).toBeCloseTo(0.961, 3);
    expect(jaroWinkler('dwayne', 'duane')).toBeCloseTo(0.84, 3);
    expect(jaroWinkler('dixon', 'dicksonx')).toBeCloseTo(0.813, 3);
    expect(jaroWinkler('abc', 'abc')).toBe(1);
    expect(jaroWinkler('abc', 'xyz')).toBe(0);
    expect(jaroWinkler('', '')).toBe(0);
  });

  it('is symmetric and between 0 and 1 (property)', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 80 }), fc.string({ maxLength: 80 }), (a, b) => {
        const x = jaroWinkler(a, b);
        expect(x).toBeGreaterThanOrEqual(0);
        expect(x).toBeLessThanOrEqual(1 + 1e-12);
        expect(jaroWinkler(b, a)).toBeCloseTo(x, 12);
      }),
    );
  });
});

describe('edit distance (optimal string alignment)', () => {
  it('counts insertions, deletions, substitutions and neighbour swaps as one each', () => {
    expect(editDistance('mellor', 'meller')).toBe(1);
    expect(editDistance('kayleigh', 'kayliegh')).toBe(1);
    expect(editDistance('19900312', '19901203')).toBe(4);
    expect(editDistance('', 'abc')).toBe(3);
    expect(editDistance('kitten', 'sitting', 1)).toBe(2);
  });

  it('is a symmetric distance, zero only for equal strings (property)', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 70 }), fc.string({ maxLength: 70 }), fc.string({ maxLength: 70 }), (a, b, c) => {
        const ab = editDistance(a, b);
        expect(editDistance(b, a)).toBe(ab);
        expect(ab === 0).toBe(a === b);
        expect(editDistance(a, c)).toBeLessThanOrEqual(ab + editDistance(b, c) + 1);
        expect(editDistance(a, b, 1)).toBe(Math.min(ab, 2));
      }),
    );
  });
});

describe('sound-alike codes', () => {
  it('gives names said alike the same Metaphone code', () => {
    expect(metaphone('kerr')).toBe(metaphone('carr'));
    expect(metaphone('meller')).toBe(metaphone('mellor'));
    expect(metaphone('kayleigh')).toBe(metaphone('kayliegh'));
    expect(metaphone('smith')).toBe(metaphone('smyth'));
    expect(metaphone('knight')).toBe('NT');
    expect(metaphone('phillips')).toBe(metaphone('filips'));
    expect(metaphone('')).toBe('');
  });

  it('computes American Soundex', () => {
    expect(soundex('robert')).toBe('R163');
    expect(soundex('rupert')).toBe('R163');
    expect(soundex('ashcraft')).toBe('A261');
    expect(soundex('tymczak')).toBe('T522');
    expect(soundex('pfister')).toBe('P236');
    expect(soundex('lee')).toBe('L000');
  });
});

describe('nicknames', () => {
  it('knows common English forms of forenames, both ways, and between two nicknames of one name', () => {
    expect(areNicknames('bill', 'william')).toBe(true);
    expect(areNicknames('william', 'bill')).toBe(true);
    expect(areNicknames('liz', 'elizabeth')).toBe(true);
    expect(areNicknames('becky', 'rebecca')).toBe(true);
    expect(areNicknames('bob', 'rob')).toBe(true);
    expect(areNicknames('liz', 'beth')).toBe(true);
    expect(areNicknames('mohammad', 'muhammad')).toBe(true);
  });

  it('knows pairs that only the vendored public lists have', () => {
    // Neither is in the supplement (the earlier hand-written table had neither name).
    expect(SUPPLEMENT.augustus).toBeUndefined();
    expect(SUPPLEMENT.montgomery).toBeUndefined();
    expect(areNicknames('gus', 'augustus')).toBe(true);
    expect(areNicknames('montgomery', 'monty')).toBe(true);
    expect(areNicknames('zeke', 'ezekiel')).toBe(true);
  });

  it('keeps the British forms the public lists lack, from the supplement', () => {
    expect(areNicknames('alfie', 'alfred')).toBe(true);
    expect(areNicknames('kaz', 'karen')).toBe(true);
    expect(areNicknames('del', 'derek')).toBe(true);
    expect(areNicknames('bex', 'rebecca')).toBe(true);
    const listed = new Set(readNicknameLists().map(([full, nick]) => `${foldText(full)}>${foldText(nick)}`));
    for (const [full, nicks] of Object.entries(SUPPLEMENT)) for (const nick of nicks) expect(listed.has(`${full}>${nick}`), `${full}>${nick}`).toBe(false);
  });

  it('does not relate two full names that only share a nickname, or unrelated names', () => {
    expect(areNicknames('henry', 'harold')).toBe(false);
    expect(areNicknames('william', 'robert')).toBe(false);
    expect(areNicknames('mason', 'riley')).toBe(false);
    expect(areNicknames('tom', 'tom')).toBe(false);
    expect(forenameRoots('harry')).toEqual(expect.arrayContaining(['harry', 'henry', 'harold']));
  });

  it('does not relate two forms through a nickname listed for many names', () => {
    // "ann" is listed for more than ten names (Roseann, Roxanne, ...), "mary" for Rosemary and ten more.
    expect(areNicknames('ann', 'roseann')).toBe(true);
    expect(areNicknames('ann', 'rose')).toBe(false);
    expect(areNicknames('mary', 'rose')).toBe(false);
  });

  it('does not use the pairs of the public lists that join two different given names', () => {
    expect(areNicknames('patrick', 'peter')).toBe(false);
    expect(areNicknames('susan', 'hannah')).toBe(false);
    expect(areNicknames('andrea', 'andrew')).toBe(false);
    expect(areNicknames('emily', 'emma')).toBe(false);
    expect(areNicknames('ian', 'john')).toBe(false);
    expect(areNicknames('bill', 'fred')).toBe(false);
    expect(areNicknames('will', 'fred')).toBe(true); // both short for Wilfred
    const listed = new Set(readNicknameLists().map(([full, nick]) => `${foldText(full)}>${foldText(nick)}`));
    for (const [x, y] of NOT_USED) {
      expect(listed.has(`${x}>${y}`) || listed.has(`${y}>${x}`), `${x}/${y} is in a list`).toBe(true);
      expect(NICKNAMES[x] ?? [], `${x}/${y}`).not.toContain(y);
      expect(NICKNAMES[y] ?? [], `${y}/${x}`).not.toContain(x);
    }
  });

  it('reads both vendored lists, folded as names are', () => {
    expect(Object.keys(NICKNAMES).length).toBeGreaterThan(1000);
    for (const [full, nicks] of Object.entries(NICKNAMES)) {
      expect(full).toMatch(/^[a-z0-9]+$/);
      for (const nick of nicks) expect(nick).toMatch(/^[a-z0-9]+$/);
    }
    // Dotted initials lose their dots: "casey,has_nickname,k.c.".
    expect(NICKNAMES.casey).toContain('kc');
  });
});
