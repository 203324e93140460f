/**
 * Whether a value belongs to a declared type, for a configuration's constants: the runtime refuses a
 * write outside its variable's type, and loading checks initial values against their types.
 */
import type { PoolspecError, SourcePos } from '../errors.ts';
import type { Model, Type } from '../dsl/ir.ts';
import { BUSY_PTR, NULL_PTR, sourceKey } from '../dsl/ir.ts';
import { showType } from '../dsl/print.ts';
import { bound, domainElems, EvalError, procIds, type Env } from './eval.ts';
import { initialState, machine } from './step.ts';
import { isSet, type Value } from './value.ts';

export function inType(model: Model, consts: Record<string, number | boolean>, t: Type, v: Value): boolean {
  const env: Env = { model, consts, state: {}, bound: new Map() };
  const go = (t: Type, v: Value): boolean => {
    switch (t.kind) {
      case 'bool': return typeof v === 'boolean';
      case 'int': return typeof v === 'number' && v >= bound(env, t.lo) && v <= bound(env, t.hi);
      case 'ptr': {
        if (v === NULL_PTR || v === BUSY_PTR) return true;
        const bs = model.blockSets.find((b) => b.name === t.blocks);
        return typeof v === 'number' && !!bs && v >= 1 && v <= bound(env, bs.size);
      }
      case 'enum': return typeof v === 'string' && t.values.includes(v);
      case 'proc': return typeof v === 'number' && procIds(model, consts, t.procType).includes(v);
      case 'set': return isSet(v) && v.set.every((x) => go(t.of, x));
      case 'array': {
        if (!Array.isArray(v)) return false;
        const dom = domainElems(env, t.index);
        return dom.every((i) => v[i - 1] !== undefined && go(t.of, v[i - 1]));
      }
    }
  };
  return go(t, v);
}

/**
 * Declared types checked against each configuration before anything runs: every integer range is
 * non-empty, and every initial value lies in its type. Errors point at the declaration.
 */
export function checkDeclaredTypes(model: Model): PoolspecError[] {
  const errors: PoolspecError[] = [];
  const seen = new Set<string>();
  const report = (at: SourcePos | undefined, message: string) => {
    if (seen.has(message)) return;
    seen.add(message);
    errors.push({ code: 'SPEC_TYPE', message, at: at ?? { file: model.file, line: 1 } });
  };
  for (const c of model.configs) {
    const env: Env = { model, consts: c.constants, state: {}, bound: new Map() };
    const ranges = (t: Type, name: string, at: SourcePos | undefined): boolean => {
      try {
        if (t.kind === 'int') {
          const lo = bound(env, t.lo);
          const hi = bound(env, t.hi);
          if (lo > hi) { report(at, `${name}: ${showType(t)} is empty in configuration ${c.name} (${lo}..${hi})`); return false; }
        }
        if (t.kind === 'set') return ranges(t.of, name, at);
        if (t.kind === 'array') return ranges(t.of, name, at);
      } catch (err) {
        if (!(err instanceof EvalError)) throw err;
      }
      return true;
    };
    let ok = true;
    for (const v of model.vars) ok = ranges(v.type, v.name, model.sources[sourceKey.variable(v.name)]) && ok;
    for (const pt of model.procTypes) for (const l of pt.locals) ok = ranges(l.type, l.name, model.sources[sourceKey.local(pt.name, l.name)]) && ok;
    if (!ok) continue;
    let s;
    try {
      s = initialState(machine(model, c.name));
    } catch (err) {
      if (err instanceof EvalError) continue; // the checkers report evaluation errors themselves
      throw err;
    }
    const show = (v: Value) => JSON.stringify(v);
    for (const v of model.vars) {
      if (!inType(model, c.constants, v.type, s[v.name])) {
        report(model.sources[sourceKey.variable(v.name)], `the initial value ${show(s[v.name])} of ${v.name} is outside its type ${showType(v.type)} in configuration ${c.name}`);
      }
    }
    for (const pt of model.procTypes) {
      const ids = procIds(model, c.constants, pt.name);
      for (const l of pt.locals) {
        const bad = ids.find((id) => !inType(model, c.constants, l.type, (s[l.name] as Value[])[id - 1]));
        if (bad !== undefined) {
          report(model.sources[sourceKey.local(pt.name, l.name)], `the initial value ${show((s[l.name] as Value[])[bad - 1])} of local ${l.name} (process ${bad}) is outside its type ${showType(l.type)} in configuration ${c.name}`);
        }
      }
    }
  }
  return errors;
}
