/**
 * Printing IR expressions as TLA+ (src/codegen/tla-expr.ts), form by form, including the forms no
 * shipped spec emits: literals (negative numbers, NULL, BUSY, other pointers), a local or `self`
 * outside an action, IF-THEN-ELSE, the parentheses that `~` and indexing put around compound
 * operands only, range domains that are and are not a block set, and the conjuncts of a guard.
 */
import { describe, expect, it } from 'vitest';
import type { Expr, Model, Type } from '../../src/dsl/ir.ts';
import { conjuncts, idsName, tlaDomain, tlaExpr, tlaLiteral } from '../../src/codegen/tla-expr.ts';

const model = { blockSets: [{ name: 'Blocks', size: 'N' }] } as unknown as Model;
const int: Type = { kind: 'int', lo: -5, hi: 5 } as Type;
const lit = (value: number | boolean): Expr => ({ op: 'lit', value, type: typeof value === 'boolean' ? ({ kind: 'bool' } as Type) : int });
const v = (name: string): Expr => ({ op: 'var', name });
const print = (e: Expr, self?: string) => tlaExpr(e, { model, ...(self ? { self } : {}) });

describe('tlaLiteral', () => {
  it('pointers: NULL, BUSY, and other addresses as numbers', () => {
    expect([tlaLiteral(0, 'ptr'), tlaLiteral(-1, 'ptr'), tlaLiteral(2, 'ptr')]).toEqual(['NULL', 'BUSY', '2']);
  });
  it('negative integers in parentheses, booleans and strings as TLA+ writes them', () => {
    expect([tlaLiteral(-3), tlaLiteral(0), tlaLiteral(4), tlaLiteral(true), tlaLiteral(false), tlaLiteral('idle')]).toEqual(['(-3)', '0', '4', 'TRUE', 'FALSE', '"idle"']);
  });
});

describe('names and domains', () => {
  it('the id set of a process type: Thread -> Threads, Readers -> ReadersSet', () => {
    expect([idsName('Thread'), idsName('Readers')]).toEqual(['Threads', 'ReadersSet']);
  });
  it('1..N is the block set of N; other ranges print as ranges', () => {
    expect(tlaDomain(model, { kind: 'range', lo: 1, hi: 'N' })).toBe('Blocks');
    expect(tlaDomain(model, { kind: 'range', lo: 0, hi: 'N' })).toBe('0..N');
    expect(tlaDomain(model, { kind: 'range', lo: 1, hi: 'M' })).toBe('1..M');
    expect(tlaDomain(model, { kind: 'range', lo: 1, hi: { op: 'bin', fn: 'add', a: { op: 'const', name: 'N' }, b: lit(1) } })).toBe('1..(N + 1)');
    expect(tlaDomain(model, { kind: 'procs', procType: 'Thread' })).toBe('Threads');
  });
});

describe('tlaExpr', () => {
  it('a local and self: of the acting process in an action, `self` elsewhere', () => {
    expect(print({ op: 'local', name: 'r' }, 'p')).toBe('r[p]');
    expect(print({ op: 'local', name: 'r' })).toBe('r[self]');
    expect(print({ op: 'local', name: 'r', proc: lit(2) })).toBe('r[2]');
    expect([print({ op: 'self' }), print({ op: 'self' }, 'p')]).toEqual(['self', 'p']);
    expect(print({ op: 'pc', proc: { op: 'self' } })).toBe('pc[self]');
  });

  it('IF-THEN-ELSE, EXCEPT, Cardinality, sets and filters', () => {
    expect(print({ op: 'ite', cond: v('c'), then: lit(1), else: lit(-1) })).toBe('(IF c THEN 1 ELSE (-1))');
    expect(print({ op: 'except', arr: v('a'), idx: lit(1), value: lit(0) })).toBe('[a EXCEPT ![1] = 0]');
    expect(print({ op: 'card', arg: v('s') })).toBe('Cardinality(s)');
    expect(print({ op: 'setOf', elems: [lit(1), lit(2)] })).toBe('{1, 2}');
    expect(print({ op: 'filter', v: 'b', over: v('s'), cond: { op: 'bin', fn: 'ne', a: { op: 'bound', name: 'b' }, b: lit(0) } })).toBe('{b \\in s : (b # 0)}');
  });

  it('~ and indexing leave simple operands bare and parenthesise compound ones', () => {
    const bare: Expr[] = [
      lit(true), { op: 'const', name: 'K' }, v('x'), { op: 'bound', name: 'b' }, { op: 'local', name: 'r' }, { op: 'pc', proc: lit(1) },
      { op: 'self' }, { op: 'index', arr: v('a'), idx: lit(1) }, { op: 'bin', fn: 'and', a: v('x'), b: v('y') },
      { op: 'quant', q: 'exists', v: 'b', over: v('s'), body: lit(true) }, { op: 'ite', cond: v('c'), then: v('x'), else: v('y') },
    ];
    for (const e of bare) {
      expect(print({ op: 'not', arg: e }), e.op).toBe(`~${print(e)}`);
      expect(print({ op: 'index', arr: e, idx: lit(1) }), e.op).toBe(`${print(e)}[1]`);
    }
    const compound: Expr[] = [
      { op: 'not', arg: v('x') }, { op: 'except', arr: v('a'), idx: lit(1), value: lit(0) }, { op: 'card', arg: v('s') },
      { op: 'setOf', elems: [] }, { op: 'filter', v: 'b', over: v('s'), cond: lit(true) },
    ];
    for (const e of compound) {
      expect(print({ op: 'not', arg: e }), e.op).toBe(`~(${print(e)})`);
      expect(print({ op: 'index', arr: e, idx: lit(1) }), e.op).toBe(`(${print(e)})[1]`);
    }
  });
});

describe('conjuncts', () => {
  it('splits nested /\\, drops TRUE, keeps FALSE and any other literal', () => {
    const e: Expr = { op: 'bin', fn: 'and', a: { op: 'bin', fn: 'and', a: v('a'), b: lit(true) }, b: v('b') };
    expect(conjuncts(e)).toEqual([v('a'), v('b')]);
    expect(conjuncts(lit(true))).toEqual([]);
    expect(conjuncts(lit(false))).toEqual([lit(false)]);
    expect(conjuncts(lit(1))).toEqual([lit(1)]);
    expect(conjuncts({ op: 'bin', fn: 'or', a: v('a'), b: v('b') })).toHaveLength(1);
  });
});
