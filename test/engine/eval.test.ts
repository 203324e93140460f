/**
 * The engine's evaluator on expressions TLA+ defines exactly, written as IR: arithmetic with TLA+'s
 * rounding (\div down, % into 0..d-1) and the errors TLC raises, the error messages a user sees for
 * ill-typed operands, function application outside the domain, list walks over cycles, and TLC's
 * branch counting for \E and \A. Written against the mutants of src/engine/eval.ts that the engine
 * tests through whole specs let live (docs/mutation.md).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { Expr, Model } from '../../src/dsl/ir.ts';
import { apply, bound, evaluate, EvalError, isTrue, tlcBranches, update, type Env } from '../../src/engine/eval.ts';
import { mkSet, type Value } from '../../src/engine/value.ts';
import { spec } from '../helpers.ts';

const lit = (value: Value): Expr => ({ op: 'lit', value } as Expr);
const bin = (fn: string, a: Expr | Value, b: Expr | Value): Expr =>
  ({ op: 'bin', fn, a: isExpr(a) ? a : lit(a), b: isExpr(b) ? b : lit(b) } as Expr);
const isExpr = (x: unknown): x is Expr => typeof x === 'object' && x !== null && 'op' in x;
const set = (...xs: Value[]): Expr => lit(mkSet(xs));

let model: Model;
beforeAll(async () => { model = await spec('TreiberPool'); });
const env = (more: Partial<Env> = {}): Env => ({ model, consts: { N: 3 }, state: {}, bound: new Map(), ...more });
const ev = (e: Expr, more: Partial<Env> = {}) => evaluate(e, env(more));
const fails = (f: () => unknown, message: string) => {
  expect(f).toThrow(EvalError);
  expect(f).toThrow(message);
};

describe('evaluate', () => {
  it('subtracts, and divides and reduces as TLA+ does', () => {
    expect(ev(bin('sub', 7, 10))).toBe(-3);
    expect([ev(bin('div', 7, 2)), ev(bin('div', -7, 2)), ev(bin('div', 7, -2))]).toEqual([3, -4, -4]);
    expect([ev(bin('mod', 7, 3)), ev(bin('mod', -7, 3)), ev(bin('mod', 6, 3))]).toEqual([1, 2, 0]);
  });

  it('raises the errors TLC raises for \\div 0 and a divisor of % that is not positive', () => {
    fails(() => ev(bin('div', 7, 0)), 'division by zero: 7 \\div 0');
    fails(() => ev(bin('mod', 7, 0)), 'the divisor of % must be positive: 7 % 0');
    fails(() => ev(bin('mod', 7, -2)), 'the divisor of % must be positive: 7 % -2');
  });

  it('names the operator whose operand has the wrong type', () => {
    // Each side of each operator, named in the message as TLA+ writes the operator.
    const sides: [string, Value, Value, string][] = [
      ['and', 1, true, 'operand of /\\ is not a boolean: 1'], ['and', true, 2, 'operand of /\\ is not a boolean: 2'],
      ['or', 1, true, 'operand of \\/ is not a boolean: 1'], ['or', false, 2, 'operand of \\/ is not a boolean: 2'],
      ['implies', 1, true, 'operand of => is not a boolean: 1'], ['implies', true, 2, 'operand of => is not a boolean: 2'],
      ['lt', true, 1, '< is not a number: true'], ['lt', 1, false, '< is not a number: false'],
      ['le', true, 1, '<= is not a number: true'], ['le', 1, false, '<= is not a number: false'],
      ['gt', true, 1, '> is not a number: true'], ['gt', 1, false, '> is not a number: false'],
      ['ge', true, 1, '>= is not a number: true'], ['ge', 1, false, '>= is not a number: false'],
      ['add', true, 1, '+ is not a number: true'], ['add', 1, false, '+ is not a number: false'],
      ['sub', true, 1, '- is not a number: true'], ['sub', 1, 'a', '- is not a number: "a"'],
      ['mul', true, 1, '* is not a number: true'], ['mul', 1, 'a', '* is not a number: "a"'],
      ['div', 'a', 2, '\\div is not a number: "a"'], ['div', 2, 'a', '\\div is not a number: "a"'],
      ['mod', 'a', 2, '% is not a number: "a"'], ['mod', 2, 'a', '% is not a number: "a"'],
      ['in', 1, 2, 'right of \\in is not a set: 2'], ['notin', 1, 2, 'right of \\notin is not a set: 2'],
      ['union', 1, mkSet([1]), 'operand of \\cup is not a set: 1'], ['union', mkSet([1]), 2, 'operand of \\cup is not a set: 2'],
      ['minus', 1, mkSet([1]), 'operand of \\ is not a set: 1'], ['minus', mkSet([1]), 2, 'operand of \\ is not a set: 2'],
      ['intersect', 1, mkSet([1]), 'operand of \\cap is not a set: 1'], ['intersect', mkSet([1]), 2, 'operand of \\cap is not a set: 2'],
      ['subseteq', 1, mkSet([1]), 'operand of \\subseteq is not a set: 1'], ['subseteq', mkSet([1]), 2, 'operand of \\subseteq is not a set: 2'],
    ];
    for (const [fn, a, b, message] of sides) fails(() => ev(bin(fn, lit(a), lit(b))), message);
    fails(() => ev(bin('frob', 1, 2)), 'unknown operator frob');
    fails(() => ev({ op: 'not', arg: lit(1) }), 'operand of ~ is not a boolean: 1');
    fails(() => ev({ op: 'filter', v: 'x', over: lit(1), cond: lit(true) } as Expr), 'filter domain is not a set: 1');
    fails(() => ev({ op: 'filter', v: 'x', over: set(1), cond: lit(1) } as Expr), 'filter condition is not a boolean: 1');
    fails(() => isTrue(lit(1), env()), 'condition is not a boolean: 1');
  });

  it('decides \\E and \\A whatever the order of witnesses, and intersects sets', () => {
    const x: Expr = { op: 'bound', name: 'x' } as Expr;
    const q = (quant: 'exists' | 'forall', body: Expr, over = set(1, 2, 3)) => ev({ op: 'quant', q: quant, v: 'x', over, body } as Expr);
    expect([q('exists', bin('gt', x, 1)), q('exists', bin('gt', x, 3)), q('exists', bin('lt', x, 2))]).toEqual([true, false, true]);
    expect([q('forall', bin('gt', x, 0)), q('forall', bin('gt', x, 1)), q('forall', bin('lt', x, 3))]).toEqual([true, false, false]);
    expect([q('exists', lit(true), set()), q('forall', lit(false), set())]).toEqual([false, true]);
    expect(ev(bin('intersect', set(1, 2, 3), set(2, 3, 4)))).toEqual(mkSet([2, 3]));
    expect(ev(bin('intersect', set(1), set(2)))).toEqual(mkSet([]));
  });

  it('decides \\subseteq both ways', () => {
    expect(ev(bin('subseteq', set(1, 2), set(1, 2, 3)))).toBe(true);
    expect(ev(bin('subseteq', set(1, 4), set(1, 2, 3)))).toBe(false);
    expect(ev(bin('subseteq', set(), set()))).toBe(true);
  });

  it('says what is missing: a constant, a process, a bound variable', () => {
    fails(() => ev({ op: 'const', name: 'K' }), 'constant K has no value');
    fails(() => bound(env({ consts: { K: true } }), 'K'), 'constant K has no integer value');
    fails(() => bound(env(), lit(true) as never), 'range bound is not a number: true');
    fails(() => ev({ op: 'local', name: 'n' } as Expr), 'local n outside a process');
    fails(() => ev({ op: 'self' } as Expr), 'self outside a process');
    fails(() => ev({ op: 'bound', name: 'x' } as Expr), 'unbound x');
  });
});

describe('functions', () => {
  it('applying outside the domain names the domain, holes below it included', () => {
    fails(() => apply([1, 2], 3), 'index 3 is outside the domain 1..2');
    fails(() => apply([undefined, undefined, 5] as unknown as Value, 1), 'index 1 is outside the domain 3..3');
    fails(() => apply([], 1), 'index 1 is outside the domain 1..0');
    fails(() => apply(3, 1), 'applying a non-function 3');
    fails(() => apply([1], 'a'), 'index is not a number: "a"');
  });

  it('EXCEPT outside the domain is the function itself; on a non-function, an error', () => {
    const f = [1, 2];
    expect(update(f, 3, 9)).toBe(f);
    expect(update(f, 0, 9)).toBe(f);
    expect(update(f, 2, 9)).toEqual([1, 9]);
    fails(() => update(3, 1, 1), 'updating a non-function 3');
    fails(() => update([1], 'a', 1), 'index is not a number: "a"');
  });
});

describe('list walks', () => {
  const walk = (op: 'listNodes' | 'listAcyclic', start: number, link: Value[]) =>
    ev({ op, start: lit(start), link: lit(link), blocks: model.blockSets[0].name } as Expr);

  it('follow links until NULL, and tell a cycle from an end', () => {
    expect(walk('listNodes', 1, [2, 3, 0])).toEqual(mkSet([1, 2, 3]));
    expect(walk('listAcyclic', 1, [2, 3, 0])).toBe(true);
    expect(walk('listNodes', 1, [2, 1, 0])).toEqual(mkSet([1, 2]));
    expect(walk('listAcyclic', 1, [2, 1, 0])).toBe(false);
    expect(walk('listAcyclic', 0, [2, 1, 0])).toBe(true);
    // A start outside 1..N (NULL, or past the last block) is an empty list.
    expect(walk('listNodes', 0, [2, 3, 0])).toEqual(mkSet([]));
    expect(walk('listNodes', 4, [2, 3, 0])).toEqual(mkSet([]));
  });

  it('walk the named block set, not the first one declared', () => {
    const two = { ...model, blockSets: [{ name: 'Other', size: 'K' }, ...model.blockSets] };
    const e = { op: 'listNodes', start: lit(1), link: lit([2, 3, 0]), blocks: model.blockSets[0].name } as Expr;
    expect(evaluate(e, env({ model: two, consts: { N: 3, K: 1 } }))).toEqual(mkSet([1, 2, 3]));
  });
});

describe('tlcBranches', () => {
  const x: Expr = { op: 'bound', name: 'x' } as Expr;
  const quant = (q: 'exists' | 'forall', over: Expr, body: Expr): Expr => ({ op: 'quant', q, v: 'x', over, body } as Expr);

  it('counts one branch per witness of \\E and multiplies over \\A', () => {
    expect(tlcBranches(quant('exists', set(1, 2, 3), bin('gt', x, 1)), env())).toBe(2);
    expect(tlcBranches(quant('exists', set(1, 2, 3), bin('gt', x, 5)), env())).toBe(0);
    // x = 1: both disjuncts hold (2 branches); x = 2: one does.
    expect(tlcBranches(quant('forall', set(1, 2), bin('or', bin('eq', x, 1), bin('ge', x, 1))), env())).toBe(2);
    expect(tlcBranches(quant('forall', set(1, 2), bin('eq', x, 1)), env())).toBe(0);
  });

  it('names the operand of =>, IF and a quantifier domain of the wrong type', () => {
    fails(() => tlcBranches(bin('implies', 1, true), env()), 'operand of => is not a boolean: 1');
    fails(() => tlcBranches({ op: 'ite', cond: lit(1), then: lit(true), else: lit(true) } as Expr, env()), 'IF condition is not a boolean: 1');
    fails(() => tlcBranches(quant('exists', lit(1), lit(true)), env()), 'quantifier domain is not a set: 1');
  });
});

describe('ranges', () => {
  const range = (lo: number, hi: number): Expr => ({ op: 'domain', domain: { kind: 'range', lo, hi } } as Expr);

  it('tests membership in a range by its ends, however wide (TypeOK of a 31-bit integer)', () => {
    expect(ev(bin('in', 2147483646, range(0, 2147483647)))).toBe(true);
    expect(ev(bin('in', -1, range(0, 2147483647)))).toBe(false);
    expect(ev(bin('in', 2147483647, range(0, 2147483646)))).toBe(false);
    expect(ev(bin('notin', 5, range(5, 5)))).toBe(false);
    expect(ev(bin('notin', 4, range(5, 9)))).toBe(true);
    expect(ev(bin('in', true, range(0, 1)))).toBe(false);
    expect(ev(bin('notin', 7, range(0, 2147483647)))).toBe(false);
    // Only \\in and \\notin compare with the ends; another operator takes the range as a set.
    expect(ev(bin('union', set(5), range(1, 2)))).toEqual(mkSet([1, 2, 5]));
    expect(ev(bin('subseteq', set(4), range(1, 3)))).toBe(false);
  });

  it('enumerates a range of up to 2^20 elements, and refuses a wider one with its size', () => {
    expect((ev(range(1, 1 << 20)) as { set: number[] }).set.length).toBe(1 << 20);
    fails(() => ev(range(0, 1 << 20)), 'the range 0..1048576 has 1048577 elements, more than the 1048576 the engine enumerates');
    fails(() => ev(range(5, (1 << 20) + 5)), 'the range 5..1048581 has 1048577 elements, more than the 1048576 the engine enumerates');
  });
});
