/** Evaluation of IR expressions over engine states, with TLA+'s meaning. */
import type { Domain, Expr, Model } from '../dsl/ir.ts';
import { equal, isSet, mkSet, setHas, type SetValue, type State, type Value } from './value.ts';

export interface Env {
  model: Model;
  consts: Record<string, number | boolean>;
  state: State;
  self?: number;
  bound: Map<string, Value>;
}

export class EvalError extends Error {}

export function bound(env: Env, x: number | string): number {
  if (typeof x === 'number') return x;
  const v = env.consts[x];
  if (typeof v !== 'number') throw new EvalError(`constant ${x} has no integer value`);
  return v;
}

export function procIds(model: Model, consts: Record<string, number | boolean>, procType?: string): number[] {
  const ids: number[] = [];
  let next = 1;
  for (const pt of model.procTypes) {
    const n = typeof pt.count === 'number' ? pt.count : (consts[pt.count] as number);
    for (let i = 0; i < n; i += 1) if (!procType || pt.name === procType) ids.push(next + i);
    next += n;
  }
  return ids;
}

export function domainElems(env: Env, d: Domain): number[] {
  if (d.kind === 'procs') return procIds(env.model, env.consts, d.procType);
  const lo = bound(env, d.lo);
  const hi = bound(env, d.hi);
  const out: number[] = [];
  for (let i = lo; i <= hi; i += 1) out.push(i);
  return out;
}

const asSet = (v: Value, what: string): SetValue => {
  if (!isSet(v)) throw new EvalError(`${what} is not a set: ${JSON.stringify(v)}`);
  return v;
};
const asNum = (v: Value, what: string): number => {
  if (typeof v !== 'number') throw new EvalError(`${what} is not a number: ${JSON.stringify(v)}`);
  return v;
};
const asBool = (v: Value, what: string): boolean => {
  if (typeof v !== 'boolean') throw new EvalError(`${what} is not a boolean: ${JSON.stringify(v)}`);
  return v;
};

/** Function application `f[i]` for functions over 1..n. */
export function apply(f: Value, i: Value): Value {
  if (!Array.isArray(f)) throw new EvalError(`applying a non-function ${JSON.stringify(f)}`);
  const idx = asNum(i, 'index') - 1;
  if (idx < 0 || idx >= f.length) throw new EvalError(`index ${i} is outside the domain 1..${f.length}`);
  return f[idx];
}

export function update(f: Value, i: Value, v: Value): Value[] {
  if (!Array.isArray(f)) throw new EvalError(`updating a non-function ${JSON.stringify(f)}`);
  const idx = asNum(i, 'index') - 1;
  if (idx < 0 || idx >= f.length) throw new EvalError(`index ${i} is outside the domain 1..${f.length}`);
  const out = f.slice();
  out[idx] = v;
  return out;
}

function listWalk(env: Env, start: Value, link: Value, blocks: string): { nodes: Value[]; ends: boolean } {
  const bs = env.model.blockSets.find((b) => b.name === blocks);
  const n = bs ? bound(env, bs.size) : 0;
  const nodes: Value[] = [];
  let x = start;
  for (let k = n; ; k -= 1) {
    if (typeof x !== 'number' || x < 1 || x > n) return { nodes, ends: true };
    if (k === 0) return { nodes, ends: false };
    nodes.push(x);
    x = apply(link, x);
  }
}

export function evaluate(e: Expr, env: Env): Value {
  const ev = (x: Expr) => evaluate(x, env);
  switch (e.op) {
    case 'lit': return e.value;
    case 'const': {
      const v = env.consts[e.name];
      if (v === undefined) throw new EvalError(`constant ${e.name} has no value`);
      return v;
    }
    case 'var': return env.state[e.name];
    case 'local': {
      const p = e.proc ? ev(e.proc) : env.self;
      if (p === undefined) throw new EvalError(`local ${e.name} outside a process`);
      return apply(env.state[e.name], p);
    }
    case 'pc': return apply(env.state.pc, ev(e.proc));
    case 'self':
      if (env.self === undefined) throw new EvalError('self outside a process');
      return env.self;
    case 'bound': {
      const v = env.bound.get(e.name);
      if (v === undefined) throw new EvalError(`unbound ${e.name}`);
      return v;
    }
    case 'not': return !asBool(ev(e.arg), 'operand of ~');
    case 'bin': {
      switch (e.fn) {
        case 'and': return asBool(ev(e.a), 'operand of /\\') && asBool(ev(e.b), 'operand of /\\');
        case 'or': return asBool(ev(e.a), 'operand of \\/') || asBool(ev(e.b), 'operand of \\/');
        case 'implies': return !asBool(ev(e.a), 'operand of =>') || asBool(ev(e.b), 'operand of =>');
        default: break;
      }
      const a = ev(e.a);
      const b = ev(e.b);
      switch (e.fn) {
        case 'eq': return equal(a, b);
        case 'ne': return !equal(a, b);
        case 'lt': return asNum(a, '<') < asNum(b, '<');
        case 'le': return asNum(a, '<=') <= asNum(b, '<=');
        case 'gt': return asNum(a, '>') > asNum(b, '>');
        case 'ge': return asNum(a, '>=') >= asNum(b, '>=');
        case 'add': return asNum(a, '+') + asNum(b, '+');
        case 'sub': return asNum(a, '-') - asNum(b, '-');
        case 'in': return setHas(asSet(b, 'right of \\in'), a);
        case 'notin': return !setHas(asSet(b, 'right of \\notin'), a);
        case 'union': return mkSet([...asSet(a, 'operand of \\cup').set, ...asSet(b, 'operand of \\cup').set]);
        case 'minus': { const bs = asSet(b, 'operand of \\'); return { set: asSet(a, 'operand of \\').set.filter((x) => !setHas(bs, x)) }; }
        case 'intersect': { const bs = asSet(b, 'operand of \\cap'); return { set: asSet(a, 'operand of \\cap').set.filter((x) => setHas(bs, x)) }; }
        case 'subseteq': { const bs = asSet(b, 'operand of \\subseteq'); return asSet(a, 'operand of \\subseteq').set.every((x) => setHas(bs, x)); }
      }
      throw new EvalError(`unknown operator ${e.fn}`);
    }
    case 'ite': return asBool(ev(e.cond), 'IF condition') ? ev(e.then) : ev(e.else);
    case 'index': return apply(ev(e.arr), ev(e.idx));
    case 'except': return update(ev(e.arr), ev(e.idx), ev(e.value));
    case 'setOf': return mkSet(e.elems.map(ev));
    case 'card': return asSet(ev(e.arg), 'operand of Cardinality').set.length;
    case 'domain': return { set: domainElems(env, e.domain) };
    case 'quant': {
      const over = asSet(ev(e.over), 'quantifier domain').set;
      const inner = new Map(env.bound);
      const sub: Env = { ...env, bound: inner };
      for (const x of over) {
        inner.set(e.v, x);
        const b = asBool(evaluate(e.body, sub), 'quantifier body');
        if (e.q === 'forall' && !b) return false;
        if (e.q === 'exists' && b) return true;
      }
      return e.q === 'forall';
    }
    case 'filter': {
      const over = asSet(ev(e.over), 'filter domain').set;
      const inner = new Map(env.bound);
      const sub: Env = { ...env, bound: inner };
      return {
        set: over.filter((x) => { inner.set(e.v, x); return asBool(evaluate(e.cond, sub), 'filter condition'); }),
      };
    }
    case 'map': {
      const inner = new Map(env.bound);
      const sub: Env = { ...env, bound: inner };
      return domainElems(env, e.domain).map((x) => { inner.set(e.v, x); return evaluate(e.body, sub); });
    }
    case 'listNodes': return mkSet(listWalk(env, ev(e.start), ev(e.link), e.blocks).nodes);
    case 'listAcyclic': return listWalk(env, ev(e.start), ev(e.link), e.blocks).ends;
  }
}

export function isTrue(e: Expr, env: Env): boolean {
  return asBool(evaluate(e, env), 'condition');
}
