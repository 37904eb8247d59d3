import { describe, expect, it } from 'vitest';
import { reconcile } from '../../src/identity/reconcile.js';

// Bringing stored persons into line with a fresh resolution, keeping persons' ids.
const ids = () => {
  let n = 0;
  return () => `new-${(n += 1)}`;
};
const persons = (...list: [string, number][]) => new Map(list.map(([id, createdAt]) => [id, { id, createdAt }]));

describe('reconcile', () => {
  it('makes a new person for new records and links new records to the person holding the rest', () => {
    const result = reconcile({ groups: [['a', 'b'], ['c']], current: new Map([['a', 'P'], ['b', null], ['c', null]]), persons: persons(['P', 1]), newId: ids() });
    expect(result.assignments).toEqual(new Map([['b', 'P'], ['c', 'new-1']]));
    expect(result.created).toEqual(['new-1']);
    // A person of one record has no "created" history row (nothing came together); one of several has.
    expect(result.changes).toEqual([{ kind: 'linked', person: 'P', records: ['b'] }]);
    const together = reconcile({ groups: [['x', 'y']], current: new Map([['x', null], ['y', null]]), persons: persons(), newId: ids() });
    expect(together.changes).toEqual([{ kind: 'created', person: 'new-1', records: ['x', 'y'] }]);
  });

  it('merges two persons into the one holding most records, the older on a tie, and says who redirects', () => {
    const tie = reconcile({ groups: [['a', 'b']], current: new Map([['a', 'Young'], ['b', 'Old']]), persons: persons(['Young', 5], ['Old', 1]), newId: ids() });
    expect(tie.mergedInto).toEqual(new Map([['Young', 'Old']]));
    expect(tie.changes).toEqual([{ kind: 'merged', person: 'Old', other: 'Young', records: ['a'] }]);
    const most = reconcile({ groups: [['a', 'b', 'c']], current: new Map([['a', 'Young'], ['b', 'Young'], ['c', 'Old']]), persons: persons(['Young', 5], ['Old', 1]), newId: ids() });
    expect(most.mergedInto).toEqual(new Map([['Old', 'Young']]));
  });

  it('keeps a split person’s id for its largest part and gives the rest a new person', () => {
    const result = reconcile({ groups: [['a', 'b'], ['c']], current: new Map([['a', 'P'], ['b', 'P'], ['c', 'P']]), persons: persons(['P', 1]), newId: ids() });
    expect(result.assignments).toEqual(new Map([['c', 'new-1']]));
    expect(result.changes).toContainEqual({ kind: 'separated', person: 'new-1', other: 'P', records: ['c'] });
    expect(result.mergedInto.size).toBe(0);
  });

  it('changes nothing when the groups are the persons already held', () => {
    const result = reconcile({ groups: [['a', 'b'], ['c']], current: new Map([['a', 'P'], ['b', 'P'], ['c', 'Q']]), persons: persons(['P', 1], ['Q', 2]), newId: ids() });
    expect(result.assignments.size).toBe(0);
    expect(result.changes).toEqual([]);
    expect(result.affected.size).toBe(0);
  });
});
