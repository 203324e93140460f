/**
 * Values of the executable semantics. They mirror TLA+ values as TLC prints them, so a TLC state and
 * an engine state compare directly:
 * - booleans, integers (pointers and process ids too) and strings (enum values) are JS primitives;
 * - a function over 1..n (arrays, per-process locals, pc) is a JS array, element i at index i-1;
 * - a finite set is `{ set: [...] }` with its elements sorted canonically and without duplicates.
 */
export type Value = boolean | number | string | Value[] | SetValue;
export interface SetValue { set: Value[] }

export const isSet = (v: Value): v is SetValue => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A canonical string: equal values, equal keys. */
export function key(v: Value): string {
  return JSON.stringify(v);
}

/** The canonical order of set elements: integers numerically, anything else by canonical key. */
export function compare(a: Value, b: Value): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  const ka = key(a);
  const kb = key(b);
  return ka < kb ? -1 : ka > kb ? 1 : 0;
}

/** Structural equality (sets are canonical, so element-wise comparison suffices). */
export function equal(a: Value, b: Value): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object') return false;
  const xs = Array.isArray(a) ? a : a.set;
  const ys = Array.isArray(b) ? b : b.set;
  if (Array.isArray(a) !== Array.isArray(b) || xs.length !== ys.length) return false;
  for (let i = 0; i < xs.length; i += 1) if (!equal(xs[i], ys[i])) return false;
  return true;
}

export function mkSet(elems: Value[]): SetValue {
  let numeric = true;
  for (const x of elems) if (typeof x !== 'number') { numeric = false; break; }
  const sorted = numeric ? (elems as number[]).slice().sort((x, y) => x - y) : [...elems].sort(compare);
  const out: Value[] = [];
  for (const x of sorted) if (out.length === 0 || !equal(out[out.length - 1], x)) out.push(x);
  return { set: out };
}

export function setHas(s: SetValue, x: Value): boolean {
  if (typeof x !== 'object') return s.set.includes(x);
  for (const y of s.set) if (equal(x, y)) return true;
  return false;
}

export type State = Record<string, Value>;

/** The canonical key of a state over the given variable order (one native JSON call: the hot path). */
export function stateKey(s: State, varOrder: string[]): string {
  const values: Value[] = new Array(varOrder.length);
  for (let i = 0; i < varOrder.length; i += 1) values[i] = s[varOrder[i]];
  return JSON.stringify(values);
}
