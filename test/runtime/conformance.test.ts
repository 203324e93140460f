/**
 * Deterministic conformance: runs of the runtime under many seeded schedules are accepted by the
 * engine step by step; a corrupted runtime step is rejected with the step and the variable named;
 * faults are reported exactly where the model dereferences an unmapped block.
 */
import { describe, expect, it } from 'vitest';
import { accept } from '../../src/conformance/accept.ts';
import { runScheduled } from '../../src/runtime/scheduler.ts';
import { Instance, viaOf } from '../../src/runtime/instance.ts';
import { Rng } from '../../src/engine/random.ts';
import type { TraceStep } from '../../src/engine/trace.ts';
import { spec } from '../helpers.ts';

const SPECS = ['TreiberPool', 'DwcasPool', 'BusyPool', 'LockedPool', 'NoCachePool'];

describe('every seeded runtime run is accepted by the model', () => {
  for (const name of SPECS) {
    it(name, async () => {
      const m = await spec(name);
      let steps = 0;
      for (let seed = 1; seed <= 30; seed += 1) {
        for (const config of ['small', 'standard']) {
          const run = runScheduled(m, config, { schedule: { kind: seed % 3 === 0 ? 'roundrobin' : 'random' }, seed, steps: 150 });
          const v = accept(m, config, run.trace);
          expect(v, `${name} ${config} seed ${seed}`).toEqual({ ok: true, steps: run.trace.length - 1 });
          steps += run.trace.length - 1;
        }
      }
      expect(steps).toBeGreaterThan(30 * 2 * 100);
    });
  }
});

describe('faults are reported exactly where the model dereferences an unmapped block', () => {
  for (const name of SPECS) {
    it(name, async () => {
      const m = await spec(name);
      let faults = 0;
      for (let seed = 1; seed <= 60; seed += 1) {
        const run = runScheduled(m, 'flush', { schedule: { kind: 'random' }, seed, steps: 200 });
        for (let i = 1; i < run.trace.length; i += 1) {
          const before = run.trace[i - 1].state;
          const after = run.trace[i].state;
          const here = run.faults.filter((f) => f.step === run.trace[i].index);
          // No false positive: the block was unmapped in the model's pre-state.
          for (const f of here) expect((before.mapped as boolean[])[f.block - 1], `${name} seed ${seed} step ${i}`).toBe(false);
          // No false negative: the model's fault flag rising means the runtime saw the access.
          if (before.fault === false && after.fault === true) expect(here.length, `${name} seed ${seed} step ${i}`).toBeGreaterThan(0);
          faults += here.length;
        }
      }
      if (name === 'BusyPool' || name === 'LockedPool' || name === 'NoCachePool') expect(faults).toBe(0);
      else expect(faults, 'the racy pools do dereference freed blocks in these runs').toBeGreaterThan(0);
    });
  }
});

describe('a broken runtime step is rejected', () => {
  it('names the step and the differing variable', async () => {
    const m = await spec('BusyPool');
    const inst = new Instance(m, 'small');
    // Corrupt the push's CAS: it links the block but writes NULL to the head.
    for (const p of inst.procs) {
      p.writeHook = (t, writes) => {
        if (t.name === 'E6_ok') for (const w of writes) if (w.v.decl.name === 'head') w.value = 0;
      };
    }
    const rng = new Rng(11);
    const trace: TraceStep[] = [{ index: 1, state: inst.state() }];
    let broken = -1;
    for (let i = 0; i < 400 && broken < 0; i += 1) {
      const p = rng.pick(inst.procs);
      const r = p.step((en) => (en.length ? rng.pick(en) : undefined));
      if (!r) continue;
      trace.push({ index: trace.length + 1, via: viaOf(p, r), state: inst.state() });
      if (r.transition.name === 'E6_ok') broken = trace.length;
    }
    expect(broken).toBeGreaterThan(0);
    const v = accept(m, 'small', trace);
    expect(v.ok).toBe(false);
    if (v.ok) return;
    expect(v.rejection.step).toBe(broken);
    expect(v.rejection.reason).toMatch(/^thread\d's E6_ok leads the model to a different state$/);
    expect(v.rejection.differences).toContainEqual(expect.objectContaining({ name: 'head', runtime: 'NULL' }));
  });
});
