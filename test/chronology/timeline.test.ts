import { describe, expect, it } from 'vitest';
import { fromEpochDay, toEpochDay } from '../../src/calendar/days.js';
import {
  BAND_STYLES, MARK_KINDS, MARK_STYLES, MAX_GLYPHS, TIMELINE_INK, describeTimeline, layoutTimeline, textWidth,
  type MarkKind, type TimelineInput, type TimelineMark,
} from '../../src/chronology/timeline.js';
import { renderTimelineSvg } from '../../src/chronology/timeline-svg.js';

/** The family in the case review's hand-drawn "Timeline child B and siblings", simplified. */
const childB: TimelineInput = {
  title: 'Timeline: Child B and siblings',
  from: '2017-01-01',
  to: '2022-12-31',
  lanes: [
    {
      label: 'Child B (born 2017)',
      bands: [
        { kind: 'child-protection', from: '2016-11-01', to: '2017-10-15', label: 'Child protection plan (neglect)' },
        { kind: 'child-in-need', from: '2017-10-16', to: '2018-09-30', label: 'Child in need' },
        { kind: 'universal', from: '2018-10-01', to: '2019-04-30', label: 'Universal services' },
        { kind: 'early-help', from: '2019-05-01', to: '2019-07-31', label: 'Early help' },
        { kind: 'universal', from: '2019-08-01', to: '2022-11-01', label: 'Universal services' },
        { kind: 'looked-after', from: '2022-11-02', to: null, label: 'Looked after' },
      ],
    },
    {
      label: 'Siblings 1 and 2 (born 2019)',
      bands: [
        { kind: 'universal', from: '2019-11-01', to: '2020-03-01', label: 'Universal services' },
        { kind: 'early-help', from: '2020-03-02', to: '2021-04-30', label: 'Early help (targeted)' },
        { kind: 'child-in-need', from: '2020-06-01', to: '2020-12-01', label: 'Child in need' },
      ],
    },
  ],
  marks: [
    { date: '2017-02-10', kind: 'birth', label: 'Child B born', lane: 0, eventId: 'e1' },
    { date: '2018-06-01', kind: 'move', label: 'Moved to the current authority', eventId: 'e2' },
    { date: '2019-03-01', kind: 'pregnancy', label: 'Twin pregnancy confirmed', eventId: 'e3' },
    { date: '2019-05-01', kind: 'referral', label: 'Referral from a local charity', lane: 0, eventId: 'e4' },
    { date: '2019-11-01', kind: 'birth', label: 'Siblings born', lane: 1, eventId: 'e5' },
    { date: '2020-06-01', kind: 'police', label: 'Police called: father aggressive to ambulance staff', eventId: 'e6' },
    { date: '2022-11-01', kind: 'incident', label: 'Serious incident', lane: 0, eventId: 'e7' },
  ],
};

const desc = (svg: string): string => /<desc[^>]*>([^<]*)<\/desc>/.exec(svg)![1]!;

/** Relative luminance and contrast ratio, as WCAG defines them. */
function contrast(a: string, b: string): number {
  const lum = (hex: string): number => {
    const [r, g, bl] = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16) / 255).map((v) => (v <= 0.04045 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4));
    return 0.2126 * r! + 0.7152 * g! + 0.0722 * bl!;
  };
  const [hi, lo] = [lum(a), lum(b)].sort((p, q) => q - p);
  return (hi! + 0.05) / (lo! + 0.05);
}

/** A seeded spread of marks over a range (a linear congruential generator: the same every run). */
function manyMarks(n: number, from: string, to: string, lanes: number): TimelineMark[] {
  let seed = 7;
  const next = (): number => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
  const first = toEpochDay(from);
  const span = toEpochDay(to) - first + 1;
  return Array.from({ length: n }, (_, i) => {
    const lane = Math.floor(next() * (lanes + 1));
    return {
      date: fromEpochDay(first + Math.floor(next() * span)),
      kind: MARK_KINDS[Math.floor(next() * MARK_KINDS.length)]!,
      label: `Event ${i}`,
      eventId: `e${i}`,
      ...(lane < lanes ? { lane } : {}),
    };
  });
}

describe('layoutTimeline and renderTimelineSvg', () => {
  it('draws an accessible picture: role, title, desc, no interactive content, readable text', () => {
    const svg = renderTimelineSvg(layoutTimeline(childB));
    expect(svg).toMatch(/^<svg xmlns="http:\/\/www.w3.org\/2000\/svg" viewBox="0 0 1000 \d+" width="100%"/);
    expect(svg).toContain('role="img"');
    expect(svg).toContain('aria-labelledby="timeline-title timeline-desc"');
    expect(svg).toContain('<title id="timeline-title">Timeline: Child B and siblings</title>');
    expect(desc(svg)).toBe(
      'Timeline: Child B and siblings, 1 January 2017 to 31 December 2022. '
      + 'Child B (born 2017): Child protection plan (neglect) 1 November 2016 to 15 October 2017; Child in need 16 October 2017 to 30 September 2018; '
      + 'Early help 1 May 2019 to 31 July 2019; Looked after 2 November 2022 to now (still open). '
      + 'Siblings 1 and 2 (born 2019): Early help (targeted) 2 March 2020 to 30 April 2021; Child in need 1 June 2020 to 1 December 2020. '
      + '7 key events: 1 serious incident, 1 police incident, 1 referral, 2 births, 1 pregnancy, 1 house move.',
    );
    // Nothing focusable or active: no links, tab stops, scripts, handlers, styles or external resources.
    expect(svg).not.toMatch(/<a[\s>]|tabindex|<script|\son\w+=|style|xlink:href|<foreignObject|<image/i);
    for (const size of svg.matchAll(/font-size="(\d+)"/g)) expect(Number(size[1])).toBeGreaterThanOrEqual(14);
    expect(svg).not.toMatch(/NaN|undefined|Infinity/);
    // One row per lane plus the family-wide row (the move, the pregnancy and the police call).
    expect(svg).toContain('<g data-lane="family">');
    expect(svg).toContain('<g data-lane="0">');
    expect(svg).toContain('<g data-lane="1">');
  });

  it('tells bands apart without colour: hatching, names in the bands, and a key', () => {
    const layout = layoutTimeline(childB);
    const svg = renderTimelineSvg(layout);
    // Each hatched kind has its pattern, used by its bands.
    for (const kind of ['early-help', 'child-in-need', 'child-protection', 'looked-after'] as const) {
      expect(svg).toContain(`<pattern id="timeline-hatch-${kind}"`);
      expect(svg).toContain(`fill="url(#timeline-hatch-${kind})"`);
    }
    // Wide enough bands carry their own label, narrower ones the short name, the narrowest only the
    // hatching (the key and the list name them).
    const texts = layout.rows.flatMap((r) => r.bands.map((b) => b.text?.value ?? null));
    expect(texts).toContain('Child in need');
    expect(texts).toContain('Universal services');
    expect(texts).toContain('CP');
    expect(texts).toContain(null);
    expect(svg).toContain('>CP</text>');
    // The key lists exactly the kinds drawn, bands first, in a fixed order.
    expect(layout.legend.map((l) => (l.type === 'count' ? 'count' : l.kind))).toEqual([
      'universal', 'early-help', 'child-in-need', 'child-protection', 'looked-after',
      'incident', 'police', 'referral', 'birth', 'pregnancy', 'move',
    ]);
    expect(svg).toContain('>Key</text>');
    expect(svg).toContain('>Child protection plan</text>');
    expect(svg).toContain('>House move</text>');
    // No two key entries overlap.
    const boxes = layout.legend.map((l) => ({ x: l.x, y: l.type === 'count' ? l.baseline : l.y, right: l.textX + textWidth(l.label) }));
    for (const [i, a] of boxes.entries()) for (const b of boxes.slice(i + 1)) if (Math.abs(a.y - b.y) < 10) expect(a.right <= b.x || b.right <= a.x).toBe(true);
  });

  it('has colours with enough contrast and a shape (and fill) for every kind of mark', () => {
    for (const style of Object.values(BAND_STYLES)) {
      expect(contrast(style.stroke, '#ffffff')).toBeGreaterThanOrEqual(3);
      expect(contrast(style.stroke, style.fill)).toBeGreaterThanOrEqual(3);
      expect(contrast(TIMELINE_INK, style.fill)).toBeGreaterThanOrEqual(4.5);
    }
    for (const style of Object.values(MARK_STYLES)) expect(contrast(style.colour, '#ffffff')).toBeGreaterThanOrEqual(3);
    const looks = Object.values(MARK_STYLES).map((s) => `${s.shape}/${s.filled}`);
    expect(new Set(looks).size).toBe(looks.length);
    expect(new Set(Object.values(MARK_STYLES).map((s) => s.shape)).size).toBe(looks.length);
  });

  it('escapes every piece of text', () => {
    const svg = renderTimelineSvg(layoutTimeline({
      title: 'Timeline of <b>"X"</b> & co',
      from: '2020-01-01',
      to: '2020-12-31',
      lanes: [{ label: "O'Brien <script>alert(1)</script>\u0007", bands: [{ kind: 'child-in-need', from: '2020-01-01', to: '2020-12-31', label: 'Plan <img src=x onerror="y">' }] }],
      marks: [{ date: '2020-05-05', kind: 'other', label: '<x>', lane: 0 }],
    }, { id: 'tl"><script>' }));
    expect(svg).not.toMatch(/<script|<img|<b>/);
    expect(svg).not.toContain('\u0007');
    expect(svg).toContain('Timeline of &lt;b&gt;&quot;X&quot;&lt;/b&gt; &amp; co');
    expect(svg).toContain('O&#39;Brien');
    expect(svg).toContain('Plan &lt;img src=x onerror=&quot;y&quot;&gt;');
    // The id base is reduced to safe characters before it reaches attributes.
    expect(svg).toContain('aria-labelledby="tl___script_-title tl___script_-desc"');
  });

  it('draws empty input: no lanes, no marks', () => {
    const layout = layoutTimeline({ title: 'Timeline', from: '2020-01-01', to: '2021-06-30', lanes: [], marks: [] });
    const svg = renderTimelineSvg(layout);
    expect(layout.rows).toEqual([]);
    expect(layout.legend).toEqual([]);
    expect(layout.message?.value).toBe('Nothing recorded between 1 January 2020 and 30 June 2021.');
    expect(svg).toContain('>Nothing recorded between 1 January 2020 and 30 June 2021.</text>');
    expect(desc(svg)).toBe('Timeline, 1 January 2020 to 30 June 2021. Nothing recorded in this period.');
    expect(svg).not.toMatch(/NaN|undefined|Infinity/);
    // Lanes with nothing in them still get their row and their name.
    const quiet = renderTimelineSvg(layoutTimeline({ title: 'T', from: '2020-01-01', to: '2020-12-31', lanes: [{ label: 'Oskar', bands: [] }], marks: [] }));
    expect(quiet).toContain('>Oskar</text>');
    expect(desc(quiet)).toBe('T, 1 January 2020 to 31 December 2020. Oskar: no periods recorded. No key events.');
  });

  it('draws a one-day range, stacking marks of the same day instead of overlapping them', () => {
    const layout = layoutTimeline({
      title: 'One day',
      from: '2019-12-20',
      to: '2019-12-20',
      lanes: [{ label: 'Sibling 2', bands: [{ kind: 'universal', from: '2019-01-01', to: null, label: 'Universal services' }] }],
      marks: [
        { date: '2019-12-20', kind: 'ed-attendance', label: 'Admitted', lane: 0 },
        { date: '2019-12-20', kind: 'ed-attendance', label: 'Admitted again', lane: 0 },
        { date: '2019-12-20', kind: 'police', label: 'Police called', lane: 0 },
        { date: '2019-12-20', kind: 'referral', label: 'Referral', lane: 0 },
      ],
    });
    expect(layout.ticks).toEqual([{ x: expect.any(Number), label: ['20 Dec', '2019'], major: true }]);
    const band = layout.rows[0]!.bands[0]!;
    expect([band.x, band.width, band.continuesBefore, band.continuesAfter]).toEqual([layout.plot.x, layout.plot.width, true, true]);
    // Gravest at the bottom; one shape per kind, the same x, different heights; two of a kind counted.
    expect(layout.glyphs.map((g) => [g.kind, g.count])).toEqual([['police', 1], ['ed-attendance', 2], ['referral', 1]]);
    expect(new Set(layout.glyphs.map((g) => g.x)).size).toBe(1);
    const ys = layout.glyphs.map((g) => g.y);
    expect(ys[0]! > ys[1]! && ys[1]! > ys[2]!).toBe(true);
    expect(ys[0]! - ys[1]!).toBeGreaterThanOrEqual(layout.glyphs[0]!.size);
    expect(layout.glyphs[1]!.countText?.value).toBe('×2');
    expect(renderTimelineSvg(layout)).toContain('>×2</text>');
  });

  it('stacks more kinds than fit with a "+N" on top', () => {
    const kinds: MarkKind[] = ['significant', 'incident', 'alert', 'police', 'contact', 'contact', 'move'];
    const layout = layoutTimeline({ title: 'T', from: '2020-01-01', to: '2020-12-31', lanes: [], marks: kinds.map((kind, i) => ({ date: '2020-06-01', kind, label: `m${i}` })) });
    expect(layout.glyphs.map((g) => g.kind)).toEqual(['significant', 'incident', 'alert']);
    expect(layout.overflows).toEqual([expect.objectContaining({ value: '+4', count: 4 })]);
    expect(layout.legend.at(-1)).toMatchObject({ type: 'count' });
  });

  it('keeps 10,000 marks to a small picture that still counts every one', () => {
    const input: TimelineInput = { ...childB, marks: manyMarks(10_000, childB.from, childB.to, childB.lanes.length) };
    const layout = layoutTimeline(input);
    const svg = renderTimelineSvg(layout);
    const rows = layout.rows.length;
    expect(layout.stats.glyphs).toBeLessThanOrEqual(MAX_GLYPHS + rows * 4);
    expect(svg.length).toBeLessThan(100_000);
    expect((svg.match(/<polygon|<circle/g) ?? []).length).toBeLessThanOrEqual(MAX_GLYPHS + rows * 4 + 20);
    expect(layout.stats.grouped).toBe(true);
    // Every mark is in some shape's or some "+N"'s count.
    const counted = layout.glyphs.reduce((n, g) => n + g.count, 0) + layout.overflows.reduce((n, o) => n + o.count, 0);
    expect(counted).toBe(10_000);
    expect(layout.stats.marks).toBe(10_000);
    // No two stacks in a row overlap, counts included.
    const byRow = new Map<number, { x: number; right: number }[]>();
    for (const g of layout.glyphs) {
      const row = layout.rows.findIndex((r) => g.y > r.top && g.y < r.bottom);
      const right = g.countText ? g.countText.x + textWidth(g.countText.value) : g.x + g.size / 2;
      const list = byRow.get(row) ?? [];
      const same = list.find((s) => s.x === g.x);
      if (same) same.right = Math.max(same.right, right);
      else list.push({ x: g.x, right });
      byRow.set(row, list);
    }
    for (const stacks of byRow.values()) {
      stacks.sort((a, b) => a.x - b.x);
      for (let i = 1; i < stacks.length; i += 1) expect(stacks[i]!.x - 6).toBeGreaterThan(stacks[i - 1]!.right);
    }
  });

  it('clips bands to the range and leaves out what falls outside it', () => {
    const layout = layoutTimeline({
      title: 'T',
      from: '2020-01-01',
      to: '2020-12-31',
      lanes: [{
        label: 'Ruby',
        bands: [
          { kind: 'child-protection', from: '2019-06-01', to: '2020-03-31', label: 'CP plan' },
          { kind: 'child-in-need', from: '2020-04-01', to: '2021-05-01', label: 'Child in need' },
          { kind: 'early-help', from: '2018-01-01', to: '2018-12-31', label: 'Too early' },
          { kind: 'looked-after', from: 'not a day', to: null, label: 'Bad date' },
          { kind: 'early-help', from: '2020-05-01', to: '2020-04-01', label: 'Backwards' },
        ],
      }],
      marks: [
        { date: '2019-12-31', kind: 'referral', label: 'Before', lane: 0 },
        { date: '2021-01-01', kind: 'referral', label: 'After', lane: 0 },
        { date: '2020-02-30', kind: 'referral', label: 'Not a day', lane: 0 },
        { date: '2020-06-01', kind: 'referral', label: 'Inside', lane: 7 },
      ],
    });
    const [cp, cin] = layout.rows.find((r) => r.lane === 0)!.bands;
    expect(layout.rows.find((r) => r.lane === 0)!.bands).toHaveLength(2);
    expect(cp).toMatchObject({ kind: 'child-protection', x: layout.plot.x, continuesBefore: true, continuesAfter: false });
    expect(cin).toMatchObject({ kind: 'child-in-need', continuesBefore: false, continuesAfter: true });
    expect(cin!.x + cin!.width).toBeCloseTo(layout.plot.x + layout.plot.width, 0);
    // 2020 is a leap year: 31 March is day 91 of 366.
    expect(cp!.width).toBeCloseTo((91 / 366) * layout.plot.width, 0);
    expect(layout.stats).toMatchObject({ bandsOutside: 3, marksOutside: 3, marks: 1 });
    // A mark whose lane does not exist goes on the family row.
    expect(layout.rows[0]!.lane).toBe(null);
    expect(() => layoutTimeline({ title: 'T', from: '2020-13-01', to: '2020-12-31', lanes: [], marks: [] })).toThrow(RangeError);
    // A range given backwards is put the right way round.
    expect(layoutTimeline({ title: 'T', from: '2020-12-31', to: '2020-01-01', lanes: [], marks: [] })).toMatchObject({ from: '2020-01-01', to: '2020-12-31' });
  });

  it('counts days in UTC: every day is as wide as every other, clocks changing or not', () => {
    const layout = layoutTimeline({
      title: 'T',
      from: '2024-03-01',
      to: '2024-11-30',
      lanes: [],
      marks: ['2024-03-30', '2024-03-31', '2024-04-01', '2024-10-26', '2024-10-27', '2024-10-28'].map((date, i) => ({ date, kind: 'other' as const, label: `m${i}` })),
    });
    const day = layout.plot.width / 275;
    // Marks a day apart are grouped (too close to draw apart), so check with the band geometry instead.
    const band = layoutTimeline({ title: 'T', from: '2024-03-01', to: '2024-11-30', lanes: [{ label: 'x', bands: [{ kind: 'universal', from: '2024-03-31', to: '2024-10-27', label: 'u' }] }], marks: [] }).rows[0]!.bands[0]!;
    expect(band.x).toBeCloseTo(layout.plot.x + 30 * day, 0);
    expect(band.width).toBeCloseTo(211 * day, 0);
    expect(layout.ticks.filter((t) => t.major).map((t) => t.label[0])).toEqual(['Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov']);
  });

  it('chooses ticks for the range: years, months or days', () => {
    const years = layoutTimeline(childB).ticks.filter((t) => t.major).map((t) => t.label.join(' '));
    expect(years).toEqual(['2017', '2018', '2019', '2020', '2021', '2022']);
    const longAgo = layoutTimeline({ ...childB, from: '1998-01-01', to: '2024-12-31' }).ticks.filter((t) => t.major).map((t) => t.label.join(' '));
    expect(longAgo).toEqual(['1998', '2000', '2002', '2004', '2006', '2008', '2010', '2012', '2014', '2016', '2018', '2020', '2022', '2024']);
    const months = layoutTimeline({ ...childB, from: '2019-09-15', to: '2020-03-31' }).ticks.filter((t) => t.major).map((t) => t.label.join(' '));
    expect(months).toEqual(['Oct 2019', 'Nov', 'Dec', 'Jan 2020', 'Feb', 'Mar']);
    const days = layoutTimeline({ ...childB, from: '2019-12-28', to: '2020-01-10' }).ticks.map((t) => t.label.join(' '));
    expect(days[0]).toBe('28 Dec 2019');
    expect(days).toContain('1 Jan 2020');
  });

  it('puts overlapping bands in one lane on separate tracks', () => {
    const layout = layoutTimeline(childB);
    const siblings = layout.rows.find((r) => r.lane === 1)!;
    const [eh, cin] = [siblings.bands.find((b) => b.kind === 'early-help')!, siblings.bands.find((b) => b.kind === 'child-in-need')!];
    expect(cin.y).toBeGreaterThanOrEqual(eh.y + eh.height);
  });

  it('is deterministic, whatever order the data arrives in', () => {
    const first = renderTimelineSvg(layoutTimeline(childB));
    expect(renderTimelineSvg(layoutTimeline(childB))).toBe(first);
    const shuffled: TimelineInput = { ...childB, marks: [...childB.marks].reverse(), lanes: childB.lanes.map((l) => ({ ...l, bands: [...l.bands].reverse() })) };
    expect(renderTimelineSvg(layoutTimeline(shuffled))).toBe(first);
    // The width option scales the picture; ids can be made unique per page.
    const narrow = layoutTimeline(childB, { width: 600, id: 'child-b' });
    expect(narrow.width).toBe(600);
    expect(renderTimelineSvg(narrow)).toContain('aria-labelledby="child-b-title child-b-desc"');
    expect(layoutTimeline(childB, { width: 10 }).width).toBe(480);
  });
});

describe('describeTimeline', () => {
  it('lists bands and marks in date order, family-wide marks first on a shared day', () => {
    const { bands, marks } = describeTimeline({
      ...childB,
      marks: [...childB.marks, { date: '2019-05-01', kind: 'move', label: 'Moved back' }, { date: '2023-01-01', kind: 'other', label: 'Outside the range' }],
    });
    expect(bands).toEqual([
      { lane: 'Child B (born 2017)', text: 'Child protection plan (neglect): 1 November 2016 to 15 October 2017' },
      { lane: 'Child B (born 2017)', text: 'Child in need: 16 October 2017 to 30 September 2018' },
      { lane: 'Child B (born 2017)', text: 'Universal services: 1 October 2018 to 30 April 2019' },
      { lane: 'Child B (born 2017)', text: 'Early help: 1 May 2019 to 31 July 2019' },
      { lane: 'Child B (born 2017)', text: 'Universal services: 1 August 2019 to 1 November 2022' },
      { lane: 'Siblings 1 and 2 (born 2019)', text: 'Universal services: 1 November 2019 to 1 March 2020' },
      { lane: 'Siblings 1 and 2 (born 2019)', text: 'Early help (targeted): 2 March 2020 to 30 April 2021' },
      { lane: 'Siblings 1 and 2 (born 2019)', text: 'Child in need: 1 June 2020 to 1 December 2020' },
      { lane: 'Child B (born 2017)', text: 'Looked after: 2 November 2022 to now (still open)' },
    ]);
    expect(marks).toEqual([
      { date: '2017-02-10', text: 'Child B (born 2017): Child B born' },
      { date: '2018-06-01', text: 'Family: Moved to the current authority' },
      { date: '2019-03-01', text: 'Family: Twin pregnancy confirmed' },
      { date: '2019-05-01', text: 'Family: Moved back' },
      { date: '2019-05-01', text: 'Child B (born 2017): Referral from a local charity' },
      { date: '2019-11-01', text: 'Siblings 1 and 2 (born 2019): Siblings born' },
      { date: '2020-06-01', text: 'Family: Police called: father aggressive to ambulance staff' },
      { date: '2022-11-01', text: 'Child B (born 2017): Serious incident' },
    ]);
    expect(describeTimeline({ title: 'T', from: '2020-01-01', to: '2020-01-01', lanes: [], marks: [] })).toEqual({ bands: [], marks: [] });
  });
});
