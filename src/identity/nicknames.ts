import { NICKNAMES } from './data/nicknames.js';

// Nickname → the full names it is short for ("harry" → henry, harold, harriet, harrison).
const FULL_NAMES_OF = new Map<string, Set<string>>();
for (const [full, shorts] of Object.entries(NICKNAMES)) {
  for (const short of shorts) {
    if (short === full) continue;
    let set = FULL_NAMES_OF.get(short);
    if (!set) FULL_NAMES_OF.set(short, (set = new Set()));
    set.add(full);
  }
}

/**
 * A form listed as short for more names than this ("ann": Anna, Anne, Antoinette, Roseann,
 * Roxanne...; "chris", "lena", "bert", "al") says too little about which name it stands for to
 * relate it to another form through one of them: "Ann" and "Rose" are not one name because both
 * are in "Roseann". It is still related to each of its full names directly.
 */
export const MAX_FULL_NAMES_TO_RELATE_THROUGH = 10;

/**
 * The full forenames a (folded) forename may stand for, itself included: "tom" → ["tom", "thom",
 * "thomas"], "thomas" → ["thomas"]. Used to build blocking keys, so that "Tom" and "Thomas" meet. Only
 * names at least as long as the forename count: a row of the lists running from a nickname to its
 * full names ("bill" → william) would otherwise give "william" the root "bill", an extra blocking
 * key that finds nothing the "bill" side does not already find.
 */
export function forenameRoots(name: string): string[] {
  const full = FULL_NAMES_OF.get(name);
  if (!full) return [name];
  return [name, ...[...full].filter((f) => f.length >= name.length)];
}

/**
 * True when two different folded forenames are known forms of one name: one is listed as a
 * nickname of the other ("becky"/"rebecca"), or both are listed as nicknames of a third name at
 * least as long as either ("bob"/"rob", both short for "robert"). Two names that merely share a
 * nickname are not related: some rows of the lists run from a nickname to the names it may stand
 * for ("harry" → henry, harold), which makes "henry" and "harold" nicknames of "harry" on paper,
 * and the length condition refuses that. Nor are two forms related through a third name when
 * either is listed for more than MAX_FULL_NAMES_TO_RELATE_THROUGH full names.
 */
export function areNicknames(a: string, b: string): boolean {
  if (a === b || a === '' || b === '') return false;
  const fullA = FULL_NAMES_OF.get(a);
  const fullB = FULL_NAMES_OF.get(b);
  if (fullA?.has(b) || fullB?.has(a)) return true;
  if (!fullA || !fullB) return false;
  if (fullA.size > MAX_FULL_NAMES_TO_RELATE_THROUGH || fullB.size > MAX_FULL_NAMES_TO_RELATE_THROUGH) return false;
  for (const f of fullA) {
    if (fullB.has(f) && f.length >= a.length && f.length >= b.length) return true;
  }
  return false;
}
