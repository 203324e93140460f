/**
 * Reading TLC's counterexamples back (src/check/tlc-trace.ts), in-process and without TLC: fromTla's
 * value conversion (sequences, sets, model values, functions over 1..n and over later ids, refusals),
 * and labelTlcTrace on traces built from the engine's own counterexamples as TLC would print them —
 * safety traces come back equal to the engine's, ties between equal successors go to TLC's action
 * name, unreproducible steps are errors, stuttering and back-to-state lassos, model values under
 * symmetry, and process-local variables TLC prints over their own process type only.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { fromTla, labelTlcTrace } from '../../src/check/tlc-trace.ts';
import { holds, int, protocol } from '../../src/dsl/index.ts';
import type { Model } from '../../src/dsl/ir.ts';
import { explore } from '../../src/engine/explore.ts';
import { initialState, machine, type Machine } from '../../src/engine/step.ts';
import type { TraceStep } from '../../src/engine/trace.ts';
import { isSet, mkSet, type State, type Value } from '../../src/engine/value.ts';
import type { TlaValue, TlcTraceStep } from '../../src/tlc/index.ts';
import { fixtureSpec, spec } from '../helpers.ts';

/** An engine value as TLC prints it: arrays with holes as functions over their defined indices. */
function toTla(v: Value): TlaValue {
  if (Array.isArray(v)) {
    const pairs: [TlaValue, TlaValue][] = [];
    for (let i = 0; i < v.length; i += 1) if (v[i] !== undefined) pairs.push([i + 1, toTla(v[i])]);
    return pairs.length === v.length ? { seq: v.map(toTla) } : { fn: pairs };
  }
  return isSet(v) ? { set: v.set.map(toTla) } : v;
}

/** A state's variables as TLC prints them: with several process types, a local only over its own type's ids. */
function tlcVars(m: Machine, s: State): Record<string, TlaValue> {
  const out: Record<string, TlaValue> = {};
  for (const name of m.varOrder) {
    const owner = m.model.procTypes.find((pt) => pt.locals.some((l) => l.name === name));
    out[name] = owner && m.model.procTypes.length > 1
      ? { fn: m.procs.filter((p) => p.pt === owner).map((p) => [p.id, toTla((s[name] as Value[])[p.id - 1])] as [TlaValue, TlaValue]) }
      : toTla(s[name]);
  }
  return out;
}

const action = (name: string) => ({ name, module: 'M', line: 1, col: 1, endLine: 1, endCol: 1 });
const tlcSteps = (m: Machine, trace: TraceStep[]): TlcTraceStep[] =>
  trace.map((t) => ({ index: t.index, action: t.via ? action(t.via.transition) : null, vars: tlcVars(m, t.state) }));

describe('fromTla', () => {
  it('passes primitives through and converts sequences, sets and model values', () => {
    expect([fromTla(-3), fromTla(true), fromTla(false), fromTla('idle')]).toEqual([-3, true, false, 'idle']);
    expect(fromTla({ seq: [1, 2, 3] })).toEqual([1, 2, 3]);
    expect(fromTla({ seq: [] })).toEqual([]);
    expect(fromTla({ set: [3, 1, 3] })).toEqual({ set: [1, 3] });
    expect(fromTla({ set: ['b', 'a'] })).toEqual(mkSet(['a', 'b']));
    expect(fromTla({ modelValue: 't2' })).toBe('t2');
  });

  it('reads a function over 1..n, in any order, as an array', () => {
    expect(fromTla({ fn: [[1, 'a'], [2, 'b']] })).toEqual(['a', 'b']);
    expect(fromTla({ fn: [[2, 'b'], [3, 'c'], [1, 'a']] })).toEqual(['a', 'b', 'c']);
    expect(fromTla({ fn: [] })).toEqual([]);
  });

  it('reads a function over later positive ids as an array with holes outside its domain', () => {
    const out = fromTla({ fn: [[4, 'y'], [3, 'x']] }) as Value[];
    expect(out.length).toBe(4);
    expect(Object.keys(out)).toEqual(['2', '3']);
    expect([out[2], out[3]]).toEqual(['x', 'y']);
    const gap = fromTla({ fn: [[3, 'c'], [1, 'a']] }) as Value[];
    expect(gap.length).toBe(3);
    expect(Object.keys(gap)).toEqual(['0', '2']);
    expect([gap[0], gap[2]]).toEqual(['a', 'c']);
    const nested = fromTla({ fn: [[2, { set: [2, 1] }]] }) as Value[];
    expect([nested.length, Object.keys(nested), nested[1]]).toEqual([2, ['1'], { set: [1, 2] }]);
  });

  it('refuses functions over other domains, and records', () => {
    for (const v of [{ fn: [[0, 'x']] }, { fn: [['a', 'x']] }, { fn: [[-1, 'x'], [1, 'y']] }, { fn: [[2.5, 'x']] }, { record: { a: 1 } }] as TlaValue[]) {
      expect(() => fromTla(v)).toThrow(`unsupported TLA+ value in a trace: ${JSON.stringify(v)}`);
    }
    expect(() => fromTla({ fn: [[0, 'x']] })).toThrow(/^unsupported TLA\+ value in a trace: \{"fn":\[\[0,"x"\]\]\}$/);
  });

  it('converts nested values recursively', () => {
    const v: TlaValue = { seq: [{ set: [{ modelValue: 'm' }, 2, 2] }, { fn: [[2, { seq: [{ fn: [[1, false]] }] }], [1, { set: [] }]] }] };
    expect(fromTla(v)).toEqual([mkSet(['m', 2]), [{ set: [] }, [[false]]]]);
    expect(fromTla({ set: [{ seq: [2] }, { seq: [1] }] })).toEqual({ set: [[1], [2]] });
  });
});

describe('labelTlcTrace', () => {
  let treiber: Machine;
  let safety: TraceStep[];
  beforeAll(async () => {
    treiber = machine(await spec('TreiberPool'), 'small');
    safety = explore(treiber).trace!;
  });

  it('labels a safety counterexample exactly as the engine found it', () => {
    expect(safety.length).toBe(20);
    const r = labelTlcTrace(treiber, tlcSteps(treiber, safety));
    expect(r).toEqual({ trace: safety, errors: [], loopStart: null, stuttering: false });
    expect(r.trace[0].via).toBeUndefined();
    expect(r.trace[13].via).toEqual({ proc: 2, procType: 'Thread', transition: 'idle_alloc', args: {} });
  });

  it('picks the enabled step named by TLC when several reach the same state, else the first', () => {
    // No spec has two differently named transitions reaching one state, so this one is built here.
    const proto = protocol('Twin', (p) => {
      const x = p.shared('x', int(0, 1), 0);
      p.process('P', 1, {}, (t) => {
        t.label('a');
        t.label('b');
        t.step('a', { branch: 'left', to: 'b', do: [x.set(1)] });
        t.step('a', { branch: 'right', to: 'b', do: [x.set(1)] });
        t.step('b', { to: 'a', do: [x.set(0)] });
      });
      p.config('one', { constants: {}, expect: holds() });
    });
    expect(proto.buildErrors).toEqual([]);
    const m = machine(proto.model, 'one');
    const vars = [{ x: 0, pc: { seq: ['a'] } }, { x: 1, pc: { seq: ['b'] } }];
    const via = (name: string | null) => labelTlcTrace(m, [
      { index: 1, action: null, vars: vars[0] },
      { index: 2, action: name === null ? null : action(name), vars: vars[1] },
    ]).trace[1].via;
    expect(via('a_right')).toEqual({ proc: 1, procType: 'P', transition: 'a_right', args: {} });
    expect(via('a_left')).toEqual({ proc: 1, procType: 'P', transition: 'a_left', args: {} });
    expect(via('elsewhere')).toEqual({ proc: 1, procType: 'P', transition: 'a_left', args: {} });
    expect(via(null)).toEqual({ proc: 1, procType: 'P', transition: 'a_left', args: {} });
  });

  it('reports a step the engine cannot reproduce', () => {
    const steps = tlcSteps(treiber, safety.slice(0, 3));
    steps[2].vars.fault = true;
    const r = labelTlcTrace(treiber, steps);
    expect(r.errors).toEqual([{ code: 'TLC_ERROR', message: "step 3 of TLC's trace (T1) is not a step of the engine: the emitter and the engine disagree" }]);
    expect(r.trace.map((t) => t.index)).toEqual([1, 2, 3]);
    expect(r.trace[1].via).toEqual(safety[1].via);
    expect(r.trace[2].via).toBeUndefined();
    expect(r.trace[2].state).toEqual({ ...safety[2].state, fault: true });
    steps[2].action = null;
    expect(labelTlcTrace(treiber, steps).errors).toEqual([{ code: 'TLC_ERROR', message: "step 3 of TLC's trace (?) is not a step of the engine: the emitter and the engine disagree" }]);
  });

  it('ends a behaviour that stutters at its last state, ignoring what follows', async () => {
    const m = machine(await fixtureSpec('../engine/fixtures/Edges.ts'), 'live');
    const live = explore(m);
    expect([live.trace!.length, live.loopStart, live.stuttering]).toEqual([3, 3, true]);
    const steps = tlcSteps(m, live.trace!);
    const last = steps[2].vars;
    const after = { index: 5, action: action('run'), vars: { ...last, x: { record: {} } } };
    const r = labelTlcTrace(m, [...steps, { index: 4, action: null, stuttering: true, vars: last }, after]);
    expect(r).toEqual({ trace: live.trace, errors: [], loopStart: 3, stuttering: true });
    expect(labelTlcTrace(m, [{ index: 1, action: null, stuttering: true, vars: steps[0].vars }]))
      .toEqual({ trace: [], errors: [], loopStart: null, stuttering: true });
  });

  it('closes a lasso back to an earlier state with the step that takes it there', async () => {
    const m = machine(await spec('BusyPool'), 'starvation');
    const lasso = explore(m);
    expect([lasso.trace!.length, lasso.loopStart, lasso.stuttering]).toEqual([28, 15, false]);
    // The engine's lasso repeats state 15 as its last state; TLC prints "28: Back to state 15".
    expect(lasso.trace![27].state).toEqual(lasso.trace![14].state);
    const steps = tlcSteps(m, lasso.trace!.slice(0, 27));
    const back = { index: 28, action: action('D2_spin'), backToState: 15, vars: steps[14].vars };
    const ignored = { index: 29, action: action('idle_alloc'), vars: steps[26].vars };
    const r = labelTlcTrace(m, [...steps, back, ignored]);
    expect(r).toEqual({ trace: lasso.trace, errors: [], loopStart: 15, stuttering: false });
    expect(r.trace[27]).toEqual({ index: 28, via: { proc: 1, procType: 'Thread', transition: 'D2_spin', args: {} }, state: lasso.trace![14].state });
    // A back-to-state naming no state of the trace adds nothing, and says so.
    const nowhere = labelTlcTrace(m, [...steps, { ...back, backToState: 99 }, ignored]);
    expect(nowhere).toEqual({
      trace: lasso.trace!.slice(0, 27), loopStart: null, stuttering: false,
      errors: [{ code: 'TLC_ERROR', message: "step 28 of TLC's trace goes back to state 99, which is not in the trace" }],
    });
    expect(labelTlcTrace(m, [{ ...back, index: 1 }])).toEqual({
      trace: [], loopStart: null, stuttering: false,
      errors: [{ code: 'TLC_ERROR', message: "step 1 of TLC's trace goes back to state 15, which is not in the trace" }],
    });
  });

  it('a value it cannot read is an error naming the step, not an exception', async () => {
    const m = machine(await spec('TreiberPool'), 'small');
    const vars = tlcVars(m, initialState(m));
    const r = labelTlcTrace(m, [{ index: 1, action: null, vars: { ...vars, head: { record: [] } as unknown as TlaValue } }]);
    expect(r).toEqual({
      trace: [], loopStart: null, stuttering: false,
      errors: [{ code: 'TLC_ERROR', message: `step 1 of TLC's trace cannot be read: unsupported TLA+ value in a trace: {"record":[]}` }],
    });
  });

  it('reads model values of a symmetric configuration back as the engine numbers', async () => {
    const m = machine(await spec('TreiberPool'), 'large');
    const init = initialState(m);
    const vars = tlcVars(m, init);
    vars.pc = { fn: [3, 1, 2].map((i) => [{ modelValue: `t${i}` }, 'idle'] as [TlaValue, TlaValue]) };
    vars.blk = { seq: [{ modelValue: 'b2' }, 0, 0] };
    const r = labelTlcTrace(m, [{ index: 1, action: null, vars }]);
    expect(r.trace).toEqual([{ index: 1, state: { ...init, blk: [2, 0, 0] } }]);
  });

  describe('process-local variables', () => {
    let rw: Model;
    let m: Machine;
    beforeAll(async () => {
      rw = await spec('examples/ReadersWriter');
      m = machine(rw, 'broken');
    });

    it('round-trips a counterexample whose locals TLC prints over their own process type', () => {
      const cex = explore(m).trace!;
      expect(tlcVars(m, cex[0].state).mine).toEqual({ fn: [[3, false]] });
      expect(labelTlcTrace(m, tlcSteps(m, cex))).toEqual({ trace: cex, errors: [], loopStart: null, stuttering: false });
    });

    it("fills the other process types' entries with the model's initial values", () => {
      const vars = { ...tlcVars(m, initialState(m)), val: { seq: [4, 5] }, mine: { fn: [[3, true]] } } as Record<string, TlaValue>;
      const state = labelTlcTrace(m, [{ index: 1, action: null, vars }]).trace[0].state;
      expect(state.val).toStrictEqual([4, 5, 0]);
      expect(state.mine).toStrictEqual([false, false, true]);
      const full = labelTlcTrace(m, [{ index: 1, action: null, vars: { ...vars, val: { seq: [4, 5, 6] }, mine: 7 } }]).trace[0].state;
      expect([full.val, full.mine]).toEqual([[4, 5, 6], 7]);
    });

    it('leaves locals as printed when there is a single process type', () => {
      const vars = { ...tlcVars(treiber, initialState(treiber)), blk: { seq: [1] }, h: { fn: [[2, 1]] } } as Record<string, TlaValue>;
      const state = labelTlcTrace(treiber, [{ index: 1, action: null, vars }]).trace[0].state;
      expect(state.blk).toStrictEqual([1]);
      expect(Object.keys(state.h as Value[])).toEqual(['1']);
    });
  });
});
