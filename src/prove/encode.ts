/**
 * The SMT encoding of a Model for fixed constants. A state is a finite vector of SMT constants, one
 * per scalar: booleans, integers (pointers, process ids, enum values and labels as integer codes),
 * one boolean per possible element of a set, one entry per index of an array. Expressions evaluate
 * to symbolic values over those constants with TLA+'s meaning; quantifiers over finite sets are
 * expanded, and list reachability is unrolled to N links. Every symbolic value carries its
 * definedness (`d`): applying an array outside its domain is undefined, and an obligation fails
 * when the invariant or a step is undefined in a state it must hold in.
 */
import type { Bound, Domain, Expr, Model, ProcType, Transition, Type } from '../dsl/ir.ts';
import { bound as engineBound, procIds } from '../engine/eval.ts';
import { mkSet, type State, type Value } from '../engine/value.ts';
import * as T from './terms.ts';
import type { Term } from './terms.ts';

export type SV =
  | { k: 'bool'; t: Term; d: Term }
  | { k: 'int'; t: Term; r: number[] | null; d: Term }
  | { k: 'set'; m: Map<number, Term>; d: Term }
  | { k: 'arr'; dom: number[]; el: SV[]; d: Term };

/** How a variable is laid out in SMT constants, and how its values decode. */
export type Shape =
  | { k: 'bool' }
  | { k: 'int'; r: number[] | null; strings: boolean }
  | { k: 'set'; universe: number[]; strings: boolean }
  | { k: 'arr'; dom: number[]; els: Shape[] };

/** An expression kind or form the encoding does not handle: reported, never a crash. */
export class UnsupportedError extends Error {}

export interface EvalCtx {
  state: Map<string, SV>;
  self?: number;
  bound: Map<string, SV>;
}

const lit = (n: number): SV => ({ k: 'int', t: T.num(n), r: [n], d: T.TRUE });
const boolSV = (t: Term, d: Term = T.TRUE): SV => ({ k: 'bool', t, d });
const union = (a: number[] | null, b: number[] | null): number[] | null =>
  a && b ? [...new Set([...a, ...b])].sort((x, y) => x - y) : null;
const range = (lo: number, hi: number) => Array.from({ length: Math.max(0, hi - lo + 1) }, (_, i) => lo + i);
const sym = (n: number) => (n < 0 ? `n${-n}` : String(n));

export class Encoder {
  readonly consts: Record<string, number | boolean>;
  readonly procs: { id: number; pt: ProcType }[];
  private readonly codes = new Map<string, number>();
  private readonly names = new Map<number, string>();
  readonly shapes = new Map<string, Shape>();
  /** Where declarations and definitions of auxiliary constants go (switched per query scope). */
  sink: string[] = [];
  private aux = 0;

  constructor(readonly model: Model, consts: Record<string, number | boolean>) {
    this.consts = consts;
    this.procs = model.procTypes.flatMap((pt) => procIds(model, consts, pt.name).map((id) => ({ id, pt })));
    for (const pt of model.procTypes) for (const l of pt.labels) this.code(l.name);
    for (const v of model.vars) this.shapes.set(v.name, this.shapeOf(v.type));
    this.shapes.set('pc', {
      k: 'arr', dom: this.procs.map((p) => p.id),
      els: this.procs.map((p) => ({ k: 'int', r: p.pt.labels.map((l) => this.code(l.name)).sort((a, b) => a - b), strings: true })),
    });
    for (const pt of model.procTypes) {
      for (const l of pt.locals) {
        const s = this.shapeOf(l.type);
        this.shapes.set(l.name, { k: 'arr', dom: this.procs.map((p) => p.id), els: this.procs.map(() => s) });
      }
    }
  }

  /** Strings (enum values, labels) are integer codes, from 1000 so they never meet small integers. */
  code(s: string): number {
    let c = this.codes.get(s);
    if (c === undefined) {
      c = 1000 + this.codes.size;
      this.codes.set(s, c);
      this.names.set(c, s);
    }
    return c;
  }
  stringOf(c: number): string {
    const s = this.names.get(c);
    if (s === undefined) throw new UnsupportedError(`no string has code ${c}`);
    return s;
  }

  private intConst(x: Bound): number {
    if (typeof x === 'number') return x;
    // A constant expression as a bound (`K - 1`): its value for these constants, as the engine computes it.
    if (typeof x === 'object') return engineBound({ model: this.model, consts: this.consts, state: {}, bound: new Map() }, x);
    const v = this.consts[x];
    if (typeof v !== 'number') throw new UnsupportedError(`constant ${x} has no integer value`);
    return v;
  }

  domainElems(d: Domain): number[] {
    if (d.kind === 'procs') return procIds(this.model, this.consts, d.procType);
    return range(this.intConst(d.lo), this.intConst(d.hi));
  }

  blockCount(blocks: string): number {
    const bs = this.model.blockSets.find((b) => b.name === blocks);
    if (!bs) throw new UnsupportedError(`unknown block set ${blocks}`);
    return this.intConst(bs.size);
  }

  shapeOf(t: Type): Shape {
    switch (t.kind) {
      case 'bool': return { k: 'bool' };
      // Bounded integers are encoded unbounded: a proof over all integers covers the bounded ones.
      case 'int': return { k: 'int', r: null, strings: false };
      case 'ptr': return { k: 'int', r: range(-1, this.blockCount(t.blocks)), strings: false };
      case 'enum': return { k: 'int', r: t.values.map((v) => this.code(v)).sort((a, b) => a - b), strings: true };
      case 'proc': return { k: 'int', r: procIds(this.model, this.consts, t.procType), strings: false };
      case 'set': {
        const of = this.shapeOf(t.of);
        if (of.k !== 'int' || !of.r) throw new UnsupportedError(`sets of ${t.of.kind} are not encoded (only sets of pointers, enum values, process ids)`);
        return { k: 'set', universe: of.r, strings: of.strings };
      }
      case 'array': {
        const dom = this.domainElems(t.index);
        const of = this.shapeOf(t.of);
        return { k: 'arr', dom, els: dom.map(() => of) };
      }
    }
  }

  stateVars(): string[] {
    return [...this.shapes.keys()];
  }

  // ------------------------------------------------------------ states

  /** Declares a state of fresh constants (`prefix` + variable + indices) and returns it with its typing. */
  declareState(prefix: string): { state: Map<string, SV>; typeOK: Term } {
    const state = new Map<string, SV>();
    const typing: Term[] = [];
    const decl = (shape: Shape, name: string): SV => {
      switch (shape.k) {
        case 'bool':
          this.sink.push(`(declare-const ${name} Bool)`);
          return boolSV(name);
        case 'int':
          this.sink.push(`(declare-const ${name} Int)`);
          if (shape.r) typing.push(inRange(name, shape.r));
          return { k: 'int', t: name, r: shape.r, d: T.TRUE };
        case 'set': {
          const m = new Map<number, Term>();
          for (const u of shape.universe) {
            this.sink.push(`(declare-const ${name}_m${sym(u)} Bool)`);
            m.set(u, `${name}_m${sym(u)}`);
          }
          return { k: 'set', m, d: T.TRUE };
        }
        case 'arr':
          return { k: 'arr', dom: shape.dom, el: shape.dom.map((d, i) => decl(shape.els[i], `${name}_${sym(d)}`)), d: T.TRUE };
      }
    };
    for (const [v, shape] of this.shapes) state.set(v, decl(shape, `${prefix}${v}`));
    return { state, typeOK: T.and(...typing) };
  }

  /** A concrete engine state as symbolic values (numerals and true/false). */
  fromValues(s: State): Map<string, SV> {
    const conv = (shape: Shape, v: Value): SV => {
      switch (shape.k) {
        case 'bool': return boolSV(v === true ? T.TRUE : T.FALSE);
        case 'int': {
          const n = typeof v === 'string' ? this.code(v) : (v as number);
          return lit(n);
        }
        case 'set': {
          const m = new Map<number, Term>();
          for (const x of (v as { set: Value[] }).set) m.set(typeof x === 'string' ? this.code(x) : (x as number), T.TRUE);
          return { k: 'set', m, d: T.TRUE };
        }
        case 'arr': return { k: 'arr', dom: shape.dom, el: shape.dom.map((_, i) => conv(shape.els[i], (v as Value[])[i])), d: T.TRUE };
      }
    };
    const out = new Map<string, SV>();
    for (const [name, shape] of this.shapes) out.set(name, conv(shape, s[name]));
    return out;
  }

  /** The atoms (constants) a state's values are made of, for get-value. */
  atoms(state: Map<string, SV>): Term[] {
    const out = new Set<Term>();
    const walk = (sv: SV) => {
      const add = (t: Term) => { if (!/[\s()]/.test(t) && t !== T.TRUE && t !== T.FALSE && T.numeral(t) === null) out.add(t); };
      if (sv.k === 'bool' || sv.k === 'int') add(sv.t);
      else if (sv.k === 'set') for (const t of sv.m.values()) add(t);
      else sv.el.forEach(walk);
    };
    for (const sv of state.values()) walk(sv);
    return [...out];
  }

  /** Decodes a state from the values Z3 gave its atoms. */
  decode(state: Map<string, SV>, values: Map<Term, string>): State {
    const val = (t: Term): string => {
      if (t === T.TRUE || t === T.FALSE) return t;
      if (T.numeral(t) !== null) return t;
      const v = values.get(t);
      if (v === undefined) throw new UnsupportedError(`no value for ${t} in the model`);
      return v;
    };
    const intOf = (s: string) => {
      const n = T.numeral(s);
      if (n === null) throw new UnsupportedError(`not an integer in the model: ${s}`);
      return n;
    };
    const conv = (shape: Shape, sv: SV): Value => {
      if (shape.k === 'bool' && sv.k === 'bool') return val(sv.t) === 'true';
      if (shape.k === 'int' && sv.k === 'int') {
        const n = intOf(val(sv.t));
        return shape.strings ? this.stringOf(n) : n;
      }
      if (shape.k === 'set' && sv.k === 'set') {
        const xs: Value[] = [];
        for (const [u, t] of sv.m) if (val(t) === 'true') xs.push(shape.strings ? this.stringOf(u) : u);
        return mkSet(xs);
      }
      if (shape.k === 'arr' && sv.k === 'arr') return sv.el.map((e, i) => conv(shape.els[i], e));
      throw new UnsupportedError(`value of kind ${sv.k} does not fit its declared shape ${shape.k}`);
    };
    const out: State = {};
    for (const [name, shape] of this.shapes) out[name] = conv(shape, state.get(name)!);
    return out;
  }

  /**
   * Gives each non-atomic scalar of `state` a name (an auxiliary constant defined equal to it), so
   * post-states stay small and can be read back; also returns the typing condition of the values
   * against the variables' declared types (a step must not leave the types).
   */
  nameState(state: Map<string, SV>): { state: Map<string, SV>; typeOK: Term } {
    const typing: Term[] = [];
    const fit = (shape: Shape, sv: SV): SV => {
      if (shape.k === 'bool' && sv.k === 'bool') return boolSV(this.name(sv.t, 'Bool'));
      if (shape.k === 'int' && sv.k === 'int') {
        const t = this.name(sv.t, 'Int');
        if (shape.r && !(sv.r && sv.r.every((x) => shape.r!.includes(x)))) typing.push(inRange(t, shape.r));
        return { k: 'int', t, r: shape.r, d: T.TRUE };
      }
      if (shape.k === 'set' && sv.k === 'set') {
        const m = new Map<number, Term>();
        for (const u of shape.universe) m.set(u, this.name(sv.m.get(u) ?? T.FALSE, 'Bool'));
        for (const [u, t] of sv.m) if (!shape.universe.includes(u)) typing.push(T.not(t));
        return { k: 'set', m, d: T.TRUE };
      }
      if (shape.k === 'arr' && sv.k === 'arr') return { k: 'arr', dom: shape.dom, el: sv.el.map((e, i) => fit(shape.els[i], e)), d: T.TRUE };
      throw new UnsupportedError(`a value of kind ${sv.k} is assigned to a variable of kind ${shape.k}`);
    };
    const out = new Map<string, SV>();
    for (const [name, shape] of this.shapes) out.set(name, fit(shape, state.get(name)!));
    return { state: out, typeOK: T.and(...typing) };
  }

  /**
   * An auxiliary constant defined equal to `t` (atoms are returned as they are). The same term gets
   * the same name, so the parts of a post-state's invariant a step does not touch are literally the
   * pre-state's (Z3 sees them as equal at once). Names made in a query scope live until the next.
   */
  name(t: Term, sort: 'Int' | 'Bool'): Term {
    if (!/[\s()]/.test(t) || T.numeral(t) !== null) return t;
    const known = this.memoCommon.get(t) ?? this.memoScope.get(t);
    if (known) return known;
    const n = `a${(this.aux += 1)}`;
    this.sink.push(`(declare-const ${n} ${sort})`, `(assert (= ${n} ${t}))`);
    (this.inScope ? this.memoScope : this.memoCommon).set(t, n);
    return n;
  }

  private readonly memoCommon = new Map<Term, Term>();
  private readonly memoScope = new Map<Term, Term>();
  private inScope = false;

  /** Starts a query scope (between push and pop): new definitions go to a fresh sink. */
  beginScope(): void {
    this.outer = this.sink;
    this.inScope = true;
    this.memoScope.clear();
    this.sink = [];
  }

  /** Ends it: its names are forgotten (Z3 pops them), definitions go to the outer sink again. */
  endScope(): void {
    this.inScope = false;
    this.memoScope.clear();
    this.sink = this.outer;
  }
  private outer: string[] = [];

  // ------------------------------------------------------------ expressions

  eval(e: Expr, ctx: EvalCtx): SV {
    switch (e.op) {
      case 'lit':
        if (typeof e.value === 'boolean') return boolSV(e.value ? T.TRUE : T.FALSE);
        if (typeof e.value === 'number') return lit(e.value);
        return lit(this.code(e.value));
      case 'const': {
        const v = this.consts[e.name];
        if (v === undefined) throw new UnsupportedError(`constant ${e.name} has no value`);
        return typeof v === 'boolean' ? boolSV(v ? T.TRUE : T.FALSE) : lit(v);
      }
      case 'var': {
        const v = ctx.state.get(e.name);
        if (!v) throw new UnsupportedError(`unknown variable ${e.name}`);
        return v;
      }
      case 'local': {
        const arr = ctx.state.get(e.name);
        if (!arr) throw new UnsupportedError(`unknown local ${e.name}`);
        return this.index(arr, e.proc ? this.eval(e.proc, ctx) : this.selfOf(ctx), true);
      }
      case 'pc': return this.index(ctx.state.get('pc')!, this.eval(e.proc, ctx), true);
      case 'self': return this.selfOf(ctx);
      case 'bound': {
        const v = ctx.bound.get(e.name);
        if (!v) throw new UnsupportedError(`unbound name ${e.name}`);
        return v;
      }
      case 'not': {
        const a = this.bool(this.eval(e.arg, ctx), '~');
        return boolSV(T.not(a.t), a.d);
      }
      case 'bin': return this.bin(e, ctx);
      case 'ite': {
        const c = this.bool(this.eval(e.cond, ctx), 'IF');
        if (c.t === T.TRUE) return withDef(this.eval(e.then, ctx), c.d);
        if (c.t === T.FALSE) return withDef(this.eval(e.else, ctx), c.d);
        return withDef(this.iteSV(c.t, this.eval(e.then, ctx), this.eval(e.else, ctx)), c.d);
      }
      case 'index': return this.index(this.eval(e.arr, ctx), this.eval(e.idx, ctx), true);
      case 'except': return this.except(this.eval(e.arr, ctx), this.eval(e.idx, ctx), this.eval(e.value, ctx));
      case 'setOf': {
        const m = new Map<number, Term>();
        const ds: Term[] = [];
        for (const x of e.elems) {
          const v = this.int(this.eval(x, ctx), 'set element');
          ds.push(v.d);
          if (!v.r) throw new UnsupportedError('a set of unbounded integers is not encoded');
          for (const u of v.r) m.set(u, T.or(m.get(u) ?? T.FALSE, T.eqInt(v.t, T.num(u))));
        }
        return { k: 'set', m, d: T.and(...ds) };
      }
      case 'card': {
        const s = this.set(this.eval(e.arg, ctx), 'Cardinality');
        const members = [...s.m.values()].filter((t) => t !== T.FALSE);
        return { k: 'int', t: T.sum(members.map((t) => T.ite(t, '1', '0'))), r: range(0, members.length), d: s.d };
      }
      case 'domain': return { k: 'set', m: new Map(this.domainElems(e.domain).map((x) => [x, T.TRUE])), d: T.TRUE };
      case 'quant': {
        const over = this.set(this.eval(e.over, ctx), 'quantifier domain');
        const ts: Term[] = [];
        const ds: Term[] = [over.d];
        for (const [u, mem] of over.m) {
          if (mem === T.FALSE) continue;
          const body = this.bool(this.eval(e.body, bind(ctx, e.v, lit(u))), 'quantifier body');
          ts.push(e.q === 'forall' ? T.implies(mem, body.t) : T.and(mem, body.t));
          ds.push(T.implies(mem, body.d));
        }
        return boolSV(e.q === 'forall' ? T.and(...ts) : T.or(...ts), T.and(...ds));
      }
      case 'filter': {
        const over = this.set(this.eval(e.over, ctx), 'filter domain');
        const m = new Map<number, Term>();
        const ds: Term[] = [over.d];
        for (const [u, mem] of over.m) {
          if (mem === T.FALSE) continue;
          const c = this.bool(this.eval(e.cond, bind(ctx, e.v, lit(u))), 'filter condition');
          m.set(u, T.and(mem, c.t));
          ds.push(T.implies(mem, c.d));
        }
        return { k: 'set', m, d: T.and(...ds) };
      }
      case 'map': {
        const dom = this.domainElems(e.domain);
        const el = dom.map((x) => this.eval(e.body, bind(ctx, e.v, lit(x))));
        return { k: 'arr', dom, el, d: T.and(...el.map((x) => x.d)) };
      }
      case 'listNodes':
      case 'listAcyclic': return this.list(e, ctx);
      default:
        throw new UnsupportedError(`expression kind ${(e as { op: string }).op} is not encoded for Z3`);
    }
  }

  private selfOf(ctx: EvalCtx): SV {
    if (ctx.self === undefined) throw new UnsupportedError('self outside a process');
    return lit(ctx.self);
  }

  private bool(v: SV, what: string): Extract<SV, { k: 'bool' }> {
    if (v.k !== 'bool') throw new UnsupportedError(`operand of ${what} is not a boolean (${v.k})`);
    return v;
  }
  private int(v: SV, what: string): Extract<SV, { k: 'int' }> {
    if (v.k !== 'int') throw new UnsupportedError(`operand of ${what} is not a number or name (${v.k})`);
    return v;
  }
  private set(v: SV, what: string): Extract<SV, { k: 'set' }> {
    if (v.k !== 'set') throw new UnsupportedError(`operand of ${what} is not a set (${v.k})`);
    return v;
  }

  private bin(e: Extract<Expr, { op: 'bin' }>, ctx: EvalCtx): SV {
    const a = this.eval(e.a, ctx);
    const b = this.eval(e.b, ctx);
    switch (e.fn) {
      case 'and': { const x = this.bool(a, '/\\'); const y = this.bool(b, '/\\'); return boolSV(T.and(x.t, y.t), T.and(x.d, T.implies(x.t, y.d))); }
      case 'or': { const x = this.bool(a, '\\/'); const y = this.bool(b, '\\/'); return boolSV(T.or(x.t, y.t), T.and(x.d, T.or(x.t, y.d))); }
      case 'implies': { const x = this.bool(a, '=>'); const y = this.bool(b, '=>'); return boolSV(T.implies(x.t, y.t), T.and(x.d, T.or(T.not(x.t), y.d))); }
      case 'eq': return boolSV(this.eq(a, b), T.and(a.d, b.d));
      case 'ne': return boolSV(T.not(this.eq(a, b)), T.and(a.d, b.d));
      case 'lt': case 'le': case 'gt': case 'ge': {
        const x = this.int(a, e.fn); const y = this.int(b, e.fn);
        const op = ({ lt: '<', le: '<=', gt: '>', ge: '>=' } as const)[e.fn];
        return boolSV(T.cmp(op, x.t, y.t), T.and(x.d, y.d));
      }
      case 'add': case 'sub': {
        const x = this.int(a, e.fn); const y = this.int(b, e.fn);
        let r: number[] | null = null;
        if (x.r && y.r && x.r.length * y.r.length <= 256) {
          r = [...new Set(x.r.flatMap((p) => y.r!.map((q) => (e.fn === 'add' ? p + q : p - q))))].sort((p, q) => p - q);
        }
        return { k: 'int', t: T.arith(e.fn === 'add' ? '+' : '-', x.t, y.t), r, d: T.and(x.d, y.d) };
      }
      case 'in': case 'notin': {
        const x = this.int(a, e.fn); const s = this.set(b, e.fn);
        const t = this.member(x, s);
        return boolSV(e.fn === 'in' ? t : T.not(t), T.and(x.d, s.d));
      }
      case 'union': case 'minus': case 'intersect': {
        const x = this.set(a, e.fn); const y = this.set(b, e.fn);
        const m = new Map<number, Term>();
        for (const u of new Set([...x.m.keys(), ...y.m.keys()])) {
          const p = x.m.get(u) ?? T.FALSE;
          const q = y.m.get(u) ?? T.FALSE;
          m.set(u, e.fn === 'union' ? T.or(p, q) : e.fn === 'minus' ? T.and(p, T.not(q)) : T.and(p, q));
        }
        return { k: 'set', m, d: T.and(x.d, y.d) };
      }
      case 'subseteq': {
        const x = this.set(a, e.fn); const y = this.set(b, e.fn);
        return boolSV(T.and(...[...x.m].map(([u, p]) => T.implies(p, y.m.get(u) ?? T.FALSE))), T.and(x.d, y.d));
      }
    }
    throw new UnsupportedError(`operator ${e.fn} is not encoded for Z3`);
  }

  member(x: Extract<SV, { k: 'int' }>, s: Extract<SV, { k: 'set' }>): Term {
    const n = T.numeral(x.t);
    if (n !== null) return s.m.get(n) ?? T.FALSE;
    const ts: Term[] = [];
    for (const [u, mem] of s.m) if (!x.r || x.r.includes(u)) ts.push(T.and(mem, T.eqInt(x.t, T.num(u))));
    return T.or(...ts);
  }

  eq(a: SV, b: SV): Term {
    if (a.k === 'bool' && b.k === 'bool') return T.iff(a.t, b.t);
    if (a.k === 'int' && b.k === 'int') {
      if (a.r && b.r && !a.r.some((x) => b.r!.includes(x))) return T.FALSE;
      return T.eqInt(a.t, b.t);
    }
    if (a.k === 'set' && b.k === 'set') {
      return T.and(...[...new Set([...a.m.keys(), ...b.m.keys()])].map((u) => T.iff(a.m.get(u) ?? T.FALSE, b.m.get(u) ?? T.FALSE)));
    }
    if (a.k === 'arr' && b.k === 'arr' && a.dom.join() === b.dom.join()) return T.and(...a.el.map((x, i) => this.eq(x, b.el[i])));
    throw new UnsupportedError(`comparing a ${a.k} with a ${b.k}`);
  }

  iteSV(c: Term, a: SV, b: SV): SV {
    if (c === T.TRUE) return a;
    if (c === T.FALSE) return b;
    const d = T.ite(c, a.d, b.d);
    if (a.k === 'bool' && b.k === 'bool') return boolSV(T.ite(c, a.t, b.t), d);
    if (a.k === 'int' && b.k === 'int') return { k: 'int', t: T.ite(c, a.t, b.t), r: union(a.r, b.r), d };
    if (a.k === 'set' && b.k === 'set') {
      const m = new Map<number, Term>();
      for (const u of new Set([...a.m.keys(), ...b.m.keys()])) m.set(u, T.ite(c, a.m.get(u) ?? T.FALSE, b.m.get(u) ?? T.FALSE));
      return { k: 'set', m, d };
    }
    if (a.k === 'arr' && b.k === 'arr' && a.dom.join() === b.dom.join()) {
      return { k: 'arr', dom: a.dom, el: a.el.map((x, i) => this.iteSV(c, x, b.el[i])), d };
    }
    throw new UnsupportedError(`IF branches of different kinds (${a.k}, ${b.k})`);
  }

  /** `arr[idx]`; `checked`: outside the domain it is undefined (TLC: an error). */
  index(arr: SV, idxV: SV, checked: boolean): SV {
    if (arr.k !== 'arr') throw new UnsupportedError(`indexing a ${arr.k}`);
    const idx = this.int(idxV, 'index');
    const n = T.numeral(idx.t);
    if (n !== null) {
      const i = arr.dom.indexOf(n);
      if (i < 0) return withDef(arr.el[0], checked ? T.FALSE : T.TRUE);
      return withDef(arr.el[i], T.and(arr.d, idx.d));
    }
    const cand = arr.dom.map((x, i) => ({ x, i })).filter(({ x }) => !idx.r || idx.r.includes(x));
    if (cand.length === 0) return withDef(arr.el[0], checked ? T.FALSE : T.TRUE);
    let v = arr.el[cand[cand.length - 1].i];
    for (let j = cand.length - 2; j >= 0; j -= 1) v = this.iteSV(T.eqInt(idx.t, T.num(cand[j].x)), arr.el[cand[j].i], v);
    const inDom = T.or(...cand.map(({ x }) => T.eqInt(idx.t, T.num(x))));
    if (v.k === 'int') v = { ...v, t: this.name(v.t, 'Int') };
    else if (v.k === 'bool') v = { ...v, t: this.name(v.t, 'Bool') };
    return withDef(v, T.and(arr.d, idx.d, checked ? inDom : T.TRUE));
  }

  /** `[arr EXCEPT ![idx] = v]`: outside the domain the array is unchanged, as in TLA+. */
  except(arr: SV, idxV: SV, v: SV): SV {
    if (arr.k !== 'arr') throw new UnsupportedError(`EXCEPT on a ${arr.k}`);
    const idx = this.int(idxV, 'EXCEPT index');
    return {
      k: 'arr', dom: arr.dom,
      el: arr.el.map((x, i) => this.iteSV(T.eqInt(idx.t, T.num(arr.dom[i])), v, x)),
      d: T.and(arr.d, idx.d, v.d),
    };
  }

  /** listNodes / listAcyclic, unrolled to N links exactly as the engine walks the list. */
  private list(e: Extract<Expr, { op: 'listNodes' | 'listAcyclic' }>, ctx: EvalCtx): SV {
    const n = this.blockCount(e.blocks);
    let x = this.int(this.eval(e.start, ctx), 'list start');
    const link = this.eval(e.link, ctx);
    const d = T.and(x.d, link.d);
    const isBlock = (v: Extract<SV, { k: 'int' }>) => {
      const k = T.numeral(v.t);
      if (k !== null) return k >= 1 && k <= n ? T.TRUE : T.FALSE;
      return T.and(T.cmp('<=', '1', v.t), T.cmp('<=', v.t, String(n)));
    };
    let inList: Term = T.TRUE;
    const m = new Map<number, Term>();
    for (let k = 0; k < n; k += 1) {
      inList = T.and(inList, isBlock(x));
      if (inList === T.FALSE) break;
      for (let u = 1; u <= n; u += 1) m.set(u, T.or(m.get(u) ?? T.FALSE, T.and(inList, T.eqInt(x.t, T.num(u)))));
      const nx = this.index(link, x, false);
      x = this.int(nx, 'list link');
      inList = this.name(inList, 'Bool');
    }
    if (e.op === 'listNodes') return { k: 'set', m, d };
    return boolSV(T.not(T.and(inList, isBlock(x))), d);
  }

  // ------------------------------------------------------------ transitions

  /**
   * Every binding of transition `t` for process `self` in `state`: when it is enabled, whether its
   * guard and effects are defined, and the post-state (TLA+ primed semantics: every right-hand side
   * reads the pre-state; `pc` moves to the target label).
   */
  cases(state: Map<string, SV>, self: number, t: Transition, each: (c: StepCase) => void): void {
    const ctx: EvalCtx = { state, self, bound: new Map() };
    const atFrom = this.eq(this.index(state.get('pc')!, lit(self), true), lit(this.code(t.from)));
    for (const b of this.bindings(t, ctx)) {
      this.beginScope(); // definitions made for this binding go to its own query scope
      const c: EvalCtx = { ...ctx, bound: b.bound };
      const guard = this.bool(this.eval(t.guard, c), 'guard');
      const enabled = T.and(atFrom, b.cond, guard.t);
      if (enabled === T.FALSE && guard.d === T.TRUE) {
        this.endScope();
        continue;
      }
      const post = new Map(state);
      const ds: Term[] = [];
      const vals = t.effects.map((a) => {
        const idx = a.target.index ? this.eval(a.target.index, c) : undefined;
        const v = this.eval(a.value, c);
        ds.push(v.d, idx?.d ?? T.TRUE);
        return { a, idx, v };
      });
      for (const { a, idx, v } of vals) {
        const name = a.target.name;
        const cur = post.get(name);
        if (!cur) throw new UnsupportedError(`assignment to unknown variable ${name}`);
        if (a.target.kind === 'var') {
          post.set(name, idx ? this.except(cur, idx, v) : v);
        } else {
          if (cur.k !== 'arr') throw new UnsupportedError(`local ${name} is not per process`);
          const i = cur.dom.indexOf(self);
          const el = cur.el.slice();
          el[i] = idx ? this.except(el[i], idx, v) : v;
          post.set(name, { ...cur, el });
        }
      }
      if (t.to !== t.from) {
        const pc = post.get('pc') as Extract<SV, { k: 'arr' }>;
        const i = pc.dom.indexOf(self);
        const el = pc.el.slice();
        el[i] = lit(this.code(t.to));
        post.set('pc', { ...pc, el });
      }
      each({
        self, args: b.args, enabled, member: b.cond, bindingDef: T.and(atFrom, b.def), guardDef: guard.d,
        effectsDef: T.and(...ds), post, sink: this.sink,
      });
      this.endScope();
    }
  }

  private bindings(t: Transition, ctx: EvalCtx): { bound: Map<string, SV>; args: Record<string, number>; cond: Term; def: Term }[] {
    let out = [{ bound: new Map(ctx.bound), args: {} as Record<string, number>, cond: T.TRUE as Term, def: T.TRUE as Term }];
    for (const p of t.params) {
      const next: typeof out = [];
      for (const b of out) {
        const over = this.set(this.eval(p.over, { ...ctx, bound: b.bound }), `parameter ${p.name}`);
        for (const [u, mem] of over.m) {
          if (mem === T.FALSE) continue;
          next.push({
            bound: new Map(b.bound).set(p.name, lit(u)), args: { ...b.args, [p.name]: u },
            cond: T.and(b.cond, mem), def: T.and(b.def, over.d),
          });
        }
      }
      out = next;
    }
    return out;
  }
}

export interface StepCase {
  self: number;
  /** Values of the transition's parameters (integer codes). */
  args: Record<string, number>;
  /** pc is at the source label, the binding is in its set, and the guard holds. */
  enabled: Term;
  /** The binding is in its parameter sets. */
  member: Term;
  /** pc is at the source label and the parameter sets are defined. */
  bindingDef: Term;
  guardDef: Term;
  effectsDef: Term;
  post: Map<string, SV>;
  /** The definitions this case's encoding made (its query scope). */
  sink: string[];
}

function bind(ctx: EvalCtx, v: string, x: SV): EvalCtx {
  return { ...ctx, bound: new Map(ctx.bound).set(v, x) };
}

function withDef(v: SV, d: Term): SV {
  return d === T.TRUE ? v : { ...v, d: T.and(v.d, d) } as SV;
}

export function inRange(t: Term, r: number[]): Term {
  const n = T.numeral(t);
  if (n !== null) return r.includes(n) ? T.TRUE : T.FALSE;
  const lo = r[0];
  const hi = r[r.length - 1];
  if (r.length === hi - lo + 1) return T.and(T.cmp('<=', T.num(lo), t), T.cmp('<=', t, T.num(hi)));
  return T.or(...r.map((x) => T.eqInt(t, T.num(x))));
}
