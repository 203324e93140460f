/**
 * Typed expression values for specs. A spec builds `E` objects; each wraps an IR `Expr`, so the
 * same expression can be evaluated by the engine and printed as TLA+ or PlusCal.
 */
import type { Assign, BinOp, Bound, Domain, Expr, LValue, Type } from './ir.ts';
import { BUSY_PTR, NULL_PTR } from './ir.ts';
import type { SourcePos } from '../errors.ts';
import { userFrame } from './source.ts';
import { showExpr } from './print.ts';

export type Val = E | number | boolean | string;

/**
 * Something that is not a DSL expression where one is expected: NaN, undefined, a non-integer, or a
 * JavaScript operator applied to a DSL expression. Reported as SPEC_EXPR at the spec line.
 */
export class DslExprError extends TypeError {}

/**
 * Where each expression node was built: an Error captured at construction, whose stack is formatted
 * (and source-mapped) only when a position is asked for, e.g. for the conjunct of an invariant that
 * a counterexample violates. A side table, so the IR stays plain data.
 */
const births = new WeakMap<Expr, Error>();

/** The spec line that built this expression node, when known. */
export function exprOrigin(x: Expr): SourcePos | undefined {
  const e = births.get(x);
  return e ? userFrame(e.stack) : undefined;
}

export class E {
  constructor(readonly expr: Expr) {
    if (!births.has(expr)) births.set(expr, new Error());
  }

  /**
   * `3 - self`, `a + b`, `a < b` on DSL expressions would silently compute NaN or false in JavaScript:
   * refuse them (string conversion, for messages, stays allowed).
   */
  [Symbol.toPrimitive](hint: string): string {
    if (hint === 'string') return showExpr(this.expr);
    throw new DslExprError(`a JavaScript operator was applied to the DSL expression ${showExpr(this.expr)}: use its methods (.add .sub .mul .div .mod .lt .le .eq .and .or ...) or and()/or()/not()`);
  }

  private bin(fn: BinOp, other: Val): E {
    return new E({ op: 'bin', fn, a: this.expr, b: lift(other) });
  }
  eq(o: Val): E { return this.bin('eq', o); }
  ne(o: Val): E { return this.bin('ne', o); }
  lt(o: Val): E { return this.bin('lt', o); }
  le(o: Val): E { return this.bin('le', o); }
  gt(o: Val): E { return this.bin('gt', o); }
  ge(o: Val): E { return this.bin('ge', o); }
  add(o: Val): E { return this.bin('add', o); }
  sub(o: Val): E { return this.bin('sub', o); }
  mul(o: Val): E { return this.bin('mul', o); }
  /** Integer division rounding down (TLA+'s `\\div`); the divisor must not be 0. */
  div(o: Val): E { return this.bin('div', o); }
  /** The remainder in 0..o-1 (TLA+'s `%`); the divisor must be positive. */
  mod(o: Val): E { return this.bin('mod', o); }
  and(o: Val): E { return this.bin('and', o); }
  or(o: Val): E { return this.bin('or', o); }
  implies(o: Val): E { return this.bin('implies', o); }
  not(): E { return new E({ op: 'not', arg: this.expr }); }

  /** Membership: `this \in set`. */
  in(set: Val): E { return this.bin('in', set); }
  notIn(set: Val): E { return this.bin('notin', set); }
  /** Set operations (the receiver is a set). */
  has(x: Val): E { return new E({ op: 'bin', fn: 'in', a: lift(x), b: this.expr }); }
  union(o: Val): E { return this.bin('union', o); }
  minus(o: Val): E { return this.bin('minus', o); }
  intersect(o: Val): E { return this.bin('intersect', o); }
  subsetOf(o: Val): E { return this.bin('subseteq', o); }
  /** `this \cup {x}` */
  plus(x: Val): E { return this.bin('union', new E({ op: 'setOf', elems: [lift(x)] })); }
  /** `this \ {x}` */
  without(x: Val): E { return this.bin('minus', new E({ op: 'setOf', elems: [lift(x)] })); }
  size(): E { return new E({ op: 'card', arg: this.expr }); }
  isEmpty(): E { return this.size().eq(0); }

  /** Array element `this[i]`. */
  at(i: Val): E { return new E({ op: 'index', arr: this.expr, idx: lift(i) }); }
  /** `[this EXCEPT ![i] = v]` */
  with(i: Val, v: Val): E { return new E({ op: 'except', arr: this.expr, idx: lift(i), value: lift(v) }); }
}

/** An assignable reference: a variable, a local, or one element of an array variable. */
export class Ref extends E {
  constructor(expr: Expr, readonly lvalue: LValue) {
    super(expr);
  }
  set(v: Val): Assign {
    return { target: this.lvalue, value: lift(v) };
  }
  /** Element of an array reference, itself assignable. */
  override at(i: Val): Ref {
    if (this.lvalue.index) return super.at(i) as Ref; // nested arrays are not assignable
    const idx = lift(i);
    return new Ref({ op: 'index', arr: this.expr, idx }, { ...this.lvalue, index: idx });
  }
}

export function lift(v: Val): Expr {
  if (v instanceof E) return v.expr;
  if (typeof v === 'object' && v !== null && 'expr' in v) return (v as { expr: Expr }).expr;
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) throw new DslExprError(`${v} is not a DSL value${Number.isNaN(v) ? ' (a JavaScript operator applied to a DSL expression gives NaN: use .add(), .sub(), .mul() ...)' : ''}`);
    if (!Number.isSafeInteger(v)) throw new DslExprError(`${v} is not a DSL value: numbers are integers`);
    return { op: 'lit', value: v, type: { kind: 'int', lo: v, hi: v } };
  }
  if (typeof v === 'boolean') return { op: 'lit', value: v, type: { kind: 'bool' } };
  if (typeof v === 'string') return { op: 'lit', value: v, type: { kind: 'enum', values: [v] } };
  throw new DslExprError(`${v === null ? 'null' : typeof v === 'object' ? 'an object' : String(v)} is not a DSL expression`);
}

export const e = (v: Val): E => new E(lift(v));

// ---------------------------------------------------------------- constants of the pointer model

export const NULL = new E({ op: 'lit', value: NULL_PTR, type: { kind: 'ptr', blocks: '' } });
export const BUSY = new E({ op: 'lit', value: BUSY_PTR, type: { kind: 'ptr', blocks: '' } });
export const TRUE = new E(lift(true));
export const FALSE = new E(lift(false));
export const self = new E({ op: 'self' });

// ---------------------------------------------------------------- combinators

export const not = (a: Val): E => new E({ op: 'not', arg: lift(a) });
export function and(...xs: Val[]): E {
  if (xs.length === 0) return TRUE;
  return xs.slice(1).reduce<E>((acc, x) => acc.and(x), e(xs[0]));
}
export function or(...xs: Val[]): E {
  if (xs.length === 0) return FALSE;
  return xs.slice(1).reduce<E>((acc, x) => acc.or(x), e(xs[0]));
}
export const ite = (c: Val, a: Val, b: Val): E =>
  new E({ op: 'ite', cond: lift(c), then: lift(a), else: lift(b) });

/** A handle on a finite domain: block set, process ids, or an integer range. */
export class DomainRef extends E {
  /** `blockSet` names the domain when it is a declared block set (pointer target). */
  constructor(readonly domain: Domain, readonly blockSet?: string) {
    super({ op: 'domain', domain });
  }
}

/** Names bound by the quantifiers being built right now: a nested binder with the same hint gets a suffix. */
const active: string[] = [];
function binder<T>(hint: string, f: (x: E, name: string) => T): T {
  let name = hint;
  for (let i = 2; active.includes(name); i += 1) name = `${hint}${i}`;
  active.push(name);
  try {
    return f(new E({ op: 'bound', name }), name);
  } finally {
    active.pop();
  }
}
/** Runs `f` with `name` reserved, for binders whose body is built elsewhere (transition parameters). */
export function withBound<T>(hint: string, f: (x: E, name: string) => T): T {
  return binder(hint, f);
}

export function forall(over: Val, body: (x: E) => Val, hint = 'x'): E {
  return binder(hint, (x, v) => new E({ op: 'quant', q: 'forall', v, over: lift(over), body: lift(body(x)) }));
}
export function exists(over: Val, body: (x: E) => Val, hint = 'x'): E {
  return binder(hint, (x, v) => new E({ op: 'quant', q: 'exists', v, over: lift(over), body: lift(body(x)) }));
}
export function filter(over: Val, cond: (x: E) => Val, hint = 'x'): E {
  return binder(hint, (x, v) => new E({ op: 'filter', v, over: lift(over), cond: lift(cond(x)) }));
}
export function mapOver(domain: DomainRef, body: (x: E) => Val, hint = 'x'): E {
  return binder(hint, (x, v) => new E({ op: 'map', v, domain: domain.domain, body: lift(body(x)) }));
}
/**
 * A set literal. Its element type is `of`, else its first element's. `setOf([])` without `of` is the
 * empty set of any element type: it fits a set variable of any type, and where it meets another set
 * (an IF's other branch, the other operand of union, minus, intersect) it takes that set's. Sets that
 * meet, and the elements of one set, agree on their element type: validation says where they do not.
 */
export function setOf(elems: Val[], of?: Type): E {
  return new E({ op: 'setOf', elems: elems.map(lift), of });
}

/** Nodes of the list starting at `start`, linked through the array `link`, inside block set `blocks`. */
export function listNodes(start: Val, link: Val, blocks: DomainRef): E {
  return new E({ op: 'listNodes', start: lift(start), link: lift(link), blocks: blockSetName(blocks) });
}
/** True when the list from `start` ends (at a non-block value) within |blocks| nodes. */
export function listAcyclic(start: Val, link: Val, blocks: DomainRef): E {
  return new E({ op: 'listAcyclic', start: lift(start), link: lift(link), blocks: blockSetName(blocks) });
}
function blockSetName(d: DomainRef): string {
  if (!d.blockSet) throw new TypeError('listNodes/listAcyclic need a block set declared with p.blocks()');
  return d.blockSet;
}

// ---------------------------------------------------------------- types

export const bool: Type = { kind: 'bool' };
export const int = (lo: number | string | E, hi: number | string | E): Type => ({
  kind: 'int',
  lo: boundOf(lo),
  hi: boundOf(hi),
});

const CONST_OPS = new Set(['add', 'sub', 'mul', 'div', 'mod']);
/** Whether `e` is built from integer literals and constants with + - * div mod only. */
export function isConstExpr(e: Expr): boolean {
  if (e.op === 'const') return true;
  if (e.op === 'lit') return typeof e.value === 'number' && e.type.kind === 'int';
  return e.op === 'bin' && CONST_OPS.has(e.fn) && isConstExpr(e.a) && isConstExpr(e.b);
}

/** A range or int bound: a literal, a constant name, or a constant expression such as `K.sub(1)`. */
export function boundOf(x: number | string | E): Bound {
  if (x instanceof E) {
    if (x.expr.op === 'const') return x.expr.name;
    if (x.expr.op === 'lit' && typeof x.expr.value === 'number') return x.expr.value;
    if (isConstExpr(x.expr)) return x.expr;
    throw new DslExprError(`integer bound ${showExpr(x.expr)} is not a constant expression (integer literals and constants with add, sub, mul, div, mod)`);
  }
  if (typeof x === 'number' && !Number.isSafeInteger(x)) throw new DslExprError(`integer bound ${x} is not an integer`);
  return x;
}
export const enumOf = (...values: string[]): Type => ({ kind: 'enum', values });
export const setType = (of: Type): Type => ({ kind: 'set', of });
