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
 * The full forenames a (folded) forename may stand for, itself included: "tom" → ["tom", "thomas"],
 * "thomas" → ["thomas"]. Used to build blocking keys, so that "Tom" and "Thomas" meet.
 */
export function forenameRoots(name: string): string[] {
  const full = FULL_NAMES_OF.get(name);
  return full ? [name, ...full] : [name];
}

/**
 * True when two different folded forenames are known forms of one name: one is a nickname of the
 * other ("becky"/"rebecca"), or both are nicknames of the same name ("bob"/"rob"). Two full names
 * that merely share a nickname ("henry"/"harold", both "harry") are not related.
 */
export function areNicknames(a: string, b: string): boolean {
  if (a === b || a === '' || b === '') return false;
  const fullA = FULL_NAMES_OF.get(a);
  const fullB = FULL_NAMES_OF.get(b);
  if (fullA?.has(b) || fullB?.has(a)) return true;
  if (fullA && fullB) {
    for (const f of fullA) if (fullB.has(f)) return true;
  }
  return false;
}
