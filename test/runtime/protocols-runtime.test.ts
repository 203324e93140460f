/**
 * BucketPool and HazardStack on the runtime like the single-list pools: stress on real threads with
 * the accounting their own places describe (`p.place`), the invariants on the final state, and replay
 * of the engine's traces (HazardStack's counterexample without the re-validation faults at the step
 * where NoUseAfterFree fails).
 */
import { describe, expect, it } from 'vitest';
import { checkWithEngine } from '../../src/check/check.ts';
import { replay } from '../../src/conformance/replay.ts';
import { simulate } from '../../src/engine/simulate.ts';
import { machine } from '../../src/engine/step.ts';
import { stress } from '../../src/runtime/stress.ts';
import { config, spec } from '../helpers.ts';

const opts = { threads: 2, seconds: 1, blocks: 4, blockSize: 64, chaos: 0, weights: { crowded: 0.5, notCrowded: 0.5 } };

describe('stress on real threads: BucketPool and HazardStack', () => {
  for (const [name, cfg] of [['BucketPool', 'small'], ['HazardStack', 'revalidate']] as const) {
    it(`${name} ${cfg}: no fault, every block in exactly one place, the invariants hold at the end`, async () => {
      const r = await stress(await spec(name), { ...opts, config: cfg, seed: 42 });
      expect(r.errors).toEqual([]);
      expect(r.stalled).toBeNull();
      expect(r.ops).toBeGreaterThan(100);
      expect(r.faultCount).toBe(0);
      expect(r.violated, JSON.stringify({ violated: r.violated, a: r.accounting, ops: r.ops })).toEqual([]);
      const a = r.accounting!;
      expect(a).toMatchObject({ blocks: 4, lost: 0, duplicated: 0, cyclic: false });
      expect(a.inList + a.inLocalCaches + a.inHands + a.inTransit + a.atOs).toBe(4);
      expect(Object.values(a.places).reduce((x, y) => x + y, 0)).toBe(4 - a.atOs);
    }, 60_000);
  }

  it('HazardStack runs its own operations (push, pop, scan), not the pool API', async () => {
    const r = await stress(await spec('HazardStack'), { ...opts, seconds: 0.5, config: 'revalidate', seed: 7 });
    expect(r.ops).toBeGreaterThan(100);
    expect(Object.keys(r.accounting!.places)).toEqual(['inStack', 'pushing', 'retired']);
  }, 60_000);
});

describe('replay: BucketPool and HazardStack', () => {
  it('HazardStack noRevalidate: the engine\'s counterexample faults on the runtime at the violating step', async () => {
    const m = await spec('HazardStack');
    const r = checkWithEngine(m, config(m, 'noRevalidate'));
    expect(r.violated).toBe('NoUseAfterFree');
    const rp = replay(m, 'noRevalidate', r.trace!);
    expect(rp.matched).toBe(true);
    expect(rp.faultStep).toBe(r.trace!.at(-1)!.index);
    expect(rp.faults[0]).toMatchObject({ transition: 'O5', variable: 'next', access: 'read' });
    expect(rp.accounting).toMatchObject({ lost: 0, duplicated: 0 });
  });

  it('BucketPool small: a random 80-step behaviour is followed step for step, without a fault', async () => {
    const m = await spec('BucketPool');
    const sim = simulate(machine(m, 'small'), { runs: 1, depth: 80, seed: 3 });
    expect(sim.verdict).toBe('holds');
    const rp = replay(m, 'small', sim.trace!);
    expect(rp.matched).toBe(true);
    expect(rp.executed).toBe(80);
    expect(rp.faults).toEqual([]);
    expect(rp.accounting).toMatchObject({ blocks: 2, lost: 0, duplicated: 0 });
  });
});
