/**
 * The compiled program (src/engine/compiled/program.ts) on shapes the pool specs do not have: two
 * process types whose labels share names, one with a terminal label and one without (the deadlock
 * test), several terminal labels, transitions with two and three parameters, and the models it
 * declines. Each model is explored by the compiled and the interpreted engine, which must agree on
 * verdict, counts, depth and trace; the compiled path must be taken.
 */
import { describe, expect, it } from 'vitest';
import { holds, int, protocol } from '../../src/dsl/index.ts';
import type { Expr, Model, Param, ProcType, Transition } from '../../src/dsl/ir.ts';
import { exploreFast } from '../../src/engine/compiled/explore.ts';
import { Unsupported } from '../../src/engine/compiled/layout.ts';
import { compile } from '../../src/engine/compiled/program.ts';
import { explore, type ExploreResult } from '../../src/engine/explore.ts';
import { machine } from '../../src/engine/step.ts';

/** Inc adds to x and finishes; Dec takes from x and never finishes. Both have labels idle and busy. */
function incDec(checkDeadlock: boolean): Model {
  const proto = protocol('IncDec', (p) => {
    const x = p.shared('x', int(0, 3), 0);
    p.process('Inc', 1, {}, (t) => {
      t.label('idle');
      t.label('busy');
      t.step('idle', { to: 'busy', when: x.lt(3), do: [x.set(x.add(1))] });
      t.step('busy', { to: t.done() });
    });
    p.process('Dec', 1, {}, (t) => {
      t.label('idle');
      t.label('busy');
      t.step('idle', { to: 'busy', when: x.gt(0), do: [x.set(x.sub(1))] });
      t.step('busy', { to: 'idle' });
    });
    p.config('c', { constants: {}, checkDeadlock, expect: holds() });
  });
  if (proto.buildErrors.length) throw new Error(JSON.stringify(proto.buildErrors));
  return proto.model;
}

const figures = (r: ExploreResult) => ({
  verdict: r.verdict, violated: r.violated, distinct: r.distinctStates, generated: r.statesGenerated, depth: r.depth, trace: r.trace,
});

/** The compiled engine ran the model and agreed with the interpreted one; its figures. */
function agree(model: Model) {
  const m = machine(model, 'c');
  const fast = exploreFast(m);
  expect(fast.compiled, 'the compiled engine runs it').toBe(true);
  const slow = explore(machine(model, 'c'));
  expect(figures(fast)).toEqual(figures(slow));
  return figures(fast);
}

/** The model with one process type's type replaced. */
function withProcType(model: Model, name: string, f: (pt: ProcType) => ProcType): Model {
  return { ...model, procTypes: model.procTypes.map((pt) => (pt.name === name ? f(pt) : pt)) };
}

const lit = (value: number): Expr => ({ op: 'lit', value } as Expr);
const zeroOne = (name: string): Param => ({ name, over: { op: 'domain', domain: { kind: 'range', lo: 0, hi: 1 } }, elemType: { kind: 'int', lo: 0, hi: 1 } });

/** Inc's first step with parameters p0.. over 0..1, adding their sum to x (capped at 3 by the guard). */
function withParams(count: number): Model {
  const names = Array.from({ length: count }, (_, i) => `p${i}`);
  const sum = names.reduce<Expr>((acc, n) => ({ op: 'bin', fn: 'add', a: acc, b: { op: 'bound', name: n } } as Expr), lit(0));
  const x: Expr = { op: 'var', name: 'x' } as Expr;
  return withProcType(incDec(false), 'Inc', (pt) => ({
    ...pt,
    transitions: pt.transitions.map((t): Transition => (t.from !== 'idle' ? t : {
      ...t,
      params: names.map(zeroOne),
      guard: { op: 'bin', fn: 'le', a: { op: 'bin', fn: 'add', a: x, b: sum }, b: lit(3) } as Expr,
      effects: [{ target: { kind: 'var', name: 'x' }, value: { op: 'bin', fn: 'add', a: x, b: sum } as Expr }],
    })),
  }));
}

describe('compiled program: process types, terminal labels, parameters', () => {
  it('runs each process type\'s own transitions when two types share label names', () => {
    // Inc adds 1 once; Dec takes it back: (Inc, Dec, x) is (idle, idle, 0), then 3 states with Inc
    // at busy and 3 with Inc at Done ((idle, 1), (busy, 0), (idle, 0)).
    expect(agree(incDec(false))).toMatchObject({ verdict: 'holds', distinct: 7, depth: 5 });
  });

  it('finds the deadlock where the type that finishes has finished and the other is stuck', () => {
    const r = agree(incDec(true));
    expect(r).toMatchObject({ verdict: 'violated', violated: 'Deadlock', distinct: 7, depth: 5 });
    expect(r.trace?.at(-1)?.state).toMatchObject({ x: 0, pc: ['Done', 'idle'] });
  });

  it('counts a process at any of its terminal labels as finished', () => {
    // Inc alone, which may also stop at a second terminal label, Halt: no state is a deadlock.
    const inc = { ...incDec(true), procTypes: incDec(true).procTypes.filter((pt) => pt.name === 'Inc') };
    const halt = withProcType(inc, 'Inc', (pt) => ({
      ...pt,
      labels: [...pt.labels, { name: 'Halt', terminal: true }],
      transitions: [...pt.transitions, { ...pt.transitions[0], name: 'idle_halt', to: 'Halt', guard: lit(true as never), effects: [] }],
    }));
    expect(agree(halt)).toMatchObject({ verdict: 'holds', distinct: 4, depth: 3 });
    // Without Halt among its terminal labels, Inc stuck there is a deadlock.
    const stuck = withProcType(halt, 'Inc', (pt) => ({ ...pt, labels: pt.labels.map((l) => (l.name === 'Halt' ? { ...l, terminal: false } : l)) }));
    expect(agree(stuck)).toMatchObject({ verdict: 'violated', violated: 'Deadlock', distinct: 4, depth: 3 });
    expect(agree(stuck).trace?.at(-1)?.state).toMatchObject({ pc: ['Halt'] });
  });

  it('enumerates two and three parameters in TLC\'s order', () => {
    // Inc adds p0 + p1 (0, 1 or 2) once: 1 state before, then 5 with Inc at busy and 5 at Done.
    expect(agree(withParams(2))).toMatchObject({ verdict: 'holds', distinct: 11, depth: 4 });
    // Sums 0..3: 1 + 7 + 7.
    expect(agree(withParams(3))).toMatchObject({ verdict: 'holds', distinct: 15, depth: 4 });
  });

  it('declines a transition of four parameters, and an initial state that does not evaluate', () => {
    const refusal = (model: Model) => {
      let thrown: unknown;
      try { compile(machine(model, 'c')); } catch (e) { thrown = e; }
      expect(thrown).toBeInstanceOf(Unsupported);
      return (thrown as Error).message;
    };
    expect(refusal(withParams(4))).toBe('more than 3 parameters');
    const bad: Model = { ...incDec(false), vars: incDec(false).vars.map((v) => ({ ...v, init: { op: 'bin', fn: 'div', a: lit(1), b: lit(0) } as Expr })) };
    expect(refusal(bad)).toBe('the initial state does not evaluate');
    // Any other refusal while encoding the initial state keeps its own message.
    const wide: Model = {
      ...incDec(false),
      vars: [...incDec(false).vars, { name: 's', role: 'shared', type: { kind: 'set', of: { kind: 'int', lo: 0, hi: 3 } }, init: lit({ set: [40] } as never) }],
    };
    expect(refusal(wide)).toBe('set element 40 outside the bitmask');
    // The interpreted engine then reports the evaluation error itself.
    const r = exploreFast(machine(bad, 'c')) as ExploreResult & { compiled: boolean };
    expect([r.compiled, r.verdict]).toEqual([false, 'error']);
  });
});
