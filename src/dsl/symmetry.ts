/**
 * Symmetry of a configuration (`symmetry: ['Threads', 'Blocks']`): which sets are interchangeable,
 * the model values that stand for their elements in TLC, and the check that the model really is
 * invariant under permuting them (else TLC's SYMMETRY and the engine's canonical states would be
 * unsound, and both must refuse).
 *
 * The check works on the model with the configuration's constants folded in (so `Warm` = FALSE
 * removes the warm start's `b1 -> b2 -> ...` list), and gives every expression a "sort": an element
 * of a symmetric set, another number, NULL/BUSY, or a set/array of those. A symmetric element may be
 * compared for equality and stored, but never ordered, used in arithmetic, named as a literal, or
 * mixed with other numbers: TLC holds it as a model value, which has no order and no arithmetic.
 */
import type { PoolspecError, SourcePos } from '../errors.ts';
import type { Config, Domain, Expr, Model, Type } from './ir.ts';
import { sourceKey } from './ir.ts';
import { showExpr } from './print.ts';

/** The name TLA+ gives a process type's id set (tla-expr.ts's idsName, kept here to stay below codegen). */
const idsName = (procType: string): string => (procType.endsWith('s') ? `${procType}Set` : `${procType}s`);

/** One interchangeable set of a configuration. */
export interface SymmetricSet {
  /** As named in the configuration and in the TLA+ module (`Blocks`, `Threads`). */
  name: string;
  kind: 'blocks' | 'procs';
  /** The engine's values of its elements (block addresses 1..N, or the process type's ids). */
  ids: number[];
  /** TLC's model values for them, in the same order (`b1`, `b2`, ... / `t1`, ...). */
  modelValues: string[];
}

const constValue = (consts: Record<string, number | boolean>, c: number | string): number =>
  typeof c === 'number' ? c : Number(consts[c]);

/** The symmetric sets of `config`, or [] without symmetry. Names that are no such set are skipped (validation reports them). */
export function symmetricSets(model: Model, config: Config): SymmetricSet[] {
  const out: SymmetricSet[] = [];
  const prefixes = new Set<string>();
  for (const name of config.symmetry ?? []) {
    let ids: number[] | undefined;
    let kind: SymmetricSet['kind'] = 'blocks';
    const bs = model.blockSets.find((b) => b.name === name);
    if (bs) {
      const n = constValue(config.constants, bs.size);
      ids = Array.from({ length: n }, (_, i) => i + 1);
    } else {
      let offset = 0;
      for (const pt of model.procTypes) {
        const n = constValue(config.constants, pt.count);
        if (idsName(pt.name) === name) { ids = Array.from({ length: n }, (_, i) => offset + i + 1); kind = 'procs'; }
        offset += n;
      }
    }
    if (!ids) continue;
    // `b1`, `t1`: short and untyped for TLC (a name like `b_1` would be a typed model value).
    let prefix = name[0].toLowerCase();
    if (prefixes.has(prefix)) prefix = name.toLowerCase();
    prefixes.add(prefix);
    out.push({ name, kind, ids, modelValues: ids.map((_, i) => `${prefix}${i + 1}`) });
  }
  return out;
}

/** TLC model value name -> the engine's number, for reading TLC's traces of a symmetric configuration. */
export function modelValueNumbers(model: Model, config: Config): Map<string, number> {
  const m = new Map<string, number>();
  for (const s of symmetricSets(model, config)) s.modelValues.forEach((mv, i) => m.set(mv, s.ids[i]));
  return m;
}

// ---------------------------------------------------------------- the check

type Sort =
  | { k: 'sym'; set: string }
  | { k: 'num' }
  | { k: 'null' }
  | { k: 'plain' }
  | { k: 'set'; of: Sort }
  | { k: 'arr'; index: Sort; of: Sort }
  | { k: 'unknown' };

const NUM: Sort = { k: 'num' };
const PLAIN: Sort = { k: 'plain' };
const NULLS: Sort = { k: 'null' };
const UNKNOWN: Sort = { k: 'unknown' };

class Refusal extends Error {}

/**
 * Errors for every configuration whose symmetry is refused: an unknown set, temporal properties
 * (TLC does not check liveness under SYMMETRY), refinement, or an order-dependent construct.
 * Each names the configuration's spec file:line.
 */
export function validateSymmetry(model: Model): PoolspecError[] {
  return model.configs.flatMap((c) => symmetryErrors(model, c));
}

/** validateSymmetry for one configuration: the backends call it too, for a Model built without validation. */
export function symmetryErrors(model: Model, c: Config): PoolspecError[] {
  const problem = symmetryProblem(model, c);
  if (!problem) return [];
  const at: SourcePos = model.sources[sourceKey.config(c.name)] ?? { file: model.file, line: 1 };
  return [{ code: 'SPEC_SYMMETRY', message: `configuration ${c.name}: ${problem}`, at }];
}

function symmetryProblem(model: Model, c: Config): string | null {
  if (!c.symmetry?.length) return null;
  const known = [...model.blockSets.map((b) => b.name), ...model.procTypes.map((pt) => idsName(pt.name))];
  const unknown = c.symmetry.filter((n) => !known.includes(n));
  if (unknown.length) return `symmetry names ${unknown.join(', ')}, which ${unknown.length > 1 ? 'are' : 'is'} not a block set or process-id set (${known.join(', ')})`;
  if (new Set(c.symmetry).size !== c.symmetry.length) return 'symmetry names a set twice';
  if (c.properties.length) {
    return `symmetry cannot be combined with temporal properties (${c.properties.join(', ')}): TLC does not check liveness under SYMMETRY; check them in a configuration without symmetry`;
  }
  if (c.refines) return 'symmetry cannot be combined with refinement checking (Refines)';
  const problem = orderDependence(model, c);
  return problem ? `symmetry over ${c.symmetry.join(', ')} is unsound: ${problem}` : null;
}

/** The first construct that breaks symmetry in `c` (with its constants folded in), or null. */
function orderDependence(model: Model, c: Config): string | null {
  const sym = new Set(c.symmetry);
  const blockSym = model.blockSets.filter((b) => sym.has(b.name)).map((b) => b.name);
  const typeSort = (t: Type): Sort => {
    switch (t.kind) {
      case 'ptr': return sym.has(t.blocks) ? { k: 'sym', set: t.blocks } : NUM;
      case 'proc': return sym.has(idsName(t.procType)) ? { k: 'sym', set: idsName(t.procType) } : NUM;
      case 'int': return NUM;
      case 'bool': case 'enum': return PLAIN;
      case 'set': return { k: 'set', of: typeSort(t.of) };
      case 'array': return { k: 'arr', index: domainSort(t.index), of: typeSort(t.of) };
    }
  };
  const domainSort = (d: Domain): Sort => {
    if (d.kind === 'procs') return sym.has(idsName(d.procType)) ? { k: 'sym', set: idsName(d.procType) } : NUM;
    const bs = model.blockSets.find((b) => d.lo === 1 && d.hi === b.size);
    return bs && sym.has(bs.name) ? { k: 'sym', set: bs.name } : NUM;
  };
  const show = (s: Sort): string => s.k === 'sym' ? `an element of ${s.set}` : s.k === 'num' ? 'an integer' : s.k;
  let where = '';
  const refuse = (what: string): never => { throw new Refusal(`${where}: ${what}`); };
  const clash = (a: Sort, b: Sort, e: Expr): void => {
    if (a.k === 'unknown' || b.k === 'unknown' || a.k === 'null' || b.k === 'null') return;
    if ((a.k === 'sym' && (b.k === 'num' || (b.k === 'sym' && b.set !== a.set))) || (b.k === 'sym' && a.k === 'num')) {
      refuse(`${showExpr(e)} mixes ${show(a)} with ${show(b)}`);
    }
    if (a.k === 'set' && b.k === 'set') clash(a.of, b.of, e);
    if (a.k === 'arr' && b.k === 'arr') { clash(a.index, b.index, e); clash(a.of, b.of, e); }
  };
  const elem = (s: Sort): Sort => (s.k === 'set' ? s.of : UNKNOWN);
  const isSym = (s: Sort) => s.k === 'sym';

  const sortOf = (e: Expr, bound: Map<string, Sort>, self: Sort): Sort => {
    const go = (x: Expr) => sortOf(x, bound, self);
    switch (e.op) {
      case 'lit':
        if (e.type.kind === 'ptr') {
          if (e.value === 0 || e.value === -1) return NULLS;
          if (sym.has(e.type.blocks) || (e.type.blocks === '' && blockSym.length)) refuse(`${showExpr(e)} names one block`);
          return NUM;
        }
        if (e.type.kind === 'proc') { if (sym.has(idsName(e.type.procType))) refuse(`${showExpr(e)} names one process`); return NUM; }
        if (e.type.kind === 'int') return e.value === 0 || e.value === -1 ? NULLS : NUM;
        return PLAIN;
      case 'const': return typeof c.constants[e.name] === 'boolean' ? PLAIN : NUM;
      case 'var': { const v = model.vars.find((x) => x.name === e.name); return v ? typeSort(v.type) : UNKNOWN; }
      case 'local': {
        if (e.proc) procIndex(go(e.proc), e);
        const l = model.procTypes.flatMap((pt) => pt.locals).find((x) => x.name === e.name);
        return l ? typeSort(l.type) : UNKNOWN;
      }
      case 'pc': procIndex(go(e.proc), e); return PLAIN;
      case 'self': return self;
      case 'bound': return bound.get(e.name) ?? UNKNOWN;
      case 'not': go(e.arg); return PLAIN;
      case 'bin': {
        const a = go(e.a); const b = go(e.b);
        switch (e.fn) {
          case 'and': case 'or': case 'implies': return PLAIN;
          case 'eq': case 'ne': clash(a, b, e); return PLAIN;
          case 'lt': case 'le': case 'gt': case 'ge': case 'add': case 'sub': case 'mul': case 'div': case 'mod':
            if (isSym(a) || isSym(b)) refuse(`${showExpr(e)} orders or computes with ${show(isSym(a) ? a : b)}`);
            return ['lt', 'le', 'gt', 'ge'].includes(e.fn) ? PLAIN : NUM;
          case 'in': case 'notin': clash(a, elem(b), e); return PLAIN;
          case 'subseteq': clash(a, b, e); return PLAIN;
          default: clash(a, b, e); return a.k === 'set' && a.of.k !== 'unknown' && a.of.k !== 'null' ? a : b;
        }
      }
      case 'ite': { go(e.cond); const a = go(e.then); const b = go(e.else); clash(a, b, e); return a.k === 'null' ? b : a; }
      case 'index': case 'except': {
        const a = go(e.arr); const i = go(e.idx);
        if (a.k === 'arr') {
          if (isSym(a.index) && !isSym(i) && i.k !== 'unknown') refuse(`${showExpr(e)} indexes an array over ${a.index.k === 'sym' ? a.index.set : ''} with ${show(i)}`);
          clash(a.index, i, e);
        }
        if (e.op === 'index') return a.k === 'arr' ? a.of : UNKNOWN;
        if (a.k === 'arr') clash(a.of, go(e.value), e); else go(e.value);
        return a;
      }
      case 'setOf': {
        const ss = e.elems.map(go);
        for (let i = 1; i < ss.length; i += 1) clash(ss[0], ss[i], e);
        const of = ss.find((s) => s.k !== 'null') ?? (e.of ? typeSort(e.of) : ss[0] ?? UNKNOWN);
        return { k: 'set', of };
      }
      case 'card': go(e.arg); return NUM;
      case 'domain': return { k: 'set', of: domainSort(e.domain) };
      case 'quant': case 'filter': {
        const over = go(e.over);
        const inner = new Map(bound).set(e.v, elem(over));
        if (e.op === 'quant') { sortOf(e.body, inner, self); return PLAIN; }
        sortOf(e.cond, inner, self);
        return over;
      }
      case 'map': return { k: 'arr', index: domainSort(e.domain), of: sortOf(e.body, new Map(bound).set(e.v, domainSort(e.domain)), self) };
      case 'listNodes': case 'listAcyclic': {
        const b = sym.has(e.blocks) ? { k: 'sym', set: e.blocks } as Sort : NUM;
        clash(b, go(e.start), e);
        go(e.link);
        return e.op === 'listNodes' ? { k: 'set', of: b } : PLAIN;
      }
    }
  };
  /** A process id used to pick a local or a control state: under symmetry it must be an element of the set. */
  const procIndex = (s: Sort, e: Expr) => {
    const symProcs = model.procTypes.some((pt) => sym.has(idsName(pt.name)));
    if (symProcs && (s.k === 'num')) refuse(`${showExpr(e)} picks a process by number`);
  };

  try {
    const none = new Map<string, Sort>();
    for (const v of model.vars) {
      where = `the initial value of ${v.name}`;
      clash(typeSort(v.type), sortOf(fold(v.init, c), none, UNKNOWN), v.init);
    }
    for (const pt of model.procTypes) {
      const self = sym.has(idsName(pt.name)) ? { k: 'sym', set: idsName(pt.name) } as Sort : NUM;
      for (const l of pt.locals) {
        where = `the initial value of ${l.name}`;
        clash(typeSort(l.type), sortOf(fold(l.init, c), none, self), l.init);
      }
      for (const t of pt.transitions) {
        where = `transition ${pt.name}.${t.name} (${model.sources[sourceKey.transition(pt.name, t.name)]?.file ?? model.file}:${model.sources[sourceKey.transition(pt.name, t.name)]?.line ?? '?'})`;
        const guard = fold(t.guard, c);
        if (guard.op === 'lit' && guard.value === false) continue; // never enabled in this configuration
        const bound = new Map<string, Sort>();
        for (const p of t.params) bound.set(p.name, elem(sortOf(fold(p.over, c), bound, self)));
        sortOf(guard, bound, self);
        for (const a of t.effects) {
          const decl = a.target.kind === 'var' ? model.vars.find((v) => v.name === a.target.name)?.type : pt.locals.find((l) => l.name === a.target.name)?.type;
          let target = decl ? typeSort(decl) : UNKNOWN;
          if (a.target.index) {
            const i = sortOf(fold(a.target.index, c), bound, self);
            if (target.k === 'arr') { clash(target.index, i, a.target.index); if (isSym(target.index) && i.k === 'num') refuse(`${a.target.name}[${showExpr(a.target.index)}] indexes by number`); target = target.of; }
          }
          clash(target, sortOf(fold(a.value, c), bound, self), a.value);
        }
      }
    }
    for (const name of c.invariants) {
      const inv = model.invariants.find((i) => i.name === name);
      if (!inv) continue;
      where = `invariant ${name}`;
      sortOf(fold(inv.expr, c), none, UNKNOWN);
    }
    if (c.constraint) { where = 'the constraint'; sortOf(fold(c.constraint, c), none, UNKNOWN); }
    if (model.memory) {
      where = 'blockMemory';
      sortOf(fold(model.memory.mapped, c), new Map([[model.memory.v, sym.has(model.memory.blocks) ? { k: 'sym', set: model.memory.blocks } as Sort : NUM]]), UNKNOWN);
    }
    return null;
  } catch (err) {
    if (err instanceof Refusal) return err.message;
    throw err;
  }
}

/** `e` with the configuration's constants substituted and boolean connectives over literals decided. */
export function fold(e: Expr, c: Config): Expr {
  const f = (x: Expr): Expr => fold(x, c);
  const lit = (v: boolean): Expr => ({ op: 'lit', value: v, type: { kind: 'bool' } });
  const isLit = (x: Expr, v: boolean) => x.op === 'lit' && x.value === v;
  switch (e.op) {
    case 'const': {
      const v = c.constants[e.name];
      return typeof v === 'boolean' ? lit(v) : e;
    }
    case 'not': { const a = f(e.arg); return a.op === 'lit' && typeof a.value === 'boolean' ? lit(!a.value) : { ...e, arg: a }; }
    case 'bin': {
      const a = f(e.a); const b = f(e.b);
      if (e.fn === 'and') { if (isLit(a, false) || isLit(b, false)) return lit(false); if (isLit(a, true)) return b; if (isLit(b, true)) return a; }
      if (e.fn === 'or') { if (isLit(a, true) || isLit(b, true)) return lit(true); if (isLit(a, false)) return b; if (isLit(b, false)) return a; }
      if (e.fn === 'implies') { if (isLit(a, false) || isLit(b, true)) return lit(true); if (isLit(a, true)) return b; }
      return { ...e, a, b };
    }
    case 'ite': {
      const cond = f(e.cond);
      if (isLit(cond, true)) return f(e.then);
      if (isLit(cond, false)) return f(e.else);
      return { ...e, cond, then: f(e.then), else: f(e.else) };
    }
    case 'local': return e.proc ? { ...e, proc: f(e.proc) } : e;
    case 'pc': return { ...e, proc: f(e.proc) };
    case 'index': return { ...e, arr: f(e.arr), idx: f(e.idx) };
    case 'except': return { ...e, arr: f(e.arr), idx: f(e.idx), value: f(e.value) };
    case 'setOf': return { ...e, elems: e.elems.map(f) };
    case 'card': return { ...e, arg: f(e.arg) };
    case 'quant': return { ...e, over: f(e.over), body: f(e.body) };
    case 'filter': return { ...e, over: f(e.over), cond: f(e.cond) };
    case 'map': return { ...e, body: f(e.body) };
    case 'listNodes': case 'listAcyclic': return { ...e, start: f(e.start), link: f(e.link) };
    default: return e;
  }
}
