/**
 * Where every shared and ghost variable of a Model lives in shared memory.
 *
 * - Scalars and array elements are 32-bit words of one SharedArrayBuffer (`words`).
 * - A DWCAS pair (`p.pair(head, seq)`) is one 64-bit word: the first variable in the low half,
 *   the second in the high half, so a DWCAS is one `Atomics.compareExchange` on a BigInt64Array.
 * - `inBlock` variables (the link word `next[b]`) live inside the blocks of the arena: element b is
 *   the first 32-bit word of block b, exactly where HAProxy keeps `*POOL_LINK(pool, b)`.
 *
 * Values are encoded as integers: booleans 0/1, enums by their index, pointers and ints as is.
 */
import type { Model, Type, VarDecl } from '../dsl/ir.ts';
import { bound, procIds } from '../engine/eval.ts';
import type { Value } from '../engine/value.ts';

export type Scalar = Extract<Type, { kind: 'bool' | 'int' | 'ptr' | 'enum' | 'proc' }>;

export interface VarLayout {
  decl: VarDecl;
  elem: Scalar;
  /** Number of elements: 1 for a scalar, the highest index for an array (indices start at 1). */
  length: number;
  /**
   * The first index an array defines: 1, or the first id of a process type whose ids do not start
   * at 1 (the slots below it are unused, so `x[i]` stays word `i`).
   */
  lo: number;
  isArray: boolean;
  /** 'words': 32-bit slot `base + i`; 'pair': 64-bit slot `base`, half `half`; 'block': word `base` of block i+1. */
  where: 'words' | 'pair' | 'block';
  base: number;
  half?: 0 | 1;
}

export interface Layout {
  model: Model;
  consts: Record<string, number | boolean>;
  vars: Map<string, VarLayout>;
  /** Sizes in 32-bit words / 64-bit words, and the block arena. */
  wordCount: number;
  pairCount: number;
  blockSize: number;
  blockCount: number;
}

export class LayoutError extends Error {}

const num = (consts: Record<string, number | boolean>, x: number | string): number =>
  typeof x === 'number' ? x : (consts[x] as number);

export function encode(t: Scalar, v: Value): number {
  if (t.kind === 'bool') return v ? 1 : 0;
  if (t.kind === 'enum') {
    const i = t.values.indexOf(v as string);
    if (i < 0) throw new LayoutError(`value ${JSON.stringify(v)} is not one of ${t.values.join(', ')}`);
    return i;
  }
  return v as number;
}

export function decode(t: Scalar, n: number): Value {
  if (t.kind === 'bool') return n !== 0;
  if (t.kind === 'enum') return t.values[n];
  return n;
}

/** Lays out a model's variables; `blockSize` bytes per block (a multiple of 8, at least 8). */
export function layout(model: Model, consts: Record<string, number | boolean>, blockSize = 64): Layout {
  if (blockSize < 8 || blockSize % 8 !== 0) throw new LayoutError(`block size must be a multiple of 8 bytes, got ${blockSize}`);
  const vars = new Map<string, VarLayout>();
  let words = 0;
  let pairs = 0;
  let blockWords = 0;
  const pairOf = new Map<string, { slot: number; half: 0 | 1 }>();
  for (const [a, b] of model.pairs) {
    pairOf.set(a, { slot: pairs, half: 0 });
    pairOf.set(b, { slot: pairs, half: 1 });
    pairs += 1;
  }
  const blockSet = model.memory?.blocks ?? model.blockSets[0]?.name;
  const blockCount = blockSet ? num(consts, model.blockSets.find((b) => b.name === blockSet)!.size) : 0;
  for (const v of model.vars) {
    const isArray = v.type.kind === 'array';
    const elem = (v.type.kind === 'array' ? v.type.of : v.type) as Type;
    if (!['bool', 'int', 'ptr', 'enum', 'proc'].includes(elem.kind)) {
      throw new LayoutError(`the runtime keeps shared and ghost variables as integers; ${v.name} is a ${elem.kind}`);
    }
    let length = 1;
    let lo = 1;
    if (v.type.kind === 'array') {
      const d = v.type.index;
      if (d.kind === 'procs') {
        const ids = procIds(model, consts, d.procType);
        lo = ids[0] ?? 1;
        length = ids[ids.length - 1] ?? 0;
      } else {
        const env = { model, consts, state: {}, bound: new Map() };
        if (bound(env, d.lo) !== 1) throw new LayoutError(`array ${v.name}: the runtime supports index ranges 1..K and process ids`);
        length = bound(env, d.hi);
      }
    }
    const pair = pairOf.get(v.name);
    if (pair) {
      if (isArray) throw new LayoutError(`pair member ${v.name} must be a scalar`);
      vars.set(v.name, { decl: v, elem: elem as Scalar, length, lo, isArray, where: 'pair', base: pair.slot, half: pair.half });
    } else if (v.inBlock) {
      if (!isArray || length !== blockCount) throw new LayoutError(`inBlock variable ${v.name} must be an array over the block set`);
      // The k-th in-block variable is word k of every block (the link word is the first).
      vars.set(v.name, { decl: v, elem: elem as Scalar, length, lo, isArray, where: 'block', base: blockWords });
      blockWords += 1;
      if (blockWords * 4 > blockSize) throw new LayoutError(`block size ${blockSize} is too small for ${blockWords} in-block words`);
    } else {
      vars.set(v.name, { decl: v, elem: elem as Scalar, length, lo, isArray, where: 'words', base: words });
      words += length;
    }
  }
  return { model, consts, vars, wordCount: words, pairCount: pairs, blockSize, blockCount };
}
