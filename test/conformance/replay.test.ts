/**
 * Counterexample replay (src/conformance/replay.ts) in the test process, on the engine's
 * counterexamples (equal to TLC's; test/runtime/replay.test.ts replays TLC's own): both runtimes follow
 * a trace step for step, stop at the first step they cannot follow or whose state differs, and say
 * which, with the differing variables; a refused write ends the replay at its step.
 */
import { describe, expect, it } from 'vitest';
import { checkWithEngine } from '../../src/check/check.ts';
import { replay } from '../../src/conformance/replay.ts';
import type { TraceStep } from '../../src/engine/trace.ts';
import type { Model } from '../../src/dsl/ir.ts';
import { config, fixtureSpec, spec } from '../helpers.ts';

const counterexample = (m: Model, cfg: string): TraceStep[] => {
  const r = checkWithEngine(m, config(m, cfg));
  expect(r.trace, `${m.name} ${cfg} has a counterexample`).not.toBeNull();
  return r.trace!;
};

for (const impl of ['interpreted', 'compiled'] as const) {
  describe(`replay (${impl} runtime)`, () => {
    it('DwcasPool small: follows every step, and faults exactly at the last one, where NoUseAfterFree fails', async () => {
      const m = await spec('DwcasPool');
      const trace = counterexample(m, 'small');
      const rp = replay(m, 'small', trace, { impl });
      expect(rp.impl).toBe(impl);
      expect(rp).not.toHaveProperty('fallback');
      expect([rp.matched, rp.mismatch, rp.steps, rp.executed]).toEqual([true, null, trace.length - 1, trace.length - 1]);
      const last = trace[trace.length - 1];
      expect(rp.faultStep).toBe(last.index);
      expect(rp.faults.map((f) => [f.step, f.transition, f.variable, f.access, f.proc])).toEqual([[last.index, 'A4_deref', 'next', 'read', last.via!.proc]]);
      // The runtime's states are the trace's, step for step.
      expect(rp.trace.map((s) => s.state)).toEqual(trace.map((s) => s.state));
      expect(rp.trace.map((s) => s.via)).toEqual(trace.map((s) => s.via));
      expect(rp.accounting).toMatchObject({ lost: 0, duplicated: 0, cyclic: false });
    });

    it('a state that differs mid-trace: the step, both values, and nothing run after it', async () => {
      const m = await spec('DwcasPool');
      const trace = structuredClone(counterexample(m, 'small'));
      const k = 3;
      const was = trace[k].state.head;
      trace[k].state.head = was === 2 ? 1 : 2;
      const rp = replay(m, 'small', trace, { impl });
      expect(rp.matched).toBe(false);
      expect(rp.mismatch).toEqual({
        step: trace[k].index, reason: 'the runtime state differs from the trace',
        differences: [{ name: 'head', trace: `b${trace[k].state.head}`, runtime: was === 0 ? 'NULL' : `b${was}` }],
      });
      // The differing step itself ran; none after it.
      expect(rp.executed).toBe(k);
      expect(rp.trace).toHaveLength(k + 1);
      expect(rp.faults).toEqual([]);
      expect(rp.faultStep).toBeNull();
    });

    it('an initial state that differs: step 1, nothing run', async () => {
      const m = await spec('DwcasPool');
      const trace = structuredClone(counterexample(m, 'small'));
      trace[0].state.fault = true;
      const rp = replay(m, 'small', trace, { impl });
      expect([rp.matched, rp.executed, rp.trace.length]).toEqual([false, 0, 1]);
      expect(rp.mismatch).toEqual({ step: 1, reason: 'the runtime state differs from the trace', differences: [{ name: 'fault', trace: 'TRUE', runtime: 'FALSE' }] });
    });

    it('a step that does not say which transition it took', async () => {
      const m = await spec('DwcasPool');
      const trace = structuredClone(counterexample(m, 'small'));
      delete trace[2].via;
      const rp = replay(m, 'small', trace, { impl });
      expect([rp.matched, rp.executed]).toEqual([false, 1]);
      expect(rp.mismatch).toEqual({ step: trace[2].index, reason: 'the trace does not say which transition this step took', differences: [] });
    });

    it('a transition the runtime has not enabled for that process', async () => {
      const m = await spec('DwcasPool');
      const trace = structuredClone(counterexample(m, 'small'));
      trace[1].via!.transition = 'A4_deref';
      const rp = replay(m, 'small', trace, { impl });
      expect([rp.matched, rp.executed]).toEqual([false, 0]);
      expect(rp.mismatch).toEqual({ step: trace[1].index, reason: `A4_deref is not enabled for process ${trace[1].via!.proc} in the runtime`, differences: [] });
    });

    it('a write outside its type: the step is refused, its fault reported at that step, and the replay ends there', async () => {
      const m = await fixtureSpec('models/out-of-range.ts');
      const trace = counterexample(m, 'small');
      expect(trace).toHaveLength(2);
      const rp = replay(m, 'small', trace, { impl });
      expect([rp.matched, rp.mismatch, rp.executed, rp.faultStep, rp.trace.length]).toEqual([true, null, 0, 2, 1]);
      expect(rp.faults).toMatchObject([{ kind: 'type', detail: 'x = 2, outside int(1..1)', step: 2 }]);
      // Not a pool: no accounting.
      expect(rp.accounting).toBeNull();
    });
  });
}

describe('replay on a spec the compiled runtime does not compile', () => {
  it('runs interpreted when the compiled runtime is asked for, and says why', async () => {
    const m = await fixtureSpec('models/times.ts');
    const trace = counterexample(m, 'small');
    expect(trace.map((s) => s.state.x)).toEqual([1, 2, 4]);
    const rp = replay(m, 'small', trace, { impl: 'compiled' });
    expect([rp.impl, rp.fallback, rp.matched, rp.executed]).toEqual(['interpreted', 'the operator mul', true, 2]);
  });
});
