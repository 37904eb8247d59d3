/**
 * Sound-alike codes for names, so that spellings a person would say the same way ("Carr" and
 * "Kerr", "Meller" and "Mellor", "Kayleigh" and "Kayliegh") can be recognised.
 *
 * `metaphone` follows the rules of Lawrence Philips' original Metaphone (1990), written here from
 * the published rules; `soundex` is the classic American Soundex. Both take a name already folded
 * to lower-case ASCII letters (see `foldText` in fold.ts); other characters are skipped.
 */

const VOWELS = new Set(['A', 'E', 'I', 'O', 'U']);
const FRONT = new Set(['E', 'I', 'Y']);

function isVowel(c: string | undefined): boolean {
  return c !== undefined && VOWELS.has(c);
}


/**
 * The Metaphone code of a name (upper case; "0" stands for "th"), at most `maxLength` characters.
 * An empty string when the name has no letters.
 */
export function metaphone(name: string, maxLength = 8): string {
  let w = name.toUpperCase().replace(/[^A-Z]/g, '');
  if (w.length === 0) return '';
  // Silent or altered first letters.
  if (/^(AE|GN|KN|PN|WR)/.test(w)) w = w.slice(1);
  if (w.startsWith('X')) w = `S${w.slice(1)}`;
  if (w.startsWith('WH')) w = `W${w.slice(2)}`;
  let out = '';
  // Out-of-range positions (w[-1], w[length]) read as undefined: "no letter" to every rule.
  for (let i = 0; i < w.length && out.length < maxLength; i += 1) {
    const c = w[i]!;
    const next = w[i + 1];
    const prev = w[i - 1];
    // A doubled letter sounds once (except C: "acc-" is "aks").
    if (c === prev && c !== 'C') continue;
    switch (c) {
      case 'A':
      case 'E':
      case 'I':
      case 'O':
      case 'U':
        if (i === 0) out += c;
        break;
      case 'B':
        // Silent in a final "-mb" ("Lamb").
        if (!(prev === 'M' && i === w.length - 1)) out += 'B';
        break;
      case 'C':
        if (next === 'I' && w[i + 2] === 'A') out += 'X';
        else if (next === 'H') {
          out += prev === 'S' ? 'K' : 'X';
          i += 1;
        } else if (next !== undefined && FRONT.has(next)) {
          if (prev !== 'S') out += 'S';
        } else out += 'K';
        break;
      case 'D':
        if (next === 'G' && FRONT.has(w[i + 2] ?? '')) {
          out += 'J';
          i += 1;
        } else out += 'T';
        break;
      case 'G': {
        if (next === 'H') {
          // "gh" before a consonant or at the end is silent ("Leigh", "Wright"); before a vowel it
          // is a hard G ("Ghislaine" aside).
          if (isVowel(w[i + 2])) {
            out += 'K';
          }
          i += 1;
          break;
        }
        if (next === 'N' && (i + 2 === w.length || (w[i + 2] === 'E' && w[i + 3] === 'D' && i + 4 === w.length))) break;
        if (next !== undefined && FRONT.has(next) && prev !== 'G') out += 'J';
        else out += 'K';
        break;
      }
      case 'H':
        if (isVowel(next) && !(prev !== undefined && 'CSPTG'.includes(prev))) out += 'H';
        break;
      case 'K':
        if (prev !== 'C') out += 'K';
        break;
      case 'P':
        if (next === 'H') {
          out += 'F';
          i += 1;
        } else out += 'P';
        break;
      case 'Q':
        out += 'K';
        break;
      case 'S':
        if (next === 'H') {
          out += 'X';
          i += 1;
        } else if (next === 'I' && (w[i + 2] === 'O' || w[i + 2] === 'A')) out += 'X';
        else out += 'S';
        break;
      case 'T':
        if (next === 'I' && (w[i + 2] === 'O' || w[i + 2] === 'A')) out += 'X';
        else if (next === 'H') {
          out += '0';
          i += 1;
        } else if (!(next === 'C' && w[i + 2] === 'H')) out += 'T';
        break;
      case 'V':
        out += 'F';
        break;
      case 'W':
      case 'Y':
        if (isVowel(next)) out += c;
        break;
      case 'X':
        out += 'KS';
        break;
      case 'Z':
        out += 'S';
        break;
      default:
        // F, J, L, M, N, R sound as written.
        out += c;
    }
  }
  return out.slice(0, maxLength);
}

const SOUNDEX_CODES: Record<string, string> = {
  B: '1', F: '1', P: '1', V: '1',
  C: '2', G: '2', J: '2', K: '2', Q: '2', S: '2', X: '2', Z: '2',
  D: '3', T: '3',
  L: '4',
  M: '5', N: '5',
  R: '6',
};

/** American Soundex (first letter and three digits, e.g. "Robert" → "R163"); "" without letters. */
export function soundex(name: string): string {
  const w = name.toUpperCase().replace(/[^A-Z]/g, '');
  if (w.length === 0) return '';
  let out = w[0]!;
  let last = SOUNDEX_CODES[w[0]!] ?? '';
  for (let i = 1; i < w.length && out.length < 4; i += 1) {
    const c = w[i]!;
    const code = SOUNDEX_CODES[c] ?? '';
    if (code !== '' && code !== last) out += code;
    // H and W do not separate letters with the same code; vowels do.
    if (c !== 'H' && c !== 'W') last = code;
  }
  return out.padEnd(4, '0');
}
