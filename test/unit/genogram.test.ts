import { describe, expect, it } from 'vitest';
import { renderGenogram, type GenogramInput, type GenogramPerson } from '../../src/family/genogram.js';

const person = (id: string, name: string, sex: GenogramPerson['sex'], extra: Partial<GenogramPerson> = {}): GenogramPerson => ({ id, name, sex, kind: 'person', ...extra });

/** The <g> drawn for one person, found by its data attribute. */
function personGroup(svg: string, id: string): string {
  const start = svg.indexOf(`<g data-person-id="${id}">`);
  expect(start, `no group for ${id}`).toBeGreaterThanOrEqual(0);
  return svg.slice(start, svg.indexOf('</g>', start) + 4);
}

const desc = (svg: string): string => /<desc[^>]*>([^<]*)<\/desc>/.exec(svg)![1]!;

const twoParentFamily: GenogramInput = {
  focusId: 'leo',
  people: [
    person('leo', 'Leo Carter', 'male', { born: '2021-05-02', ageLabel: '4 years', livesWithFocus: true, href: '/people/leo' }),
    person('amy', 'Amy Carter', 'female', { born: '1994-01-10', livesWithFocus: true, href: '/people/amy' }),
    person('dan', 'Dan Carter', 'male', { born: '1990-07', livesWithFocus: true }),
    person('mia', 'Mia Carter', 'female', { born: '2016-03-03', livesWithFocus: true }),
    person('sam', 'Sam Carter', 'unknown', { born: '2019' }),
    { id: 'baby', name: 'Unborn baby Carter', sex: 'unknown', kind: 'unborn', expectedDate: '2026-09-14' },
  ],
  links: [
    { from: 'amy', to: 'leo', type: 'mother' },
    { from: 'dan', to: 'leo', type: 'father' },
    { from: 'amy', to: 'mia', type: 'mother' },
    { from: 'dan', to: 'mia', type: 'father' },
    { from: 'amy', to: 'sam', type: 'mother' },
    { from: 'dan', to: 'sam', type: 'father' },
    { from: 'sam', to: 'leo', type: 'sibling', livesElsewhere: true },
    { from: 'baby', to: 'amy', type: 'unborn-child-of' },
    { from: 'dan', to: 'amy', type: 'partner', start: '2012-06-01' },
  ],
};

describe('renderGenogram', () => {
  it('draws a two-parent family with two siblings and an unborn baby', () => {
    const { svg, generations, warnings } = renderGenogram(twoParentFamily);
    expect(warnings).toEqual([]);
    // Male on the left of a couple; children oldest first beneath them.
    expect(generations).toEqual([['dan', 'amy'], ['mia', 'sam', 'leo', 'baby']]);
    expect(svg).toMatch(/^<svg xmlns="http:\/\/www.w3.org\/2000\/svg" viewBox="0 0 \d+ \d+" width="100%"/);
    expect(svg).toContain('role="img"');
    expect(svg).toContain('aria-labelledby="genogram-leo-title genogram-leo-desc"');
    expect(svg).toContain('<title id="genogram-leo-title">Family genogram for Leo Carter</title>');
    // Symbols: square, circle, diamond, triangle; the focus child has a double outline (two squares).
    expect(personGroup(svg, 'dan')).toContain('<rect');
    expect(personGroup(svg, 'amy')).toContain('<circle');
    expect(personGroup(svg, 'sam')).toContain('<polygon');
    expect(personGroup(svg, 'baby')).toContain('<polygon');
    expect(personGroup(svg, 'baby')).toContain('expected 14 September 2026');
    expect(personGroup(svg, 'leo').match(/<rect/g)).toHaveLength(2);
    expect(personGroup(svg, 'leo')).toContain('4 years');
    expect(personGroup(svg, 'sam')).toContain('lives elsewhere');
    expect(personGroup(svg, 'dan')).not.toContain('lives elsewhere');
    // Linked people are wrapped in an SVG 2 href link whose title names them and the relationship.
    expect(personGroup(svg, 'amy')).toContain('<a href="/people/amy"><title>Amy Carter, mother</title>');
    expect(personGroup(svg, 'dan')).toContain('<title>Dan Carter, father</title>');
    expect(personGroup(svg, 'baby')).toContain('<title>Unborn baby Carter, unborn sibling</title>');
    expect(svg).toContain('since 2012');
    expect(svg).not.toContain('Father not recorded');
    // No scripts, handlers, styles or external resources.
    expect(svg).not.toMatch(/<script|\son\w+=|style|xlink:href|url\(/i);
    // Text at least 14 user units.
    for (const size of svg.matchAll(/font-size="(\d+)"/g)) expect(Number(size[1])).toBeGreaterThanOrEqual(14);
  });

  it('draws a mother with an ex-partner and a current partner', () => {
    const { svg, generations, warnings } = renderGenogram({
      focusId: 'kai',
      people: [
        person('kai', 'Kai Osei', 'male', { born: '2018-02-01' }),
        person('rose', 'Rose Osei', 'female', { born: '1990-04-04' }),
        person('kwame', 'Kwame Mensah', 'male', { born: '1988-01-01' }),
        person('tom', 'Tom Hill', 'male', { born: '1987-09-09' }),
      ],
      links: [
        { from: 'rose', to: 'kai', type: 'mother' },
        { from: 'kwame', to: 'kai', type: 'father', livesElsewhere: true },
        { from: 'kwame', to: 'rose', type: 'partner', start: '2015-03-01', end: '2020-08-01' },
        { from: 'tom', to: 'rose', type: 'partner', start: '2022-01-01' },
      ],
    });
    expect(warnings).toEqual([]);
    // Ended partnership on the left, current on the right, mother between them.
    expect(generations).toEqual([['kwame', 'rose', 'tom'], ['kai']]);
    expect(svg).toContain('>2015–2020</text>');
    expect(svg).toContain('>since 2022</text>');
    expect(personGroup(svg, 'kwame')).toContain('lives elsewhere');
    expect(personGroup(svg, 'tom')).toContain('<title>Tom Hill, partner of mother</title>');
    // Exactly one slash: the ended partnership. Slashes are the only short diagonal "L" paths.
    expect(svg.match(/<path d="M[\d.]+,[\d.]+L[\d.]+,[\d.]+"/g)).toHaveLength(1);
    expect(desc(svg)).toBe('Genogram for Kai Osei: 2 parents, 1 other person.');
  });

  it('prompts for a father who is not recorded', () => {
    const { svg, generations } = renderGenogram({
      focusId: 'leo',
      fatherUnknown: true,
      people: [person('leo', 'Leo Carter', 'male'), person('amy', 'Amy Carter', 'female')],
      links: [{ from: 'amy', to: 'leo', type: 'mother' }],
    });
    expect(svg).toContain('<g data-placeholder="father-not-recorded">');
    expect(svg).toMatch(/<rect [^>]*stroke-dasharray="6 4"\/>/);
    expect(svg).toContain('>Father not recorded</text>');
    // The placeholder is drawing only: it is not a person id in the output.
    expect(generations).toEqual([['amy'], ['leo']]);
    expect(desc(svg)).toBe('Genogram for Leo Carter: 1 parent; father not recorded.');

    // No father link at all prompts the same way, even without the flag.
    const noFlag = renderGenogram({ focusId: 'leo', people: [person('leo', 'Leo Carter', 'male')], links: [] });
    expect(noFlag.svg).toContain('Father not recorded');
    expect(noFlag.generations).toEqual([['leo']]);
  });

  it('survives cycles and odd data, drawing every person exactly once', () => {
    const ids = ['a', 'b', 'c', 'd', 'e', 'f', 'g'];
    const { svg, generations, warnings } = renderGenogram({
      focusId: 'a',
      people: [
        ...ids.map((id) => person(id, `Person ${id.toUpperCase()}`, 'unknown')),
        person('a', 'Duplicate A', 'female'),
        person('carer', 'Pat Jones', 'female'),
      ],
      links: [
        { from: 'b', to: 'a', type: 'mother' },
        { from: 'a', to: 'b', type: 'mother' }, // cycle
        { from: 'c', to: 'b', type: 'father' },
        { from: 'a', to: 'c', type: 'grandparent' }, // contradicts the line above
        { from: 'd', to: 'a', type: 'sibling' },
        { from: 'e', to: 'ghost', type: 'mother' }, // unknown person
        { from: 'e', to: 'e', type: 'partner' }, // self-link
        { from: 'f', to: 'g', type: 'mother' }, // disconnected family
        { from: 'carer', to: 'a', type: 'carer' },
      ],
    });
    const drawn = generations.flat();
    expect([...drawn].sort()).toEqual([...ids, 'carer'].sort());
    for (const id of [...ids, 'carer']) expect(svg.split(`data-person-id="${id}"`)).toHaveLength(2);
    expect(svg).not.toContain('Duplicate A');
    expect(warnings.length).toBeGreaterThanOrEqual(4);
    expect(warnings.join('\n')).toMatch(/more than once/);
    expect(warnings.join('\n')).toMatch(/unknown person or to itself/);
    // The carer with no family link sits at the end of the focus row, set apart.
    const focusRow = generations.find((row) => row.includes('a'))!;
    expect(focusRow.at(-1)).toBe('carer');
    expect(svg).toContain('stroke-dasharray="2 4"');
    expect(svg).not.toMatch(/NaN|undefined|Infinity/);

    // A missing focus person and empty input do not crash either.
    expect(renderGenogram({ focusId: 'nobody', people: [], links: [] }).svg).toContain('No people recorded.');
    expect(renderGenogram({ focusId: 'nobody', people: [person('x', 'X', 'male')], links: [] }).warnings).toEqual(['Focus person nobody is not in the people list.']);
  });

  it('escapes names, labels and links from agency records', () => {
    const { svg } = renderGenogram({
      focusId: 'x',
      title: 'Family of <b>"X"</b>',
      people: [
        person('x', '<script>&"', 'female', { ageLabel: "<img src=x onerror='y'>", href: '/people/x?a=1&b="2"' }),
        person('m', "O'Brien & <Sons>\u0007", 'female', { href: 'javascript:alert(1)' }),
      ],
      links: [{ from: 'm', to: 'x', type: 'mother' }],
    });
    expect(svg).not.toContain('<script');
    expect(svg).not.toContain('<img');
    expect(svg).not.toContain('<b>');
    expect(svg).toContain('&lt;script&gt;&amp;&quot;');
    expect(svg).toContain('O&#39;Brien &amp; &lt;Sons&gt;');
    expect(svg).not.toContain('\u0007');
    expect(svg).toContain('href="/people/x?a=1&amp;b=&quot;2&quot;"');
    // A javascript: link is dropped, the person still drawn.
    expect(svg).not.toContain('javascript:');
    expect(personGroup(svg, 'm')).toContain('<circle');
    expect(desc(svg)).toBe('Genogram for &lt;script&gt;&amp;&quot;: 1 parent; father not recorded.');
  });

  it('is deterministic, whatever order the data arrives in', () => {
    const first = renderGenogram(twoParentFamily);
    expect(renderGenogram(twoParentFamily)).toEqual(first);
    const shuffled = { ...twoParentFamily, people: [...twoParentFamily.people].reverse(), links: [...twoParentFamily.links].reverse() };
    expect(renderGenogram(shuffled).svg).toBe(first.svg);
  });

  it('summarises the family in the desc', () => {
    expect(desc(renderGenogram(twoParentFamily).svg)).toBe('Genogram for Leo Carter: 2 parents, 2 siblings, 1 unborn baby. Lives with Amy Carter, Dan Carter and Mia Carter.');
    const { svg } = renderGenogram({
      focusId: 'leo',
      people: [
        person('leo', 'Leo Carter', 'male'), person('amy', 'Amy Carter', 'female'), person('gran', 'June Carter', 'female'),
        person('half', 'Ava Smith', 'female'), { id: 'baby', name: 'Baby', sex: 'unknown', kind: 'unborn' },
      ],
      links: [
        { from: 'amy', to: 'leo', type: 'mother' }, { from: 'gran', to: 'amy', type: 'mother' },
        { from: 'half', to: 'leo', type: 'half-sibling' }, { from: 'baby', to: 'amy', type: 'unborn-child-of' },
      ],
    });
    expect(desc(svg)).toBe('Genogram for Leo Carter: 1 parent, 1 sibling, 1 grandparent, 1 unborn baby; father not recorded.');
    expect(svg).toContain('expected, date not recorded');
  });
});
