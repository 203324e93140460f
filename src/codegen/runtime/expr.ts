/**
 * IR expressions as JavaScript expressions for the compiled runtime. Shared and ghost variables are
 * read through the step's read cache (`ld`, `ldp`, `rdb`: each word loaded once per step, in-block
 * words checked against the mapping first), or with fresh loads (`fresh` mode: the mapping test the
 * interpreter runs with a new reader). Anything this translator does not know is refused: the caller
 * falls back to the interpreter.
 */
import type { Bound, Domain, Expr, Model, Type } from '../../dsl/ir.ts';
import type { Scalar } from '../../runtime/layout.ts';

export class Refusal extends Error {}

export type Kind = 'scalar' | 'set' | 'array' | '?';

/** The in-scope names of one translation: bound variables with their kinds, the transition index. */
export interface Scope {
  model: Model;
  procType: string;
  /** Bound variable name -> its kind. */
  bound: Map<string, Kind>;
  /** 'cached': through the step's read cache; 'fresh': plain atomic loads (no cache, no faults). */
  mode: 'cached' | 'fresh';
  /** JS expression of the transition index for fault reports ('-1' when reads record no fault). */
  tx: string;
}

export const kindOfType = (t: Type): Kind => (t.kind === 'set' ? 'set' : t.kind === 'array' ? 'array' : 'scalar');

export function ident(name: string): string {
  return name.replace(/[^A-Za-z0-9_$]/g, '_');
}
export const constId = (n: string) => `K_${ident(n)}`;
export const boundId = (n: string) => `x_${ident(n)}`;
export const wordId = (n: string) => `W_${ident(n)}`;
export const enumId = (n: string) => `E_${ident(n)}`;

function varDecl(s: Scope, name: string) {
  const v = s.model.vars.find((x) => x.name === name);
  if (!v) throw new Refusal(`unknown variable ${name}`);
  return v;
}
function localDecl(s: Scope, name: string) {
  const pt = s.model.procTypes.find((p) => p.name === s.procType)!;
  const l = pt.locals.find((x) => x.name === name);
  if (!l) throw new Refusal(`unknown local ${name}`);
  return l;
}

export function elemType(t: Type): Scalar {
  const e = t.kind === 'array' ? t.of : t;
  if (!['bool', 'int', 'ptr', 'enum', 'proc'].includes(e.kind)) throw new Refusal(`a ${e.kind} in shared memory`);
  return e as Scalar;
}

export function pairOf(model: Model, name: string): { slot: number; half: 0 | 1 } | undefined {
  for (let i = 0; i < model.pairs.length; i += 1) {
    const [a, b] = model.pairs[i];
    if (a === name) return { slot: i, half: 0 };
    if (b === name) return { slot: i, half: 1 };
  }
  return undefined;
}

/** A raw memory value (integer) decoded as the model's value of type `t`. */
export function decodeJs(t: Scalar, raw: string, varName: string): string {
  if (t.kind === 'bool') return `(${raw} !== 0)`;
  if (t.kind === 'enum') return `${enumId(varName)}[${raw}]`;
  return raw;
}

/** A model value of type `t` encoded as the raw integer stored in memory. */
export function encodeJs(t: Scalar, value: Expr, js: string, varName: string): string {
  if (t.kind === 'bool') {
    if (value.op === 'lit') return value.value ? '1' : '0';
    return `(${js} ? 1 : 0)`;
  }
  if (t.kind === 'enum') {
    if (value.op === 'lit' && typeof value.value === 'string') {
      const i = t.values.indexOf(value.value);
      if (i < 0) throw new Refusal(`${JSON.stringify(value.value)} is not a value of ${varName}`);
      return `${i} /* ${value.value} */`;
    }
    return `enc(${enumId(varName)}, ${js})`;
  }
  return js;
}

export function rangeOf(d: Domain): { lo: string; hi: string } {
  if (d.kind !== 'range') throw new Refusal('a domain of process ids');
  const b = (x: Bound) => {
    if (typeof x === 'number') return String(x);
    if (typeof x === 'string') return constId(x);
    throw new Refusal('a range bound that is a constant expression');
  };
  return { lo: b(d.lo), hi: b(d.hi) };
}

/** The length expression of an array variable (its index range 1..K). */
export function lengthOf(t: Type): string {
  if (t.kind !== 'array') return '1';
  const r = rangeOf(t.index);
  if (r.lo !== '1') throw new Refusal('an array whose index range does not start at 1');
  return r.hi;
}

export function kindOf(e: Expr, s: Scope): Kind {
  switch (e.op) {
    case 'lit': case 'const': case 'self': case 'card': case 'not': return 'scalar';
    case 'var': return kindOfType(varDecl(s, e.name).type);
    case 'local': return kindOfType(localDecl(s, e.name).type);
    case 'bound': return s.bound.get(e.name) ?? '?';
    case 'bin':
      return ['union', 'minus', 'intersect'].includes(e.fn) ? 'set' : 'scalar';
    case 'ite': return kindOf(e.then, s);
    case 'index': {
      const k = e.arr.op === 'var' ? varDecl(s, e.arr.name).type : e.arr.op === 'local' ? localDecl(s, e.arr.name).type : undefined;
      return k && k.kind === 'array' ? kindOfType(k.of) : '?';
    }
    case 'setOf': case 'domain': case 'filter': return 'set';
    case 'map': case 'except': return 'array';
    default: return '?';
  }
}

/** The JS expression of a shared/ghost word read: `which` is the word index (or pair slot) expression. */
export function readWord(s: Scope, name: string, index: string | undefined): string {
  const v = varDecl(s, name);
  const t = elemType(v.type);
  const pair = pairOf(s.model, name);
  if (pair) {
    const raw = s.mode === 'cached' ? `ldp(p, ${pair.slot})` : `Atomics.load(i64, ${pair.slot})`;
    return decodeJs(t, pair.half === 0 ? `lo(${raw})` : `hi(${raw})`, name);
  }
  if (v.inBlock) {
    if (index === undefined) throw new Refusal(`a whole-array read of the in-block variable ${name}`);
    const raw = s.mode === 'cached' ? `rdb(p, ${s.tx}, ${wordId(name)}, ${JSON.stringify(name)}, ${index})` : `Atomics.load(arena, bix(${index}, ${wordId(name)}))`;
    return decodeJs(t, raw, name);
  }
  const w = index === undefined ? wordId(name) : `ix(${wordId(name)}, ${index}, ${lengthOf(v.type)})`;
  return decodeJs(t, s.mode === 'cached' ? `ld(p, ${w})` : `Atomics.load(i32, ${w})`, name);
}

const isSingleton = (e: Expr): e is Extract<Expr, { op: 'setOf' }> => e.op === 'setOf' && e.elems.length === 1;

export function js(e: Expr, s: Scope): string {
  switch (e.op) {
    case 'lit':
      if (e.type.kind === 'ptr') return e.value === 0 ? 'NULL' : e.value === -1 ? 'BUSY' : String(e.value);
      return typeof e.value === 'string' ? JSON.stringify(e.value) : String(e.value);
    case 'const': return constId(e.name);
    case 'var': {
      const v = varDecl(s, e.name);
      if (v.type.kind === 'array') throw new Refusal(`a whole-array read of ${e.name}`);
      return readWord(s, e.name, undefined);
    }
    case 'local':
      if (e.proc && e.proc.op !== 'self') throw new Refusal(`a read of another process's local ${e.name}`);
      localDecl(s, e.name);
      return `L.${ident(e.name)}`;
    case 'pc': throw new Refusal('a read of a process\'s control state');
    case 'self': return 'p.id';
    case 'bound':
      if (!s.bound.has(e.name)) throw new Refusal(`unbound ${e.name}`);
      return boundId(e.name);
    case 'not': return `!${js(e.arg, s)}`;
    case 'bin': return bin(e, s);
    case 'ite': return `(${js(e.cond, s)} ? ${js(e.then, s)} : ${js(e.else, s)})`;
    case 'index':
      if (e.arr.op === 'var') {
        if (varDecl(s, e.arr.name).type.kind !== 'array') throw new Refusal(`indexing the scalar ${e.arr.name}`);
        return readWord(s, e.arr.name, js(e.idx, s));
      }
      return `ap(${js(e.arr, s)}, ${js(e.idx, s)})`;
    case 'except': return `upd(${js(e.arr, s)}, ${js(e.idx, s)}, ${js(e.value, s)})`;
    case 'setOf': return `mk([${e.elems.map((x) => js(x, s)).join(', ')}])`;
    case 'card': return `${js(e.arg, s)}.set.length`;
    case 'domain': {
      const r = rangeOf(e.domain);
      return `rng(${r.lo}, ${r.hi})`;
    }
    case 'quant': case 'filter': {
      const over = js(e.over, s);
      const inner: Scope = { ...s, bound: new Map(s.bound).set(e.v, '?') };
      const body = js(e.op === 'quant' ? e.body : e.cond, inner);
      const fn = e.op === 'filter' ? 'sFilter' : e.q === 'forall' ? 'qAll' : 'qAny';
      return `${fn}(${over}, (${boundId(e.v)}) => ${body})`;
    }
    case 'map': {
      const r = rangeOf(e.domain);
      const inner: Scope = { ...s, bound: new Map(s.bound).set(e.v, 'scalar') };
      return `mapR(${r.lo}, ${r.hi}, (${boundId(e.v)}) => ${js(e.body, inner)})`;
    }
    default:
      throw new Refusal(`the expression operator ${(e as { op: string }).op}`);
  }
}

function bin(e: Extract<Expr, { op: 'bin' }>, s: Scope): string {
  const a = () => js(e.a, s);
  const b = () => js(e.b, s);
  switch (e.fn) {
    case 'and': return `(${a()} && ${b()})`;
    case 'or': return `(${a()} || ${b()})`;
    case 'implies': return `(!${a()} || ${b()})`;
    case 'eq': case 'ne': {
      const scalar = kindOf(e.a, s) === 'scalar' || kindOf(e.b, s) === 'scalar';
      if (scalar) return `(${a()} ${e.fn === 'eq' ? '===' : '!=='} ${b()})`;
      return `${e.fn === 'eq' ? '' : '!'}eqv(${a()}, ${b()})`;
    }
    case 'lt': return `(${a()} < ${b()})`;
    case 'le': return `(${a()} <= ${b()})`;
    case 'gt': return `(${a()} > ${b()})`;
    case 'ge': return `(${a()} >= ${b()})`;
    case 'add': return `(${a()} + ${b()})`;
    case 'sub': return `(${a()} - ${b()})`;
    case 'in': return `sHas(${b()}, ${a()})`;
    case 'notin': return `!sHas(${b()}, ${a()})`;
    case 'union': return isSingleton(e.b) ? `sAdd(${a()}, ${js(e.b.elems[0], s)})` : `sUnion(${a()}, ${b()})`;
    case 'minus': return isSingleton(e.b) ? `sDel(${a()}, ${js(e.b.elems[0], s)})` : `sMinus(${a()}, ${b()})`;
    case 'intersect': return `sInter(${a()}, ${b()})`;
    case 'subseteq': return `sSub(${a()}, ${b()})`;
    default:
      throw new Refusal(`the operator ${(e as { fn: string }).fn}`);
  }
}
