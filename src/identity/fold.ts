/**
 * The one text fold used for every name and address comparison. Kept apart from normalise.ts,
 * which re-exports it, so that data modules (the nickname lists) can fold their entries the same
 * way without importing normalise.ts, which imports them.
 */

const SPECIAL_LETTERS: Record<string, string> = {
  ß: 'ss', æ: 'ae', Æ: 'ae', ø: 'o', Ø: 'o', ł: 'l', Ł: 'l', đ: 'd', Đ: 'd', þ: 'th', Þ: 'th', œ: 'oe', Œ: 'oe', ı: 'i', ð: 'd',
};

/**
 * Folds text for comparison: accents removed ("Zoë" → "zoe"), letters with no decomposition spelt
 * out ("ß" → "ss"), lower case, apostrophes dropped ("O'Neil" → "oneil") and every other character
 * that is not a letter or digit turned into a single space.
 */
export function foldText(text: string): string {
  // Plain ASCII (most records) needs no Unicode work.
  if (!/[^\x20-\x7e]/.test(text)) {
    return text.toLowerCase().replace(/['`]/g, '').replace(/[^a-z0-9]+/g, ' ').trim();
  }
  return text
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .replace(/[ßæÆøØłŁđĐþÞœŒıð]/g, (c) => SPECIAL_LETTERS[c] ?? c)
    .toLowerCase()
    .replace(/['’‘`´]/g, '')
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
}
