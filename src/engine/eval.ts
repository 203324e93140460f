/** Evaluation of IR expressions over engine states, with TLA+'s meaning. */
import type { Bound, Domain, Expr, Model } from '../dsl/ir.ts';
import { equal, isSet, mkSet, setHas, type SetValue, type State, type Value } from './value.ts';

export interface Env {
  model: Model;
  consts: Record<string, number | boolean>;
  state: State;
  self?: number;
  bound: Map<string, Value>;
  /**
   * Where variables are read from when not from `state`: the runtime reads shared memory word by
   * word (one atomic load per word, and a mapped check before every in-block word).
   */
  reader?: Reader;
}

export interface Reader {
  /** A whole shared or ghost variable. */
  var(name: string): Value;
  /** One element `name[i]` of an array variable. */
  elem(name: string, i: Value): Value;
  /** A local of process `proc`. */
  local(name: string, proc: Value): Value;
  pc(proc: Value): Value;
}

export class EvalError extends Error {}

export function bound(env: Env, x: Bound): number {
  if (typeof x === 'number') return x;
  if (typeof x === 'object') return asNum(evaluate(x, { ...env, bound: new Map() }), 'range bound');
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

/** The most elements a range is enumerated to (a quantifier, a set value); membership needs none. */
export const MAX_ENUMERATED = 1 << 20;

export function domainElems(env: Env, d: Domain): number[] {
  if (d.kind === 'procs') return procIds(env.model, env.consts, d.procType);
  const lo = bound(env, d.lo);
  const hi = bound(env, d.hi);
  if (hi - lo + 1 > MAX_ENUMERATED) {
    throw new EvalError(`the range ${lo}..${hi} has ${hi - lo + 1} elements, more than the ${MAX_ENUMERATED} the engine enumerates`);
  }
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
  const v = f[idx];
  if (v === undefined) {
    const lo = f.findIndex((x) => x !== undefined) + 1;
    throw new EvalError(`index ${i} is outside the domain ${lo || 1}..${f.length}`);
  }
  return v;
}

/**
 * `[f EXCEPT ![i] = v]`. As in TLA+ (and TLC), an index outside the domain leaves f unchanged: EXCEPT
 * only redefines f where it is defined. (Applying f there, by contrast, is an error.)
 */
export function update(f: Value, i: Value, v: Value): Value[] {
  if (!Array.isArray(f)) throw new EvalError(`updating a non-function ${JSON.stringify(f)}`);
  const idx = asNum(i, 'index') - 1;
  if (idx < 0 || idx >= f.length || f[idx] === undefined) return f;
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

/**
 * Hot path: no closures are created per call (tsx/esbuild wrap every function expression in a
 * naming helper, which made closure creation the dominant cost of exploration).
 */
export function evaluate(e: Expr, env: Env): Value {
  switch (e.op) {
    case 'lit': return e.value;
    case 'const': {
      const v = env.consts[e.name];
      if (v === undefined) throw new EvalError(`constant ${e.name} has no value`);
      return v;
    }
    case 'var': return env.reader ? env.reader.var(e.name) : env.state[e.name];
    case 'local': {
      const p = e.proc ? evaluate(e.proc, env) : env.self;
      if (p === undefined) throw new EvalError(`local ${e.name} outside a process`);
      return env.reader ? env.reader.local(e.name, p) : apply(env.state[e.name], p);
    }
    case 'pc': return env.reader ? env.reader.pc(evaluate(e.proc, env)) : apply(env.state.pc, evaluate(e.proc, env));
    case 'self':
      if (env.self === undefined) throw new EvalError('self outside a process');
      return env.self;
    case 'bound': {
      const v = env.bound.get(e.name);
      if (v === undefined) throw new EvalError(`unbound ${e.name}`);
      return v;
    }
    case 'not': return !asBool(evaluate(e.arg, env), 'operand of ~');
    case 'bin': return evalBin(e, env);
    case 'ite': return asBool(evaluate(e.cond, env), 'IF condition') ? evaluate(e.then, env) : evaluate(e.else, env);
    case 'index':
      if (env.reader && e.arr.op === 'var') return env.reader.elem(e.arr.name, evaluate(e.idx, env));
      return apply(evaluate(e.arr, env), evaluate(e.idx, env));
    case 'except': return update(evaluate(e.arr, env), evaluate(e.idx, env), evaluate(e.value, env));
    case 'setOf': {
      const elems: Value[] = new Array(e.elems.length);
      for (let i = 0; i < e.elems.length; i += 1) elems[i] = evaluate(e.elems[i], env);
      return mkSet(elems);
    }
    case 'card': return asSet(evaluate(e.arg, env), 'operand of Cardinality').set.length;
    case 'domain': return { set: domainElems(env, e.domain) };
    case 'quant': {
      const over = asSet(evaluate(e.over, env), 'quantifier domain').set;
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
      const over = asSet(evaluate(e.over, env), 'filter domain').set;
      const inner = new Map(env.bound);
      const sub: Env = { ...env, bound: inner };
      const out: Value[] = [];
      for (const x of over) {
        inner.set(e.v, x);
        if (asBool(evaluate(e.cond, sub), 'filter condition')) out.push(x);
      }
      return { set: out };
    }
    case 'map': {
      const inner = new Map(env.bound);
      const sub: Env = { ...env, bound: inner };
      const dom = domainElems(env, e.domain);
      // Element i at index i-1: a domain that does not start at 1 (the ids of a later process type)
      // leaves holes below it, outside the function's domain.
      const out: Value[] = new Array(dom.length ? dom[dom.length - 1] : 0);
      for (let i = 0; i < dom.length; i += 1) {
        inner.set(e.v, dom[i]);
        out[dom[i] - 1] = evaluate(e.body, sub);
      }
      return out;
    }
    case 'listNodes': return mkSet(listWalk(env, evaluate(e.start, env), evaluate(e.link, env), e.blocks).nodes);
    case 'listAcyclic': return listWalk(env, evaluate(e.start, env), evaluate(e.link, env), e.blocks).ends;
  }
}

function evalBin(e: Extract<Expr, { op: 'bin' }>, env: Env): Value {
  switch (e.fn) {
    case 'and': return asBool(evaluate(e.a, env), 'operand of /\\') && asBool(evaluate(e.b, env), 'operand of /\\');
    case 'or': return asBool(evaluate(e.a, env), 'operand of \\/') || asBool(evaluate(e.b, env), 'operand of \\/');
    case 'implies': return !asBool(evaluate(e.a, env), 'operand of =>') || asBool(evaluate(e.b, env), 'operand of =>');
    default: break;
  }
  const a = evaluate(e.a, env);
  // Membership in a range (TypeOK's `x \in lo..hi`) compares with its ends, as TLC does, instead
  // of building the set: a wide integer type costs nothing.
  if ((e.fn === 'in' || e.fn === 'notin') && e.b.op === 'domain' && e.b.domain.kind === 'range') {
    const inside = typeof a === 'number' && a >= bound(env, e.b.domain.lo) && a <= bound(env, e.b.domain.hi);
    return e.fn === 'in' ? inside : !inside;
  }
  const b = evaluate(e.b, env);
  switch (e.fn) {
    case 'eq': return equal(a, b);
    case 'ne': return !equal(a, b);
    case 'lt': return asNum(a, '<') < asNum(b, '<');
    case 'le': return asNum(a, '<=') <= asNum(b, '<=');
    case 'gt': return asNum(a, '>') > asNum(b, '>');
    case 'ge': return asNum(a, '>=') >= asNum(b, '>=');
    case 'add': return asNum(a, '+') + asNum(b, '+');
    case 'sub': return asNum(a, '-') - asNum(b, '-');
    case 'mul': return asNum(a, '*') * asNum(b, '*');
    case 'div': {
      // TLA+'s \div rounds down; TLC rejects a zero divisor.
      const d = asNum(b, '\\div');
      if (d === 0) throw new EvalError(`division by zero: ${JSON.stringify(a)} \\div 0`);
      return Math.floor(asNum(a, '\\div') / d);
    }
    case 'mod': {
      // TLA+'s % is defined for a positive divisor and lies in 0..d-1.
      const d = asNum(b, '%');
      if (d <= 0) throw new EvalError(`the divisor of % must be positive: ${JSON.stringify(a)} % ${d}`);
      return ((asNum(a, '%') % d) + d) % d;
    }
    case 'in': return setHas(asSet(b, 'right of \\in'), a);
    case 'notin': return !setHas(asSet(b, 'right of \\notin'), a);
    case 'union': return mkSet([...asSet(a, 'operand of \\cup').set, ...asSet(b, 'operand of \\cup').set]);
    case 'minus': {
      const bs = asSet(b, 'operand of \\');
      const out: Value[] = [];
      for (const x of asSet(a, 'operand of \\').set) if (!setHas(bs, x)) out.push(x);
      return { set: out };
    }
    case 'intersect': {
      const bs = asSet(b, 'operand of \\cap');
      const out: Value[] = [];
      for (const x of asSet(a, 'operand of \\cap').set) if (setHas(bs, x)) out.push(x);
      return { set: out };
    }
    case 'subseteq': {
      const bs = asSet(b, 'operand of \\subseteq');
      for (const x of asSet(a, 'operand of \\subseteq').set) if (!setHas(bs, x)) return false;
      return true;
    }
  }
  throw new EvalError(`unknown operator ${e.fn}`);
}

export function isTrue(e: Expr, env: Env): boolean {
  return asBool(evaluate(e, env), 'condition');
}

/**
 * How many successor states TLC's next-state enumeration produces for a guard that holds in the
 * pre-state (0 when it does not hold). TLC evaluates an action's conjuncts one by one and branches on
 * action-level operators: each true disjunct of `\/`, and each witness of `\E`, continues separately
 * and yields its own (possibly identical) successor; `/\` and `\A` multiply; IF, and `=>` whose left
 * side holds, descend into the chosen branch; every other expression counts 1 when true. TLC's
 * "states generated" figure sums these counts, so the engine uses them to count the same way.
 */
export function tlcBranches(e: Expr, env: Env): number {
  if (e.op === 'bin') {
    if (e.fn === 'and') {
      const a = tlcBranches(e.a, env);
      return a === 0 ? 0 : a * tlcBranches(e.b, env);
    }
    if (e.fn === 'or') return tlcBranches(e.a, env) + tlcBranches(e.b, env);
    if (e.fn === 'implies') return asBool(evaluate(e.a, env), 'operand of =>') ? tlcBranches(e.b, env) : 1;
  }
  if (e.op === 'ite') return tlcBranches(asBool(evaluate(e.cond, env), 'IF condition') ? e.then : e.else, env);
  if (e.op === 'quant') {
    const over = asSet(evaluate(e.over, env), 'quantifier domain').set;
    const inner = new Map(env.bound);
    const sub: Env = { ...env, bound: inner };
    let n = e.q === 'forall' ? 1 : 0;
    for (const x of over) {
      inner.set(e.v, x);
      const k = tlcBranches(e.body, sub);
      if (e.q === 'exists') n += k;
      else if (k === 0) return 0;
      else n *= k;
    }
    return n;
  }
  return isTrue(e, env) ? 1 : 0;
}
