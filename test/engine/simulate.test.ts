/** Random simulation: finds the DwcasPool race, is reproducible from its seeds, and finds nothing in BusyPool. */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Model } from '../../src/dsl/ir.ts';
import { loadSpec } from '../../src/dsl/load.ts';
import { formatError } from '../../src/errors.ts';
import { simulateFast, workerSeed } from '../../src/engine/compiled/simulate.ts';
import { simulate, type SimulateOptions, type SimulateResult } from '../../src/engine/simulate.ts';
import { arrayOf, holds, int, mapOver, protocol, type E } from '../../src/dsl/index.ts';
import { machine, successors, type Machine } from '../../src/engine/step.ts';
import { spec } from '../helpers.ts';

async function fixture(file: string): Promise<Model> {
  const r = await loadSpec(path.join(import.meta.dirname, 'fixtures', file));
  if (!r.ok) throw new Error(r.errors.map(formatError).join('\n'));
  return r.value;
}

describe('simulate', () => {
  it('finds NoUseAfterFree in DwcasPool small within a bounded number of runs, reproducibly', async () => {
    const m = machine(await spec('DwcasPool'), 'small');
    const a = simulate(m, { runs: 500, depth: 60, seed: 42 });
    expect(a.verdict).toBe('violated');
    expect(a.violated).toBe('NoUseAfterFree');
    expect(a.run).toBeLessThanOrEqual(500);
    const b = simulate(m, { runs: 500, depth: 60, seed: 42 });
    expect(b.trace).toEqual(a.trace);
    expect([b.run, b.runSeed, b.statesVisited]).toEqual([a.run, a.runSeed, a.statesVisited]);

    // The reported seed replays the failing run on its own.
    const replay = simulate(m, { runs: 1, depth: 60, seed: a.runSeed! });
    expect(replay.run).toBe(1);
    expect(replay.trace).toEqual(a.trace);

    // Every step of the trace is an enabled step of the engine, and the violation is at the end.
    const t = a.trace!;
    expect(t[t.length - 1].state.fault).toBe(true);
    for (let i = 1; i < t.length; i += 1) {
      const via = t[i].via!;
      expect(successors(m, t[i - 1].state).some((s) => s.proc === via.proc && s.transition.name === via.transition
        && JSON.stringify(s.next) === JSON.stringify(t[i].state))).toBe(true);
    }
  });

  it('finds nothing in BusyPool small (200 runs x depth 60)', async () => {
    const r = simulate(machine(await spec('BusyPool'), 'small'), { runs: 200, depth: 60, seed: 1 });
    expect(r.verdict).toBe('holds');
    expect(r.runsDone).toBe(200);
    expect(r.statesVisited).toBe(200 * 61);
    expect(r.distinctStates).toBeGreaterThan(100);
    expect(r.trace).toHaveLength(61); // the last run, for --out-itf
  });

  it('different seeds give different behaviours', async () => {
    const m = machine(await spec('BusyPool'), 'small');
    const a = simulate(m, { runs: 1, depth: 30, seed: 1 });
    const b = simulate(m, { runs: 1, depth: 30, seed: 2 });
    expect(a.trace).not.toEqual(b.trace);
  });

  it('reports deadlocks when the configuration checks them, and ends the run otherwise', async () => {
    const model = await fixture('Stuck.ts');
    const dead = both(machine(model, 'deadlock'), { runs: 20, depth: 50, seed: 3 });
    expect(dead.verdict).toBe('violated');
    expect(dead.violated).toBe('Deadlock');
    expect(dead.trace!.at(-1)!.state.pc).toEqual(['done', 'done']);
    const ok = both(machine(model, 'noDeadlock'), { runs: 20, depth: 50, seed: 3 });
    expect(ok.verdict).toBe('holds');
  });

  it('never steps outside the state constraint, but checks the invariants of the successors there, as TLC', async () => {
    // BeyondConstraint: x counts up under the constraint x <= 2; x = 3 violates Small. TLC (and the
    // configuration's expectation) report the violation in that successor outside the constraint.
    const r = both(machine(await fixture('BeyondConstraint.ts'), 'small'), { runs: 3, depth: 10, seed: 5 });
    expect([r.verdict, r.violated, r.run]).toEqual(['violated', 'Small', 1]);
    expect(r.trace!.map((s) => s.state.x)).toEqual([0, 1, 2, 3]);
    expect(r.trace!.map((s) => s.index)).toEqual([1, 2, 3, 4]);
    expect(r.statesVisited).toBe(4);
  });

  it('stops at the first violating state, even when a later state satisfies the invariant again', async () => {
    const m = machine(await fixture('Transient.ts'), 'small');
    const r = both(m, { runs: 5, depth: 10, seed: 7 });
    expect([r.verdict, r.violated, r.run, r.runsDone]).toEqual(['violated', 'BelowTwo', 1, 1]);
    // Initial state, x = 1, x = 2: the run stops at step 2 and never takes the step back to x = 0.
    expect(r.trace!.map((s) => s.state.x)).toEqual([0, 1, 2]);
    expect(r.trace!.map((s) => s.index)).toEqual([1, 2, 3]);
    expect(r.statesVisited).toBe(3);
  });

  it('returns evaluation errors as values, with the run that met them', async () => {
    const r = both(machine(await fixture('Stuck.ts'), 'applyOutside'), { runs: 50, depth: 20, seed: 9 });
    expect(r.verdict).toBe('error');
    expect(r.error).toMatchObject({ code: 'ENGINE_EVAL' });
    expect(r.run).toBeGreaterThanOrEqual(1);
    // The run and the steps it took before the failing evaluation, then the evaluator's message.
    const steps = r.trace!.length - 1;
    expect(steps).toBeGreaterThan(0);
    expect(r.error!.message).toMatch(new RegExp(`^evaluation failed in run ${r.run} after ${steps} steps: \\S`));
  });
});

/** x counts up from `init`; `leap` jumps from 1 to 4. */
function counter(opts: { init?: number; constraint?: (x: E) => E; invariant: (x: E) => E }): Machine {
  const proto = protocol('Walk', (p) => {
    const x = p.shared('x', int(0, 9), opts.init ?? 0);
    p.process('W', 1, {}, (t) => {
      t.label('a');
      t.step('a', { branch: 'up', to: 'a', when: x.lt(9), do: [x.set(x.add(1))] });
      t.step('a', { branch: 'leap', to: 'a', when: x.eq(1), do: [x.set(4)] });
    });
    p.invariant('Inv', opts.invariant(x));
    p.config('c', { constants: {}, checkDeadlock: false, ...(opts.constraint ? { constraint: opts.constraint(x) } : {}), expect: holds() });
  });
  if (proto.buildErrors.length) throw new Error(JSON.stringify(proto.buildErrors));
  return machine(proto.model, 'c');
}

/** The interpreted simulation, after checking that the compiled one gives the same result. */
function both(m: Machine, opts: SimulateOptions): SimulateResult {
  const slow = simulate(m, opts);
  const t0 = performance.now();
  const { compiled, ...fast } = simulateFast(m, opts);
  expect(fast.seconds).toBeGreaterThanOrEqual(0);
  expect(fast.seconds).toBeLessThanOrEqual((performance.now() - t0) / 1000);
  expect(compiled, 'the compiled simulation runs it').toBe(true);
  expect({ ...fast, seconds: 0 }).toEqual({ ...slow, seconds: 0 });
  return slow;
}

describe('simulate at the edges of a run (interpreted and compiled alike)', () => {
  it('checks the initial state: a violation there is run 1\'s only state', () => {
    const r = both(counter({ invariant: (x) => x.gt(0) }), { runs: 5, depth: 10, seed: 1 });
    expect([r.verdict, r.violated, r.run, r.runsDone, r.statesVisited]).toEqual(['violated', 'Inv', 1, 1, 1]);
    expect(r.trace!.map((s) => s.state.x)).toEqual([0]);
  });

  it('ends a run at once when the initial state is outside the constraint', () => {
    // x = 3 is outside x /= 3, and its successor 4 inside: the run still does not leave 3.
    const r = both(counter({ init: 3, constraint: (x) => x.ne(3), invariant: (x) => x.le(9) }), { runs: 3, depth: 10, seed: 1 });
    expect([r.verdict, r.runsDone, r.statesVisited, r.distinctStates]).toEqual(['holds', 3, 3, 1]);
  });

  it('walks only into the constraint, and ends the run when every successor leaves it', () => {
    // From 1, leap goes to 4: outside x <= 2, but Inv (x <= 4) holds there, so the run goes on to 2;
    // from 2 the only successor, 3, is outside too: the run ends. Walking outside would reach 5.
    const t0 = performance.now();
    const r = both(counter({ constraint: (x) => x.le(2), invariant: (x) => x.le(4) }), { runs: 4, depth: 10, seed: 11 });
    const wall = (performance.now() - t0) / 1000;
    expect([r.verdict, r.runsDone, r.statesVisited, r.distinctStates]).toEqual(['holds', 4, 12, 3]);
    expect(r.trace!.map((s) => s.state.x)).toEqual([0, 1, 2]);
    expect(r.seconds).toBeGreaterThanOrEqual(0);
    expect(r.seconds).toBeLessThanOrEqual(wall);
  });
});

/** x climbs; at x = 1 it may leap to 4, which Inv forbids: a run fails or not by its seed. */
const leaper = () => counter({ invariant: (x) => x.ne(4) });

describe('simulate with several workers: each runs its share of the runs, from its own seed stream', () => {
  // Depth 3: x climbs to 3 at most, so a run fails only by the leap (a coin toss at x = 1).
  const opts = { runs: 8, depth: 3, seed: 2 };

  it('gives worker k runs k+1, k+1+N, ... seeded by workerSeed(seed, k), compiled or interpreted', () => {
    expect(workerSeed(opts.seed, 0)).toBe(opts.seed);
    const m = leaper();
    const runs: (number | null)[] = [];
    for (const index of [0, 1, 2]) {
      const share = { index, workers: 3, countDistinct: true };
      // The same worker's runs, sequentially, from its own first seed: 8 runs over 3 workers are 3, 3 and 2.
      const alone = simulate(m, { ...opts, runs: [3, 3, 2][index], seed: workerSeed(opts.seed, index) });
      const global = alone.run === null ? null : index + 1 + (alone.run - 1) * 3;
      const fast = simulateFast(m, opts, share);
      expect(fast.compiled).toBe(true);
      expect({ ...fast, seconds: 0, compiled: null }).toEqual({ ...alone, run: global, seconds: 0, compiled: null });
      // A model the compiled engine declines (a transition of 4 parameters) runs the same share interpreted.
      const slow = simulateFast(withFourParams(m), opts, share);
      expect([slow.compiled, slow.run, slow.runsDone]).toEqual([false, global, alone.runsDone]);
      runs.push(fast.run);
    }
    // From seed 2, worker 0 fails in its second run (run 4), worker 1 in its first (run 2), worker 2 never.
    expect(runs).toEqual([4, 2, null]);
    // The workers' first seeds differ, so they do not repeat each other's runs.
    expect(new Set([0, 1, 2].map((k) => workerSeed(opts.seed, k))).size).toBe(3);
  });

  it('stops before its next run once another worker has raised the stop flag', () => {
    const stop = new Int32Array(new SharedArrayBuffer(4));
    Atomics.store(stop, 0, 1);
    const r = simulateFast(leaper(), opts, { index: 0, workers: 2, stop, countDistinct: true });
    expect([r.compiled, r.verdict, r.runsDone, r.statesVisited, r.trace]).toEqual([true, 'holds', 0, 0, null]);
    // A flag that is down changes nothing.
    Atomics.store(stop, 0, 0);
    const go = simulateFast(leaper(), opts, { index: 2, workers: 3, stop, countDistinct: true });
    expect([go.verdict, go.runsDone]).toEqual(['holds', 2]);
  });

  it('lets an evaluation error met while compiling reach the caller, as the interpreted engine would meet it', () => {
    const proto = protocol('Huge', (p) => {
      const R = p.range(1, 1 << 21);
      const a = p.shared('a', arrayOf(R, int(0, 1)), mapOver(R, () => 0));
      p.process('W', 1, {}, (t) => { t.label('a'); t.step('a', { to: 'a', do: [a.at(1).set(1)] }); });
      p.config('c', { constants: {}, checkDeadlock: false, expect: holds() });
    });
    expect(() => simulateFast(machine(proto.model, 'c'), opts)).toThrow('the range 1..2097152 has 2097152 elements, more than the 1048576 the engine enumerates');
  });
});

/** The machine with W's `up` given four one-value parameters that it ignores: the compiled engine declines it. */
function withFourParams(m: Machine): Machine {
  const param = (name: string) => ({ name, over: { op: 'domain', domain: { kind: 'range', lo: 0, hi: 0 } } as never, elemType: { kind: 'int', lo: 0, hi: 0 } as never });
  const procTypes = m.model.procTypes.map((pt) => ({ ...pt, transitions: pt.transitions.map((t) => (t.name === 'a_up' ? { ...t, params: ['p', 'q', 'r', 's'].map(param) } : t)) }));
  const model = { ...m.model, procTypes };
  return { ...m, model, procs: m.procs.map((p) => ({ ...p, pt: procTypes.find((x) => x.name === p.pt.name)! })) };
}
