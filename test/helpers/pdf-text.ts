import { inflateSync } from 'node:zlib';

// Reading back the text of the PDFs Throughline writes (tests only).
// Windows-1252's 0x80-0x9F (Node's TextDecoder may treat the encoding as Latin-1 there); the rest is Latin-1.
const CP1252_HIGH = [...'€\u0081‚ƒ„…†‡ˆ‰Š‹Œ\u008dŽ\u008f\u0090‘’“”•–—˜™š›œ\u009džŸ'];

/**
 * The text of a PDF as pdfkit writes it, page by page: every content stream inflated, every string
 * shown by Tj/TJ decoded from Windows-1252 (pdfkit writes the standard fonts' text as hex strings).
 * Enough to read back what we wrote, without a PDF-parsing dependency.
 */
export function pdfText(pdf: Buffer): { pages: string[]; all: string } {
  const raw = pdf.toString('latin1');
  const decode = (bytes: Buffer): string => [...bytes].map((b) => (b >= 0x80 && b < 0xa0 ? CP1252_HIGH[b - 0x80] ?? '' : String.fromCharCode(b))).join('');
  const pages: string[] = [];
  for (const m of raw.matchAll(/\/Length (\d+)([^]*?)>>\s*stream\r?\n/g)) {
    const start = m.index + m[0].length;
    let body = pdf.subarray(start, start + Number(m[1]));
    if (m[2]!.includes('/FlateDecode')) body = inflateSync(body);
    const content = body.toString('latin1');
    if (!content.includes('BT')) continue;
    const fragments: string[] = [];
    for (const block of content.matchAll(/BT([^]*?)ET/g)) {
      const shown = [...block[1]!.matchAll(/<([0-9a-fA-F]*)>/g)].map((h) => decode(Buffer.from(h[1]!, 'hex'))).join('');
      fragments.push(shown);
    }
    pages.push(fragments.join('\n'));
  }
  return { pages, all: pages.join('\n') };
}

/** Text with line breaks and runs of spaces made single spaces, so wrapped text reads as written. */
export const flat = (text: string): string => text.replace(/\s+/g, ' ');
export const occurrences = (text: string, part: string): number => text.split(part).length - 1;
export const pageCount = (pdf: Buffer): number => Number(/\/Type \/Pages\s*\/Count (\d+)/.exec(pdf.toString('latin1'))![1]);

