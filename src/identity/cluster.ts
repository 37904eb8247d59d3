/**
 * From pairwise links to people: connected components of the automatic links, built strongest link
 * first, where a link that would put two incompatible records into one person is cut instead.
 * Incompatible means: two different valid NHS numbers, a pair that looks like twins, or a pair a
 * reviewer said are different people. Cutting the weakest link of every chain that would join
 * such records is what adding links strongest first and refusing the offending ones achieves
 * (Kruskal's order, as for a maximum spanning forest).
 */

/** A link to add, with how strongly it is believed (larger first). */
export interface ClusterEdge {
  a: number;
  b: number;
  /** Ordering: decisions and source ids rank above NHS numbers, which rank above scores. */
  strength: number;
}

/** A link refused because it would join incompatible records, and why. */
export interface CutEdge extends ClusterEdge {
  reason: string;
}

/** What clustering needs to know about the records: positions 0..n-1. */
export interface ClusterInput {
  size: number;
  /** The valid NHS number of each record, or null. */
  nhsNumber: (position: number) => string | null;
  /** Pairs that must never end up in one person, with the reason shown when a link is cut. */
  forbidden: ReadonlyMap<number, ReadonlyMap<number, string>>;
}

/** Union–find over record positions that keeps every person free of incompatible records. */
export class ConstrainedClusters {
  private readonly parent: Int32Array;
  private readonly members: number[][];
  private readonly nhs: (string | null)[];

  constructor(private readonly input: ClusterInput) {
    this.parent = Int32Array.from({ length: input.size }, (_, i) => i);
    this.members = Array.from({ length: input.size }, (_, i) => [i]);
    this.nhs = Array.from({ length: input.size }, (_, i) => input.nhsNumber(i));
  }

  /** The representative of the person `position` belongs to. */
  find(position: number): number {
    let root = position;
    while (this.parent[root] !== root) root = this.parent[root]!;
    let p = position;
    while (this.parent[p] !== root) {
      const next = this.parent[p]!;
      this.parent[p] = root;
      p = next;
    }
    return root;
  }

  /** Why joining the people of `a` and `b` is not allowed, or null when it is. */
  conflict(a: number, b: number): string | null {
    const ra = this.find(a);
    const rb = this.find(b);
    if (ra === rb) return null;
    const na = this.nhs[ra];
    const nb = this.nhs[rb];
    if (na && nb && na !== nb) return 'it would put two different valid NHS numbers in one person';
    const [small, other] = this.members[ra]!.length <= this.members[rb]!.length ? [ra, rb] : [rb, ra];
    for (const m of this.members[small]!) {
      const partners = this.input.forbidden.get(m);
      if (!partners) continue;
      for (const [p, reason] of partners) if (this.find(p) === other) return `it would put two records in one person that ${reason}`;
    }
    return null;
  }

  /** Joins the people of `a` and `b` when allowed; returns the conflict instead when not. */
  union(a: number, b: number): string | null {
    const reason = this.conflict(a, b);
    if (reason) return reason;
    let ra = this.find(a);
    let rb = this.find(b);
    if (ra === rb) return null;
    if (this.members[ra]!.length < this.members[rb]!.length) [ra, rb] = [rb, ra];
    this.parent[rb] = ra;
    for (const m of this.members[rb]!) this.members[ra]!.push(m);
    this.members[rb] = [];
    this.nhs[ra] ??= this.nhs[rb]!;
    return null;
  }

  /** Adds links strongest first; returns the ones cut. */
  addEdges(edges: readonly ClusterEdge[]): CutEdge[] {
    const sorted = [...edges].sort((x, y) => y.strength - x.strength);
    const cut: CutEdge[] = [];
    for (const edge of sorted) {
      const reason = this.union(edge.a, edge.b);
      if (reason) cut.push({ ...edge, reason });
    }
    return cut;
  }

  /** Every person as the positions of its records. */
  groups(): number[][] {
    return this.members.filter((m) => m.length > 0);
  }
}
