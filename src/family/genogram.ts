/**
 * Family genogram drawn as a self-contained, accessible SVG string. Pure: no I/O, no database.
 *
 * Drawing conventions (standard genogram symbols):
 * - square = male, circle = female, diamond = sex unknown, small triangle = unborn baby
 *   (labelled "expected <date>"); the focus child has a double outline.
 * - Partners are joined by a horizontal line: solid for a current partnership, one slash across it
 *   for an ended one, labelled with the start–end years when known. Parents of a shared child with
 *   no partnership recorded are joined by a plain line. A partner who cannot sit next to the other
 *   (a third partnership) is joined by a line dipping under the person between them (no year label).
 * - Children hang from their parents' line, or from a single parent, on a sibship bar.
 * - Generations come from mother/father/grandparent/unborn-child-of links (parents one row above
 *   children); partners, siblings and step-parents then join their relative's row. Cycles and
 *   contradictions never crash: the first placement wins and a warning is returned. People not
 *   connected to the focus child are drawn in the child's row.
 * - Siblings with no shared parent recorded sit together, joined by a bracket above (dashed for
 *   half-siblings). Carers and household members with no other link sit at the end of the focus
 *   row, set apart, joined by a dotted line. Any other link the layout cannot show is dotted.
 * - "lives elsewhere" is written under anyone a link marks as living elsewhere.
 * - With no father linked to the focus child, a dashed empty square reads "Father not recorded".
 *
 * Output has no scripts, event handlers, styles or external resources (the app's CSP allows no
 * inline styles, so only presentation attributes are used), text is at least 14 user units with a
 * 1:1 viewBox, and every piece of record text is escaped.
 */

export interface GenogramPerson {
  id: string;
  name: string;
  sex: 'female' | 'male' | 'unknown';
  kind: 'person' | 'unborn';
  /** YYYY-MM-DD, YYYY-MM or YYYY. */
  born?: string | null;
  expectedDate?: string | null;
  /** e.g. "4 years", precomputed by the caller. */
  ageLabel?: string | null;
  /** Name is shown as given: the caller has already redacted it. */
  restricted?: boolean;
  livesWithFocus?: boolean;
  /** Link to the person's page: a site path ("/…"), fragment or http(s) URL. */
  href?: string | null;
}

export type GenogramLinkType =
  | 'mother' | 'father' | 'step-parent' | 'partner' | 'carer' | 'sibling' | 'half-sibling'
  | 'grandparent' | 'household-member' | 'unborn-child-of';

/** "from is the <type> of to", as in the exchange format ('unborn-child-of': from is the unborn child of to, the mother). */
export interface GenogramLink { from: string; to: string; type: GenogramLinkType; start?: string | null; end?: string | null; livesElsewhere?: boolean }

export interface GenogramInput { focusId: string; people: GenogramPerson[]; links: GenogramLink[]; fatherUnknown?: boolean; title?: string }

/** svg: the drawing; generations: person ids per row, top row first, in drawn order; warnings: data problems (ids only, no names). */
export interface GenogramResult { svg: string; generations: string[][]; warnings: string[] }

const INK = '#0b0c0c';
const LINK = '#1d70b8';
const FONT = 'Arial, Helvetica, sans-serif';
const NAME_PX = 16;
const SMALL_PX = 14;
const LINE_H = 20;
const GAP = 32;
const MARGIN = 24;
/** Space between one row's labels and the next row's symbols: holds up to three staggered sibship bars and a bracket. */
const ROW_GAP = 64;
const MAX_CHARS = 22;
// Cannot clash with a real id from agency records (NUL is not a valid id character anywhere upstream).
const PLACEHOLDER = '\u0000father-not-recorded';
const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/** gen(to) − gen(from) for links that say something about generations. */
const OFFSET: Partial<Record<GenogramLinkType, number>> = { mother: 1, father: 1, grandparent: 2, 'unborn-child-of': -1, partner: 0, sibling: 0, 'half-sibling': 0, 'step-parent': 1 };
const STRONG = new Set<GenogramLinkType>(['mother', 'father', 'grandparent', 'unborn-child-of']);
/** How a person relates to the focus child through a direct link: [when they are `from`, when they are `to`]. */
const DIRECT: Record<GenogramLinkType, [string, string]> = {
  mother: ['mother', 'child'], father: ['father', 'child'], 'step-parent': ['step-parent', 'stepchild'], partner: ['partner', 'partner'],
  carer: ['carer', 'cared-for person'], sibling: ['sibling', 'sibling'], 'half-sibling': ['half-sibling', 'half-sibling'],
  grandparent: ['grandparent', 'grandchild'], 'household-member': ['household member', 'household member'], 'unborn-child-of': ['unborn child', 'mother'],
};

interface Line { text: string; px: number }
interface Node { id: string; person: GenogramPerson | null; gen: number; lines: Line[]; leftText: boolean; w: number; x: number; cy: number; focus: boolean }
interface Ctx {
  focusId: string | null; byId: Map<string, GenogramPerson>; links: GenogramLink[]; gen: Map<string, number>;
  parents: Map<string, string[]>; drawnParents: Map<string, string[]>; couples: Map<string, string[]>; setApart: Set<string>;
}

/** Escapes text for SVG content and attribute values, dropping characters XML forbids. */
export function escapeXml(value: string): string {
  // eslint-disable-next-line no-control-regex -- stripping control characters is the point: they make the SVG ill-formed
  return value.replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, '')
    .replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

const num = (v: number): string => String(Math.round(v * 10) / 10);
const DATE = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$/;
const sortDate = (value?: string | null): string => (value && DATE.test(value) ? value : '9999');
const year = (value?: string | null): string | null => /^\d{4}/.exec(value ?? '')?.[0] ?? null;
const plural = (n: number, one: string, many: string): string => `${n} ${n === 1 ? one : many}`;
const listJoin = (items: string[]): string => (items.length < 2 ? items.join('') : `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`);

/** "2019-03-07" → "7 March 2019"; partial dates shown as far as known; anything else shown as given. */
function formatDate(value: string): string {
  const m = DATE.exec(value);
  if (!m) return value;
  const month = m[2] ? MONTHS[Number(m[2]) - 1] : undefined;
  if (m[2] && !month) return value;
  return [m[3] ? String(Number(m[3])) : null, month, m[1]].filter(Boolean).join(' ');
}

/** Splits a name into lines of at most MAX_CHARS, breaking at spaces; never truncates a name. */
function wrapName(name: string): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of name.trim().split(/\s+/).filter(Boolean)) {
    let rest = word;
    while (rest) {
      const room = line ? MAX_CHARS - line.length - 1 : MAX_CHARS;
      if (rest.length <= room) { line = line ? `${line} ${rest}` : rest; rest = ''; }
      else if (line) { lines.push(line); line = ''; }
      else { lines.push(rest.slice(0, MAX_CHARS)); rest = rest.slice(MAX_CHARS); }
    }
  }
  if (line) lines.push(line);
  return lines.length ? lines : ['(name not recorded)'];
}

/** Only same-site paths, fragments and http(s) URLs: a javascript: URL in an inline SVG would run. */
function safeHref(href: string | null | undefined): string | null {
  return href && /^(\/(?!\/)|#|https?:\/\/)/i.test(href) ? href : null;
}

function sortKey(p: GenogramPerson | undefined): string {
  if (!p) return '9999';
  return `${sortDate(p.kind === 'unborn' ? (p.expectedDate ?? p.born) : p.born)}\u0000${p.name.toLowerCase()}\u0000${p.id}`;
}

/** Places people in generations by breadth-first search: strong (parental) links first, then partners/siblings. */
function assignGenerations(ids: string[], links: GenogramLink[], focusId: string | null, warnings: string[]): Map<string, number> {
  const gen = new Map<string, number>();
  const strong = links.filter((l) => STRONG.has(l.type));
  const weak = links.filter((l) => !STRONG.has(l.type) && OFFSET[l.type] !== undefined);
  const spread = (start: string, g: number): void => {
    gen.set(start, g);
    for (const queue = [start]; queue.length > 0;) {
      const id = queue.shift()!;
      for (const l of strong) {
        const d = OFFSET[l.type]!;
        const [other, og] = l.from === id ? [l.to, gen.get(id)! + d] : l.to === id ? [l.from, gen.get(id)! - d] : [null, 0];
        // Visiting each person once is what makes cycles harmless.
        if (other !== null && !gen.has(other)) { gen.set(other, og); queue.push(other); }
      }
    }
  };
  if (focusId) spread(focusId, 0);
  for (;;) {
    const w = weak.find((l) => gen.has(l.from) !== gen.has(l.to));
    if (w) {
      const d = OFFSET[w.type]!;
      if (gen.has(w.from)) spread(w.to, gen.get(w.from)! + d); else spread(w.from, gen.get(w.to)! - d);
      continue;
    }
    const loose = ids.find((id) => !gen.has(id));
    if (loose === undefined) break;
    if (links.some((l) => (l.from === loose || l.to === loose) && OFFSET[l.type] !== undefined)) warnings.push(`${loose} is not connected to the focus child; drawn in the child's row.`);
    spread(loose, 0);
  }
  for (const l of [...strong, ...weak]) {
    if (gen.get(l.to)! - gen.get(l.from)! !== OFFSET[l.type]) warnings.push(`Link ${l.from} ${l.type} ${l.to} contradicts other links; drawn as a dotted line.`);
  }
  return gen;
}

/** Builds the shared context: parents, which parents can be drawn as such, couples and set-apart people. */
function buildContext(people: GenogramPerson[], links: GenogramLink[], focusId: string | null, placeholder: boolean, warnings: string[]): Ctx {
  const byId = new Map(people.map((p) => [p.id, p]));
  const gen = assignGenerations(people.map((p) => p.id), links, focusId, warnings);
  const parents = new Map<string, string[]>();
  const addParent = (child: string, parent: string): void => {
    const list = parents.get(child) ?? [];
    if (!list.includes(parent)) parents.set(child, [...list, parent].sort());
  };
  for (const l of links) {
    if (l.type === 'mother' || l.type === 'father') addParent(l.to, l.from);
    if (l.type === 'unborn-child-of') addParent(l.from, l.to);
  }
  if (placeholder && focusId) { gen.set(PLACEHOLDER, gen.get(focusId)! - 1); addParent(focusId, PLACEHOLDER); }
  const drawnParents = new Map<string, string[]>();
  const couples = new Map<string, string[]>();
  const couple = (a: string, b: string): void => {
    for (const [x, y] of [[a, b], [b, a]] as const) if (!(couples.get(x) ?? []).includes(y)) couples.set(x, [...(couples.get(x) ?? []), y].sort());
  };
  for (const [child, list] of parents) {
    const drawn = list.filter((p) => gen.get(p) === gen.get(child)! - 1);
    if (drawn.length > 2) warnings.push(`${child} has more than two parents recorded; extra parents drawn with a dotted line.`);
    drawnParents.set(child, drawn.slice(0, 2));
    if (drawn.length >= 2) couple(drawn[0]!, drawn[1]!);
  }
  for (const l of links) if (l.type === 'partner' && gen.get(l.from) === gen.get(l.to)) couple(l.from, l.to);
  const setApart = new Set(people.filter((p) => {
    const own = links.filter((l) => l.from === p.id || l.to === p.id);
    return p.id !== focusId && own.length > 0 && own.every((l) => l.type === 'carer' || l.type === 'household-member');
  }).map((p) => p.id));
  return { focusId, byId, links, gen, parents, drawnParents, couples, setApart };
}

/** How a person relates to the focus child, in plain words, for titles and the summary. */
function relation(id: string, ctx: Ctx): string {
  const { focusId, links, parents } = ctx;
  if (id === PLACEHOLDER) return 'father not recorded';
  if (id === focusId) return 'focus child';
  const direct = links.find((l) => (l.from === id && l.to === focusId) || (l.to === id && l.from === focusId));
  if (direct) return DIRECT[direct.type][direct.from === id ? 0 : 1];
  const focusParents = (parents.get(focusId ?? '') ?? []).filter((p) => p !== PLACEHOLDER);
  if (focusParents.some((p) => (parents.get(p) ?? []).includes(id))) return 'grandparent';
  const mine = parents.get(id) ?? [];
  if (mine.some((p) => focusParents.includes(p))) {
    // Half-sibling only when the records prove it: a different second parent, not just a missing one.
    const differs = (x: string[], y: string[]): boolean => x.some((p) => !y.includes(p)) && y.length >= 2;
    const half = differs(mine, focusParents) || differs(focusParents, mine);
    return `${ctx.byId.get(id)?.kind === 'unborn' ? 'unborn ' : ''}${half ? 'half-sibling' : 'sibling'}`;
  }
  const parentPartner = focusParents.find((p) => links.some((l) => l.type === 'partner' && [l.from, l.to].includes(p) && [l.from, l.to].includes(id)));
  if (parentPartner) return `partner of ${relation(parentPartner, ctx)}`;
  const any = links.find((l) => l.from === id || l.to === id);
  if (!any) return 'no relationship recorded';
  const other = any.from === id ? any.to : any.from;
  return `${DIRECT[any.type][any.from === id ? 0 : 1]} of ${ctx.byId.get(other)?.name ?? 'someone'}`;
}

function partnerLink(a: string, b: string, links: GenogramLink[]): GenogramLink | undefined {
  return links.find((l) => l.type === 'partner' && ((l.from === a && l.to === b) || (l.from === b && l.to === a)));
}

/** "2015–2020" for an ended partnership, "since 2018" for a current one, '' when no years are known. */
function partnerYears(link: GenogramLink | undefined): string {
  if (!link) return '';
  const [s, e] = [year(link.start), year(link.end)];
  if (link.end) return s || e ? `${s ?? ''}–${e ?? ''}` : '';
  return s ? `since ${s}` : '';
}

/** Orders a cluster of partners round its best-connected member: ended partnerships to the left, current ones to the right. */
function arrangeCluster(members: string[], key: Map<string, number>, ctx: Ctx): string[] {
  if (members.length === 1) return members;
  const deg = (id: string): number => (ctx.couples.get(id) ?? []).length;
  const hub = members.reduce((best, id) => (deg(id) > deg(best) ? id : best));
  const status = (p: string): string => {
    const l = partnerLink(hub, p, ctx.links);
    return `${l ? (l.end ? 0 : 2) : 1}${sortDate(l?.start)}${sortKey(ctx.byId.get(p))}`;
  };
  const partners = [...(ctx.couples.get(hub) ?? [])].sort((a, b) => (status(a) < status(b) ? -1 : 1));
  const rest = members.filter((m) => m !== hub && !partners.includes(m));
  if (partners.length === 1) {
    // Each partner on the side of their own parents, so lines do not cross; otherwise the convention: male on the left.
    const [kh, kp] = [key.get(hub), key.get(partners[0]!)];
    const left = kh !== undefined && kp !== undefined && kh !== kp ? kh < kp : ctx.byId.get(hub)?.sex === 'male' || ctx.byId.get(partners[0]!)?.sex !== 'male';
    return [...(left ? [hub, partners[0]!] : [partners[0]!, hub]), ...rest];
  }
  const half = Math.ceil(partners.length / 2);
  return [...partners.slice(0, half), hub, ...partners.slice(half), ...rest];
}

/** Orders one row: under the parents where known, kin next to kin, then by birth date and name; set-apart people last. */
function orderRow(ids: string[], nodes: Map<string, Node>, ctx: Ctx): string[] {
  const key = new Map<string, number>();
  const families = [...ctx.drawnParents.values()];
  for (const id of ids) {
    let ps = ctx.drawnParents.get(id) ?? [];
    // A child of one recorded parent who has children with exactly one partner sorts in among those children by birth date.
    const withKids = ps.length === 1 ? (ctx.couples.get(ps[0]!) ?? []).filter((q) => families.some((f) => f.includes(q) && f.includes(ps[0]!))) : [];
    if (withKids.length === 1) ps = [ps[0]!, withKids[0]!];
    const xs = ps.map((p) => nodes.get(p)!.x);
    if (xs.length) key.set(id, xs.reduce((a, b) => a + b, 0) / xs.length);
  }
  const inRow = new Set(ids);
  for (let pass = 0; pass < 2; pass++) {
    for (const id of ids) {
      if (key.has(id) || ctx.setApart.has(id)) continue;
      const kin = ctx.links.filter((l) => l.from === id || l.to === id).map((l) => (l.from === id ? l.to : l.from)).filter((o) => inRow.has(o)).sort();
      const k = kin.map((o) => key.get(o)).find((v) => v !== undefined);
      if (k !== undefined) key.set(id, k);
    }
  }
  const seen = new Set<string>();
  const clusters: { members: string[]; k: number; s: string }[] = [];
  for (const id of ids.filter((i) => !ctx.setApart.has(i))) {
    if (seen.has(id)) continue;
    const members: string[] = [];
    for (const stack = [id]; stack.length > 0;) {
      const m = stack.pop()!;
      if (seen.has(m) || !inRow.has(m)) continue;
      seen.add(m); members.push(m); stack.push(...(ctx.couples.get(m) ?? []));
    }
    members.sort((a, b) => (sortKey(ctx.byId.get(a)) < sortKey(ctx.byId.get(b)) ? -1 : 1));
    const k = Math.min(...members.map((m) => key.get(m) ?? Infinity));
    clusters.push({ members: arrangeCluster(members, key, ctx), k, s: sortKey(ctx.byId.get(members[0]!)) });
  }
  clusters.sort((a, b) => a.k - b.k || (a.s < b.s ? -1 : a.s > b.s ? 1 : 0));
  const apart = ids.filter((i) => ctx.setApart.has(i)).sort((a, b) => (sortKey(ctx.byId.get(a)) < sortKey(ctx.byId.get(b)) ? -1 : 1));
  return [...clusters.flatMap((c) => c.members), ...apart];
}

const textWidth = (l: Line): number => l.text.length * l.px * 0.55;

function personLines(id: string, ctx: Ctx): Line[] {
  if (id === PLACEHOLDER) return [{ text: 'Father not recorded', px: NAME_PX }];
  const p = ctx.byId.get(id)!;
  const lines: Line[] = wrapName(p.name).map((text) => ({ text, px: NAME_PX }));
  const extra = p.kind === 'unborn' ? (p.expectedDate ? `expected ${formatDate(p.expectedDate)}` : 'expected, date not recorded') : (p.ageLabel ?? (p.born ? `born ${formatDate(p.born)}` : null));
  if (extra) lines.push({ text: extra, px: SMALL_PX });
  if (ctx.links.some((l) => l.livesElsewhere && (l.from === ctx.focusId ? l.to : l.from) === id)) lines.push({ text: 'lives elsewhere', px: SMALL_PX });
  return lines;
}

const halfHeight = (n: Node): number => (n.person?.kind === 'unborn' ? 12 : n.person?.sex === 'unknown' ? 22 : 20) + (n.focus ? 5 : 0);
const halfWidth = (n: Node): number => (n.person?.kind === 'unborn' ? 14 : n.person?.sex === 'unknown' ? 22 : 20) + (n.focus ? 5 : 0);

function symbol(n: Node, grow: number): string {
  const { x, cy } = n;
  const attrs = `fill="${grow ? 'none' : '#ffffff'}" stroke="${INK}" stroke-width="2"${n.person ? '' : ' stroke-dasharray="6 4"'}`;
  const poly = (pts: [number, number][]): string => `<polygon points="${pts.map(([a, b]) => `${num(a)},${num(b)}`).join(' ')}" ${attrs}/>`;
  if (n.person?.kind === 'unborn') { const h = 12 + grow; return poly([[x, cy - h], [x + h + 2, cy + h], [x - h - 2, cy + h]]); }
  if (n.person?.sex === 'female') return `<circle cx="${num(x)}" cy="${num(cy)}" r="${20 + grow}" ${attrs}/>`;
  if (n.person?.sex === 'unknown') { const h = 22 + grow; return poly([[x, cy - h], [x + h, cy], [x, cy + h], [x - h, cy]]); }
  const h = 20 + grow;
  return `<rect x="${num(x - h)}" y="${num(cy - h)}" width="${2 * h}" height="${2 * h}" ${attrs}/>`;
}

function drawPerson(n: Node, ctx: Ctx): string {
  const name = n.person?.name ?? 'Father not recorded';
  const href = safeHref(n.person?.href);
  const fill = href ? LINK : INK;
  // A single parent's drop line leaves the symbol's bottom centre, so their labels start right of it.
  const [tx, anchor] = n.leftText ? [n.x + 8, 'start'] : [n.x, 'middle'];
  const texts = n.lines.map((l, i) => `<text x="${num(tx)}" y="${num(n.cy + 48 + i * LINE_H)}" text-anchor="${anchor}" font-size="${l.px}" fill="${fill}"${href && l.px === NAME_PX ? ' text-decoration="underline"' : ''} stroke="#ffffff" stroke-width="4" stroke-linejoin="round" paint-order="stroke">${escapeXml(l.text)}</text>`).join('');
  const body = `<title>${escapeXml(`${name}, ${relation(n.id, ctx)}`)}</title>${n.focus ? symbol(n, 5) : ''}${symbol(n, 0)}${texts}`;
  const idAttr = n.person ? ` data-person-id="${escapeXml(n.id)}"` : ' data-placeholder="father-not-recorded"';
  return `<g${idAttr}>${href ? `<a href="${escapeXml(href)}">${body}</a>` : body}</g>`;
}

const path = (d: string, dash?: string): string => `<path d="${d}" fill="none" stroke="${INK}" stroke-width="2"${dash ? ` stroke-dasharray="${dash}"` : ''}/>`;

/** A link the family structure does not already show: a bracket above within a row, a straight line between rows. */
function connector(a: Node, b: Node, rowTop: Map<number, number>, dash?: string): string {
  if (a.gen === b.gen) {
    const y = rowTop.get(a.gen)! - 12;
    return path(`M${num(a.x)},${num(a.cy - halfHeight(a))}V${num(y)}H${num(b.x)}V${num(b.cy - halfHeight(b))}`, dash);
  }
  const [u, l] = a.gen < b.gen ? [a, b] : [b, a];
  const side = l.x >= u.x ? 1 : -1;
  return path(`M${num(u.x + side * halfWidth(u))},${num(u.cy)}L${num(l.x)},${num(l.cy - halfHeight(l))}`, dash);
}

/** Draws partner lines, sibships and leftover links (everything behind the people). */
function drawLines(nodes: Map<string, Node>, order: Map<string, number>, rowTop: Map<number, number>, ctx: Ctx): string {
  const out: string[] = [];
  const node = (id: string): Node => nodes.get(id)!;
  const coupleY = new Map<string, number>();
  for (const [a0, partners] of [...ctx.couples].sort(([a], [b]) => (a < b ? -1 : 1))) {
    for (const b0 of partners.filter((p) => p > a0)) {
      const [a, b] = order.get(a0)! < order.get(b0)! ? [node(a0), node(b0)] : [node(b0), node(a0)];
      const link = partnerLink(a.id, b.id, ctx.links);
      const adjacent = Math.abs(order.get(a.id)! - order.get(b.id)!) === 1;
      const [x1, x2] = adjacent ? [a.x + halfWidth(a), b.x - halfWidth(b)] : [a.x, b.x];
      const y = adjacent ? a.cy : a.cy + 28;
      coupleY.set(`${a0}|${b0}`, y);
      out.push(path(adjacent ? `M${num(x1)},${num(y)}H${num(x2)}` : `M${num(x1)},${num(a.cy + halfHeight(a))}V${num(y)}H${num(x2)}V${num(b.cy + halfHeight(b))}`));
      // The slash sits off-centre so it never meets the children's drop line at the midpoint.
      if (link?.end) { const sx = x1 + (x2 - x1) * 0.3; out.push(path(`M${num(sx - 5)},${num(y + 8)}L${num(sx + 5)},${num(y - 8)}`)); }
      const label = partnerYears(link);
      if (label && adjacent) out.push(`<text x="${num((x1 + x2) / 2)}" y="${num(y - 6)}" text-anchor="middle" font-size="${SMALL_PX}" fill="${INK}">${escapeXml(label)}</text>`);
    }
  }
  const families = new Map<string, string[]>();
  for (const [child, ps] of [...ctx.drawnParents].sort(([a], [b]) => (a < b ? -1 : 1))) if (ps.length) families.set(ps.join('|'), [...(families.get(ps.join('|')) ?? []), child]);
  const perRow = new Map<number, number>();
  for (const [key, children] of families) {
    const ps = key.split('|').map(node);
    const kids = children.map(node);
    const k = perRow.get(kids[0]!.gen) ?? 0;
    perRow.set(kids[0]!.gen, k + 1);
    // Stagger bars of different families in one row so they do not merge into one line.
    const barY = rowTop.get(kids[0]!.gen)! - 24 - 12 * (k % 3);
    const [ax, ay] = ps.length === 2 ? [(ps[0]!.x + ps[1]!.x) / 2, coupleY.get(key)!] : [ps[0]!.x, ps[0]!.cy + halfHeight(ps[0]!)];
    const xs = [ax, ...kids.map((c) => c.x)];
    out.push(path(`M${num(ax)},${num(ay)}V${num(barY)}M${num(Math.min(...xs))},${num(barY)}H${num(Math.max(...xs))}${kids.map((c) => `M${num(c.x)},${num(barY)}V${num(c.cy - halfHeight(c))}`).join('')}`));
  }
  const drawnPairs = new Set<string>();
  for (const l of ctx.links) {
    const [a, b] = [node(l.from), node(l.to)];
    const pair = [l.from, l.to].sort().join('|');
    const parentOf = (p: string, c: string): boolean => (ctx.drawnParents.get(c) ?? []).includes(p);
    const shareParent = (ctx.drawnParents.get(l.from) ?? []).some((p) => parentOf(p, l.to));
    const shown = ({
      mother: () => parentOf(l.from, l.to), father: () => parentOf(l.from, l.to), 'unborn-child-of': () => parentOf(l.to, l.from),
      partner: () => a.gen === b.gen, sibling: () => shareParent, 'half-sibling': () => shareParent,
      grandparent: () => (ctx.drawnParents.get(l.to) ?? []).some((p) => parentOf(l.from, p)),
      'step-parent': () => (ctx.drawnParents.get(l.to) ?? []).some((p) => (ctx.couples.get(p) ?? []).includes(l.from)),
      // Carer/household links only add a line when nothing else joins the two people.
      carer: () => ctx.links.some((o) => o !== l && [o.from, o.to].sort().join('|') === pair),
      'household-member': () => ctx.links.some((o) => o !== l && [o.from, o.to].sort().join('|') === pair),
    } satisfies Record<GenogramLinkType, () => boolean>)[l.type]();
    if (shown || drawnPairs.has(pair)) continue;
    drawnPairs.add(pair);
    const dash = l.type === 'sibling' ? undefined : l.type === 'half-sibling' ? '8 4' : '2 4';
    const [left, right] = a.x <= b.x ? [a, b] : [b, a];
    out.push(connector(left, right, rowTop, dash));
  }
  return out.join('');
}

/** Plain-language summary for the SVG's <desc>. */
function summarise(focusName: string, ids: string[], ctx: Ctx, placeholder: boolean): string {
  const counts = { parent: 0, step: 0, sibling: 0, grandparent: 0, carer: 0, unborn: 0, other: 0 };
  for (const id of ids.filter((i) => i !== ctx.focusId)) {
    const rel = relation(id, ctx);
    if (ctx.byId.get(id)!.kind === 'unborn') counts.unborn++;
    else if (rel === 'mother' || rel === 'father') counts.parent++;
    else if (rel === 'step-parent') counts.step++;
    else if (rel === 'sibling' || rel === 'half-sibling') counts.sibling++;
    else if (rel === 'grandparent') counts.grandparent++;
    else if (rel === 'carer') counts.carer++;
    else counts.other++;
  }
  const parts = [
    [counts.parent, 'parent', 'parents'], [counts.step, 'step-parent', 'step-parents'], [counts.sibling, 'sibling', 'siblings'],
    [counts.grandparent, 'grandparent', 'grandparents'], [counts.carer, 'carer', 'carers'], [counts.unborn, 'unborn baby', 'unborn babies'],
    [counts.other, 'other person', 'other people'],
  ].filter(([n]) => (n as number) > 0).map(([n, one, many]) => plural(n as number, one as string, many as string));
  const livesWith = ids.filter((i) => i !== ctx.focusId && ctx.byId.get(i)!.livesWithFocus).map((i) => ctx.byId.get(i)!.name);
  return `Genogram for ${focusName}: ${parts.length ? parts.join(', ') : 'no relatives recorded'}${placeholder ? '; father not recorded' : ''}.`
    + (livesWith.length ? ` Lives with ${listJoin(livesWith)}.` : '');
}

/** Drops duplicate people, duplicate links and links to unknown people; sorts both so input order never changes the drawing. */
function cleanInput(input: GenogramInput, warnings: string[]): { people: GenogramPerson[]; links: GenogramLink[] } {
  const byId = new Map<string, GenogramPerson>();
  for (const p of input.people ?? []) {
    if (byId.has(p.id)) warnings.push(`Person ${p.id} appears more than once; the first entry is used.`);
    else byId.set(p.id, p);
  }
  const linkKey = (l: GenogramLink): string => `${l.from}\u0000${l.to}\u0000${l.type}`;
  const seen = new Set<string>();
  const links = (input.links ?? []).filter((l) => {
    if (!byId.has(l.from) || !byId.has(l.to) || l.from === l.to) { warnings.push(`Link ${l.from} ${l.type} ${l.to} refers to an unknown person or to itself; ignored.`); return false; }
    if (seen.has(linkKey(l))) return false;
    seen.add(linkKey(l));
    return true;
  }).sort((a, b) => (linkKey(a) < linkKey(b) ? -1 : 1));
  return { people: [...byId.values()].sort((a, b) => (a.id < b.id ? -1 : 1)), links };
}

/** Sizes every person, orders each row and gives everyone x and y; rows are centred on each other. */
function layout(ids: string[], ctx: Ctx): { nodes: Map<string, Node>; rows: string[][]; order: Map<string, number>; rowTop: Map<number, number>; width: number; height: number } {
  const nodes = new Map<string, Node>();
  const singleParents = new Set([...ctx.drawnParents.values()].filter((ps) => ps.length === 1).map((ps) => ps[0]!));
  for (const id of ids) {
    const lines = personLines(id, ctx);
    const textW = Math.max(...lines.map(textWidth));
    const leftText = singleParents.has(id);
    const w = Math.max(64, textW + 12, leftText ? 2 * (textW + 12) : 0);
    nodes.set(id, { id, person: ctx.byId.get(id) ?? null, gen: ctx.gen.get(id)!, lines, leftText, w, x: 0, cy: 0, focus: id === ctx.focusId });
  }
  const rows: string[][] = [];
  const order = new Map<string, number>();
  const rowTop = new Map<number, number>();
  let top = MARGIN + 16; // room for sibling brackets above the top row
  for (const g of [...new Set(ids.map((id) => ctx.gen.get(id)!))].sort((a, b) => a - b)) {
    const row = orderRow(ids.filter((id) => ctx.gen.get(id) === g), nodes, ctx);
    let cursor = 0;
    row.forEach((id, i) => {
      const prev = row[i - 1];
      if (prev !== undefined) {
        // Partners' gap widens to fit their years label; set-apart people get a wider gap.
        const years = (ctx.couples.get(prev) ?? []).includes(id) ? partnerYears(partnerLink(prev, id, ctx.links)) : '';
        cursor += ctx.setApart.has(id) && !ctx.setApart.has(prev) ? 2 * GAP : Math.max(GAP, years ? textWidth({ text: years, px: SMALL_PX }) + 24 : 0);
      }
      order.set(id, i);
      nodes.get(id)!.x = cursor + nodes.get(id)!.w / 2;
      cursor += nodes.get(id)!.w;
    });
    // Each row is centred on x = 0 so children sit roughly beneath their parents.
    for (const id of row) { const n = nodes.get(id)!; n.x -= cursor / 2; n.cy = top + 27; }
    rowTop.set(g, top);
    rows.push(row);
    top += 27 + 30 + Math.max(1, ...row.map((id) => nodes.get(id)!.lines.length)) * LINE_H + ROW_GAP;
  }
  const all = [...nodes.values()];
  const minX = Math.min(0, ...all.map((n) => n.x - n.w / 2));
  const maxX = Math.max(0, ...all.map((n) => n.x + n.w / 2));
  for (const n of all) n.x += MARGIN - minX;
  return { nodes, rows, order, rowTop, width: Math.ceil(maxX - minX + 2 * MARGIN), height: Math.ceil(top - ROW_GAP + MARGIN) };
}

/**
 * Draws a family genogram as an accessible SVG string (role="img", labelled by its <title> and <desc>).
 * Never throws on odd data: duplicates, unknown ids, cycles and contradictions are reported in `warnings`.
 * Deterministic: the same input always gives the identical SVG, whatever order people and links arrive in.
 */
export function renderGenogram(input: GenogramInput): GenogramResult {
  const warnings: string[] = [];
  const { people, links } = cleanInput(input, warnings);
  const focus = people.find((p) => p.id === input.focusId);
  if (!focus) warnings.push(`Focus person ${input.focusId} is not in the people list.`);
  const fatherLinked = links.some((l) => l.type === 'father' && l.to === input.focusId);
  if (input.fatherUnknown && fatherLinked) warnings.push('fatherUnknown is set but a father is linked; the linked father is drawn.');
  const placeholder = focus !== undefined && !fatherLinked;
  const ctx = buildContext(people, links, focus?.id ?? null, placeholder, warnings);
  const { nodes, rows, order, rowTop, width, height } = layout([...people.map((p) => p.id), ...(placeholder ? [PLACEHOLDER] : [])], ctx);

  const focusName = focus?.name ?? 'unknown child';
  const title = input.title ?? `Family genogram for ${focusName}`;
  const desc = people.length ? summarise(focusName, people.map((p) => p.id), ctx, placeholder) : 'No people recorded.';
  // ids must be unique on a page that shows more than one genogram, so they carry the focus id.
  const idBase = `genogram-${(focus?.id ?? 'none').replace(/[^A-Za-z0-9_-]/g, '_')}`;
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="100%" preserveAspectRatio="xMidYMin meet" role="img" aria-labelledby="${idBase}-title ${idBase}-desc" font-family="${FONT}">`
    + `<title id="${idBase}-title">${escapeXml(title)}</title><desc id="${idBase}-desc">${escapeXml(desc)}</desc>`
    + `<rect width="100%" height="100%" fill="#ffffff"/>`
    + `<g aria-hidden="true">${drawLines(nodes, order, rowTop, ctx)}</g>`
    + rows.flat().map((id) => drawPerson(nodes.get(id)!, ctx)).join('')
    + '</svg>';
  return { svg, generations: rows.map((r) => r.filter((id) => id !== PLACEHOLDER)).filter((r) => r.length > 0), warnings };
}
