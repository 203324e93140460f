/**
 * Real threads (worker_threads on SharedArrayBuffer): the fixed pools run without a fault and with
 * every block accounted for; the pool before the fix shows the use-after-free.
 */
import { describe, expect, it } from 'vitest';
import { stress } from '../../src/runtime/stress.ts';
import { spec } from '../helpers.ts';

const opts = { threads: 2, seconds: 1.5, blocks: 4, blockSize: 64, chaos: 0.01, weights: { crowded: 0.5, notCrowded: 0.5 } };

describe('stress on real threads', () => {
  for (const name of ['BusyPool', 'LockedPool']) {
    it(`${name}: no fault, nothing lost, nothing duplicated`, async () => {
      const r = await stress(await spec(name), { ...opts, seed: 42 });
      expect(r.errors).toEqual([]);
      expect(r.stalled).toBeNull();
      expect(r.ops).toBeGreaterThan(1000);
      expect(r.faultCount).toBe(0);
      expect(r.accounting).toMatchObject({ blocks: 4, lost: 0, duplicated: 0, cyclic: false });
      const a = r.accounting!;
      expect(a.inList + a.inLocalCaches + a.inHands + a.inTransit + a.atOs).toBe(4);
    });
  }

  it('DwcasPool noOsFree: seq passes its model-checking bound (MaxSeq), which the final state is not judged by', async () => {
    const r = await stress(await spec('DwcasPool'), { ...opts, seconds: 0.5, config: 'noOsFree', seed: 42 });
    expect(r.errors).toEqual([]);
    expect(r.faultCount).toBe(0);
    // Far more pops than MaxSeq: the bound only keeps the model finite.
    expect(Number(r.shared.seq)).toBeGreaterThan(100);
    expect(r.violated).toEqual([]);
    expect(r.modelBounds).toEqual(['TypeOK: (seq in 0..(MaxSeq + 1))', 'TypeOK: forall typeok_p in Thread: (cs.of(typeok_p) in 0..MaxSeq)']);
  });

  it('DwcasPool: a thread dereferences a block another thread gave back to the OS', async () => {
    const m = await spec('DwcasPool');
    let found = null;
    for (let seed = 1; seed <= 3 && !found; seed += 1) {
      const r = await stress(m, { ...opts, seconds: 3, seed });
      expect(r.errors).toEqual([]);
      if (r.faultCount > 0) found = r;
    }
    expect(found, 'no use-after-free in 3 runs of 3 s').not.toBeNull();
    expect(found!.faults[0]).toMatchObject({ transition: 'A4_deref', variable: 'next', access: 'read' });
    expect(found!.firstFaultSeconds).toBeGreaterThan(0);
  });
});
