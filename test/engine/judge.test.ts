/**
 * judgeTrace, the verdict `poolspec run` gives a recorded behaviour: the first state that breaks an
 * invariant (its step, its property, the conjuncts false there), states after one outside the state
 * constraint not judged, and a deadlock only at the end of a stuck run that did not finish.
 */
import { describe, expect, it } from 'vitest';
import { failedConjuncts, judgeTrace } from '../../src/engine/judge.ts';
import { explore } from '../../src/engine/explore.ts';
import { initialState, machine, successors, type Machine } from '../../src/engine/step.ts';
import type { TraceStep } from '../../src/engine/trace.ts';
import { fixtureSpec, spec } from '../helpers.ts';

/** The behaviour that always takes the first successor, `n` states long (fewer when stuck). */
function firstPath(m: Machine, n: number): TraceStep[] {
  const trace: TraceStep[] = [{ index: 1, state: initialState(m) }];
  while (trace.length < n) {
    const next = successors(m, trace[trace.length - 1].state)[0];
    if (!next) break;
    trace.push({ index: trace.length + 1, state: next.next });
  }
  return trace;
}

describe('judgeTrace', () => {
  it('reports the first violating state of a run that goes on and recovers (Transient: x = 2 at step 3)', async () => {
    const m = machine(await fixtureSpec('../engine/fixtures/Transient.ts'), 'small');
    const run = firstPath(m, 10);
    expect(run.map((s) => s.state.x)).toEqual([0, 1, 2, 0]);
    expect(judgeTrace(m, run)).toEqual({ step: 3, property: 'BelowTwo', failed: ['(x < 2)'] });
    expect(judgeTrace(m, run.slice(0, 2))).toBeNull();
    // Judged from step 3 on (a suffix keeps its indexes): the violation is the first state.
    expect(judgeTrace(m, run.slice(2))?.step).toBe(3);
  });

  it('judges the counterexamples of TreiberPool at their last step, naming the one false conjunct of six', async () => {
    const cases = [
      ['small', { step: 20, property: 'NoUseAfterFree', failed: ['!fault'] }],
      // FreeListIntact, the second invariant, has six conjuncts: only the list/where agreement is false.
      ['noOsFree', { step: 32, property: 'FreeListIntact', failed: ['(listNodes(head, next) == {b in 1..N : (where[b] == "list")})'] }],
    ] as const;
    for (const [config, judged] of cases) {
      const m = machine(await spec('TreiberPool'), config);
      const trace = explore(m).trace!;
      expect(judgeTrace(m, trace), config).toEqual(judged);
      expect(judgeTrace(m, trace.slice(0, -1)), config).toBeNull();
    }
  });

  it('stops judging after a state outside the constraint (BeyondConstraint: x = 3 is judged, x = 4 is not)', async () => {
    const m = machine(await fixtureSpec('../engine/fixtures/BeyondConstraint.ts'), 'small');
    const run = firstPath(m, 6);
    expect(run.map((s) => s.state.x)).toEqual([0, 1, 2, 3, 4, 5]);
    // x = 3 breaks Small and is outside x <= 2: it is judged (as TLC checks every successor).
    expect(judgeTrace(m, run)).toEqual({ step: 4, property: 'Small', failed: ['(x < 3)'] });
    // With the constraint x < 2 instead, x = 2 is outside and holds Small: x = 3 after it is not judged.
    const transient = await fixtureSpec('../engine/fixtures/Transient.ts');
    const narrow = { ...m, config: { ...m.config, constraint: transient.invariants[0].expr } };
    expect(judgeTrace(narrow, run)).toBeNull();
    expect(judgeTrace(narrow, run.slice(0, 2))).toBeNull();
  });

  it('reports Deadlock only for a stuck run that did not finish, in a configuration that checks it', async () => {
    const model = await fixtureSpec('../engine/fixtures/Stuck.ts');
    const m = machine(model, 'deadlock');
    const run = firstPath(m, 50);
    const last = run[run.length - 1];
    expect(successors(m, last.state)).toEqual([]);
    expect(judgeTrace(m, run, { stuck: true })).toEqual({ step: last.index, property: 'Deadlock', failed: [] });
    expect(judgeTrace(m, run)).toBeNull();
    expect(judgeTrace(machine(model, 'noDeadlock'), run, { stuck: true })).toBeNull();
    expect(judgeTrace(m, [], { stuck: true })).toBeNull();
  });

  it('names no conjunct for an unknown invariant', async () => {
    const m = machine(await fixtureSpec('../engine/fixtures/Transient.ts'), 'small');
    expect(failedConjuncts(m, 'NoSuchInvariant', initialState(m))).toEqual([]);
  });
});
