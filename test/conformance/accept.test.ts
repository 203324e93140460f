/**
 * The judge of deterministic conformance (src/conformance/accept.ts), on hand-made traces of
 * AtomicPool: a trace is accepted only when each step names a transition of the model that is
 * enabled for that process with those choices and leads to exactly the recorded state; otherwise
 * the rejection names the step, says which of those failed, and lists the differing variables.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { accept } from '../../src/conformance/accept.ts';
import { initialState, machine, successors, type Machine } from '../../src/engine/step.ts';
import type { TraceStep } from '../../src/engine/trace.ts';
import type { Model } from '../../src/dsl/ir.ts';
import { spec } from '../helpers.ts';

let model: Model;
let m: Machine;

beforeAll(async () => {
  model = await spec('AtomicPool');
  m = machine(model, 'small');
});

/** The trace that takes, from the initial state, the named steps (`proc:transition{args}`). */
function walk(...names: string[]): TraceStep[] {
  let state = initialState(m);
  const trace: TraceStep[] = [{ index: 1, state }];
  for (const name of names) {
    const all = successors(m, state);
    const s = all.find((x) => `${x.proc}:${x.transition.name}${JSON.stringify(x.args)}` === name);
    if (!s) throw new Error(`${name} is not a successor; the successors are ${all.map((x) => `${x.proc}:${x.transition.name}${JSON.stringify(x.args)}`).join(' ')}`);
    state = s.next;
    trace.push({ index: trace.length + 1, via: { proc: s.proc, procType: s.procType, transition: s.transition.name, args: s.args }, state });
  }
  return trace;
}

describe('accept: what a conforming trace is', () => {
  it('accepts a trace of the model, counting its steps', () => {
    const trace = walk('1:idle_allocOs{"b":1}', '2:idle_allocOs{"b":2}', '1:idle_free{"b":1}', '2:idle_flush{}');
    expect(accept(model, 'small', trace)).toEqual({ ok: true, steps: 4 });
  });

  it('accepts the initial state alone', () => {
    expect(accept(model, 'small', walk())).toEqual({ ok: true, steps: 0 });
  });
});

describe('accept: what it rejects, and how it says so', () => {
  it('a first state that is not the initial state, naming the variable', () => {
    const trace = walk('1:idle_allocOs{"b":1}');
    trace[0] = { ...trace[0], state: trace[1].state };
    expect(accept(model, 'small', trace)).toEqual({
      ok: false,
      rejection: { step: 1, reason: 'the first state is not the initial state of the model', differences: [{ name: 'owned[thread1]', model: '{}', runtime: '{b1}' }] },
    });
  });

  it('a step that does not say which transition it took', () => {
    const trace = walk('1:idle_allocOs{"b":1}', '2:idle_allocOs{"b":2}');
    delete trace[2].via;
    expect(accept(model, 'small', trace)).toEqual({ ok: false, rejection: { step: 3, reason: 'the step does not say which transition it took', differences: [] } });
  });

  it('the right state credited to another process', () => {
    // thread2's allocOs of block 1 is enabled too, but leads elsewhere: thread1 holds the block here.
    const trace = walk('1:idle_allocOs{"b":1}');
    trace[1].via!.proc = 2;
    const v = accept(model, 'small', trace);
    expect(v.ok).toBe(false);
    if (v.ok) return;
    expect(v.rejection.step).toBe(2);
    expect(v.rejection.reason).toBe(`thread2's idle_allocOs{"b":1} leads the model to a different state`);
    expect(v.rejection.differences.length).toBeGreaterThan(0);
  });

  it('the right state credited to another transition, which is not enabled', () => {
    // idle_alloc takes from the pool, empty at first: not enabled, even though idle_allocOs leads to this state.
    const trace = walk('1:idle_allocOs{"b":1}');
    trace[1].via!.transition = 'idle_alloc';
    expect(accept(model, 'small', trace)).toEqual({
      ok: false,
      rejection: { step: 2, reason: `thread1's idle_alloc{"b":1} is not enabled in the model at this state`, differences: [] },
    });
  });

  it('the right state credited to other choices', () => {
    const trace = walk('1:idle_allocOs{"b":1}');
    trace[1].via!.args = { b: 2 };
    const v = accept(model, 'small', trace);
    expect(v.ok).toBe(false);
    if (v.ok) return;
    expect(v.rejection.step).toBe(2);
    expect(v.rejection.reason).toBe(`thread1's idle_allocOs{"b":2} leads the model to a different state`);
  });

  it('choices the model cannot make: not enabled', () => {
    const trace = walk('1:idle_allocOs{"b":1}');
    trace[1].via!.args = { b: 3 };
    expect(accept(model, 'small', trace)).toMatchObject({ ok: false, rejection: { step: 2, reason: `thread1's idle_allocOs{"b":3} is not enabled in the model at this state` } });
  });

  it('a transition without choices is named without them, and the differing variable is listed with both values', () => {
    const trace = walk('1:idle_allocOs{"b":1}', '1:idle_free{"b":1}', '2:idle_flush{}');
    // The recorded flush left the pool as it was.
    trace[3] = { ...trace[3], state: trace[2].state };
    expect(accept(model, 'small', trace)).toEqual({
      ok: false,
      rejection: { step: 4, reason: `thread2's idle_flush leads the model to a different state`, differences: [{ name: 'pool', model: '{}', runtime: '{b1}' }] },
    });
  });

  it('judges every step, not only the first and the last', () => {
    const trace = walk('1:idle_allocOs{"b":1}', '2:idle_allocOs{"b":2}', '1:idle_free{"b":1}', '2:idle_free{"b":2}');
    trace[2].via!.proc = 1;
    trace[2].via!.args = { b: 1 };
    expect(accept(model, 'small', trace)).toMatchObject({ ok: false, rejection: { step: 3, reason: `thread1's idle_allocOs{"b":1} is not enabled in the model at this state` } });
  });
});
