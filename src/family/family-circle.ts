// Who belongs to a person's family for the family page and the family chronology: everyone one
// link away, the partners (past and present) of the person's parents and carers, and the parents'
// other children (brothers and sisters through a shared parent, recorded by any agency even where
// nobody recorded a sibling link). Pure: the caller reads the links and filters by access.

/** A family link between persons, as stored ("from is the type of to"). */
export interface CircleLink {
  id: string;
  from_person_id: string;
  to_person_id: string;
  type: string;
}

const PARENT_TYPES: ReadonlySet<string> = new Set(['mother', 'father', 'step-parent', 'carer']);

/** The family around `personId`, worked out from its links and its parents' links. */
export interface FamilyCircle<L extends CircleLink> {
  /** The person's parents and carers, with how they are linked. */
  parents: { id: string; type: string }[];
  /** Partner links of a parent (each names the parent and the partner). */
  partnersOfParents: L[];
  /** A parent's links to their other children. */
  childrenOfParents: L[];
  /** Everyone in the circle but the person. */
  memberIds: string[];
}

/** The other end of a link from `id`. */
export function otherEnd(link: CircleLink, id: string): string {
  return link.from_person_id === id ? link.to_person_id : link.from_person_id;
}

/** The person's parents, from the links into them. */
export function parentsFrom<L extends CircleLink>(personId: string, direct: readonly L[]): { id: string; type: string }[] {
  return direct.filter((l) => l.to_person_id === personId && PARENT_TYPES.has(l.type)).map((l) => ({ id: l.from_person_id, type: l.type }));
}

/** Works out the circle from the person's own links and the links of their parents. */
export function familyCircle<L extends CircleLink>(personId: string, direct: readonly L[], parentLinks: readonly L[]): FamilyCircle<L> {
  const parents = parentsFrom(personId, direct);
  const isParent = (id: string) => parents.some((p) => p.id === id);
  const partnersOfParents = parentLinks.filter((l) => l.type === 'partner' && (isParent(l.from_person_id) || isParent(l.to_person_id)));
  const childrenOfParents = parentLinks.filter((l) => (l.type === 'mother' || l.type === 'father') && isParent(l.from_person_id) && l.to_person_id !== personId);
  const ids = new Set<string>([
    ...direct.map((l) => otherEnd(l, personId)),
    ...partnersOfParents.flatMap((l) => [l.from_person_id, l.to_person_id]),
    ...childrenOfParents.map((l) => l.to_person_id),
  ]);
  ids.delete(personId);
  return { parents, partnersOfParents, childrenOfParents, memberIds: [...ids].sort() };
}
