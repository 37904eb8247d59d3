// Turning a fresh resolution (groups of record ids) into changes to the persons already held, so
// that a person's id, and so its page address, its involvements and its access history, survives
// as new records arrive. Pure: the service loads the state and writes the changes.
//
// Each group keeps the person that already holds most of its records (the older person on a tie);
// a group of new records becomes a new person; a person left with no records was merged into the
// group that took them. A person split across groups (only when a record changed, or a reviewer
// said "different") keeps its id for its largest part.

/** A person as the reconciliation sees it: when it was made (older persons survive merges). */
export interface HeldPerson {
  id: string;
  createdAt: number;
}

export interface ReconcileInput {
  /** The groups from the resolution (every record in exactly one). */
  groups: readonly (readonly string[])[];
  /** Each record's current person (null: not yet resolved). */
  current: ReadonlyMap<string, string | null>;
  persons: ReadonlyMap<string, HeldPerson>;
  /** Makes a new person id. */
  newId: () => string;
}

/** One change, in the words of identity_changes. */
export type IdentityChange =
  | { kind: 'created'; person: string; records: string[] }
  | { kind: 'linked'; person: string; records: string[] }
  | { kind: 'merged'; person: string; other: string; records: string[] }
  | { kind: 'separated'; person: string; other: string; records: string[] };

export interface ReconcileResult {
  /** Records whose person changes: record → new person. */
  assignments: Map<string, string>;
  /** Persons to create. */
  created: string[];
  /** Persons merged away: merged → survivor. */
  mergedInto: Map<string, string>;
  changes: IdentityChange[];
  /** Every person whose records changed (their display details are worked out again). */
  affected: Set<string>;
}

/** Works out the changes that bring the held persons into line with `groups`. */
export function reconcile(input: ReconcileInput): ReconcileResult {
  const result: ReconcileResult = { assignments: new Map(), created: [], mergedInto: new Map(), changes: [], affected: new Set() };
  const claimed = new Set<string>();
  const created = new Set<string>();
  const order = [...input.groups].map((g, i) => ({ g, i })).sort((a, b) => b.g.length - a.g.length || a.i - b.i);
  // Where each held person's records went: person → (group survivor → records).
  const wentTo = new Map<string, Map<string, string[]>>();
  const older = (a: string, b: string) => {
    const pa = input.persons.get(a);
    const pb = input.persons.get(b);
    return (pa?.createdAt ?? 0) - (pb?.createdAt ?? 0) || (a < b ? -1 : a > b ? 1 : 0);
  };
  for (const { g } of order) {
    const count = new Map<string, number>();
    for (const r of g) {
      const p = input.current.get(r);
      if (p) count.set(p, (count.get(p) ?? 0) + 1);
    }
    const candidates = [...count.keys()].filter((p) => !claimed.has(p)).sort((a, b) => count.get(b)! - count.get(a)! || older(a, b));
    let survivor = candidates[0];
    if (!survivor) {
      survivor = input.newId();
      result.created.push(survivor);
      created.add(survivor);
      // A person of one record needs no history of how records came together (persons.created_at
      // says when); one made of several records says which.
      if (g.length > 1) result.changes.push({ kind: 'created', person: survivor, records: [...g].sort() });
      result.affected.add(survivor);
    }
    claimed.add(survivor);
    const linked: string[] = [];
    for (const r of g) {
      const p = input.current.get(r) ?? null;
      if (p === survivor) continue;
      result.assignments.set(r, survivor);
      result.affected.add(survivor);
      if (p === null) {
        if (!created.has(survivor)) linked.push(r);
        continue;
      }
      result.affected.add(p);
      let targets = wentTo.get(p);
      if (!targets) wentTo.set(p, (targets = new Map()));
      const list = targets.get(survivor) ?? [];
      list.push(r);
      targets.set(survivor, list);
    }
    if (linked.length > 0) result.changes.push({ kind: 'linked', person: survivor, records: linked.sort() });
  }
  for (const [person, targets] of [...wentTo].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const moves = [...targets].sort(([, a], [, b]) => b.length - a.length);
    if (!claimed.has(person)) {
      // The person lost every record: merged into the person that took most of them.
      const [survivor, records] = moves[0]!;
      result.mergedInto.set(person, survivor);
      result.changes.push({ kind: 'merged', person: survivor, other: person, records: records.sort() });
      for (const [other, rest] of moves.slice(1)) result.changes.push({ kind: 'separated', person: other, other: person, records: rest.sort() });
    } else {
      for (const [other, records] of moves) result.changes.push({ kind: 'separated', person: other, other: person, records: records.sort() });
    }
  }
  return result;
}
