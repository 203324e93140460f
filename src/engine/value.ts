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

export function compare(a: Value, b: Value): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  const ka = key(a);
  const kb = key(b);
  return ka < kb ? -1 : ka > kb ? 1 : 0;
}

export function equal(a: Value, b: Value): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object') return false;
  return key(a) === key(b);
}

export function mkSet(elems: Value[]): SetValue {
  const sorted = [...elems].sort(compare);
  const out: Value[] = [];
  for (const x of sorted) if (out.length === 0 || !equal(out[out.length - 1], x)) out.push(x);
  return { set: out };
}

export function setHas(s: SetValue, x: Value): boolean {
  return s.set.some((y) => equal(x, y));
}

export type State = Record<string, Value>;

/** The canonical key of a state over the given variable order. */
export function stateKey(s: State, varOrder: string[]): string {
  let out = '';
  for (const v of varOrder) out += `${key(s[v])}|`;
  return out;
}
