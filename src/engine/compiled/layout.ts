/**
 * The fixed layout of a state for the compiled engine: every variable of the module becomes one or
 * more int32 slots (a "slot state", Int32Array), and the slots are packed into a few 32-bit words
 * for storage (a "packed state"). Values in slots:
 * - booleans 0/1; integers, pointers (NULL 0, BUSY -1) and process ids as themselves;
 * - strings (enum values, labels) as ids into the model's string table, numbered in the canonical
 *   order of the interpreter's sets (so a set of strings iterates in the same order);
 * - a finite set of integers or strings as a bitmask, element x at bit x + 1 (so BUSY = -1 fits);
 * - an array over lo..hi as hi - lo + 1 consecutive slots; pc and locals as arrays over all processes.
 * The packing widths come from the declared types; a value outside them makes the compiled engine
 * decline the model (Unsupported), and the interpreted engine runs it instead.
 */
import type { Model, Type } from '../../dsl/ir.ts';
import { stateVarNames } from '../../codegen/tla.ts';
import { bound, domainElems, procIds, type Env } from '../eval.ts';
import type { Machine } from '../step.ts';
import { compare, type State, type Value } from '../value.ts';

/** The compiled engine cannot run this model or configuration: the interpreted engine does. */
export class Unsupported extends Error {}

/** Compile-time types: how a value is represented in generated code. */
export type CT =
  | { k: 'bool' }
  | { k: 'int' }
  | { k: 'str' }
  | { k: 'set'; elem: 'int' | 'str' | 'bool' }
  /** A JS array, element i at index i - 1 (as the interpreter's values). */
  | { k: 'arr'; lo: number; hi: number; elem: CT };

/** One scalar slot: its value range for packing. Sets: the universe of bits. */
export interface SlotRange { min: number; max: number; set: boolean }

/** A state variable: `base` is its first slot; `elem` the slot type of each element (arrays). */
export interface Cell {
  name: string;
  ct: CT;
  base: number;
  /** Slots per element for arrays (1 for scalar elements; an array-typed local's length). */
  stride: number;
}

/** Where a slot is packed: bits shift .. shift + width - 1 of word `word`. */
export interface Field { word: number; shift: number; width: number }

export interface Layout {
  cells: Map<string, Cell>;
  order: string[];
  slots: number;
  ranges: SlotRange[];
  /** Per slot, its field in the packed words. */
  fields: Field[];
  /** Packed words per state. */
  words: number;
  strings: string[];
  strId: Map<string, number>;
  procCount: number;
}

export const MAX_BIT = 30; // bit x + 1 of a set mask; keeps masks positive int32

export function sizeOf(ct: CT): number {
  if (ct.k === 'arr') return (ct.hi - ct.lo + 1) * sizeOf(ct.elem);
  return 1;
}

/**
 * Every string the model can produce (labels, enum values and string literals), numbered in the
 * interpreter's canonical order of set elements.
 */
function collectStrings(model: Model): string[] {
  const out = new Set<string>();
  const walk = (x: unknown): void => {
    if (!x || typeof x !== 'object') return;
    const o = x as Record<string, unknown>;
    if (typeof o.value === 'string') out.add(o.value); // a literal
    if (Array.isArray(o.values)) for (const v of o.values) out.add(v as string); // an enum type
    for (const k of Object.keys(o)) walk(o[k]); // arrays too, by index
  };
  // Validation holds every transition's labels and the initial one to the declared labels.
  for (const pt of model.procTypes) for (const l of pt.labels) out.add(l.name);
  walk(model.vars);
  walk(model.procTypes);
  walk(model.invariants);
  walk(model.configs);
  return [...out].sort(compare);
}

export function buildLayout(m: Machine): Layout {
  const { model, consts } = m;
  const env: Env = { model, consts, state: {}, bound: new Map() };
  const strings = collectStrings(model);
  const strId = new Map(strings.map((s, i) => [s, i]));
  const procCount = m.procs.length;
  if (procCount === 0) throw new Unsupported('no processes');
  m.procs.forEach((p, i) => { if (p.id !== i + 1) throw new Unsupported('process ids are not 1..n'); });

  const elemKind = (t: Type): 'int' | 'str' => {
    if (t.kind === 'int' || t.kind === 'ptr' || t.kind === 'proc') return 'int';
    if (t.kind === 'enum') return 'str';
    throw new Unsupported(`a set of ${t.kind}`);
  };
  const scalarRange = (t: Type): SlotRange => {
    switch (t.kind) {
      case 'bool': return { min: 0, max: 1, set: false };
      case 'int': return { min: bound(env, t.lo), max: bound(env, t.hi), set: false };
      case 'ptr': {
        const bs = model.blockSets.find((b) => b.name === t.blocks);
        return { min: -1, max: bs ? bound(env, bs.size) : 0, set: false };
      }
      case 'proc': {
        const ids = procIds(model, consts, t.procType);
        return { min: Math.min(...ids, 1), max: Math.max(...ids, 1), set: false };
      }
      case 'enum': {
        const ids = t.values.map((v) => strId.get(v)!);
        return { min: Math.min(...ids), max: Math.max(...ids), set: false };
      }
      case 'set': {
        const r = scalarRange(t.of);
        if (r.min < -1 || r.max + 1 > MAX_BIT) throw new Unsupported(`a set over ${r.min}..${r.max}`);
        return { min: r.min + 1, max: r.max + 1, set: true }; // bit positions
      }
      default: throw new Unsupported(`a nested ${t.kind}`);
    }
  };
  const ctOf = (t: Type): CT => {
    switch (t.kind) {
      case 'bool': return { k: 'bool' };
      case 'int': case 'ptr': case 'proc': return { k: 'int' };
      case 'enum': return { k: 'str' };
      case 'set': return { k: 'set', elem: elemKind(t.of) };
      case 'array': {
        const dom = domainElems(env, t.index);
        if (dom.length === 0) throw new Unsupported('an empty array domain');
        return { k: 'arr', lo: dom[0], hi: dom[dom.length - 1], elem: ctOf(t.of) };
      }
    }
  };
  /** Slot ranges of one value of type t, in slot order. */
  const rangesOf = (t: Type): SlotRange[] => {
    if (t.kind !== 'array') return [scalarRange(t)];
    const dom = domainElems(env, t.index);
    const one = rangesOf(t.of);
    return dom.flatMap(() => one);
  };

  const cells = new Map<string, Cell>();
  const ranges: SlotRange[] = [];
  const add = (name: string, ct: CT, rs: SlotRange[], stride: number) => {
    cells.set(name, { name, ct, base: ranges.length, stride });
    ranges.push(...rs);
  };
  for (const v of model.vars) {
    const ct = ctOf(v.type);
    if (ct.k === 'arr' && ct.elem.k === 'arr') throw new Unsupported(`${v.name}: an array of arrays`);
    add(v.name, ct, rangesOf(v.type), 1);
  }
  // pc: each process's labels (its type's); a process of one type never holds another type's label.
  const pcRanges = m.procs.map((p): SlotRange => {
    const ids = [...p.pt.labels.map((l) => l.name), p.pt.initial].map((l) => strId.get(l)!);
    return { min: Math.min(...ids), max: Math.max(...ids), set: false };
  });
  add('pc', { k: 'arr', lo: 1, hi: procCount, elem: { k: 'str' } }, pcRanges, 1);
  for (const pt of model.procTypes) {
    for (const l of pt.locals) {
      if (cells.has(l.name)) throw new Unsupported(`local ${l.name} declared twice`);
      const ct = ctOf(l.type);
      if (ct.k === 'arr' && ct.elem.k === 'arr') throw new Unsupported(`${l.name}: an array of arrays`);
      const one = rangesOf(l.type);
      add(l.name, { k: 'arr', lo: 1, hi: procCount, elem: ct }, m.procs.flatMap(() => one), one.length);
    }
  }
  // Packing: each slot's place in the words, from the first word on; a field never straddles two.
  const fields: Field[] = [];
  let word = 0;
  let used = 0;
  for (const r of ranges) {
    const w = width(r);
    if (w > 31) throw new Unsupported('a slot wider than 31 bits');
    if (used + w > 32) { word += 1; used = 0; }
    fields.push({ word, shift: used, width: w });
    used += w;
  }
  return { cells, order: stateVarNames(model), slots: ranges.length, ranges, fields, words: word + 1, strings, strId, procCount };
}

export function width(r: SlotRange): number {
  if (r.set) return r.max - r.min + 1;
  const span = r.max - r.min + 1;
  return span <= 1 ? 0 : 32 - Math.clz32(span - 1);
}

// ---------------------------------------------------------------- values <-> slots

function encodeScalar(L: Layout, ct: CT, v: Value): number {
  switch (ct.k) {
    case 'bool': if (typeof v !== 'boolean') throw new Unsupported(`not a boolean: ${JSON.stringify(v)}`); return v ? 1 : 0;
    case 'int': if (typeof v !== 'number') throw new Unsupported(`not a number: ${JSON.stringify(v)}`); return v;
    case 'str': {
      const id = typeof v === 'string' ? L.strId.get(v) : undefined;
      if (id === undefined) throw new Unsupported(`not a known string: ${JSON.stringify(v)}`);
      return id;
    }
    case 'set': {
      if (typeof v !== 'object' || Array.isArray(v)) throw new Unsupported(`not a set: ${JSON.stringify(v)}`);
      let mask = 0;
      for (const x of v.set) {
        const n = encodeScalar(L, { k: ct.elem }, x);
        if (n < -1 || n + 1 > MAX_BIT) throw new Unsupported(`set element ${n} outside the bitmask`);
        mask |= 1 << (n + 1);
      }
      return mask;
    }
    case 'arr': throw new Unsupported('nested array');
  }
}

function decodeScalar(L: Layout, ct: CT, n: number): Value {
  switch (ct.k) {
    case 'bool': return n === 1;
    case 'int': return n;
    case 'str': return L.strings[n];
    case 'set': {
      const out: Value[] = [];
      // Element x at bit x + 1, decoded as its kind (booleans are the bits of 0 and 1).
      for (let b = 0; b <= MAX_BIT; b += 1) if ((n >>> b) & 1) out.push(decodeScalar(L, { k: ct.elem }, b - 1));
      return { set: out };
    }
    case 'arr': throw new Unsupported('nested array');
  }
}

function encodeInto(L: Layout, ct: CT, v: Value, S: Int32Array, at: number): void {
  if (ct.k !== 'arr') { S[at] = encodeScalar(L, ct, v); return; }
  if (!Array.isArray(v)) throw new Unsupported(`not an array: ${JSON.stringify(v)}`);
  const step = sizeOf(ct.elem);
  for (let i = ct.lo; i <= ct.hi; i += 1) encodeInto(L, ct.elem, v[i - 1], S, at + (i - ct.lo) * step);
}

export function decodeAt(L: Layout, ct: CT, S: Int32Array, at: number): Value {
  if (ct.k !== 'arr') return decodeScalar(L, ct, S[at]);
  const out: Value[] = [];
  const step = sizeOf(ct.elem);
  for (let i = ct.lo; i <= ct.hi; i += 1) out[i - 1] = decodeAt(L, ct.elem, S, at + (i - ct.lo) * step);
  return out;
}

export function encodeState(L: Layout, s: State): Int32Array {
  const S = new Int32Array(L.slots);
  for (const name of L.order) {
    const c = L.cells.get(name)!;
    encodeInto(L, c.ct, s[name], S, c.base);
  }
  return S;
}

export function decodeState(L: Layout, S: Int32Array): State {
  const s: State = {};
  for (const name of L.order) {
    const c = L.cells.get(name)!;
    s[name] = decodeAt(L, c.ct, S, c.base);
  }
  return s;
}
