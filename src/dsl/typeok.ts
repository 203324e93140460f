/**
 * Types as properties: every declared type (int ranges, pointers, enums, process ids, sets, arrays)
 * becomes one conjunct of a generated invariant `TypeOK`, which every configuration checks (listed
 * last, so a protocol's own invariants are reported first when a state breaks both). Shared and ghost
 * variables are checked whole; a local only for the processes of its own type.
 */
import type { Domain, Expr, Model, Type } from './ir.ts';
import { BUSY_PTR, NULL_PTR, sourceKey } from './ir.ts';

export const TYPE_OK = 'TypeOK';

/** Bound-variable names of the generated quantifiers (unlikely to clash with a spec's names). */
const ELEM = 'typeok_i';
const PROC = 'typeok_p';

const lit = (value: number | boolean | string, type: Type): Expr => ({ op: 'lit', value, type });
const bin = (fn: 'in' | 'subseteq' | 'union', a: Expr, b: Expr): Expr => ({ op: 'bin', fn, a, b });
const dom = (domain: Domain): Expr => ({ op: 'domain', domain });

/** The set of the values of a scalar type, or null for compound types. */
function typeSet(model: Model, t: Type): Expr | null {
  switch (t.kind) {
    case 'bool': return { op: 'setOf', elems: [lit(false, t), lit(true, t)] };
    case 'int': return dom({ kind: 'range', lo: t.lo, hi: t.hi });
    case 'ptr': {
      const bs = model.blockSets.find((b) => b.name === t.blocks);
      if (!bs) return null;
      const nullBusy: Expr = { op: 'setOf', elems: [lit(NULL_PTR, t), lit(BUSY_PTR, t)] };
      return bin('union', dom({ kind: 'range', lo: 1, hi: bs.size }), nullBusy);
    }
    case 'enum': return { op: 'setOf', elems: t.values.map((v) => lit(v, { kind: 'enum', values: [v] })), of: t };
    case 'proc': return dom({ kind: 'procs', procType: t.procType });
    default: return null;
  }
}

/** `x` has type `t`; `depth` keeps nested binders distinct. */
export function memberOf(model: Model, x: Expr, t: Type, depth = 0): Expr | null {
  const s = typeSet(model, t);
  if (s) return bin('in', x, s);
  if (t.kind === 'set') {
    const of = typeSet(model, t.of);
    if (of) return bin('subseteq', x, of);
    const v = `${ELEM}${depth || ''}`;
    const body = memberOf(model, { op: 'bound', name: v }, t.of, depth + 1);
    return body && { op: 'quant', q: 'forall', v, over: x, body };
  }
  if (t.kind === 'array') {
    const v = `${ELEM}${depth || ''}`;
    const body = memberOf(model, { op: 'index', arr: x, idx: { op: 'bound', name: v } }, t.of, depth + 1);
    return body && { op: 'quant', q: 'forall', v, over: dom(t.index), body };
  }
  return null;
}

/** One conjunct per variable and local, in declaration order. */
export function typeOkConjuncts(model: Model): Expr[] {
  const out: Expr[] = [];
  for (const v of model.vars) {
    const c = memberOf(model, { op: 'var', name: v.name }, v.type);
    if (c) out.push(c);
  }
  for (const pt of model.procTypes) {
    for (const l of pt.locals) {
      const body = memberOf(model, { op: 'local', name: l.name, proc: { op: 'bound', name: PROC } }, l.type, 1);
      if (body) out.push({ op: 'quant', q: 'forall', v: PROC, over: dom({ kind: 'procs', procType: pt.name }), body });
    }
  }
  return out;
}

/**
 * Adds `TypeOK` to the model and to every configuration's invariants (last). A spec that declares
 * its own invariant named `TypeOK` keeps it, and none is generated.
 */
export function addTypeOk(model: Model): void {
  if (model.invariants.some((i) => i.name === TYPE_OK)) return;
  const cs = typeOkConjuncts(model);
  const expr = cs.length === 0
    ? lit(true, { kind: 'bool' })
    : cs.slice(1).reduce<Expr>((a, b) => ({ op: 'bin', fn: 'and', a, b }), cs[0]);
  model.invariants.push({ name: TYPE_OK, expr, doc: 'generated: every variable holds a value of its declared type' });
  model.sources[sourceKey.invariant(TYPE_OK)] = model.sources[sourceKey.model()] ?? { file: model.file, line: 1 };
  for (const c of model.configs) if (!c.invariants.includes(TYPE_OK)) c.invariants.push(TYPE_OK);
}
