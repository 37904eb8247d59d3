/**
 * The chronology as a PDF, made in-process with pdfkit (pure JavaScript, no browser, no font files:
 * the standard Helvetica fonts are built into every PDF reader).
 *
 * A4 landscape: the chronology is a five-column table whose summary column needs the width (case
 * reviews' chronologies are landscape for the same reason), and the timeline runs left to right.
 *
 * - Page 1 (and on, if long): title, subjects, partnership, information-sharing basis (or a plain
 *   statement that none is recorded), purpose, who exported it and when, "Restricted entries not
 *   included: N" (always, even 0), the timeline picture drawn with vector operations from the same
 *   `TimelineLayout` the web page's SVG is drawn from, its periods as a list, and the figures.
 * - Then the table (date, agency and source, type, whom it concerns, summary), its header repeated
 *   on every page. Significant entries say so in words; entries made in error are struck through
 *   under the reason. A row too long for one page continues on the next.
 * - Every page: "OFFICIAL-SENSITIVE" at the top, a footer naming the exporting user and time (Europe/
 *   London) with "Page X of Y", and the same words as a light diagonal watermark drawn over the page,
 *   so it survives cropping and cannot be hidden behind content. Page numbers need the page count,
 *   so pages are buffered (`bufferPages`) and the furniture is drawn on each at the end.
 * - Deterministic: the creation date is `exportedAt`, so the same document gives the same bytes.
 *
 * Text is wrapped here, line by line with the font's measurements (every word measured once), not by
 * pdfkit's flowing text, so paging is under our control and the work is linear in the text. The
 * standard fonts cover Windows-1252 only: other letters are written without their accents (Ł as L,
 * ș as s) and the first page says so when it happened; the system keeps names as recorded.
 */
import PDFDocument from 'pdfkit';
import {
  BAND_STYLES, MARK_STYLES, TIMELINE_FONT_SIZE, TIMELINE_GRID, TIMELINE_INK, describeTimeline, glyphOutline, hatchSegments, layoutTimeline,
  type BandKind, type MarkKind, type TimelineLayout,
} from '../chronology/timeline.js';
import type { ChronologyDocument, ChronologyEntryRow } from './chronology-document.js';

/** Options for `renderChronologyPdf`. */
export interface ChronologyPdfOptions {
  /** Called as rows are laid out (done of total entries), so a caller can show progress. */
  onProgress?: (done: number, total: number) => void;
  /** Compress page content (default true); tests turn it off to read the text. */
  compress?: boolean;
}

type Pdf = PDFKit.PDFDocument;
type FontName = 'regular' | 'bold' | 'italic';

const FONTS: Record<FontName, string> = { regular: 'Helvetica', bold: 'Helvetica-Bold', italic: 'Helvetica-Oblique' };
const INK = '#0b0c0c';
const SECONDARY = '#505a5f';
const RULE = '#b1b4b6';
const HEADER_FILL = '#f3f2f1';
const MARGIN_X = 36;
const TOP = 48;
const BOTTOM_GAP = 44;
const MARKING = 'OFFICIAL-SENSITIVE';
/** Rows laid out between pauses that let the event loop serve others while a big export runs. */
const ROWS_PER_PAUSE = 200;

// Windows-1252's characters above ASCII that are not Latin-1: what the standard fonts can show.
const CP1252_EXTRAS = new Set('€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ');
const FOLD: Readonly<Record<string, string>> = {
  Ł: 'L', ł: 'l', Đ: 'D', đ: 'd', Ħ: 'H', ħ: 'h', ı: 'i', Ŋ: 'N', ŋ: 'n', Ŧ: 'T', ŧ: 't', Ə: 'E', ə: 'e',
  '‐': '-', '‑': '-', '‒': '-', '―': '—', '′': "'", '″': '"', '−': '-',
};

/** Turns text into what Helvetica can show, noting when a letter had to change. */
class TextFolder {
  lossy = false;

  fold(value: string): string {
    // Most record text is plain ASCII: nothing to do.
    if (/^[\n\x20-\x7e]*$/.test(value)) return value;
    let out = '';
    for (const ch of value.normalize('NFC')) {
      const code = ch.codePointAt(0)!;
      if (ch === '\n') { out += ch; continue; }
      if (code < 0x20 || (code >= 0x7f && code < 0xa0)) { out += code === 9 ? ' ' : ''; continue; }
      if (code < 0x7f || (code >= 0xa0 && code <= 0xff) || CP1252_EXTRAS.has(ch)) { out += ch; continue; }
      if (/\s/u.test(ch)) { out += ' '; continue; }
      const folded = FOLD[ch] ?? ch.normalize('NFD').replace(/\p{M}/gu, '');
      const ok = folded.length > 0 && [...folded].every((c) => c.codePointAt(0)! < 0x7f || CP1252_EXTRAS.has(c) || (c.codePointAt(0)! >= 0xa0 && c.codePointAt(0)! <= 0xff));
      if (/\p{L}/u.test(ch)) this.lossy = true;
      out += ok ? folded : '?';
    }
    return out;
  }
}

/** Whether any text in the document has a letter the standard fonts cannot show (checked before drawing, so page 1 can say so). */
function needsAccentNote(doc: ChronologyDocument): boolean {
  const probe = new TextFolder();
  const texts = [
    doc.title, doc.partnership, doc.purpose, doc.exportedBy, doc.timeline.title,
    ...doc.subjects.flatMap((s) => [s.name, s.detail]),
    ...(doc.sharingBasis ? [doc.sharingBasis.agreement, doc.sharingBasis.lawfulBasis] : []),
    ...doc.figures.flatMap((f) => [f.heading, ...f.lines]),
    ...doc.timeline.lanes.flatMap((l) => [l.label, ...l.bands.map((b) => b.label)]),
  ];
  for (const t of texts) probe.fold(t);
  for (const e of doc.entries) {
    for (const t of [e.date, e.recorded ?? '', e.agency, e.source, e.recordedBy ?? '', e.type, e.summary, e.enteredInError?.reason ?? '', ...e.subjects, ...e.concerns]) probe.fold(t);
    if (probe.lossy) return true;
  }
  return probe.lossy;
}

let londonFormat: Intl.DateTimeFormat | undefined;

/** "3 May 2024 at 14:05", in England's time (British Summer Time included) whatever the server's zone. */
export function londonDateTime(at: Date): string {
  londonFormat ??= new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', day: 'numeric', month: 'long', year: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
  const part = (type: string): string => londonFormat!.formatToParts(at).find((p) => p.type === type)?.value ?? '';
  return `${part('day')} ${part('month')} ${part('year')} at ${part('hour')}:${part('minute')}`;
}

/** The words on every page, as a watermark and in the footer. */
export function exportMarking(doc: Pick<ChronologyDocument, 'exportedBy' | 'exportedAt'>): string {
  return `Exported by ${doc.exportedBy} on ${londonDateTime(doc.exportedAt)} — ${MARKING}`;
}

/**
 * Splits text into lines no wider than `width` in the given font, at spaces (and at newlines the text
 * already has); a word wider than a line is broken. Each word is measured once.
 */
function wrapText(pdf: Pdf, text: string, width: number, font: FontName, size: number): string[] {
  pdf.font(FONTS[font]).fontSize(size);
  const space = pdf.widthOfString(' ');
  const lines: string[] = [];
  for (const paragraph of text.split('\n')) {
    let line = '';
    let lineWidth = 0;
    for (const word of paragraph.split(/\s+/).filter(Boolean)) {
      const w = pdf.widthOfString(word);
      if (line && lineWidth + space + w <= width) { line += ` ${word}`; lineWidth += space + w; continue; }
      if (line) lines.push(line);
      if (w <= width) { line = word; lineWidth = w; continue; }
      // A word longer than the line (a URL, a reference): break it by characters.
      let chunk = '';
      let chunkWidth = 0;
      for (const ch of word) {
        const cw = pdf.widthOfString(ch);
        if (chunk && chunkWidth + cw > width) { lines.push(chunk); chunk = ''; chunkWidth = 0; }
        chunk += ch;
        chunkWidth += cw;
      }
      line = chunk;
      lineWidth = chunkWidth;
    }
    lines.push(line);
  }
  // Keep blank lines between paragraphs, but not at the end.
  while (lines.length > 1 && lines.at(-1) === '') lines.pop();
  return lines;
}

/** One line of a table cell. */
interface CellLine { text: string; font: FontName; size: number; strike?: boolean; colour?: string }

interface Column { title: string; width: number }

const LINE_H = 11.5;
const CELL_PAD = 4;

/**
 * A cursor over the pages, adding a page (and whatever starts one) when the next thing does not fit.
 * In `counting` mode nothing is drawn and new pages are only counted: the table is laid out once so to
 * learn the page count, then drawn, each page finished (`onPageDone`) and flushed as the next begins.
 */
class Pages {
  y = TOP;
  counting = false;
  countedPages = 0;
  onNewPage: (() => void) | null = null;
  onPageDone: (() => void) | null = null;

  constructor(readonly pdf: Pdf) {}

  get bottom(): number { return this.pdf.page.height - BOTTOM_GAP; }
  get width(): number { return this.pdf.page.width - 2 * MARGIN_X; }

  newPage(): void {
    if (this.counting) this.countedPages += 1;
    else {
      this.onPageDone?.();
      this.pdf.addPage();
    }
    this.y = TOP;
    this.onNewPage?.();
  }

  ensure(height: number): void {
    if (this.y + height > this.bottom && this.y > TOP) this.newPage();
  }

  /** Draws one line of text at the cursor's left (plus indent) without pdfkit's own wrapping or paging. */
  line(text: string, x: number, y: number, font: FontName, size: number, colour = INK): void {
    if (!text || this.counting) return;
    this.pdf.font(FONTS[font]).fontSize(size).fillColor(colour).text(text, x, y, { lineBreak: false });
  }

  /** A wrapped paragraph, across the page or in a column (x, width). With `dryRun`, only measured. */
  paragraph(text: string, options: ParagraphOptions = {}): number {
    const { font = 'regular', size = 10, indent = 0, after = 4, colour = INK, x = MARGIN_X, width = this.width, dryRun = false } = options;
    const lh = size * 1.3;
    const lines = wrapText(this.pdf, text, width - indent, font, size);
    if (!dryRun) {
      for (const l of lines) {
        this.ensure(lh);
        this.line(l, x + indent, this.y, font, size, colour);
        this.y += lh;
      }
      this.y += after;
    }
    return lines.length * lh + after;
  }

  /** "Label: value" with the label in bold, wrapped as one paragraph. */
  field(label: string, value: string, column: { x?: number; width?: number } = {}): void {
    const { x = MARGIN_X, width = this.width } = column;
    const size = 10;
    const lh = size * 1.3;
    const labelText = `${label}: `;
    this.pdf.font(FONTS.bold).fontSize(size);
    const labelWidth = this.pdf.widthOfString(labelText);
    // A long label over a narrow column: the value starts on the next line.
    const inline = labelWidth < width / 2;
    const lines = wrapText(this.pdf, value, inline ? width - labelWidth : width, 'regular', size);
    if (!inline) { this.ensure(lh); this.line(labelText.trim(), x, this.y, 'bold', size); this.y += lh; }
    lines.forEach((l, i) => {
      this.ensure(lh);
      if (inline && i === 0) this.line(labelText, x, this.y, 'bold', size);
      this.line(l, inline ? x + labelWidth : x, this.y, 'regular', size);
      this.y += lh;
    });
    this.y += 3;
  }
}

interface ParagraphOptions { font?: FontName; size?: number; indent?: number; after?: number; colour?: string; x?: number; width?: number; dryRun?: boolean }

const COLUMNS: readonly Column[] = [
  { title: 'Date', width: 82 },
  { title: 'Agency and source', width: 128 },
  { title: 'Type', width: 112 },
  { title: 'Whom it concerns', width: 112 },
  { title: 'Summary', width: 0 }, // the rest of the width
];

function columnWidths(total: number): number[] {
  const fixed = COLUMNS.reduce((n, c) => n + c.width, 0);
  return COLUMNS.map((c) => (c.width || total - fixed));
}

/** The cells of one entry, as lines wrapped to their columns. */
function entryCells(pdf: Pdf, fold: TextFolder, entry: ChronologyEntryRow, widths: readonly number[]): CellLine[][] {
  const wrapped = (text: string, col: number, font: FontName, size = 9, extra: Partial<CellLine> = {}): CellLine[] =>
    text ? wrapText(pdf, fold.fold(text), widths[col]! - 2 * CELL_PAD, font, size).map((t) => ({ text: t, font, size, ...extra })) : [];
  const date = [...wrapped(entry.date, 0, 'bold'), ...(entry.recorded ? wrapped(entry.recorded, 0, 'italic', 8, { colour: SECONDARY }) : [])];
  const agency = [
    ...wrapped(entry.agency, 1, 'bold'),
    ...(entry.source && entry.source !== entry.agency ? wrapped(entry.source, 1, 'regular', 8, { colour: SECONDARY }) : []),
    ...(entry.recordedBy ? wrapped(`by ${entry.recordedBy}`, 1, 'regular', 8, { colour: SECONDARY }) : []),
  ];
  const type = [
    ...wrapped(entry.type, 2, 'regular'),
    // The entry's id, so a reader can trace it to the agency's own record.
    ...wrapped(`Ref ${entry.id}`, 2, 'regular', 7, { colour: SECONDARY }),
    ...(entry.significant ? wrapped('Significant event', 2, 'bold') : []),
    ...(entry.concerns.length ? wrapped(`Concerns: ${entry.concerns.join(', ')}`, 2, 'regular', 8, { colour: SECONDARY }) : []),
  ];
  const subjects = wrapped(entry.subjects.join(', '), 3, 'regular');
  const summary = [
    ...(entry.enteredInError ? wrapped(`Entered in error: ${entry.enteredInError.reason}`, 4, 'bold') : []),
    ...wrapped(entry.summary, 4, 'regular', 9, entry.enteredInError ? { strike: true, colour: SECONDARY } : {}),
    ...(entry.amended ? wrapped('Amended since it was first recorded.', 4, 'italic', 8, { colour: SECONDARY }) : []),
  ];
  return [date, agency, type, subjects, summary];
}

function drawTableHeader(pages: Pages, widths: readonly number[]): void {
  const { pdf } = pages;
  const h = LINE_H + 2 * CELL_PAD;
  if (!pages.counting) {
    pdf.rect(MARGIN_X, pages.y, pages.width, h).fill(HEADER_FILL);
    let x = MARGIN_X;
    COLUMNS.forEach((c, i) => { pages.line(c.title, x + CELL_PAD, pages.y + CELL_PAD + 1, 'bold', 9); x += widths[i]!; });
    pdf.moveTo(MARGIN_X, pages.y + h).lineTo(MARGIN_X + pages.width, pages.y + h).lineWidth(1).strokeColor(INK).stroke();
  }
  pages.y += h;
}

/**
 * Draws a row at the cursor, moving to a new page first when it fits on a page but not on this one,
 * and splitting it across pages (line by line, every column in step) when it is longer than a page.
 */
function drawRow(pages: Pages, cells: readonly CellLine[][], widths: readonly number[], significant: boolean): void {
  const { pdf } = pages;
  const total = Math.max(1, ...cells.map((c) => c.length));
  const perPage = Math.floor((pages.bottom - TOP - (LINE_H + 2 * CELL_PAD) - 2 * CELL_PAD) / LINE_H);
  let from = 0;
  while (from < total) {
    const fit = Math.floor((pages.bottom - pages.y - 2 * CELL_PAD) / LINE_H);
    if (fit <= 0 || (from === 0 && total > fit && total <= perPage)) { pages.newPage(); continue; }
    const n = Math.min(fit, total - from);
    const top = pages.y;
    const height = n * LINE_H + 2 * CELL_PAD;
    pages.y = top + height;
    from += n;
    if (pages.counting) {
      if (from < total) pages.newPage();
      continue;
    }
    // On a page a row continues onto, say so where its date was.
    const dateCell = cells[0] ?? [];
    const first = from - n;
    if (first > 0 && dateCell.length <= first && dateCell[0]) pages.line(`${dateCell[0].text} (continued)`, MARGIN_X + CELL_PAD, top + CELL_PAD + 1, 'italic', 8, SECONDARY);
    let x = MARGIN_X;
    cells.forEach((cell, col) => {
      for (let i = first; i < Math.min(cell.length, first + n); i += 1) {
        const l = cell[i]!;
        const ly = top + CELL_PAD + (i - first) * LINE_H + (l.size < 9 ? 1 : 0);
        pages.line(l.text, x + CELL_PAD, ly, l.font, l.size, l.colour);
        if (l.strike) {
          // Through the middle of the lower-case letters: the words stay legible under the line.
          const sy = ly + l.size * 0.46;
          pdf.moveTo(x + CELL_PAD, sy).lineTo(x + CELL_PAD + pdf.widthOfString(l.text), sy).lineWidth(0.75).strokeColor(l.colour ?? INK).stroke();
        }
      }
      x += widths[col]!;
    });
    // A thick bar down the left of a significant entry, as well as the words.
    if (significant) pdf.rect(MARGIN_X, top + 1, 2.5, height - 2).fill(INK);
    pdf.moveTo(MARGIN_X, top + height).lineTo(MARGIN_X + pages.width, top + height).lineWidth(0.5).strokeColor(RULE).stroke();
    if (from < total) pages.newPage();
  }
}

const n1 = (v: number): number => Math.round(v * 100) / 100;

/** Text at a baseline, as SVG places it, with SVG's text-anchor. */
function timelineText(pdf: Pdf, fold: (text: string) => string, value: string, x: number, baseline: number, options: { bold?: boolean; anchor?: 'start' | 'middle' } = {}): void {
  const text = fold(value);
  pdf.font(options.bold ? FONTS.bold : FONTS.regular).fontSize(TIMELINE_FONT_SIZE).fillColor(TIMELINE_INK);
  const dx = options.anchor === 'middle' ? pdf.widthOfString(text) / 2 : 0;
  pdf.text(text, x - dx, baseline, { lineBreak: false, baseline: 'alphabetic' });
}

function timelineBand(pdf: Pdf, kind: BandKind, x: number, y: number, w: number, h: number, before: boolean, after: boolean): void {
  const style = BAND_STYLES[kind];
  pdf.rect(x, y, w, h).fill(style.fill);
  if (style.pattern !== 'none') {
    pdf.lineWidth(1.2).strokeColor(style.stroke);
    for (const [x1, y1, x2, y2] of hatchSegments(style.pattern, x, y, w, h)) pdf.moveTo(x1, y1).lineTo(x2, y2);
    pdf.stroke();
  }
  pdf.lineWidth(2).strokeColor(style.stroke);
  pdf.moveTo(x, y).lineTo(x + w, y).moveTo(x, y + h).lineTo(x + w, y + h);
  if (!before) pdf.moveTo(x, y).lineTo(x, y + h);
  if (!after) pdf.moveTo(x + w, y).lineTo(x + w, y + h);
  pdf.stroke();
}

function timelineGlyph(pdf: Pdf, kind: MarkKind, x: number, y: number, size: number): void {
  const style = MARK_STYLES[kind];
  const outline = glyphOutline(style.shape, x, y, size);
  if (outline.type === 'circle') pdf.circle(outline.cx, outline.cy, outline.r);
  else pdf.polygon(...outline.points);
  if (style.filled) pdf.fill(style.colour);
  else pdf.lineWidth(2).fillAndStroke('#ffffff', style.colour);
}

/**
 * Draws a timeline layout with vector operations at (x, y), scaled: the same geometry, colours,
 * hatching and shapes as `renderTimelineSvg`, in PDF drawing operators.
 */
export function drawTimelinePdf(pdf: Pdf, layout: TimelineLayout, x: number, y: number, scale: number, fold: (text: string) => string = (text) => new TextFolder().fold(text)): void {
  const { plot } = layout;
  const right = plot.x + plot.width;
  pdf.save();
  pdf.translate(x, y);
  pdf.scale(scale);
  pdf.lineCap('butt');
  if (!layout.message) {
    for (const t of layout.ticks) if (t.major) pdf.moveTo(t.x, plot.top).lineTo(t.x, plot.bottom);
  }
  for (const row of layout.rows.slice(1)) pdf.moveTo(16, row.top - 6).lineTo(right, row.top - 6);
  pdf.lineWidth(1).strokeColor(TIMELINE_GRID).stroke();
  for (const row of layout.rows) {
    row.labelLines.forEach((line, i) => timelineText(pdf, fold, line, 16, row.labelBaselines[i]!, { bold: true }));
    if (!row.bands.length) pdf.moveTo(plot.x, row.baseline).lineTo(right, row.baseline).lineWidth(1).strokeColor(TIMELINE_GRID).stroke();
    for (const b of row.bands) {
      timelineBand(pdf, b.kind, b.x, b.y, b.width, b.height, b.continuesBefore, b.continuesAfter);
      if (b.text) {
        const c = b.text.chip;
        pdf.rect(c.x, c.y, c.width, c.height).fill('#ffffff');
        timelineText(pdf, fold, b.text.value, b.text.x, b.text.baseline);
      }
    }
  }
  for (const g of layout.glyphs) {
    timelineGlyph(pdf, g.kind, g.x, g.y, g.size);
    if (g.countText) timelineText(pdf, fold, g.countText.value, g.countText.x, g.countText.baseline);
  }
  for (const o of layout.overflows) timelineText(pdf, fold, o.value, o.x, o.baseline, { bold: true });
  if (layout.message) timelineText(pdf, fold, layout.message.value, layout.message.x, layout.message.baseline);
  pdf.moveTo(plot.x, plot.bottom).lineTo(right, plot.bottom);
  for (const t of layout.ticks) pdf.moveTo(t.x, plot.bottom).lineTo(t.x, plot.bottom + (t.major ? 6 : 3));
  pdf.lineWidth(1).strokeColor(TIMELINE_INK).stroke();
  for (const t of layout.ticks) t.label.forEach((line, i) => timelineText(pdf, fold, line, t.x, layout.tickBaseline + i * 18, { anchor: 'middle' }));
  if (layout.legend.length) {
    timelineText(pdf, fold, 'Key', 16, layout.legendBaseline, { bold: true });
    for (const item of layout.legend) {
      if (item.type === 'band') timelineBand(pdf, item.kind, item.x, item.y, item.width, item.height, false, false);
      else if (item.type === 'mark') timelineGlyph(pdf, item.kind, item.x, item.y, item.size);
      else timelineText(pdf, fold, item.sample, item.x, item.baseline);
      timelineText(pdf, fold, item.label, item.textX, item.baseline);
    }
  }
  pdf.restore();
}

/** Text size the timeline's labels are printed at when there is room (its 14 units scaled). */
const TIMELINE_TEXT_PT = 9;
/** Below this the timeline's labels get too small to read on the first page: it gets a page of its own. */
const MIN_TIMELINE_SCALE = 0.42;

/**
 * Lays the timeline out to fill the page's width at `scale` and no taller than `space`: the layout's
 * height hardly depends on its width, so a few rounds of "as wide as the page at this scale" settle.
 */
function fitTimeline(doc: ChronologyDocument, pageWidth: number, space: number): { layout: TimelineLayout; scale: number } {
  let scale = TIMELINE_TEXT_PT / TIMELINE_FONT_SIZE;
  let layout = layoutTimeline(doc.timeline, { width: pageWidth / scale, id: 'pdf-timeline' });
  for (let round = 0; round < 3 && layout.height * scale > space; round += 1) {
    scale = Math.max(0.2, space / layout.height);
    layout = layoutTimeline(doc.timeline, { width: pageWidth / scale, id: 'pdf-timeline' });
  }
  // The layout has a minimum and maximum width: scale to what it came out as.
  return { layout, scale: Math.min(pageWidth / layout.width, space / layout.height) };
}

/** Figures side by side, up to three groups (one per child, usually) to a row. Returns the height used. */
function drawFigures(pages: Pages, fold: TextFolder, figures: ChronologyDocument['figures'], dryRun: boolean): number {
  if (!figures.length) return 0;
  const start = pages.y;
  let height = pages.paragraph('Figures', { font: 'bold', size: 12, after: 3, dryRun });
  const perRow = Math.min(3, figures.length);
  const gap = 18;
  const colWidth = (pages.width - gap * (perRow - 1)) / perRow;
  for (let i = 0; i < figures.length; i += perRow) {
    const rowTop = start + height;
    let rowHeight = 0;
    figures.slice(i, i + perRow).forEach((f, j) => {
      const x = MARGIN_X + j * (colWidth + gap);
      if (!dryRun) pages.y = rowTop;
      let h = pages.paragraph(fold.fold(f.heading), { font: 'bold', size: 10, after: 2, x, width: colWidth, dryRun });
      for (const line of f.lines) h += pages.paragraph(fold.fold(`• ${line}`), { size: 9, indent: 8, after: 1, x, width: colWidth, dryRun });
      rowHeight = Math.max(rowHeight, h);
    });
    height += rowHeight + 6;
  }
  if (!dryRun) pages.y = start + height;
  return height;
}

/** Page 1: title, the export's particulars in two columns, the timeline (fitted to the room left) and the figures. */
function drawFrontMatter(pages: Pages, fold: TextFolder, doc: ChronologyDocument, accentNote: boolean): void {
  const { pdf } = pages;
  pages.paragraph(fold.fold(doc.title), { font: 'bold', size: 18, after: 6 });

  const gap = 24;
  const colWidth = (pages.width - gap) / 2;
  const left = { x: MARGIN_X, width: colWidth };
  const right = { x: MARGIN_X + colWidth + gap, width: colWidth };
  const top = pages.y;
  if (doc.subjects.length) {
    pages.field(doc.subjects.length === 1 ? 'Subject' : 'Subjects', doc.subjects.map((s) => fold.fold(s.detail ? `${s.name} (${s.detail})` : s.name)).join('; '), left);
  }
  pages.field('Partnership', fold.fold(doc.partnership), left);
  pages.field('Purpose of this export', fold.fold(doc.purpose), left);
  pages.field('Exported by', fold.fold(`${doc.exportedBy} on ${londonDateTime(doc.exportedAt)}`), left);
  const leftBottom = pages.y;
  pages.y = top;
  pages.field(
    'Information-sharing basis',
    doc.sharingBasis
      ? fold.fold(`${doc.sharingBasis.agreement}. Lawful basis: ${doc.sharingBasis.lawfulBasis}`)
      : 'No information-sharing agreement or lawful basis is recorded for this partnership.',
    right,
  );
  pages.field('Restricted entries not included', String(doc.restrictedOmitted), right);
  if (doc.restrictedOmitted > 0) {
    const n = doc.restrictedOmitted;
    pages.paragraph(`${n === 1 ? 'One entry is' : `${n} entries are`} restricted and not visible to the exporting user, so ${n === 1 ? 'it is' : 'they are'} not in this document.`, { size: 9, colour: SECONDARY, ...right });
  }
  if (accentNote) {
    pages.paragraph('Some letters cannot be shown in this document\'s font and are written without their accents or marks (an L with a stroke as a plain L, for example). The records keep names as recorded.', { size: 9, colour: SECONDARY, ...right });
  }
  pages.y = Math.max(leftBottom, pages.y) + 6;

  const figuresHeight = drawFigures(pages, fold, doc.figures, true);
  const headingHeight = 14 * 1.3 + 4;
  let fitted: { layout: TimelineLayout; scale: number } | null = null;
  try {
    fitted = fitTimeline(doc, pages.width, pages.bottom - pages.y - headingHeight - figuresHeight - 8);
    if (fitted.scale < MIN_TIMELINE_SCALE) {
      // Too little room on this page: the picture gets a page of its own, the figures go first.
      drawFigures(pages, fold, doc.figures, false);
      pages.newPage();
      fitted = fitTimeline(doc, pages.width, pages.bottom - pages.y - headingHeight);
    }
  } catch (error) {
    // A bad range must not stop the export: the chronology below is what matters.
    if (!(error instanceof RangeError)) throw error;
  }
  pages.paragraph('Timeline', { font: 'bold', size: 14, after: 4 });
  if (fitted) {
    const { layout, scale } = fitted;
    drawTimelinePdf(pdf, layout, MARGIN_X, pages.y, scale, (text) => fold.fold(text));
    pages.y += layout.height * scale + 8;
  } else {
    pages.paragraph('The timeline could not be drawn: its date range is not two calendar days.', { colour: SECONDARY });
  }
  if (!fitted || fitted.scale >= MIN_TIMELINE_SCALE) drawFigures(pages, fold, doc.figures, false);

  // The picture's content again as text, for print and for reading aloud.
  if (fitted) {
    const described = describeTimeline(doc.timeline);
    pages.ensure(40);
    pages.paragraph('The timeline as a list', { font: 'bold', size: 12, after: 3 });
    if (!described.bands.length) pages.paragraph('No periods of service recorded in this period.', { size: 9 });
    for (const b of described.bands) pages.paragraph(fold.fold(`${b.lane}: ${b.text}`), { size: 9, indent: 8, after: 1 });
    pages.paragraph(`Key events in the timeline: ${described.marks.length}. Each is an entry in the chronology that follows.`, { size: 9, colour: SECONDARY, after: 8 });
  }
}

/** Header marking, footer, page number and watermark, drawn on the current page once it is full. */
function drawPageFurniture(pdf: Pdf, fold: TextFolder, doc: ChronologyDocument, page: number, pages: number): void {
  const marking = fold.fold(exportMarking(doc));
  const { width, height } = pdf.page;
  // Text drawn with lineBreak: false never flows, so pdfkit adds no page for footer text below the margin.
  pdf.font(FONTS.bold).fontSize(9).fillColor(INK);
  pdf.text(MARKING, (width - pdf.widthOfString(MARKING)) / 2, 18, { lineBreak: false });
  if (page > 1) {
    pdf.font(FONTS.regular).fontSize(8).fillColor(SECONDARY);
    let shown = fold.fold(doc.title);
    while (shown.length > 1 && pdf.widthOfString(shown) > width / 2 - 80) shown = `${shown.slice(0, -2)}…`;
    pdf.text(shown, MARGIN_X, 19, { lineBreak: false });
  }
  const pageText = `Page ${page} of ${pages}`;
  pdf.moveTo(MARGIN_X, height - 36).lineTo(width - MARGIN_X, height - 36).lineWidth(0.5).strokeColor(RULE).stroke();
  pdf.font(FONTS.regular).fontSize(8).fillColor(INK);
  pdf.text(marking, MARGIN_X, height - 30, { lineBreak: false });
  pdf.text(pageText, width - MARGIN_X - pdf.widthOfString(pageText), height - 30, { lineBreak: false });

  // The watermark: along the page's diagonal, as large as fits, light and translucent over the content.
  const angle = (Math.atan2(height, width) * 180) / Math.PI;
  const diagonal = Math.hypot(width, height);
  pdf.font(FONTS.bold).fontSize(10);
  const size = Math.min(40, (10 * diagonal * 0.8) / pdf.widthOfString(marking));
  pdf.fontSize(size);
  const w = pdf.widthOfString(marking);
  pdf.save();
  pdf.rotate(-angle, { origin: [width / 2, height / 2] });
  pdf.fillColor('#6f777b').fillOpacity(0.12);
  pdf.text(marking, n1(width / 2 - w / 2), n1(height / 2 - size / 2), { lineBreak: false });
  pdf.restore();
}

const pause = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** The table: heading, header row (repeated on each new page), the rows and the closing line. */
async function drawTable(pages: Pages, doc: ChronologyDocument, cells: readonly CellLine[][][], widths: readonly number[], progress: (i: number) => void): Promise<void> {
  // The table starts on a fresh page unless a good part of this one is left.
  if (pages.bottom - pages.y < 200) pages.newPage();
  else pages.y += 8;
  pages.paragraph('Chronology', { font: 'bold', size: 14, after: 4 });
  drawTableHeader(pages, widths);
  pages.onNewPage = () => drawTableHeader(pages, widths);
  if (!cells.length) pages.paragraph('No entries are recorded.', { after: 4 });
  for (let i = 0; i < cells.length; i += 1) {
    drawRow(pages, cells[i]!, widths, doc.entries[i]!.significant);
    if ((i + 1) % ROWS_PER_PAUSE === 0) { progress(i + 1); await pause(); }
  }
  pages.onNewPage = null;
  pages.y += 8;
  const total = doc.entries.length;
  pages.paragraph(`End of chronology: ${total} ${total === 1 ? 'entry' : 'entries'}. Restricted entries not included: ${doc.restrictedOmitted}.`, { font: 'bold', size: 10 });
}

/**
 * Renders a chronology export as a PDF. Memory grows linearly with the entries (pages are held until
 * the page count is known); the event loop is given back every few hundred rows.
 */
export async function renderChronologyPdf(doc: ChronologyDocument, options: ChronologyPdfOptions = {}): Promise<Buffer> {
  const fold = new TextFolder();
  const pdf = new PDFDocument({
    size: 'A4',
    layout: 'landscape',
    margins: { top: TOP, bottom: BOTTOM_GAP, left: MARGIN_X, right: MARGIN_X },
    bufferPages: true,
    compress: options.compress ?? true,
    lang: 'en-GB',
    displayTitle: true,
    info: {
      // pdfkit writes metadata as UTF-16 when it needs to, so names stay exactly as recorded here.
      Title: doc.title,
      Author: doc.exportedBy,
      Subject: `Chronology: ${doc.partnership}`,
      Keywords: MARKING,
      Creator: 'Throughline',
      CreationDate: doc.exportedAt,
      ModDate: doc.exportedAt,
    },
  });
  const chunks: Buffer[] = [];
  const finished = new Promise<Buffer>((resolve, reject) => {
    pdf.on('data', (chunk: Buffer) => chunks.push(chunk));
    pdf.on('end', () => resolve(Buffer.concat(chunks)));
    pdf.on('error', reject);
  });

  const pages = new Pages(pdf);
  drawFrontMatter(pages, fold, doc, needsAccentNote(doc));

  // Progress counts entries. Each is measured (wrapped into its cells: half the work), laid out to
  // count the pages (a quarter), then drawn (a quarter).
  const total = doc.entries.length;
  const report = (fraction: number): void => options.onProgress?.(Math.min(total, Math.floor(total * fraction)), total);
  report(0);
  const widths = columnWidths(pages.width);
  const cells: CellLine[][][] = [];
  for (let i = 0; i < total; i += 1) {
    cells.push(entryCells(pdf, fold, doc.entries[i]!, widths));
    if ((i + 1) % ROWS_PER_PAUSE === 0) { report((i + 1) / total / 2); await pause(); }
  }

  // Lay the table out without drawing to learn how many pages it takes.
  const startY = pages.y;
  pages.counting = true;
  await drawTable(pages, doc, cells, widths, (i) => report(0.5 + i / total / 4));
  const frontPages = pdf.bufferedPageRange().count;
  const pageCount = frontPages + pages.countedPages;
  pages.counting = false;
  pages.y = startY;

  // Finish the front pages; from here each page is finished and flushed as the next begins, so only
  // one page of drawing is held in memory, however long the chronology.
  for (let i = 0; i < frontPages - 1; i += 1) {
    pdf.switchToPage(i);
    drawPageFurniture(pdf, fold, doc, i + 1, pageCount);
  }
  pdf.switchToPage(frontPages - 1);
  let current = frontPages;
  pages.onPageDone = () => {
    drawPageFurniture(pdf, fold, doc, current, pageCount);
    pdf.flushPages();
    current += 1;
  };
  await drawTable(pages, doc, cells, widths, (i) => report(0.75 + i / total / 4));
  pages.onPageDone = null;
  drawPageFurniture(pdf, fold, doc, current, pageCount);
  options.onProgress?.(total, total);

  pdf.end();
  return finished;
}
