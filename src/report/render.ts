/**
 * Typed rendering of state values for people: pointers as NULL/BUSY/b1, processes as thread1,
 * arrays element by element. Types come from the model, so TLC and engine states print the same.
 */
import type { Model, Type } from '../dsl/ir.ts';
import { isSet, type State, type Value } from '../engine/value.ts';

/**
 * A process's name in traces: `thread1` for process 1 of type Thread. With several process types the
 * id ranges depend on the configuration's counts, so such processes are named `p<id>`.
 */
export function procName(model: Model, id: number): string {
  return model.procTypes.length === 1 ? `${model.procTypes[0].name.toLowerCase()}${id}` : `p${id}`;
}

export function renderValue(model: Model, type: Type | undefined, v: Value): string {
  if (type?.kind === 'ptr') return v === 0 ? 'NULL' : v === -1 ? 'BUSY' : `b${v}`;
  if (type?.kind === 'proc') return procName(model, v as number);
  if (typeof v === 'boolean') return v ? 'TRUE' : 'FALSE';
  if (typeof v === 'number' || typeof v === 'string') return String(v);
  if (isSet(v)) return `{${v.set.map((x) => renderValue(model, type?.kind === 'set' ? type.of : undefined, x)).join(', ')}}`;
  const of = type?.kind === 'array' ? type.of : undefined;
  // A function over ids that do not start at 1 (a later process type) has holes: name its indices.
  if (v.length > 0 && (v.includes(undefined as unknown as Value) || type?.kind === 'array' && type.index.kind === 'procs')) {
    const parts: string[] = [];
    v.forEach((x, i) => { parts.push(`${type ? indexName(model, type, i + 1) : i + 1}: ${renderValue(model, of, x)}`); });
    return `[${parts.join(', ')}]`;
  }
  return `[${v.map((x) => renderValue(model, of, x)).join(', ')}]`;
}

/** Type of every state variable: shared and ghost variables, pc, and locals (as arrays over processes). */
export function stateTypes(model: Model): Map<string, { type: Type; local: boolean }> {
  const m = new Map<string, { type: Type; local: boolean }>();
  for (const v of model.vars) m.set(v.name, { type: v.type, local: false });
  m.set('pc', { type: { kind: 'enum', values: [] }, local: true });
  for (const pt of model.procTypes) for (const l of pt.locals) m.set(l.name, { type: l.type, local: true });
  return m;
}

/** How an array index reads: b1 for block-indexed arrays, plain numbers otherwise. */
function indexName(model: Model, type: Type, i: number): string {
  if (type.kind !== 'array') return String(i);
  const d = type.index;
  if (d.kind === 'procs') return procName(model, i);
  if (d.lo === 1 && model.blockSets.some((b) => b.size === d.hi)) return `b${i}`;
  return String(i);
}

export interface Change { name: string; from: string; to: string }

/** Element-wise differences between two states, named `head`, `next[b1]`, `thread1.held`. */
export function diffStates(model: Model, a: State, b: State): Change[] {
  const out: Change[] = [];
  for (const [name, { type, local }] of stateTypes(model)) {
    const x = a[name];
    const y = b[name];
    if (JSON.stringify(x) === JSON.stringify(y)) continue;
    if (Array.isArray(x) && Array.isArray(y)) {
      for (let i = 0; i < Math.max(x.length, y.length); i += 1) {
        if (JSON.stringify(x[i]) === JSON.stringify(y[i])) continue;
        const elemType = local ? type : type.kind === 'array' ? type.of : undefined;
        const label = local ? `${procName(model, i + 1)}.${name}` : `${name}[${indexName(model, type, i + 1)}]`;
        out.push({ name: label, from: renderValue(model, elemType, x[i]), to: renderValue(model, elemType, y[i]) });
      }
    } else {
      out.push({ name, from: renderValue(model, type, x), to: renderValue(model, type, y) });
    }
  }
  return out;
}

/** The whole state, one `name = value` per variable (locals per process). */
export function renderState(model: Model, s: State): string[] {
  const out: string[] = [];
  const owners = procTypesOf(model, s);
  for (const [name, { type, local }] of stateTypes(model)) {
    const v = s[name];
    if (local && Array.isArray(v)) {
      // A local belongs to one process type: the other processes' entries are not theirs to show.
      const own = model.procTypes.find((pt) => pt.locals.some((l) => l.name === name));
      const shown = v.flatMap((x, i) => (own && owners[i] && owners[i] !== own.name ? [] : [`${procName(model, i + 1)}: ${renderValue(model, type, x)}`]));
      out.push(`${name} = ${shown.join(', ')}`);
    } else {
      out.push(`${name} = ${renderValue(model, type, v)}`);
    }
  }
  return out;
}

/**
 * The process type of each process of a state, from its control state: ids are numbered type after
 * type, so among the types that have the label, the first one not before the previous process's.
 */
export function procTypesOf(model: Model, s: State): (string | undefined)[] {
  const pc = Array.isArray(s.pc) ? s.pc : [];
  if (model.procTypes.length === 1) return pc.map(() => model.procTypes[0].name);
  let at = 0;
  return pc.map((label) => {
    const k = model.procTypes.findIndex((pt, i) => i >= at && pt.labels.some((l) => l.name === label));
    if (k < 0) return undefined;
    at = k;
    return model.procTypes[k].name;
  });
}
