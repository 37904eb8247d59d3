import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { foldText, normaliseAddressLine, normaliseDate, normaliseName, normalisePhone, normalisePostcode, normaliseRecord } from '../../src/identity/normalise.js';

const ACCENTED: Record<string, string[]> = { a: ['á', 'à', 'â', 'ä', 'å'], e: ['é', 'è', 'ê', 'ë'], i: ['í', 'ì', 'î', 'ï'], o: ['ó', 'ò', 'ô', 'ö'], u: ['ú', 'ù', 'û', 'ü'], c: ['ç'], n: ['ñ'] };
const nameArb = fc.array(fc.stringMatching(/^[a-z]{2,9}$/), { minLength: 1, maxLength: 3 }).map((parts) => parts.join(' '));

/** The same name as an agency might type it: random capitals, accents, hyphens and apostrophes. */
function disguise(name: string, seed: number): string {
  let s = seed;
  const next = () => (s = (s * 1103515245 + 12345) % 2147483648) / 2147483648;
  return name
    .split('')
    .map((c) => {
      const r = next();
      if (c === ' ') return r < 0.3 ? '-' : r < 0.4 ? ' - ' : ' ';
      const accents = ACCENTED[c];
      if (accents && r < 0.3) return accents[Math.floor(next() * accents.length)]!;
      if (r < 0.5) return c.toUpperCase();
      if (r < 0.55) return `${c}'`;
      return c;
    })
    .join('');
}

describe('name normalisation', () => {
  it('folds case, accents and punctuation, and keeps hyphenated and double-barrelled names together', () => {
    expect(normaliseName('  ZOË  ')?.full).toBe('zoe');
    expect(normaliseName("O'Neil")?.compact).toBe('oneil');
    expect(normaliseName('Smith-Jones')).toMatchObject({ full: 'smith jones', compact: 'smithjones', tokens: ['smith', 'jones'], first: 'smith' });
    expect(normaliseName('Smith Jones')?.compact).toBe(normaliseName('SMITH-JONES')?.compact);
    expect(normaliseName('Ellie-Mae')?.first).toBe('ellie');
    expect(normaliseName('Łukasz Großmann')?.full).toBe('lukasz grossmann');
    expect(normaliseName('Søren Ærø')?.full).toBe('soren aero');
  });

  it('drops titles and the placeholder words agencies use before a baby is named', () => {
    expect(normaliseName('Mrs Kelly Robson')?.full).toBe('kelly robson');
    expect(normaliseName('Baby')).toBeNull();
    expect(normaliseName('Twin 1 Bostock')?.full).toBe('bostock');
    expect(normaliseName('Unknown')).toBeNull();
    expect(normaliseName('')).toBeNull();
    expect(normaliseName(null)).toBeNull();
  });

  it('is idempotent (property)', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 30 }), (raw) => {
        const once = normaliseName(raw);
        if (once === null) return;
        expect(normaliseName(once.full)).toEqual(once);
      }),
    );
  });

  it('ignores case, accents, hyphens and apostrophes (property)', () => {
    fc.assert(
      fc.property(nameArb, fc.integer({ min: 1, max: 1_000_000 }), (name, seed) => {
        expect(normaliseName(disguise(name, seed))?.compact).toBe(normaliseName(name)?.compact);
      }),
    );
  });

  it('folds any text to lower-case ASCII letters, digits and single spaces (property)', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 40 }), (text) => {
        const folded = foldText(text);
        expect(folded).toMatch(/^([a-z0-9]+( [a-z0-9]+)*)?$/);
        expect(foldText(folded)).toBe(folded);
      }),
    );
  });
});

describe('date normalisation', () => {
  it('reads the forms agencies use, keeping vague dates vague', () => {
    expect(normaliseDate('2017-07-03')).toMatchObject({ digits: '20170703', precision: 'day', year: 2017, month: 7, day: 3, valid: true });
    expect(normaliseDate('20170703')?.digits).toBe('20170703');
    expect(normaliseDate('03/07/2017')?.digits).toBe('20170703');
    expect(normaliseDate('2017-07-03T10:00:00+01:00')?.digits).toBe('20170703');
    expect(normaliseDate('2021-01')).toMatchObject({ digits: '202101', precision: 'month', day: null });
    expect(normaliseDate('2021')).toMatchObject({ digits: '2021', precision: 'year', month: null });
  });

  it('keeps an impossible date as digits (for typo comparison) but marks it invalid', () => {
    expect(normaliseDate('1990-02-30')).toMatchObject({ digits: '19900230', valid: false, dayNumber: null });
    expect(normaliseDate('1990-13-01')?.valid).toBe(false);
    expect(normaliseDate('last Tuesday')).toBeNull();
  });

  it('round-trips any real calendar day (property)', () => {
    fc.assert(
      fc.property(fc.date({ min: new Date('1900-01-01'), max: new Date('2099-12-31'), noInvalidDate: true }), (d) => {
        const iso = d.toISOString().slice(0, 10);
        const n = normaliseDate(iso)!;
        expect(n.valid).toBe(true);
        expect(n.digits).toBe(iso.replace(/-/g, ''));
        expect(n.dayNumber).toBe(Math.round(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()) / 86_400_000));
      }),
    );
  });
});

describe('postcodes, addresses and telephone numbers', () => {
  it('puts valid UK postcodes in standard form and keeps anything else as text', () => {
    expect(normalisePostcode('st86qx')).toEqual({ text: 'ST8 6QX', valid: true, district: 'ST8', sector: 'ST8 6' });
    expect(normalisePostcode(' sw1a   1aa ')?.text).toBe('SW1A 1AA');
    expect(normalisePostcode('TS10 4PL')?.district).toBe('TS10');
    expect(normalisePostcode('4510')).toEqual({ text: '4510', valid: false, district: null, sector: null });
    expect(normalisePostcode('Not known')).toMatchObject({ text: 'NOT KNOWN', valid: false });
  });

  it('ignores spacing and case in valid postcodes, and is idempotent (property)', () => {
    const outward = fc.tuple(fc.stringMatching(/^[A-Z]{1,2}$/), fc.integer({ min: 1, max: 99 })).map(([a, n]) => `${a}${n}`);
    const inward = fc.tuple(fc.integer({ min: 0, max: 9 }), fc.stringMatching(/^[ABD-HJLNP-UW-Z]{2}$/)).map(([d, l]) => `${d}${l}`);
    fc.assert(
      fc.property(outward, inward, fc.boolean(), (o, i, lower) => {
        const standard = normalisePostcode(`${o} ${i}`)!;
        expect(standard.valid).toBe(true);
        const typed = `${o}${i}`;
        expect(normalisePostcode(lower ? typed.toLowerCase() : ` ${typed} `)).toEqual(standard);
        expect(normalisePostcode(standard.text)).toEqual(standard);
      }),
    );
  });

  it('expands street abbreviations and separates house numbers', () => {
    expect(normaliseAddressLine('14 Cinder Ln')).toEqual({ line: '14cinderlane', text: '14 cinder lane', numbers: ['14'], street: 'cinderlane' });
    expect(normaliseAddressLine('Flat 3, Carrick House')?.street).toBe('carrickhouse');
    expect(normaliseAddressLine('2 St James Rd')?.line).toBe('2saintjamesroad');
  });

  it('reads UK telephone numbers in national form', () => {
    expect(normalisePhone('07700 900418')).toBe('07700900418');
    expect(normalisePhone('+44 7700 900418')).toBe('07700900418');
    expect(normalisePhone('123')).toBeNull();
  });
});

describe('normaliseRecord', () => {
  it('reports an invalid NHS number and a non-UK postcode, and does not use the number', () => {
    const r = normaliseRecord({ id: 'x', nhsNumber: '943 476 5918', address: { postcode: '4510' }, dateOfBirth: '2019-13-02' });
    expect(r.nhsNumber).toBeNull();
    expect(r.warnings.map((w) => w.field)).toEqual(['dateOfBirth', 'nhsNumber', 'address.postcode']);
    expect(r.warnings[1]!.message).toBe('the NHS number check digit is wrong; it is not used for matching');
  });

  it('reads other names as aliases: nicknames, and former surnames from full names', () => {
    const r = normaliseRecord({ id: 'x', givenName: 'Kelly', familyName: 'Robson', otherNames: ['Kelly Carr', 'Kel', 'Baby Robson'] });
    expect(r.otherGiven).toEqual(expect.arrayContaining(['kelly', 'kel']));
    expect(r.otherFamily).toEqual(expect.arrayContaining(['carr', 'robson']));
    const roots = normaliseRecord({ id: 'y', givenName: 'Tom' }).givenRoots;
    expect(roots[0]).toBe('tom');
    expect(roots).toContain('thomas');
  });
});
