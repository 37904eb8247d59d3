import { describe, expect, it } from 'vitest';
import type { TimelineInput } from '../../src/chronology/timeline.js';
import type { ChronologyDocument, ChronologyEntryRow } from '../../src/export/chronology-document.js';
import { exportMarking, londonDateTime, renderChronologyPdf } from '../../src/export/chronology-pdf.js';
import { flat, occurrences, pageCount, pdfText } from '../helpers/pdf-text.js';

const timeline: TimelineInput = {
  title: 'Family timeline',
  from: '2019-01-01',
  to: '2024-06-30',
  lanes: [
    { label: 'Ruby Carter (born 2017)', bands: [{ kind: 'child-protection', from: '2023-02-01', to: null, label: 'Child protection plan (neglect)' }] },
    { label: 'Alfie Carter (born 2021)', bands: [{ kind: 'child-in-need', from: '2022-01-10', to: '2023-01-31', label: 'Child in need' }] },
  ],
  marks: [
    { date: '2021-03-01', kind: 'birth', label: 'Alfie born', lane: 1 },
    { date: '2023-01-20', kind: 'referral', label: 'Referral to children\'s social care' },
  ],
};

const entry = (i: number, extra: Partial<ChronologyEntryRow> = {}): ChronologyEntryRow => ({
  id: `entry-${i}`,
  date: `${(i % 28) + 1} May 2023`,
  recorded: null,
  agency: i % 2 ? 'Northshire Police' : 'Larkfield Primary School',
  source: i % 2 ? 'Niche RMS' : 'CPOMS',
  recordedBy: 'Kerry Brown',
  type: 'Home visit',
  concerns: [],
  subjects: ['Ruby Carter'],
  summary: `Entry number ${i} says the children were seen at home with their mother.`,
  significant: false,
  enteredInError: null,
  amended: false,
  ...extra,
});

const base: ChronologyDocument = {
  title: 'Chronology: Ruby and Alfie Carter',
  partnership: 'Northshire Safeguarding Children Partnership',
  subjects: [{ name: 'Ruby Carter', detail: 'born 3 July 2017' }, { name: 'Alfie Carter', detail: 'born 1 March 2021' }],
  sharingBasis: { agreement: 'Northshire Information Sharing Agreement 2024', lawfulBasis: 'UK GDPR Article 6(1)(e) and Article 9(2)(g); Children Act 1989 section 47' },
  exportedBy: 'Sam Lee',
  // 13:05 UTC in summer: 14:05 in London.
  exportedAt: new Date('2024-07-01T13:05:00Z'),
  purpose: 'Initial child protection conference',
  timeline,
  figures: [{ heading: 'Ruby Carter, 1 January 2024 to 30 June 2024', lines: ['Brought to 4 of 17 outpatient appointments (24%)', 'School attendance 71%'] }],
  entries: [
    entry(1, { significant: true, summary: 'Ruby disclosed that she had not eaten since the day before.', concerns: ['neglect'] }),
    entry(2, { recorded: 'recorded 20 June 2023', subjects: ['Ruby Carter', 'Alfie Carter'] }),
    entry(3, { enteredInError: { reason: 'Recorded on the wrong child' }, summary: 'Visit to the wrong family, recorded here by mistake.' }),
    entry(4, { amended: true, summary: 'Brackets (like these), a backslash \\ and <angle> brackets survive.' }),
    entry(5),
  ],
  restrictedOmitted: 3,
};

describe('renderChronologyPdf', () => {
  it('writes the particulars, the marking on every page, page numbers and every entry once', async () => {
    const pdf = await renderChronologyPdf(base);
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const { pages, all } = pdfText(pdf);
    const text = flat(all);
    const n = pageCount(pdf);
    expect(pages).toHaveLength(n);

    const marking = 'Exported by Sam Lee on 1 July 2024 at 14:05 — OFFICIAL-SENSITIVE';
    expect(exportMarking(base)).toBe(marking);
    // Footer and diagonal watermark on every page, and the page's number of the total.
    pages.forEach((page, i) => {
      expect(occurrences(page, marking)).toBe(2);
      expect(page).toContain(`Page ${i + 1} of ${n}`);
      expect(page).toContain('OFFICIAL-SENSITIVE');
    });

    expect(text).toContain('Chronology: Ruby and Alfie Carter');
    expect(text).toContain('Ruby Carter (born 3 July 2017); Alfie Carter (born 1 March 2021)');
    expect(text).toContain('Partnership: Northshire Safeguarding Children Partnership');
    expect(text).toContain('Information-sharing basis: Northshire Information Sharing Agreement 2024. Lawful basis: UK GDPR Article 6(1)(e) and Article 9(2)(g); Children Act 1989 section 47');
    expect(text).toContain('Purpose of this export: Initial child protection conference');
    expect(text).toContain('Restricted entries not included: 3');
    expect(text).toContain('3 entries are restricted and not visible to the exporting user');
    expect(text).toContain('Brought to 4 of 17 outpatient appointments (24%)');
    // The timeline's own words, drawn as vector text, and the same periods as a list.
    expect(text).toContain('Ruby Carter (born 2017)');
    expect(text).toContain('Child protection plan (neglect)');
    expect(text).toContain('Ruby Carter (born 2017): Child protection plan (neglect): 1 February 2023 to now (still open)');

    for (const e of base.entries) expect(occurrences(text, e.summary), e.summary).toBe(1);
    expect(text).toContain('Significant event');
    expect(text).toContain('Entered in error: Recorded on the wrong child');
    expect(text).toContain('Amended since it was first recorded.');
    expect(text).toContain('recorded 20 June 2023');
    expect(text).toContain('Concerns: neglect');
    // The table header on the table's page.
    expect(text).toContain('Date Agency and source Type Whom it concerns Summary');
    expect(text).toContain('End of chronology: 5 entries. Restricted entries not included: 3.');
  });

  it('draws the timeline with vector operations, not an image', async () => {
    const { all } = pdfText(await renderChronologyPdf(base, { compress: false }));
    const raw = (await renderChronologyPdf(base, { compress: false })).toString('latin1');
    expect(raw).not.toContain('/Subtype /Image');
    // Path construction and painting operators from the bands and marks: rectangles, fills, strokes.
    const firstPage = raw.slice(0, raw.indexOf('endstream'));
    expect(firstPage).toMatch(/ re\n/);
    expect(firstPage).toMatch(/\bf\n/);
    expect(firstPage).toMatch(/\bS\n/);
    expect(flat(all)).toContain('Key');
  });

  it('says plainly when no sharing basis is recorded, and states 0 restricted entries', async () => {
    const text = flat(pdfText(await renderChronologyPdf({ ...base, sharingBasis: null, restrictedOmitted: 0 })).all);
    expect(text).toContain('Information-sharing basis: No information-sharing agreement or lawful basis is recorded for this partnership.');
    expect(text).toContain('Restricted entries not included: 0');
    expect(text).not.toContain('entries are restricted');
  });

  it('sets the metadata and is the same bytes for the same input', async () => {
    const first = await renderChronologyPdf(base);
    expect((await renderChronologyPdf(base)).equals(first)).toBe(true);
    const raw = first.toString('latin1');
    expect(raw).toContain('(Chronology: Ruby and Alfie Carter)');
    expect(raw).toContain('(Sam Lee)');
    expect(raw).toContain('/CreationDate');
    expect(raw).toContain('(D:20240701130500Z)');
    // A different export time is a different document, and winter time is GMT.
    const winter = await renderChronologyPdf({ ...base, exportedAt: new Date('2024-01-15T09:30:00Z') });
    expect(winter.equals(first)).toBe(false);
    expect(flat(pdfText(winter).all)).toContain('Exported by Sam Lee on 15 January 2024 at 09:30 — OFFICIAL-SENSITIVE');
    expect(londonDateTime(new Date('2024-10-27T00:30:00Z'))).toBe('27 October 2024 at 01:30');
    expect(londonDateTime(new Date('2024-10-27T01:30:00Z'))).toBe('27 October 2024 at 01:30');
  });

  it('shows letters the standard font lacks without their accents, and says so', async () => {
    const text = flat(pdfText(await renderChronologyPdf({
      ...base,
      subjects: [{ name: 'Łukasz Nowak', detail: 'born 1 May 2015' }],
      entries: [entry(1, { summary: 'Ștefan and Zoë were seen; £20 given — “urgent”.' })],
    })).all);
    expect(text).toContain('Lukasz Nowak (born 1 May 2015)');
    // Windows-1252 letters and punctuation stay as they are.
    expect(occurrences(text, 'Stefan and Zoë were seen; £20 given — “urgent”.')).toBe(1);
    expect(text).toContain('Some letters cannot be shown in this document\'s font');
    expect(flat(pdfText(await renderChronologyPdf(base)).all)).not.toContain('Some letters cannot be shown');
  });

  it('carries a row longer than a page onto the next, with the header repeated', async () => {
    const long = Array.from({ length: 500 }, (_, i) => `word${i}`).join(' ');
    const pdf = await renderChronologyPdf({ ...base, entries: [entry(1), entry(2, { summary: long }), entry(3)] });
    const { pages, all } = pdfText(pdf);
    // Every word once, in order, though the page break (footer, next page's header) comes between.
    const tokens = flat(all).split(' ');
    const at = Array.from({ length: 500 }, (_, i) => tokens.indexOf(`word${i}`));
    for (let i = 0; i < 500; i += 1) expect(tokens.filter((t) => t === `word${i}`)).toHaveLength(1);
    for (let i = 1; i < 500; i += 1) expect(at[i]).toBeGreaterThan(at[i - 1]!);
    const tablePages = pages.filter((p) => p.includes('Whom it concerns'));
    expect(tablePages.length).toBeGreaterThanOrEqual(2);
    expect(flat(all)).toContain('3 May 2023 (continued)');
  });

  it('survives a timeline whose range is not a pair of days, and no entries at all', async () => {
    const text = flat(pdfText(await renderChronologyPdf({ ...base, timeline: { ...timeline, from: 'soon' }, entries: [] })).all);
    expect(text).toContain('The timeline could not be drawn');
    expect(text).toContain('No entries are recorded.');
    expect(text).toContain('Restricted entries not included: 3');
  });

  it('renders 2,000 entries with a plausible page count, reporting progress', async () => {
    const entries = Array.from({ length: 2000 }, (_, i) => entry(i, {
      summary: `Generated entry ${i}: ${'The family was visited and the children were seen and spoken to alone. '.repeat(1 + (i % 4))}`,
      significant: i % 10 === 0,
    }));
    const progress: [number, number][] = [];
    const pdf = await renderChronologyPdf({ ...base, entries }, { onProgress: (done, total) => progress.push([done, total]) });
    expect(pdf.subarray(0, 8).toString('latin1')).toMatch(/^%PDF-1\.\d/);
    const pages = pageCount(pdf);
    // Rows are three to six lines: a landscape page holds roughly seven to twelve of them.
    expect(pages).toBeGreaterThan(2000 / 20);
    expect(pages).toBeLessThan(2000 / 4);
    expect(pdf.toString('latin1', pdf.length - 6)).toContain('%%EOF');
    expect(progress[0]).toEqual([0, 2000]);
    expect(progress.at(-1)).toEqual([2000, 2000]);
    for (let i = 1; i < progress.length; i += 1) expect(progress[i]![0]).toBeGreaterThanOrEqual(progress[i - 1]![0]);
    const { pages: texts } = pdfText(pdf);
    expect(texts.at(-1)).toContain(`Page ${pages} of ${pages}`);
    expect(flat(texts.join('\n'))).toContain('End of chronology: 2000 entries.');
  });
});
