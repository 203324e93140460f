/**
 * Whether a value belongs to a declared type, for a configuration's constants: the runtime refuses a
 * write outside its variable's type, and loading checks initial values against their types.
 */
import type { Model, Type } from '../dsl/ir.ts';
import { BUSY_PTR, NULL_PTR } from '../dsl/ir.ts';
import { bound, domainElems, procIds, type Env } from './eval.ts';
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
