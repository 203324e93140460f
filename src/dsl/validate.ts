/**
 * Semantic checks on a built Model: names, labels, declarations, types, the atomicity rule and the
 * configurations. Every error carries the spec file:line from the model's side table.
 */
import type { PoolspecError, SourcePos } from '../errors.ts';
import type { Bound, Domain, Expr, Model, ProcType, Transition, Type } from './ir.ts';
import { sourceKey } from './ir.ts';
import { showExpr, showType, walkExpr } from './print.ts';
import { validateNames } from './validate-names.ts';
import { validateValues } from './validate-values.ts';
import { validateSymmetry } from './symmetry.ts';

type Family = 'bool' | 'num' | 'str' | 'set' | 'array';

const family = (t: Type): Family =>
  t.kind === 'bool' ? 'bool'
    : t.kind === 'enum' ? 'str'
      : t.kind === 'set' ? 'set'
        : t.kind === 'array' ? 'array'
          : 'num';

const INT: Type = { kind: 'int', lo: 'min', hi: 'max' };
const BOOL: Type = { kind: 'bool' };
/** The type of `{}` written without an element type: a set of anything, until it meets another set. */
const EMPTY_SET: Type = { kind: 'set', of: INT };

/** Whether a value of type `b` may be stored where type `a` is expected. */
function compatible(a: Type, b: Type): boolean {
  if (family(a) !== family(b)) return false;
  if (b === EMPTY_SET) return true;
  if (a.kind === 'set' && b.kind === 'set') return compatible(a.of, b.of);
  if (a.kind === 'array' && b.kind === 'array') return compatible(a.of, b.of);
  if (a.kind === 'enum' && b.kind === 'enum') return b.values.every((v) => a.values.includes(v));
  return true;
}

interface Ctx {
  proc?: ProcType;
  bound: Map<string, Type | undefined>;
  where: string;
  at: SourcePos;
}

/**
 * Whether values of types `a` and `b` may meet (compared, IF branches, operands of a set operator,
 * elements of one set): the same family, element by element. The compiled engine stores an element by
 * its family, so a set of booleans met with a set of integers would read back wrong.
 */
function meets(a: Type, b: Type): boolean {
  if (family(a) !== family(b)) return false;
  if (a === EMPTY_SET || b === EMPTY_SET) return true;
  if ((a.kind === 'set' && b.kind === 'set') || (a.kind === 'array' && b.kind === 'array')) return meets(a.of, b.of);
  return true;
}

/** The type of a value that is one of `a` and `b` (which meet): an untyped `{}` takes the other's. */
const join = (a: Type | undefined, b: Type | undefined): Type | undefined => (a === EMPTY_SET && b?.kind === 'set' ? b : a ?? b);

export function validate(model: Model): PoolspecError[] {
  const errors: PoolspecError[] = [];
  const modelAt = model.sources[sourceKey.model()] ?? { file: model.file, line: 0 };
  const err = (at: SourcePos | undefined, code: PoolspecError['code'], message: string) =>
    errors.push({ code, message, at: at ?? modelAt });

  // ------------------------------------------------------------ names
  const seen = new Map<string, string>();
  const claim = (name: string, what: string, at?: SourcePos) => {
    const prev = seen.get(name);
    if (prev) err(at, 'SPEC_DUPLICATE', `duplicate name ${name}: declared as ${prev} and as ${what}`);
    else seen.set(name, what);
  };
  for (const c of model.constants) claim(c.name, 'a constant', model.sources[sourceKey.constant(c.name)]);
  for (const bs of model.blockSets) claim(bs.name, 'a block set', model.sources[`blocks:${bs.name}`]);
  for (const v of model.vars) claim(v.name, `a ${v.role} variable`, model.sources[sourceKey.variable(v.name)]);
  for (const pt of model.procTypes) {
    claim(pt.name, 'a process type', model.sources[sourceKey.procType(pt.name)]);
    for (const l of pt.locals) claim(l.name, `a local of ${pt.name}`, model.sources[sourceKey.local(pt.name, l.name)]);
    const labels = new Set<string>();
    for (const l of pt.labels) {
      if (labels.has(l.name)) err(model.sources[sourceKey.label(pt.name, l.name)], 'SPEC_DUPLICATE', `duplicate label ${l.name} in ${pt.name}`);
      labels.add(l.name);
    }
    for (const t of pt.transitions) claim(t.name, `a transition of ${pt.name}`, model.sources[sourceKey.transition(pt.name, t.name)]);
  }
  for (const i of model.invariants) claim(i.name, 'an invariant', model.sources[sourceKey.invariant(i.name)]);
  // PlusCal silently renames a label that has the name of a variable or process (lock -> lock_).
  for (const pt of model.procTypes) {
    for (const l of pt.labels) {
      const other = seen.get(l.name);
      if (other && !other.startsWith('a transition of')) {
        err(model.sources[sourceKey.label(pt.name, l.name)], 'SPEC_DUPLICATE', `label ${l.name} of ${pt.name} has the name of ${other}`);
      }
    }
  }
  for (const p of model.properties) claim(p.name, 'a property', model.sources[sourceKey.property(p.name)]);
  const cfgNames = new Set<string>();
  for (const c of model.configs) {
    if (cfgNames.has(c.name)) err(model.sources[sourceKey.config(c.name)], 'SPEC_DUPLICATE', `duplicate configuration ${c.name}`);
    cfgNames.add(c.name);
  }
  if (model.procTypes.length === 0) err(modelAt, 'SPEC_SHAPE', `protocol ${model.name} declares no process type`);
  if (model.configs.length === 0) err(modelAt, 'SPEC_CONFIG', `protocol ${model.name} declares no configuration`);

  // ------------------------------------------------------------ types
  const constKind = new Map(model.constants.map((c) => [c.name, c.type.kind]));
  const varDecl = new Map(model.vars.map((v) => [v.name, v]));
  const blockSets = new Set(model.blockSets.map((b) => b.name));

  const checkBound = (x: Bound, at: SourcePos, what: string) => {
    if (typeof x === 'string' && constKind.get(x) !== 'int') err(at, 'SPEC_UNDECLARED', `${what}: ${x} is not an integer constant`);
    if (typeof x === 'object') walkExpr(x, (y) => { if (y.op === 'const') checkBound(y.name, at, what); });
  };
  const checkDomain = (d: Domain, at: SourcePos) => {
    if (d.kind === 'range') { checkBound(d.lo, at, 'range bound'); checkBound(d.hi, at, 'range bound'); }
    else if (!model.procTypes.some((p) => p.name === d.procType)) err(at, 'SPEC_UNDECLARED', `unknown process type ${d.procType}`);
  };
  const checkType = (t: Type, at: SourcePos): void => {
    if (t.kind === 'int') { checkBound(t.lo, at, 'int bound'); checkBound(t.hi, at, 'int bound'); }
    if (t.kind === 'ptr' && !blockSets.has(t.blocks)) err(at, 'SPEC_UNDECLARED', `ptr type names unknown block set ${t.blocks}`);
    if (t.kind === 'set') checkType(t.of, at);
    if (t.kind === 'array') { checkDomain(t.index, at); checkType(t.of, at); }
  };
  const domainElem = (d: Domain): Type => {
    if (d.kind === 'procs') return { kind: 'proc', procType: d.procType };
    const bs = model.blockSets.find((b) => d.lo === 1 && d.hi === b.size);
    return bs ? { kind: 'ptr', blocks: bs.name } : INT;
  };

  /** The process type whose control state `pc(p)` reads: declared on the expression, or the type of `p`. */
  const pcOwner = (e: Expr & { op: 'pc' }, procT: Type | undefined): ProcType | undefined => {
    const name = e.procType ?? (procT?.kind === 'proc' ? procT.procType : undefined);
    return name ? model.procTypes.find((p) => p.name === name) : undefined;
  };
  /** Side table: the process type whose labels each `pc(p)` typed so far ranges over (none: every type's). */
  const pcOwners = new WeakMap<Expr, ProcType | undefined>();
  /**
   * Labels are typed: `pc(p).eq('H9')` where no process type (or not p's type) has a label H9 would
   * silently be false in every state and change the meaning of a property.
   */
  const checkLabelNames = (pcSide: Expr, pcType: Type | undefined, other: Expr, ctx: Ctx) => {
    if (pcSide.op !== 'pc' || other.op !== 'lit' || typeof other.value !== 'string') return;
    const labels = pcType?.kind === 'enum' ? pcType.values : [];
    if (labels.includes(other.value)) return;
    const owner = pcOwners.get(pcSide);
    err(ctx.at, 'SPEC_UNKNOWN_LABEL',
      `${ctx.where} compares ${showExpr(pcSide)} with ${JSON.stringify(other.value)}, which is not a label of ${owner ? owner.name : 'any process type'} (labels: ${labels.join(', ')})`);
  };

  const mismatch = (x: Expr, a: Type | undefined, y: Expr, b: Type | undefined, ctx: Ctx) => {
    if (a && b && !meets(a, b)) err(ctx.at, 'SPEC_TYPE', `type mismatch in ${ctx.where}: ${showExpr(x)} is ${showType(a)} but ${showExpr(y)} is ${showType(b)}`);
  };

  const typeOf = (e: Expr, ctx: Ctx): Type | undefined => {
    const want = (x: Expr, f: Family, what: string): Type | undefined => {
      const t = typeOf(x, ctx);
      if (t && family(t) !== f) err(ctx.at, 'SPEC_TYPE', `type mismatch in ${ctx.where}: ${what} ${showExpr(x)} is ${showType(t)}, expected ${f === 'num' ? 'a number' : f}`);
      return t;
    };
    switch (e.op) {
      case 'lit': return e.type;
      case 'const': {
        const k = constKind.get(e.name);
        if (!k) { err(ctx.at, 'SPEC_UNDECLARED', `undeclared constant ${e.name} in ${ctx.where}`); return undefined; }
        return k === 'bool' ? BOOL : INT;
      }
      case 'var': {
        const v = varDecl.get(e.name);
        if (!v) { err(ctx.at, 'SPEC_UNDECLARED', `undeclared variable ${e.name} in ${ctx.where}`); return undefined; }
        return v.type;
      }
      case 'local': {
        if (e.proc) {
          want(e.proc, 'num', 'process');
          const owner = model.procTypes.find((p) => p.locals.some((l) => l.name === e.name));
          if (!owner) { err(ctx.at, 'SPEC_UNDECLARED', `undeclared local variable ${e.name} in ${ctx.where}`); return undefined; }
          return owner.locals.find((l) => l.name === e.name)!.type;
        }
        if (!ctx.proc) { err(ctx.at, 'SPEC_UNDECLARED', `local variable ${e.name} used in ${ctx.where}, outside a transition: write ${e.name}.of(p) for a process p`); return undefined; }
        const l = ctx.proc.locals.find((x) => x.name === e.name);
        if (!l) { err(ctx.at, 'SPEC_UNDECLARED', `undeclared variable ${e.name} in ${ctx.where}: ${ctx.proc.name} has no local of that name`); return undefined; }
        return l.type;
      }
      case 'pc': {
        const pt = want(e.proc, 'num', 'process');
        const owner = pcOwner(e, pt);
        pcOwners.set(e, owner);
        return { kind: 'enum', values: owner ? owner.labels.map((l) => l.name) : model.procTypes.flatMap((p) => p.labels.map((l) => l.name)) };
      }
      case 'self':
        if (!ctx.proc) { err(ctx.at, 'SPEC_UNDECLARED', `self used in ${ctx.where}, outside a transition`); return undefined; }
        return { kind: 'proc', procType: ctx.proc.name };
      case 'bound':
        if (!ctx.bound.has(e.name)) { err(ctx.at, 'SPEC_UNDECLARED', `unbound name ${e.name} in ${ctx.where}`); return undefined; }
        return ctx.bound.get(e.name);
      case 'not': want(e.arg, 'bool', 'operand'); return BOOL;
      case 'bin': {
        switch (e.fn) {
          case 'and': case 'or': case 'implies': want(e.a, 'bool', 'operand'); want(e.b, 'bool', 'operand'); return BOOL;
          case 'eq': case 'ne': {
            const a = typeOf(e.a, ctx); const b = typeOf(e.b, ctx);
            checkLabelNames(e.a, a, e.b, ctx); checkLabelNames(e.b, b, e.a, ctx);
            mismatch(e.a, a, e.b, b, ctx);
            return BOOL;
          }
          case 'lt': case 'le': case 'gt': case 'ge': want(e.a, 'num', 'operand'); want(e.b, 'num', 'operand'); return BOOL;
          case 'add': case 'sub': case 'mul': case 'div': case 'mod': want(e.a, 'num', 'operand'); want(e.b, 'num', 'operand'); return INT;
          case 'in': case 'notin': {
            const a = typeOf(e.a, ctx); const b = want(e.b, 'set', 'right operand of in');
            if (e.b.op === 'setOf') for (const x of e.b.elems) checkLabelNames(e.a, a, x, ctx);
            if (a && b?.kind === 'set' && b !== EMPTY_SET && !meets(a, b.of)) err(ctx.at, 'SPEC_TYPE', `type mismatch in ${ctx.where}: ${showExpr(e.a)} is ${showType(a)} but the elements of ${showExpr(e.b)} are ${showType(b.of)}`);
            return BOOL;
          }
          default: {
            const a = want(e.a, 'set', 'operand'); const b = want(e.b, 'set', 'operand');
            if (a?.kind === 'set' && b?.kind === 'set') mismatch(e.a, a, e.b, b, ctx);
            return e.fn === 'subseteq' ? BOOL : join(a, b);
          }
        }
      }
      case 'ite': {
        want(e.cond, 'bool', 'condition');
        const a = typeOf(e.then, ctx); const b = typeOf(e.else, ctx);
        if (a && b && !meets(a, b)) err(ctx.at, 'SPEC_TYPE', `type mismatch in ${ctx.where}: the branches of ${showExpr(e)} are ${showType(a)} and ${showType(b)}`);
        return join(a, b);
      }
      case 'index': {
        const a = want(e.arr, 'array', 'indexed value');
        typeOf(e.idx, ctx);
        return a?.kind === 'array' ? a.of : undefined;
      }
      case 'except': {
        const a = want(e.arr, 'array', 'updated value');
        typeOf(e.idx, ctx);
        const v = typeOf(e.value, ctx);
        if (a?.kind === 'array' && v && !compatible(a.of, v)) err(ctx.at, 'SPEC_TYPE', `type mismatch in ${ctx.where}: element of ${showExpr(e.arr)} is ${showType(a.of)}, value ${showExpr(e.value)} is ${showType(v)}`);
        return a;
      }
      case 'setOf': {
        const ts = e.elems.map((x) => typeOf(x, ctx));
        if (e.of) checkType(e.of, ctx.at);
        const of = e.of ?? ts.find((t) => t);
        e.elems.forEach((x, i) => {
          const t = ts[i];
          if (of && t && !(e.of ? compatible(of, t) : meets(of, t))) err(ctx.at, 'SPEC_TYPE', `type mismatch in ${ctx.where}: the elements of ${showExpr(e)} are ${showType(of)}, but ${showExpr(x)} is ${showType(t)}`);
        });
        return of ? { kind: 'set', of } : e.elems.length ? { kind: 'set', of: INT } : EMPTY_SET;
      }
      case 'card': want(e.arg, 'set', 'operand of size()'); return INT;
      case 'domain': checkDomain(e.domain, ctx.at); return { kind: 'set', of: domainElem(e.domain) };
      case 'quant': case 'filter': {
        const over = want(e.over, 'set', 'quantifier domain');
        const inner: Ctx = { ...ctx, bound: new Map(ctx.bound).set(e.v, over?.kind === 'set' ? over.of : undefined) };
        if (e.op === 'quant') {
          const b = typeOf(e.body, inner);
          if (b && family(b) !== 'bool') err(ctx.at, 'SPEC_TYPE', `type mismatch in ${ctx.where}: quantifier body ${showExpr(e.body)} is ${showType(b)}, expected bool`);
          return BOOL;
        }
        const c = typeOf(e.cond, inner);
        if (c && family(c) !== 'bool') err(ctx.at, 'SPEC_TYPE', `type mismatch in ${ctx.where}: filter condition is ${showType(c)}, expected bool`);
        return over;
      }
      case 'map': {
        checkDomain(e.domain, ctx.at);
        const body = typeOf(e.body, { ...ctx, bound: new Map(ctx.bound).set(e.v, domainElem(e.domain)) });
        return body ? { kind: 'array', index: e.domain, of: body } : undefined;
      }
      case 'listNodes': case 'listAcyclic':
        if (!blockSets.has(e.blocks)) err(ctx.at, 'SPEC_UNDECLARED', `unknown block set ${e.blocks} in ${ctx.where}`);
        want(e.start, 'num', 'list start');
        want(e.link, 'array', 'link array');
        return e.op === 'listNodes' ? { kind: 'set', of: INT } : BOOL;
    }
  };

  const expectBool = (e: Expr, ctx: Ctx, what: string) => {
    const t = typeOf(e, ctx);
    if (t && t.kind !== 'bool') err(ctx.at, 'SPEC_TYPE', `type mismatch: ${what} ${showExpr(e)} is ${showType(t)}, expected bool`);
  };
  const expectAssignable = (target: Type | undefined, e: Expr, ctx: Ctx, what: string) => {
    const t = typeOf(e, ctx);
    if (target && t && !compatible(target, t)) err(ctx.at, 'SPEC_TYPE', `type mismatch in ${ctx.where}: ${what} is ${showType(target)} but the value ${showExpr(e)} is ${showType(t)}`);
  };

  for (const v of model.vars) {
    const at = model.sources[sourceKey.variable(v.name)];
    if (!at) continue;
    checkType(v.type, at);
    expectAssignable(v.type, v.init, { bound: new Map(), where: `the initial value of ${v.name}`, at }, v.name);
  }

  for (const pt of model.procTypes) {
    const ptAt = model.sources[sourceKey.procType(pt.name)];
    if (typeof pt.count === 'string' && constKind.get(pt.count) !== 'int') err(ptAt, 'SPEC_UNDECLARED', `process type ${pt.name}: count ${pt.count} is not an integer constant`);
    const labels = new Set(pt.labels.map((l) => l.name));
    if (pt.labels.length === 0) err(ptAt, 'SPEC_SHAPE', `process type ${pt.name} declares no label`);
    for (const l of pt.locals) {
      const at = model.sources[sourceKey.local(pt.name, l.name)];
      checkType(l.type, at);
      expectAssignable(l.type, l.init, { proc: pt, bound: new Map([['self', undefined]]), where: `the initial value of ${l.name}`, at }, l.name);
    }
    for (const t of pt.transitions) {
      const at = model.sources[sourceKey.transition(pt.name, t.name)];
      const where = `transition ${pt.name}.${t.name}`;
      if (!labels.has(t.from)) err(at, 'SPEC_UNKNOWN_LABEL', `${where}: unknown label ${t.from} (labels of ${pt.name}: ${[...labels].join(', ')})`);
      if (!labels.has(t.to)) err(at, 'SPEC_UNKNOWN_LABEL', `${where}: goes to unknown label ${t.to} (labels of ${pt.name}: ${[...labels].join(', ')})`);
      const ctx: Ctx = { proc: pt, bound: new Map(), where, at };
      for (const p of t.params) {
        const over = typeOf(p.over, ctx);
        if (over && over.kind !== 'set') err(at, 'SPEC_TYPE', `type mismatch in ${where}: choose over ${showExpr(p.over)}, which is ${showType(over)}, not a set`);
        ctx.bound.set(p.name, over?.kind === 'set' ? over.of : undefined);
        if (over?.kind === 'set') p.elemType = over.of;
        if (seen.has(p.name)) err(at, 'SPEC_DUPLICATE', `${where}: choice variable ${p.name} shadows ${seen.get(p.name)}`);
      }
      expectBool(t.guard, ctx, `the guard of ${where}`);
      const targets = new Set<string>();
      for (const a of t.effects) {
        const name = a.target.name;
        let target: Type | undefined;
        if (a.target.kind === 'var') {
          const v = varDecl.get(name);
          if (!v) { err(at, 'SPEC_UNDECLARED', `${where} assigns undeclared variable ${name}`); continue; }
          target = v.type;
        } else {
          const l = pt.locals.find((x) => x.name === name);
          if (!l) { err(at, 'SPEC_UNDECLARED', `${where} assigns undeclared variable ${name}: ${pt.name} has no local of that name`); continue; }
          target = l.type;
        }
        if (a.target.index) {
          typeOf(a.target.index, ctx);
          if (target.kind !== 'array') { err(at, 'SPEC_TYPE', `type mismatch in ${where}: ${name} is ${showType(target)}, not an array`); continue; }
          target = target.of;
        }
        const key = a.target.index ? `${name}[${showExpr(a.target.index)}]` : name;
        if (targets.has(key) || (!a.target.index && [...targets].some((k) => k.startsWith(`${name}[`))) || targets.has(name)) {
          err(at, 'SPEC_SHAPE', `${where} assigns ${key} twice`);
        }
        targets.add(key);
        expectAssignable(target, a.value, ctx, key);
      }
      if (!t.atomic) checkAtomicity(model, t, where, at, err);
    }
  }

  if (model.memory) {
    const at = model.sources.memory;
    if (!blockSets.has(model.memory.blocks)) err(at, 'SPEC_UNDECLARED', `blockMemory names unknown block set ${model.memory.blocks}`);
    const bound = new Map<string, Type | undefined>([[model.memory.v, { kind: 'ptr', blocks: model.memory.blocks }]]);
    expectBool(model.memory.mapped, { bound, where: 'blockMemory', at }, 'the mapped predicate');
  }
  for (const inv of model.invariants) {
    const at = model.sources[sourceKey.invariant(inv.name)];
    expectBool(inv.expr, { bound: new Map(), where: `invariant ${inv.name}`, at }, `invariant ${inv.name}`);
  }
  for (const p of model.properties) {
    const at = model.sources[sourceKey.property(p.name)];
    const bound = new Map<string, Type | undefined>();
    if (p.formula.v) bound.set(p.formula.v.name, { kind: 'proc', procType: p.formula.v.procType });
    const ctx: Ctx = { bound, where: `property ${p.name}`, at };
    if (p.formula.kind === 'leadsTo') { expectBool(p.formula.from, ctx, 'left side'); expectBool(p.formula.to, ctx, 'right side'); }
    else expectBool(p.formula.expr, ctx, 'formula');
  }

  // ------------------------------------------------------------ configurations
  const checkable = new Set([...model.invariants.map((i) => i.name), ...model.properties.map((p) => p.name), 'Deadlock', ...(model.refinement ? ['Refines'] : [])]);
  for (const c of model.configs) {
    const at = model.sources[sourceKey.config(c.name)];
    for (const k of model.constants) {
      const v = c.constants[k.name];
      if (v === undefined) err(at, 'SPEC_CONFIG', `configuration ${c.name} gives no value for constant ${k.name}`);
      else if ((k.type.kind === 'bool') !== (typeof v === 'boolean')) err(at, 'SPEC_CONFIG', `configuration ${c.name}: constant ${k.name} is ${k.type.kind} but is given ${JSON.stringify(v)}`);
    }
    for (const k of Object.keys(c.constants)) {
      if (!constKind.has(k)) err(at, 'SPEC_CONFIG', `configuration ${c.name} sets ${k}, which is not a declared constant`);
    }
    for (const n of c.invariants) if (!model.invariants.some((i) => i.name === n)) err(at, 'SPEC_CONFIG', `configuration ${c.name} checks unknown invariant ${n}`);
    for (const n of c.properties) if (!model.properties.some((p) => p.name === n)) err(at, 'SPEC_CONFIG', `configuration ${c.name} checks unknown property ${n}`);
    if (c.expect.verdict === 'violated') {
      for (const n of c.expect.oneOf) if (!checkable.has(n)) err(at, 'SPEC_CONFIG', `configuration ${c.name} expects a violation of unknown property ${n}`);
    }
    if (c.constraint) expectBool(c.constraint, { bound: new Map(), where: `the constraint of configuration ${c.name}`, at }, 'constraint');
  }
  // Names of modules and files, and values every backend can represent (src/dsl/validate-*.ts).
  if (errors.length === 0) errors.push(...validateNames(model), ...validateValues(model));
  if (errors.length === 0) errors.push(...validateSymmetry(model));
  return errors;
}

/**
 * The atomicity rule: a step touches at most one shared (non-ghost) word, or both words of a declared
 * DWCAS pair. A word is a scalar variable or one element `a[i]` of an array variable.
 */
function checkAtomicity(model: Model, t: Transition, where: string, at: SourcePos,
  err: (at: SourcePos, code: PoolspecError['code'], message: string) => void): void {
  const shared = new Set(model.vars.filter((v) => v.role === 'shared').map((v) => v.name));
  const words = new Set<string>();
  const visit = (e: Expr) => walkExpr(e, (x, parent) => {
    if (x.op !== 'var' || !shared.has(x.name)) return;
    if (parent?.op === 'index' && parent.arr === x) words.add(`${x.name}[${showExpr(parent.idx)}]`);
    else if (parent?.op === 'except' && parent.arr === x) words.add(`${x.name}[*]`); // whole-array update
    else words.add(x.name);
  });
  visit(t.guard);
  for (const p of t.params) visit(p.over);
  const ghost = new Set(model.vars.filter((v) => v.role === 'ghost').map((v) => v.name));
  for (const a of t.effects) {
    // What a ghost assignment reads is bookkeeping of the spec, not a memory operation of the step.
    if (!(a.target.kind === 'var' && ghost.has(a.target.name))) visit(a.value);
    if (a.target.index) visit(a.target.index);
    if (a.target.kind === 'var' && shared.has(a.target.name)) {
      words.add(a.target.index ? `${a.target.name}[${showExpr(a.target.index)}]` : a.target.name);
    }
  }
  if (words.size <= 1) return;
  const list = [...words];
  const isPair = words.size === 2 && model.pairs.some(([x, y]) => words.has(x) && words.has(y));
  if (isPair) return;
  err(at, 'SPEC_ATOMICITY',
    `${where} touches ${words.size} shared words (${list.join(', ')}); one step may touch one shared word or both words of a declared pair (DWCAS). Split the step, declare the pair with p.pair(), or mark it atomic: true if it is coarser on purpose`);
}
