/**
 * Block accounting on hand-built pool states: every block counted once, lost blocks, duplicated blocks
 * (the ABA signature: a block both in the list and in a thread's hands, with none lost), cycles, the
 * BUSY head's logical head, and blocks at the OS.
 */
import { describe, expect, it } from 'vitest';
import path from 'node:path';
import { initialState, machine } from '../../src/engine/step.ts';
import { mkSet, type State } from '../../src/engine/value.ts';
import { accountPool as account, isPoolModel, mappedIn } from '../../src/runtime/pool-accounting.ts';
import type { Model } from '../../src/dsl/ir.ts';
import { fixtureSpec, spec } from '../helpers.ts';

const NULL = 0;
const BUSY = -1;
// The places BusyPool declares through spec/lib/pool.ts (its list starts at the logical head lhead).
const busy: Model = await spec('BusyPool');
const consts = { T: 2, N: 4, OsFree: true, Flush: true, Warm: false };
const allMapped = true;
const someMapped = (m: boolean[]) => m;
/** Accounting of a hand-built state; `mapped` is true (every block) or per block. */
const accountPool = (s: State, mapped: boolean | boolean[]) => account(busy, consts, { ...s, mapped: mapped === true ? [true, true, true, true] : mapped });

/** A pool state with 4 blocks and 2 threads; `next` is given 1-based, 0 is NULL. */
function pool(over: Partial<Record<'head' | 'lhead', number>> & {
  next?: number[]; held?: number[][]; cache?: number[][]; blk?: number[]; fw?: number[];
}): State {
  const s: State = {
    head: over.head ?? NULL,
    next: over.next ?? [NULL, NULL, NULL, NULL],
    held: (over.held ?? [[], []]).map(mkSet),
    cache: (over.cache ?? [[], []]).map(mkSet),
    blk: over.blk ?? [NULL, NULL],
    fw: over.fw ?? [NULL, NULL],
  };
  s.lhead = over.lhead ?? over.head ?? NULL;
  return s;
}

describe('accountPool', () => {
  it('counts each block once where it is: list, hands, local cache, in transit', () => {
    // list 1 -> 2; thread 1 holds 3; thread 2 caches 4.
    const a = accountPool(pool({ head: 1, next: [2, NULL, NULL, NULL], held: [[3], []], cache: [[], [4]] }), allMapped);
    expect(a).toEqual({
      blocks: 4, inList: 2, inLocalCaches: 1, inHands: 1, inTransit: 0, atOs: 0, lost: 0, duplicated: 0, cyclic: false,
      places: { list: 2, held: 1, cache: 1, freeing: 0, flushWalk: 0 },
    });
  });

  it('counts blocks being freed (blk) and in a flush walk (fw) as in transit', () => {
    // list 1; thread 1 frees 2; thread 2 flushes the chain 3 -> 4.
    const a = accountPool(pool({ head: 1, next: [NULL, NULL, 4, NULL], blk: [2, NULL], fw: [NULL, 3] }), allMapped);
    expect(a).toMatchObject({ blocks: 4, inList: 1, inLocalCaches: 0, inHands: 0, inTransit: 3, atOs: 0, lost: 0, duplicated: 0, cyclic: false });
    expect(a.places).toMatchObject({ freeing: 1, flushWalk: 2 });
  });

  it('finds a block duplicated without any lost (in the list and in a thread\'s hands)', () => {
    // list 1 -> 2 -> 3; thread 1 still holds 2, which ABA put back; 4 is cached: nothing is lost.
    const a = accountPool(pool({ head: 1, next: [2, 3, NULL, NULL], held: [[2], []], cache: [[4], []] }), allMapped);
    expect(a).toMatchObject({ lost: 0, duplicated: 1, inList: 3, inHands: 1, inLocalCaches: 1, cyclic: false });
  });

  it('finds a block held by two threads as one duplicated block', () => {
    const a = accountPool(pool({ head: 1, next: [NULL, NULL, NULL, NULL], held: [[2], [2]], cache: [[3, 4], []] }), allMapped);
    expect(a).toMatchObject({ lost: 0, duplicated: 1, inHands: 2, inLocalCaches: 2 });
  });

  it('finds lost blocks (mapped, found nowhere)', () => {
    const a = accountPool(pool({ head: 1, next: [2, NULL, NULL, NULL] }), allMapped);
    expect(a).toMatchObject({ inList: 2, lost: 2, duplicated: 0 });
  });

  it('blocks at the OS are not lost, but an unmapped block still reachable is duplicated', () => {
    const mapped = someMapped([true, true, false, false]);
    expect(accountPool(pool({ head: 1, next: [2, NULL, NULL, NULL] }), mapped))
      .toMatchObject({ atOs: 2, lost: 0, duplicated: 0 });
    // Block 3 was given back to the OS, yet the list still links to it.
    expect(accountPool(pool({ head: 1, next: [2, 3, NULL, NULL] }), mapped))
      .toMatchObject({ atOs: 2, lost: 0, duplicated: 1, inList: 3 });
  });

  it('stops walking a cyclic list and says so', () => {
    const a = accountPool(pool({ head: 1, next: [2, 1, NULL, NULL], cache: [[3], [4]] }), allMapped);
    expect(a).toMatchObject({ inList: 2, cyclic: true, lost: 0, duplicated: 0 });
  });

  it('walks from the logical head while the head is BUSY', () => {
    const a = accountPool(pool({ head: BUSY, lhead: 2, next: [NULL, 3, 4, NULL], held: [[1], []] }), allMapped);
    expect(a).toMatchObject({ inList: 3, inHands: 1, lost: 0, duplicated: 0 });
    // Without the ghost, a BUSY head starts no list.
    expect(accountPool(pool({ head: BUSY, next: [NULL, 3, 4, NULL], held: [[1], []] }), allMapped))
      .toMatchObject({ inList: 0, lost: 3 });
  });

  it('finds a block duplicated between the list and a local cache, a free in transit, or a flush walk', () => {
    expect(accountPool(pool({ head: 1, next: [2, NULL, NULL, NULL], cache: [[2], [3, 4]] }), allMapped))
      .toMatchObject({ lost: 0, duplicated: 1, inList: 2, inLocalCaches: 3 });
    expect(accountPool(pool({ head: 2, next: [NULL, 1, NULL, NULL], blk: [1, NULL], cache: [[3], [4]] }), allMapped))
      .toMatchObject({ lost: 0, duplicated: 1, inList: 2, inTransit: 1 });
    expect(accountPool(pool({ head: NULL, next: [2, NULL, NULL, NULL], fw: [1, NULL], held: [[2], []], cache: [[3], [4]] }), allMapped))
      .toMatchObject({ lost: 0, duplicated: 1, inList: 0, inTransit: 2, inHands: 1 });
  });

  it('counts block 1 being freed as in transit', () => {
    expect(accountPool(pool({ head: 2, next: [NULL, 3, 4, NULL], blk: [1, NULL] }), allMapped))
      .toMatchObject({ inList: 3, inTransit: 1, lost: 0, duplicated: 0 });
  });

  it('walks the list the spec declares: BusyPool\'s starts at its logical head', () => {
    expect(accountPool(pool({ head: 1, lhead: 3, next: [2, NULL, 4, NULL] }), allMapped))
      .toMatchObject({ inList: 2, lost: 2, places: { list: 2 } });
  });

  it('a pointer beyond the blocks ends the walk', () => {
    expect(accountPool(pool({ head: 5, next: [NULL, NULL, NULL, NULL], cache: [[1, 2], [3, 4]] }), allMapped))
      .toMatchObject({ inList: 0, lost: 0, duplicated: 0 });
    expect(accountPool(pool({ head: 1, next: [7, NULL, NULL, NULL], cache: [[2], [3, 4]] }), allMapped))
      .toMatchObject({ inList: 1, lost: 0, duplicated: 0 });
  });
});

describe('isPoolModel and mappedIn', () => {
  it('a spec that declares its places is accounted; a fixture without them is not', async () => {
    for (const s of ['DwcasPool', 'NoCachePool', 'BucketPool', 'HazardStack']) expect(isPoolModel(await spec(s)), s).toBe(true);
    expect(isPoolModel(await fixtureSpec(path.join('..', 'engine', 'fixtures', 'Transient.ts')))).toBe(false);
  });

  it('reads the model\'s mapping predicate on the state; without block memory every block is mapped', async () => {
    const m = machine(await spec('DwcasPool'), 'small');
    const s = { ...initialState(m), mapped: [true, false] };
    const mapped = mappedIn(m.model, m.consts, s);
    expect([mapped(1), mapped(2)]).toEqual([true, false]);
    const t = machine(await fixtureSpec(path.join('..', 'engine', 'fixtures', 'Transient.ts')), 'small');
    const none = mappedIn(t.model, t.consts, initialState(t));
    expect([none(1), none(2)]).toEqual([true, true]);
  });
});
