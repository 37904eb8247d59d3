/**
 * The timeline picture as a self-contained, accessible SVG string, drawn from `layoutTimeline`'s
 * geometry (the PDF export draws the same layout). Like the genogram: pure, deterministic, every
 * piece of record text escaped, role="img" labelled by its <title> and <desc>, no links, scripts,
 * styles or focusable content (the app's CSP allows no inline styles, so only presentation
 * attributes are used). Hatching uses <pattern> fills referenced by id within the picture, so a
 * band costs a few elements however wide it is.
 */
import { escapeXml } from '../family/genogram.js';
import {
  BAND_STYLES, MARK_STYLES, TIMELINE_FONT_SIZE, TIMELINE_GRID, TIMELINE_INK, glyphOutline,
  type BandKind, type BandPattern, type MarkKind, type TimelineLayout,
} from './timeline.js';

const FONT = 'Arial, Helvetica, sans-serif';
const LINE_H = 18;

const n = (v: number): string => String(Math.round(v * 10) / 10);

/** One tile of each hatching, 8 units square; diagonals overrun the tile so the joins do not show. */
const PATTERN_PATH: Record<Exclude<BandPattern, 'none'>, string> = {
  vertical: 'M4,0V8',
  horizontal: 'M0,4H8',
  diagonal: 'M-2,2L2,-2M0,8L8,0M6,10L10,6',
  cross: 'M-2,2L2,-2M0,8L8,0M6,10L10,6M-2,6L2,10M0,0L8,8M6,-2L10,2',
};

const patternId = (layout: TimelineLayout, kind: BandKind): string => `${layout.id}-hatch-${kind}`;

function patternDefs(layout: TimelineLayout, kinds: ReadonlySet<BandKind>): string {
  let out = '';
  for (const kind of kinds) {
    const style = BAND_STYLES[kind];
    if (style.pattern === 'none') continue;
    out += `<pattern id="${patternId(layout, kind)}" patternUnits="userSpaceOnUse" width="8" height="8">`
      + `<path d="${PATTERN_PATH[style.pattern]}" stroke="${style.stroke}" stroke-width="1.2" fill="none"/></pattern>`;
  }
  return out ? `<defs>${out}</defs>` : '';
}

/** A band: tint, hatching, then the outline without the edges that continue past the range. */
function band(layout: TimelineLayout, kind: BandKind, x: number, y: number, w: number, h: number, before: boolean, after: boolean): string {
  const style = BAND_STYLES[kind];
  const box = `x="${n(x)}" y="${n(y)}" width="${n(w)}" height="${n(h)}"`;
  let out = `<rect ${box} fill="${style.fill}"/>`;
  if (style.pattern !== 'none') out += `<rect ${box} fill="url(#${patternId(layout, kind)})"/>`;
  const right = x + w;
  const bottom = y + h;
  let d = `M${n(x)},${n(y)}H${n(right)}M${n(x)},${n(bottom)}H${n(right)}`;
  if (!before) d += `M${n(x)},${n(y)}V${n(bottom)}`;
  if (!after) d += `M${n(right)},${n(y)}V${n(bottom)}`;
  return `${out}<path d="${d}" fill="none" stroke="${style.stroke}" stroke-width="2"/>`;
}

function glyph(kind: MarkKind, x: number, y: number, size: number): string {
  const style = MARK_STYLES[kind];
  const paint = style.filled ? `fill="${style.colour}"` : `fill="#ffffff" stroke="${style.colour}" stroke-width="2"`;
  const outline = glyphOutline(style.shape, x, y, size);
  if (outline.type === 'circle') return `<circle cx="${n(outline.cx)}" cy="${n(outline.cy)}" r="${n(outline.r)}" ${paint}/>`;
  return `<polygon points="${outline.points.map(([px, py]) => `${n(px)},${n(py)}`).join(' ')}" ${paint}/>`;
}

const text = (x: number, y: number, value: string, extra = ''): string => `<text x="${n(x)}" y="${n(y)}"${extra}>${escapeXml(value)}</text>`;

/** Draws a laid-out timeline as an SVG string. */
export function renderTimelineSvg(layout: TimelineLayout): string {
  const { id, width, height, plot } = layout;
  const right = plot.x + plot.width;
  const kinds = new Set<BandKind>([...layout.rows.flatMap((r) => r.bands.map((b) => b.kind)), ...layout.legend.flatMap((l) => (l.type === 'band' ? [l.kind] : []))]);
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="100%" preserveAspectRatio="xMidYMin meet" role="img" aria-labelledby="${id}-title ${id}-desc" font-family="${FONT}" font-size="${TIMELINE_FONT_SIZE}" fill="${TIMELINE_INK}">`,
    `<title id="${id}-title">${escapeXml(layout.title)}</title><desc id="${id}-desc">${escapeXml(layout.desc)}</desc>`,
    patternDefs(layout, kinds),
    `<rect width="100%" height="100%" fill="#ffffff"/>`,
  ];

  // Year (or month) lines behind everything, then a light rule between rows.
  const grid = layout.message ? '' : layout.ticks.filter((t) => t.major).map((t) => `M${n(t.x)},${n(plot.top)}V${n(plot.bottom)}`).join('');
  const rules = layout.rows.slice(1).map((r) => `M16,${n(r.top - 6)}H${n(right)}`).join('');
  if (grid || rules) parts.push(`<path d="${grid}${rules}" stroke="${TIMELINE_GRID}" stroke-width="1" fill="none"/>`);

  for (const row of layout.rows) {
    parts.push(`<g data-lane="${row.lane === null ? 'family' : row.lane}">`);
    row.labelLines.forEach((line, i) => parts.push(text(16, row.labelBaselines[i]!, line, ' font-weight="bold"')));
    if (!row.bands.length) parts.push(`<path d="M${n(plot.x)},${n(row.baseline)}H${n(right)}" stroke="${TIMELINE_GRID}" stroke-width="1"/>`);
    for (const b of row.bands) {
      parts.push(band(layout, b.kind, b.x, b.y, b.width, b.height, b.continuesBefore, b.continuesAfter));
      if (b.text) {
        const c = b.text.chip;
        parts.push(`<rect x="${n(c.x)}" y="${n(c.y)}" width="${n(c.width)}" height="${n(c.height)}" fill="#ffffff"/>`, text(b.text.x, b.text.baseline, b.text.value));
      }
    }
    parts.push('</g>');
  }

  if (layout.glyphs.length || layout.overflows.length) {
    parts.push('<g data-part="marks">');
    for (const g of layout.glyphs) {
      parts.push(glyph(g.kind, g.x, g.y, g.size));
      if (g.countText) parts.push(text(g.countText.x, g.countText.baseline, g.countText.value));
    }
    for (const o of layout.overflows) parts.push(text(o.x, o.baseline, o.value, ' font-weight="bold"'));
    parts.push('</g>');
  }
  if (layout.message) parts.push(text(layout.message.x, layout.message.baseline, layout.message.value));

  // The axis: a line, ticks (major longer), labels under the major ones.
  const ticks = layout.ticks.map((t) => `M${n(t.x)},${n(plot.bottom)}v${t.major ? 6 : 3}`).join('');
  parts.push(`<path d="M${n(plot.x)},${n(plot.bottom)}H${n(right)}${ticks}" stroke="${TIMELINE_INK}" stroke-width="1" fill="none"/>`);
  for (const t of layout.ticks) t.label.forEach((line, i) => parts.push(text(t.x, layout.tickBaseline + i * LINE_H, line, ' text-anchor="middle"')));

  if (layout.legend.length) {
    parts.push(`<g data-part="key">`, text(16, layout.legendBaseline, 'Key', ' font-weight="bold"'));
    for (const item of layout.legend) {
      if (item.type === 'band') parts.push(band(layout, item.kind, item.x, item.y, item.width, item.height, false, false));
      else if (item.type === 'mark') parts.push(glyph(item.kind, item.x, item.y, item.size));
      else parts.push(text(item.x, item.baseline, item.sample));
      parts.push(text(item.textX, item.baseline, item.label));
    }
    parts.push('</g>');
  }
  parts.push('</svg>');
  return parts.join('');
}
