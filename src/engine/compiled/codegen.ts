/**
 * Compiles IR expressions to JavaScript source over slot states (see layout.ts), once per
 * (model, configuration): constants are folded in, every variable read is a typed-array load, sets
 * are bitmasks, and each loop (quantifier, filter, map, list walk) becomes a generated helper
 * function that V8 can inline. Expressions keep the interpreter's meaning (eval.ts), including its
 * evaluation errors (thrown as EvalError with the same kind of message).
 */
import type { Domain, Expr } from '../../dsl/ir.ts';
import { bound as boundOf, domainElems, type Env } from '../eval.ts';
import type { Machine } from '../step.ts';
import { MAX_BIT, Unsupported, sizeOf, type CT, type Cell, type Layout } from './layout.ts';

export interface Code { js: string; ct: CT }

interface Scope { names: Map<string, { js: string; ct: CT }>; self: boolean }

const BOOL: CT = { k: 'bool' };
const INT: CT = { k: 'int' };
/** `{}` without an element type: its element kind is the other branch's or operand's (see join). */
const EMPTY_SET: CT = { k: 'set', elem: 'int' };
/** The kind of a value that is one of two (IF branches, set operands): an untyped `{}` takes the other's. */
const join = (a: CT, b: CT): CT => (a === EMPTY_SET ? b : a);

export class Gen {
  readonly helpers: string[] = [];
  private n = 0;
  readonly env: Env;

  constructor(readonly m: Machine, readonly L: Layout) {
    this.env = { model: m.model, consts: m.consts, state: {}, bound: new Map() };
  }

  fresh(p: string): string { return `${p}${this.n++}`; }

  /** Parameters of a helper: the slot state, self, and every bound variable in scope. */
  private params(sc: Scope): string[] {
    return ['S', 'self', ...[...sc.names.values()].map((b) => b.js)];
  }

  private helper(sc: Scope, extra: string[], body: string): string {
    const name = this.fresh('h');
    this.helpers.push(`function ${name}(${[...this.params(sc), ...extra].join(', ')}) {\n${body}\n}`);
    return name;
  }

  private call(name: string, sc: Scope, extra: string[] = []): string {
    return `${name}(${[...this.params(sc), ...extra].join(', ')})`;
  }

  private bind(sc: Scope, v: string, ct: CT): { inner: Scope; js: string } {
    const js = this.fresh(`b_${v.replace(/\W/g, '_')}_`);
    const names = new Map(sc.names);
    names.set(v, { js, ct });
    return { inner: { names, self: sc.self }, js };
  }

  private bound(b: Expr | string | number): number {
    return boundOf(this.env, b as never);
  }

  domainRange(d: Domain): { lo: number; hi: number } {
    if (d.kind === 'range') {
      const lo = this.bound(d.lo);
      const hi = this.bound(d.hi);
      return hi < lo ? { lo: 1, hi: 0 } : { lo, hi };
    }
    const els = domainElems(this.env, d);
    if (els.length === 0) return { lo: 1, hi: 0 };
    for (let i = 1; i < els.length; i += 1) if (els[i] !== els[0] + i) throw new Unsupported('a non-contiguous domain');
    return { lo: els[0], hi: els[els.length - 1] };
  }

  private cell(name: string): Cell {
    const c = this.L.cells.get(name);
    if (!c) throw new Unsupported(`unknown variable ${name}`);
    return c;
  }

  /** Reading one slot as a value of type ct. */
  private load(at: string, ct: CT): string {
    return ct.k === 'bool' ? `(S[${at}] === 1)` : `S[${at}]`;
  }

  /** Reading the slots from `at` as a JS array value of type ct. */
  private loadArr(at: string, ct: Extract<CT, { k: 'arr' }>, _sc: Scope): string {
    return `${this.loadArrFn(ct)}(S, ${at})`;
  }

  private loadArrFn(ct: Extract<CT, { k: 'arr' }>): string {
    const step = sizeOf(ct.elem);
    const el = ct.elem;
    const inner = el.k === 'arr' ? `${this.loadArrFn(el)}(S, o + (i - ${ct.lo}) * ${step})` : (el.k === 'bool' ? `(S[o + i - ${ct.lo}] === 1)` : `S[o + i - ${ct.lo}]`);
    const name = this.fresh('rd');
    this.helpers.push(`function ${name}(S, o) { const a = new Array(${ct.hi}); for (let i = ${ct.lo}; i <= ${ct.hi}; i++) a[i - 1] = ${inner}; return a; }`);
    return name;
  }

  /** Slot offset of process p's value of a per-process cell (pc, locals), checked like apply(). */
  private procSlot(c: Cell, e: Expr | undefined, sc: Scope): string {
    if (!e) {
      if (!sc.self) throw new Unsupported('a local outside a process');
      return `${c.base - c.stride} + self * ${c.stride}`;
    }
    const p = this.expr(e, sc);
    if (p.ct.k !== 'int') throw new Unsupported('a process id that is not a number');
    return `${c.base - c.stride} + ix(${p.js}, 1, ${this.L.procCount}) * ${c.stride}`;
  }

  expr(e: Expr, sc: Scope): Code {
    switch (e.op) {
      case 'lit':
        if (typeof e.value === 'number') return { js: String(e.value), ct: INT };
        if (typeof e.value === 'boolean') return { js: String(e.value), ct: BOOL };
        return { js: String(this.str(e.value)), ct: { k: 'str' } };
      case 'const': {
        const v = this.m.consts[e.name];
        if (typeof v === 'number') return { js: String(v), ct: INT };
        if (typeof v === 'boolean') return { js: String(v), ct: BOOL };
        throw new Unsupported(`constant ${e.name} has no value`);
      }
      case 'var': {
        const c = this.cell(e.name);
        if (c.ct.k === 'arr') return { js: this.loadArr(String(c.base), c.ct, sc), ct: c.ct };
        return { js: this.load(String(c.base), c.ct), ct: c.ct };
      }
      case 'local': {
        const c = this.cell(e.name);
        const el = (c.ct as Extract<CT, { k: 'arr' }>).elem;
        const at = this.procSlot(c, e.proc, sc);
        if (el.k === 'arr') return { js: this.loadArr(at, el, sc), ct: el };
        return { js: this.load(at, el), ct: el };
      }
      case 'pc': {
        const c = this.cell('pc');
        return { js: `S[${this.procSlot(c, e.proc, sc)}]`, ct: { k: 'str' } };
      }
      case 'self':
        if (!sc.self) throw new Unsupported('self outside a process');
        return { js: 'self', ct: INT };
      case 'bound': {
        const b = sc.names.get(e.name);
        if (!b) throw new Unsupported(`unbound ${e.name}`);
        return { js: b.js, ct: b.ct };
      }
      case 'not': return { js: `!${this.expr(e.arg, sc).js}`, ct: BOOL };
      case 'bin': return this.bin(e, sc);
      case 'ite': {
        const c = this.expr(e.cond, sc);
        const t = this.expr(e.then, sc);
        const f = this.expr(e.else, sc);
        return { js: `(${c.js} ? ${t.js} : ${f.js})`, ct: join(t.ct, f.ct) };
      }
      case 'index': return this.index(e, sc);
      case 'except': {
        const a = this.expr(e.arr, sc);
        if (a.ct.k !== 'arr') throw new Unsupported('EXCEPT on a non-array');
        const i = this.expr(e.idx, sc);
        const v = this.expr(e.value, sc);
        return { js: `upd(${a.js}, ${i.js}, ${v.js})`, ct: a.ct };
      }
      case 'setOf': {
        if (!e.elems.length && !e.of) return { js: '0', ct: EMPTY_SET };
        const els = e.elems.map((x) => this.expr(x, sc));
        const elem = els.length ? els[0].ct : this.elemOfType(e.of!);
        if (elem.k !== 'int' && elem.k !== 'str' && elem.k !== 'bool') throw new Unsupported(`a set of ${elem.k}: ${JSON.stringify(e).slice(0, 300)}`);
        return { js: els.length ? `(${els.map((x) => `bit(+${x.js})`).join(' | ')})` : '0', ct: { k: 'set', elem: elem.k } };
      }
      case 'card': return { js: `pop(${this.expr(e.arg, sc).js})`, ct: INT };
      case 'domain': {
        const { lo, hi } = this.domainRange(e.domain);
        if (lo < -1 || hi + 1 > MAX_BIT) throw new Unsupported('a domain outside the bitmask'); // empty: 1..0
        let mask = 0;
        for (let x = lo; x <= hi; x += 1) mask |= 1 << (x + 1);
        return { js: String(mask), ct: { k: 'set', elem: 'int' } };
      }
      case 'quant': {
        const { inner, loop } = this.loopOver(e.v, e.over, sc);
        const body = this.expr(e.body, inner).js;
        const h = this.helper(sc, [], e.q === 'forall'
          ? `${loop} { if (!${body}) return false; }\nreturn true;`
          : `${loop} { if (${body}) return true; }\nreturn false;`);
        return { js: this.call(h, sc), ct: BOOL };
      }
      case 'filter': {
        const { inner, js, loop, set } = this.loopOver(e.v, e.over, sc);
        const cond = this.expr(e.cond, inner).js;
        const h = this.helper(sc, [], `let out = 0;\n${loop} { if (${cond}) out |= 1 << (+${js} + 1); }\nreturn out;`);
        return { js: this.call(h, sc), ct: set };
      }
      case 'map': {
        const { lo, hi } = this.domainRange(e.domain);
        const { inner, js } = this.bind(sc, e.v, INT);
        const body = this.expr(e.body, inner);
        const h = this.helper(sc, [], `const out = new Array(${hi});\nfor (let ${js} = ${lo}; ${js} <= ${hi}; ${js}++) out[${js} - 1] = ${body.js};\nreturn out;`);
        return { js: this.call(h, sc), ct: { k: 'arr', lo, hi, elem: body.ct } };
      }
      case 'listNodes':
      case 'listAcyclic': {
        const bs = this.m.model.blockSets.find((b) => b.name === e.blocks);
        const n = bs ? this.bound(bs.size) : 0;
        if (n + 1 > MAX_BIT) throw new Unsupported('too many blocks for a bitmask');
        const start = this.expr(e.start, sc).js;
        let link: (x: string) => string;
        if (e.link.op === 'var' && this.cell(e.link.name).ct.k === 'arr') {
          const c = this.cell(e.link.name);
          const ct = c.ct as Extract<CT, { k: 'arr' }>;
          link = (x) => `S[${c.base - ct.lo} + ix(${x}, ${ct.lo}, ${ct.hi})]`;
        } else {
          const l = this.expr(e.link, sc).js;
          link = (x) => `ap(${l}, ${x})`;
        }
        const nodes = e.op === 'listNodes';
        const h = this.helper(sc, ['x'], `let nodes = 0;\nfor (let k = ${n}; ; k--) {\n  if (!(x >= 1 && x <= ${n})) return ${nodes ? 'nodes' : 'true'};\n  if (k === 0) return ${nodes ? 'nodes' : 'false'};\n  nodes |= 1 << (x + 1);\n  x = ${link('x')};\n}`);
        return { js: this.call(h, sc, [start]), ct: nodes ? { k: 'set', elem: 'int' } : BOOL };
      }
    }
  }

  private elemOfType(t: NonNullable<Extract<Expr, { op: 'setOf' }>['of']>): CT {
    if (t.kind === 'enum') return { k: 'str' };
    if (t.kind === 'bool') return BOOL;
    if (t.kind === 'int' || t.kind === 'ptr' || t.kind === 'proc') return INT;
    throw new Unsupported(`a set of ${t.kind}`);
  }

  str(s: string): number {
    const id = this.L.strId.get(s);
    if (id === undefined) throw new Unsupported(`unknown string ${s}`);
    return id;
  }

  /**
   * A loop binding `v` over a set expression: a counted loop over a domain, else over mask bits.
   * `set` is the set's kind; `v` is bound to its element kind, `set.elem`.
   */
  loopOver(v: string, over: Expr, sc: Scope): { inner: Scope; js: string; loop: string; set: Extract<CT, { k: 'set' }> } {
    if (over.op === 'domain') {
      const { lo, hi } = this.domainRange(over.domain);
      const { inner, js } = this.bind(sc, v, INT);
      return { inner, js, loop: `for (let ${js} = ${lo}; ${js} <= ${hi}; ${js}++)`, set: { k: 'set', elem: 'int' } };
    }
    const o = this.expr(over, sc);
    if (o.ct.k !== 'set') throw new Unsupported('a quantifier over a non-set');
    const ct: CT = { k: o.ct.elem };
    const { inner, js } = this.bind(sc, v, ct);
    const mk = this.fresh('m');
    // Booleans are stored as bits 1 (false) and 2 (true), like the integers 0 and 1.
    const el = `30 - Math.clz32(${mk} & -${mk})`;
    return { inner, js, loop: `for (let ${mk} = ${o.js}, ${js} = 0; ${mk} !== 0 && ((${js} = ${o.ct.elem === 'bool' ? `(${el}) === 1` : el}), true); ${mk} &= ${mk} - 1)`, set: o.ct };
  }

  private index(e: Extract<Expr, { op: 'index' }>, sc: Scope): Code {
    const i = this.expr(e.idx, sc);
    if (e.arr.op === 'var') {
      const c = this.cell(e.arr.name);
      if (c.ct.k === 'arr' && c.ct.elem.k !== 'arr') {
        return { js: this.load(`${c.base - c.ct.lo} + ix(${i.js}, ${c.ct.lo}, ${c.ct.hi})`, c.ct.elem), ct: c.ct.elem };
      }
    }
    if (e.arr.op === 'local') {
      const c = this.cell(e.arr.name);
      const el = (c.ct as Extract<CT, { k: 'arr' }>).elem;
      if (el.k === 'arr' && el.elem.k !== 'arr') {
        return { js: this.load(`${this.procSlot(c, e.arr.proc, sc)} - ${el.lo} + ix(${i.js}, ${el.lo}, ${el.hi})`, el.elem), ct: el.elem };
      }
    }
    const a = this.expr(e.arr, sc);
    if (a.ct.k !== 'arr') throw new Unsupported('applying a non-array');
    return { js: `ap(${a.js}, ${i.js})`, ct: a.ct.elem };
  }

  private bin(e: Extract<Expr, { op: 'bin' }>, sc: Scope): Code {
    const a = this.expr(e.a, sc);
    // Membership in a domain (a range, or a process type's ids) compares with its ends, whatever its width.
    if ((e.fn === 'in' || e.fn === 'notin') && e.b.op === 'domain' && a.ct.k === 'int') {
      const { lo, hi } = this.domainRange(e.b.domain);
      return { js: `${e.fn === 'in' ? '' : '!'}inr(${a.js}, ${lo}, ${hi})`, ct: BOOL };
    }
    const b = this.expr(e.b, sc);
    const B = (js: string): Code => ({ js, ct: BOOL });
    const I = (js: string): Code => ({ js, ct: INT });
    switch (e.fn) {
      case 'and': return B(`(${a.js} && ${b.js})`);
      case 'or': return B(`(${a.js} || ${b.js})`);
      case 'implies': return B(`(!${a.js} || ${b.js})`);
      case 'eq': case 'ne': {
        const neg = e.fn === 'ne' ? '!' : '';
        if (a.ct.k === 'arr' || b.ct.k === 'arr') return B(`${neg}aeq(${a.js}, ${b.js})`);
        const scalar = (c: CT) => (c.k === 'set' ? 'set' : c.k);
        // Values of different kinds are never equal (an enum id is a number, like an integer).
        if (scalar(a.ct) !== scalar(b.ct)) return B(`(${a.js}, ${b.js}, ${e.fn === 'ne'})`);
        return B(`(${a.js} ${e.fn === 'eq' ? '===' : '!=='} ${b.js})`);
      }
      case 'lt': return B(`(${a.js} < ${b.js})`);
      case 'le': return B(`(${a.js} <= ${b.js})`);
      case 'gt': return B(`(${a.js} > ${b.js})`);
      case 'ge': return B(`(${a.js} >= ${b.js})`);
      case 'add': return I(`(${a.js} + ${b.js})`);
      case 'sub': return I(`(${a.js} - ${b.js})`);
      case 'mul': return I(`(${a.js} * ${b.js})`);
      case 'div': return I(`idiv(${a.js}, ${b.js})`);
      case 'mod': return I(`imod(${a.js}, ${b.js})`);
      case 'in': return B(`ins(${b.js}, +${a.js})`);
      case 'notin': return B(`!ins(${b.js}, +${a.js})`);
      case 'union': return { js: `(${a.js} | ${b.js})`, ct: join(a.ct, b.ct) };
      case 'minus': return { js: `(${a.js} & ~${b.js})`, ct: join(a.ct, b.ct) };
      case 'intersect': return { js: `(${a.js} & ${b.js})`, ct: join(a.ct, b.ct) };
      case 'subseteq': return B(`((${a.js} & ~${b.js}) === 0)`);
    }
  }

  /**
   * TLC's count of successors for a guard (eval.ts tlcBranches), as a JS number expression. A guard
   * without disjunction or existential at the action level counts 1 exactly when it holds.
   */
  branches(e: Expr, sc: Scope): string {
    if (!branchy(e)) return `(${this.expr(e, sc).js} ? 1 : 0)`;
    if (e.op === 'bin' && e.fn === 'and') {
      const h = this.helper(sc, [], `const a = ${this.branches(e.a, sc)};\nif (a === 0) return 0;\nreturn a * ${this.branches(e.b, sc)};`);
      return this.call(h, sc);
    }
    if (e.op === 'bin' && e.fn === 'or') return `(${this.branches(e.a, sc)} + ${this.branches(e.b, sc)})`;
    if (e.op === 'bin' && e.fn === 'implies') return `(${this.expr(e.a, sc).js} ? ${this.branches(e.b, sc)} : 1)`;
    if (e.op === 'ite') return `(${this.expr(e.cond, sc).js} ? ${this.branches(e.then, sc)} : ${this.branches(e.else, sc)})`;
    if (e.op === 'quant') {
      const { inner, loop } = this.loopOver(e.v, e.over, sc);
      const body = this.branches(e.body, inner);
      const h = this.helper(sc, [], e.q === 'exists'
        ? `let n = 0;\n${loop} { n += ${body}; }\nreturn n;`
        : `let n = 1;\n${loop} { const k = ${body}; if (k === 0) return 0; n *= k; }\nreturn n;`);
      return this.call(h, sc);
    }
    return `(${this.expr(e, sc).js} ? 1 : 0)`;
  }

  scope(self: boolean): Scope { return { names: new Map(), self }; }
  withBound(sc: Scope, v: string, ct: CT): { inner: Scope; js: string } { return this.bind(sc, v, ct); }
}

/** Whether TLC's successor count can exceed 1 for this guard (see Gen.branches). */
function branchy(e: Expr): boolean {
  if (e.op === 'bin') {
    if (e.fn === 'or') return true;
    if (e.fn === 'and') return branchy(e.a) || branchy(e.b);
    if (e.fn === 'implies') return branchy(e.b);
  }
  if (e.op === 'ite') return branchy(e.then) || branchy(e.else);
  if (e.op === 'quant') return e.q === 'exists' || branchy(e.body);
  return false;
}

/** Runtime helpers shared by all generated code (errors as the interpreter's). */
export const RUNTIME = `
function ix(i, lo, hi) { if (i >= lo && i <= hi) return i; throw new EvalError('index ' + JSON.stringify(i) + ' is outside the domain ' + lo + '..' + hi); }
function ap(f, i) { const v = f[i - 1]; if (v === undefined) throw new EvalError('index ' + JSON.stringify(i) + ' is outside the domain of the function'); return v; }
function upd(f, i, v) { if (!(i >= 1 && i <= f.length) || f[i - 1] === undefined) return f; const o = f.slice(); o[i - 1] = v; return o; }
function aeq(a, b) { if (a === b) return true; if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false; for (let i = 0; i < a.length; i++) { const x = a[i], y = b[i]; if (x === y) continue; if (Array.isArray(x) && aeq(x, y)) continue; return false; } return true; }
function bit(x) { if (x >= -1 && x < ${MAX_BIT}) return 1 << (x + 1); throw new Unsupported('set element ' + x + ' outside the bitmask'); }
function inr(x, lo, hi) { return x >= lo && x <= hi; }
function ins(s, x) { return x >= -1 && x < ${MAX_BIT} && ((s >>> (x + 1)) & 1) === 1; }
function pop(x) { x = x - ((x >>> 1) & 0x55555555); x = (x & 0x33333333) + ((x >>> 2) & 0x33333333); return (((x + (x >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24; }
function idiv(a, d) { if (d === 0) throw new EvalError('division by zero: ' + a + ' \\\\div 0'); return Math.floor(a / d); }
function imod(a, d) { if (d <= 0) throw new EvalError('the divisor of % must be positive: ' + a + ' % ' + d); return ((a % d) + d) % d; }
`;
