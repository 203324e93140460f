/**
 * Pins src/engine/liveness.ts below the verdicts that pins.test.ts checks: the exact lassos the
 * engine reports (which cycle, which path to it, which process names each step), the graph that
 * GraphRecorder builds, propertiesViolatedByLasso on hand-made lassos, the 31-process limit, and
 * strong fairness that needs the Emerson-Lei refinement. The lassos are deterministic, and users
 * read them (and compare them with TLC's), so a change in the chosen cycle or path is a change
 * in output. No TLC here: test/engine/liveness.test.ts compares with TLC.
 */
import { describe, expect, it } from 'vitest';
import type { Model } from '../../src/dsl/ir.ts';
import { EvalError } from '../../src/engine/eval.ts';
import { explore } from '../../src/engine/explore.ts';
import { checkLiveness, GraphRecorder, livenessUnsupported, propertiesViolatedByLasso, type TreeNode } from '../../src/engine/liveness.ts';
import { machine, type Machine } from '../../src/engine/step.ts';
import type { State } from '../../src/engine/value.ts';
import { fixtureSpec, spec } from '../helpers.ts';

const live = (name: string): Promise<Model> => fixtureSpec(`specs/live/${name}.ts`);

/** A machine whose configuration checks `properties` instead of its own. */
const withProps = (m: Machine, properties: string[]): Machine => ({ ...m, config: { ...m.config, properties } });

/** The lasso as a user reads it: loop start (1-based), stuttering, and `proc:transition` per step. */
function lasso(m: Machine) {
  const r = explore(m);
  return {
    violated: r.violated,
    loopStart: r.loopStart,
    stuttering: r.stuttering,
    steps: r.trace?.slice(1).map((s) => `${s.via!.proc}:${s.via!.transition}`) ?? null,
    states: r.trace?.map((s) => s.state) ?? null,
  };
}

type Pin = [string, string, string | null, number | null, boolean, string[] | null];

// Printed from the engine, then read: every step is a step of the machine (pins.test.ts checks the
// path too), a cycle's last state is its loopStart state, and a stuttering lasso stops where no fair
// process is enabled. The prefix is a shortest path into the fair set found.
const LASSOS: Pin[] = [
  ['LiveWeak', 'passes', 'WaiterPasses', 1, false, ['1:run', '1:run']],
  ['LiveStrong', 'passes', null, null, false, null],
  ['LiveLock', 'spinBug', 'LockReleased', 6, true, ['1:idle', '1:try_take', '1:cs_lose', '2:idle', '2:try_spin']],
  ['LiveLock', 'blockedBug', 'LockReleased', 5, true, ['1:idle', '1:try_take', '1:cs_lose', '2:idle']],
  ['LiveLock', 'spin', null, null, false, null],
  ['LiveLock', 'blocked', null, null, false, null],
  // Thread 1 waits at `try` while thread 2 takes, releases, takes again; thread 1's spin is a
  // state-changing step (seen := true) taken once before the loop.
  ['LiveLock', 'acquires', 'Acquires', 5, false, ['1:idle', '2:idle', '2:try_take', '1:try_spin', '2:cs_release', '2:idle', '2:try_take']],
  ['LiveSpinGo', 'finish', null, null, false, null],
  ['LiveNoFair', 'finish', 'Finishes', 2, true, ['2:start_go']],
  ['LivePerThread', 'finish', 'Finishes', 3, true, ['1:start_go', '2:start_wrong']],
  ['LiveCycle', 'reset', null, null, false, null],
  ['LiveCycle', 'stops', 'ZeroOften', 4, true, ['1:run_inc', '1:run_inc', '1:run_inc']],
  ['LiveCycle', 'loops', 'ZeroOften', 2, false, ['1:run_inc', '1:run_inc', '1:run_back']],
  ['LiveConstrained', 'cut', null, null, false, null],
  ['LiveConstrained', 'stops', 'ReachesThree', 3, true, ['1:run', '1:run']],
  ['Finishes', 'live', 'BackToZero', 2, true, ['1:idle']],
  // Strong fairness: the set {0, 1, 2} is refined to {0, 1}, where the waiter is never enabled.
  ['LiveStrongRefine', 'passes', 'WaiterPasses', 1, false, ['1:run_one', '1:run_back']],
  // The loop takes the strongly fair flipper's step, enabled at x = 1, and the toggler's.
  ['LiveStrongCycle', 'flips', 'YTwo', 1, false, ['1:run', '2:flip', '2:flip', '1:run']],
  // The waiter (weak) is satisfied by visiting x = 0, reached by the unfair toggler, not by a step.
  ['LiveWeakDetour', 'passes', 'WaiterPasses', 1, false, ['2:tick', '1:toggle', '1:toggle', '2:tick']],
  // The same, with x = 0 two unfair steps away, the shortest way there not through the first successor.
  ['LiveWeakFar', 'passes', 'WaiterPasses', 1, false, ['1:tick', '2:toggle', '2:toggle', '1:tick', '2:toggle']],
  // Whose step: with Jump, 1 -> 2 is A's and B's, and the loop owes B a step, so it is named B's.
  ['LiveSameStep', 'jump', 'ThreeOften', 1, false, ['1:a', '2:b', '1:a']],
  // Without: 0 -> 1 is A's and B's and settles both; it is named after the first process, A.
  ['LiveSameStep', 'step', 'ThreeOften', 1, false, ['1:a', '1:a', '1:a']],
  // Holds: the stuck state x = 3 is not reachable from x = 1, only numbered next to it.
  ['LiveAside', 'aside', null, null, false, null],
  // Through the P state x = 1, though the tree reaches x = 3 from x = 2 first.
  ['LiveDetour', 'detour', 'OneToZero', 3, true, ['1:start_one', '1:mid']],
  // Holds: {1, 2} is refined to {1}, not fair; the refinement must not take in x = 0 from the SCC
  // stack's unused slot past {1, 2}, or 0, 1, 0, ... would be a fair cycle outside ~P.
  ['LiveStaleSlot', 'holds', null, null, false, null],
  // The refined set {3} is found later than x = 4, whose root comes first: Tarjan's search does not
  // start again from 3, already placed in the SCC {1, 3}.
  ['LiveRevisit', 'revisit', 'EvenOften', 3, true, ['1:run_two', '1:run_four']],
  // The lowerer's owed step enters the loop's first state: the loop ends there, with no closing walk.
  ['LiveOwedLast', 'owed', 'TwoOften', 1, false, ['1:up', '2:down']],
  // The cycle {2, 3, 4} is met at 4; the prefix goes to the shallowest state, 2 before 3 on the tie.
  ['LiveTie', 'tie', 'ZeroOften', 2, false, ['1:run_b', '1:run_f', '1:run_g', '1:run_e']],
  // The prefix stays in the ~Q states: 0, 2, 4, 3, not the shorter 0, 1, 3 through the Q state x = 1.
  ['LiveThroughQ', 'through', 'ZeroToOne', 4, true, ['1:run_far', '1:run_farther', '1:run_stop']],
];

describe('the engine\'s exact lassos on the fixtures', () => {
  for (const [name, config, violated, loopStart, stuttering, steps] of LASSOS) {
    it(`${name} ${config}`, async () => {
      const l = lasso(machine(await live(name), config));
      expect([l.violated, l.loopStart, l.stuttering, l.steps]).toEqual([violated, loopStart, stuttering, steps]);
      if (!l.states) return;
      const last = l.states[l.states.length - 1];
      if (stuttering) expect(loopStart).toBe(l.states.length);
      else expect(last).toEqual(l.states[loopStart! - 1]);
    });
  }

  it('states of the small lassos', async () => {
    expect(lasso(machine(await live('LiveWeak'), 'passes')).states).toEqual([
      { x: 0, pc: ['run', 'wait'] }, { x: 1, pc: ['run', 'wait'] }, { x: 0, pc: ['run', 'wait'] }]);
    expect(lasso(machine(await live('LiveStrongRefine'), 'passes')).states).toEqual([
      { x: 0, pc: ['run', 'wait'] }, { x: 1, pc: ['run', 'wait'] }, { x: 0, pc: ['run', 'wait'] }]);
    expect(lasso(machine(await live('LiveStrongCycle'), 'flips')).states).toEqual([
      { x: 0, y: 0, pc: ['run', 'flip'] }, { x: 1, y: 0, pc: ['run', 'flip'] }, { x: 1, y: 1, pc: ['run', 'flip'] },
      { x: 1, y: 0, pc: ['run', 'flip'] }, { x: 0, y: 0, pc: ['run', 'flip'] }]);
    expect(lasso(machine(await live('LiveWeakDetour'), 'passes')).states!.map((s) => [s.x, s.y])).toEqual([[1, 0], [1, 1], [0, 1], [1, 1], [1, 0]]);
    expect(lasso(machine(await live('LiveWeakFar'), 'passes')).states!.map((s) => [s.x, s.y])).toEqual([[1, 0], [1, 1], [2, 1], [0, 1], [0, 0], [1, 0]]);
    expect(lasso(machine(await live('LiveDetour'), 'detour')).states).toEqual([
      { x: 0, pc: ['start'] }, { x: 1, pc: ['mid'] }, { x: 3, pc: ['stop'] }]);
    expect(lasso(machine(await live('LiveLock'), 'acquires')).states!.map((s) => [s.lock, ...(s.pc as string[]), ...(s.seen as boolean[])])).toEqual([
      [false, 'idle', 'idle', false, false], [false, 'try', 'idle', false, false], [false, 'try', 'try', false, false],
      [true, 'try', 'cs', false, false], [true, 'try', 'cs', true, false], [false, 'try', 'idle', true, false],
      [false, 'try', 'try', true, false], [true, 'try', 'cs', true, false]]);
    const xs = async (name: string, config: string) => lasso(machine(await live(name), config)).states!.map((s) => s.x);
    expect(await xs('LiveRevisit', 'revisit')).toEqual([0, 2, 4]);
    expect(await xs('LiveOwedLast', 'owed')).toEqual([0, 1, 0]);
    expect(await xs('LiveTie', 'tie')).toEqual([0, 2, 3, 4, 2]);
    expect(await xs('LiveThroughQ', 'through')).toEqual([0, 2, 4, 3]);
  });

  // About 1 s each: the starvation lassos of the pool specs (thread 1 starves while thread 2 works).
  // Left out of mutation runs (POOLSPEC_MUTATION=1), where they would run per mutant.
  it.skipIf(process.env.POOLSPEC_MUTATION === '1')('BusyPool and LockedPool starvation', async () => {
    const busy = lasso(machine(await spec('BusyPool'), 'starvation'));
    expect([busy.violated, busy.loopStart, busy.stuttering, busy.steps]).toEqual(['StarvationFree', 15, false, [
      '1:idle_alloc', '1:D1', '1:D2_empty', '1:os_get', '1:idle_freePush', '1:E2_notCrowded', '1:E5_link', '2:idle_alloc',
      '2:D1', '1:E6_ok', '1:idle_alloc', '1:D1', '2:D2_empty', '2:os_get', '2:idle_alloc', '2:D1', '2:D2_xchg', '1:D2_xchg',
      '1:D5_busy', '2:D5_owned', '2:D6', '2:D7', '2:idle_freePush', '2:E2_notCrowded', '2:E5_link', '2:E6_ok', '1:D2_spin']]);
    const locked = lasso(machine(await spec('LockedPool'), 'starvation'));
    expect([locked.violated, locked.loopStart, locked.stuttering, locked.steps]).toEqual(['StarvationFree', 14, false, [
      '1:idle_alloc', '2:idle_alloc', '2:L1', '2:L2', '2:L3_empty', '2:L5_empty', '2:os_get', '2:idle_alloc', '2:L1', '2:L2',
      '2:L3_empty', '2:L5_empty', '2:os_get', '2:idle_alloc', '2:L1', '2:L2', '2:L3_empty', '2:L5_empty', '2:os_none']]);
  });
});

/** LivePerThread with `n` threads: the limit on processes is about the count, not the spec. */
async function threads(n: number): Promise<Machine> {
  const model = await live('LivePerThread');
  return machine({ ...model, procTypes: model.procTypes.map((pt) => ({ ...pt, count: n })) }, 'finish');
}

describe('the 31-process limit of temporal checking', () => {
  it('accepts 31 processes and refuses 32, saying to use TLC', async () => {
    expect(livenessUnsupported(await threads(31))).toBeNull();
    const m = await threads(32);
    const refusal = {
      code: 'SPEC_UNSUPPORTED',
      message: 'the engine checks temporal properties with at most 31 processes; configuration finish has 32: use TLC',
    };
    expect(livenessUnsupported(m)).toEqual(refusal);
    expect(explore(m).error).toEqual(refusal);
  });
});

describe('GraphRecorder', () => {
  const graph = (m: Machine, record: (g: GraphRecorder) => void, nodes: number) => {
    const rec = new GraphRecorder(m);
    record(rec);
    const g = rec.finish(Array.from({ length: nodes }, () => ({}) as TreeNode));
    return { off: Array.from(g.off), tgt: Array.from(g.tgt), lab: Array.from(g.lab), enabled: Array.from(g.enabled) };
  };

  it('records one edge per target with the OR of the labels, and leaves out stuttering', async () => {
    const m = await threads(2); // processes 1 and 2: bits 1 and 2
    expect(graph(m, (g) => {
      g.expand(0);
      g.step(0, 1, 1);
      g.step(0, 2, 2);
      g.step(0, 1, 2); // a second step to state 1: one edge, both processes
      // State 1 is never expanded (explore stopped, say): no edges, nothing enabled.
      g.expand(2);
      g.step(2, 2, 1); // stuttering: not an edge, and process 1 is not enabled by it
      g.step(2, -1, 2); // leaves the constraint: process 2 is enabled, no edge
      // States 3 and 4 are stored but not expanded when finish() is called.
    }, 5)).toEqual({ off: [0, 2, 2, 2, 2, 2], tgt: [1, 2], lab: [3, 2], enabled: [3, 0, 2, 0, 0] });
  });

  it('gives processes beyond the 31st no bit', async () => {
    const m = await threads(32);
    expect(graph(m, (g) => {
      g.expand(0);
      g.step(0, 1, 31);
      g.step(0, 2, 32);
    }, 3)).toEqual({ off: [0, 2, 2, 2], tgt: [1, 2], lab: [1 << 30, 0], enabled: [1 << 30, 0, 0] });
  });

  it('grows past its initial 1024 entries', async () => {
    const m = await threads(2);
    const n = 1500;
    const g = graph(m, (r) => {
      for (let i = 0; i < n; i += 1) { r.expand(i); r.step(i, (i + 1) % n, 1 + (i % 2)); }
    }, n);
    expect(g.off).toEqual(Array.from({ length: n + 1 }, (_, i) => i));
    expect(g.tgt).toEqual(Array.from({ length: n }, (_, i) => (i + 1) % n));
    expect(g.lab).toEqual(Array.from({ length: n }, (_, i) => 1 << (i % 2)));
    expect(g.enabled).toEqual(g.lab);
  });
});

describe('checkLiveness', () => {
  it('refuses a property the model does not define', async () => {
    const m = withProps(await threads(2), ['Nope']);
    const g = new GraphRecorder(m).finish([]);
    expect(() => checkLiveness(m, g)).toThrow(EvalError);
    expect(() => checkLiveness(m, g)).toThrow('unknown property Nope');
  });
});

describe('propertiesViolatedByLasso on hand-made lassos', () => {
  it('[]<>: the loop (or the last state, when stuttering) must contain a P state', async () => {
    const m = machine(await live('LiveCycle'), 'loops'); // ZeroOften: []<>(x = 0)
    const xs = (...v: number[]): State[] => v.map((x) => ({ x, pc: ['run'] }));
    const check = (trace: State[], loopStart: number, stuttering: boolean) => propertiesViolatedByLasso(m, trace, loopStart, stuttering);
    expect(check([], 0, false)).toEqual([]);
    expect(check(xs(0, 1, 2, 1), 1, false)).toEqual(['ZeroOften']);
    expect(check(xs(0, 1, 2, 0), 0, false)).toEqual([]);
    expect(check(xs(0, 1, 2), 0, false)).toEqual([]); // the closing copy of the first loop state may be left out
    // Stuttering: only the last state recurs, whatever loopStart says.
    expect(check(xs(0, 1), 0, true)).toEqual(['ZeroOften']);
    expect(check(xs(1, 0), 0, true)).toEqual([]);
    // loopStart is clamped into the trace.
    expect(check(xs(1, 0), 5, false)).toEqual([]);
    expect(check(xs(0, 1), 5, false)).toEqual(['ZeroOften']);
    expect(check(xs(0, 1), -3, false)).toEqual([]);
  });

  it('~>, system-wide: violated by a P after the last Q when no Q recurs', async () => {
    const m = machine(await live('LiveLock'), 'spinBug'); // LockReleased: lock ~> ~lock
    const st = (lock: boolean): State => ({ lock, pc: ['idle', 'idle'], seen: [false, false] });
    const check = (locks: boolean[], loopStart: number, stuttering: boolean) => propertiesViolatedByLasso(m, locks.map(st), loopStart, stuttering);
    expect(check([false, true], 0, false)).toEqual([]); // ~lock recurs, even though the trace ends locked
    expect(check([false, true], 1, false)).toEqual(['LockReleased']);
    expect(check([true], 0, true)).toEqual(['LockReleased']); // P at the very first state
    expect(check([true, false], 1, true)).toEqual([]);
  });

  it('~>, per process, in configuration order', async () => {
    // Acquires: \A x : pc[x] = try ~> pc[x] = cs; LockReleased: lock ~> ~lock.
    const m = withProps(machine(await live('LiveLock'), 'acquires'), ['Acquires', 'Unknown', 'LockReleased']);
    const st = (lock: boolean, a: string, b: string): State => ({ lock, pc: [a, b], seen: [false, false] });
    const check = (trace: State[], loopStart: number, stuttering: boolean) => propertiesViolatedByLasso(m, trace, loopStart, stuttering);
    // Thread 2 waits at `try` forever while thread 1 takes and releases the lock.
    expect(check([st(false, 'idle', 'idle'), st(false, 'idle', 'try'), st(true, 'cs', 'try'), st(false, 'idle', 'try')], 1, false)).toEqual(['Acquires']);
    // Thread 1 got the lock, then stutters idle: its `try` was answered by the later `cs`.
    expect(check([st(false, 'try', 'idle'), st(true, 'cs', 'idle'), st(false, 'idle', 'idle')], 0, true)).toEqual([]);
    // Neither P nor Q anywhere.
    expect(check([st(false, 'idle', 'idle')], 0, true)).toEqual([]);
    // Both: the lock held forever by a thread stuck in `cs`, the other waiting.
    expect(check([st(false, 'idle', 'idle'), st(true, 'cs', 'try')], 1, true)).toEqual(['Acquires', 'LockReleased']);
  });
});
