/**
 * The shared memory of a running pool and its atomic operations. A "word" is what one hardware
 * atomic operation covers: a 32-bit slot, a 64-bit DWCAS pair, or a word inside a block. Every access
 * goes through Atomics: load, store, exchange (XCHG) and compareExchange (CAS, DWCAS).
 */
import type { Layout, VarLayout } from './layout.ts';

export interface Buffers {
  words: SharedArrayBuffer;
  pairs: SharedArrayBuffer;
  arena: SharedArrayBuffer;
}

/** A word of shared memory; `raw` values are numbers for 32-bit words and bigints for pairs. */
export type Word =
  | { kind: 'i32'; index: number }
  | { kind: 'block'; block: number; offset: number }
  | { kind: 'pair'; index: number };

export type Raw = number | bigint;

export const wordKey = (w: Word): string =>
  w.kind === 'i32' ? `w${w.index}` : w.kind === 'pair' ? `p${w.index}` : `b${w.block}.${w.offset}`;

export function allocateBuffers(l: Layout): Buffers {
  return {
    words: new SharedArrayBuffer(Math.max(4, l.wordCount * 4)),
    pairs: new SharedArrayBuffer(Math.max(8, l.pairCount * 8)),
    arena: new SharedArrayBuffer(Math.max(8, l.blockCount * l.blockSize)),
  };
}

const LO = 0xffffffffn;

export class Memory {
  readonly i32: Int32Array;
  readonly i64: BigInt64Array;
  readonly arena: Int32Array;

  constructor(readonly layout: Layout, readonly buffers: Buffers) {
    this.i32 = new Int32Array(buffers.words);
    this.i64 = new BigInt64Array(buffers.pairs);
    this.arena = new Int32Array(buffers.arena);
  }

  /** The word holding element `i` (1-based for arrays, ignored for scalars) of a variable. */
  wordOf(v: VarLayout, i = 1): Word {
    if (v.where === 'pair') return { kind: 'pair', index: v.base };
    if (v.where === 'block') return { kind: 'block', block: i, offset: v.base };
    return { kind: 'i32', index: v.base + (v.isArray ? i - 1 : 0) };
  }

  private blockIndex(w: { block: number; offset: number }): number {
    if (w.block < 1 || w.block > this.layout.blockCount) throw new RangeError(`block ${w.block} is outside 1..${this.layout.blockCount}`);
    return ((w.block - 1) * this.layout.blockSize) / 4 + w.offset;
  }

  load(w: Word): Raw {
    if (w.kind === 'pair') return Atomics.load(this.i64, w.index);
    if (w.kind === 'block') return Atomics.load(this.arena, this.blockIndex(w));
    return Atomics.load(this.i32, w.index);
  }

  store(w: Word, raw: Raw): void {
    if (w.kind === 'pair') Atomics.store(this.i64, w.index, raw as bigint);
    else if (w.kind === 'block') Atomics.store(this.arena, this.blockIndex(w), raw as number);
    else Atomics.store(this.i32, w.index, raw as number);
  }

  /** XCHG: returns the previous value. */
  exchange(w: Word, raw: Raw): Raw {
    if (w.kind === 'pair') return Atomics.exchange(this.i64, w.index, raw as bigint);
    if (w.kind === 'block') return Atomics.exchange(this.arena, this.blockIndex(w), raw as number);
    return Atomics.exchange(this.i32, w.index, raw as number);
  }

  /** CAS (DWCAS on a pair): true when the word held `expected` and now holds `raw`. */
  compareExchange(w: Word, expected: Raw, raw: Raw): boolean {
    if (w.kind === 'pair') return Atomics.compareExchange(this.i64, w.index, expected as bigint, raw as bigint) === expected;
    if (w.kind === 'block') return Atomics.compareExchange(this.arena, this.blockIndex(w), expected as number, raw as number) === expected;
    return Atomics.compareExchange(this.i32, w.index, expected as number, raw as number) === expected;
  }

  /**
   * Fill a block's payload (after its in-block words) with a byte pattern: poison when the block goes
   * back to the OS, zero when it comes from the OS, as fresh memory does. Filled through 32-bit words:
   * byte fills of a SharedArrayBuffer are several times slower here.
   */
  fillPayload(block: number, byte: number): void {
    const words = this.layout.blockSize / 4;
    const start = (block - 1) * words;
    this.arena.fill(byte * 0x01010101 | 0, start + 2, start + words);
  }
}

/** The value of one variable inside a raw word. */
export function extract(v: VarLayout, raw: Raw): number {
  if (v.where !== 'pair') return raw as number;
  const r = raw as bigint;
  return Number(BigInt.asIntN(32, v.half === 0 ? r & LO : r >> 32n));
}

/** A raw word with one variable's part replaced. */
export function replace(v: VarLayout, raw: Raw, n: number): Raw {
  if (v.where !== 'pair') return n;
  const r = raw as bigint;
  const part = BigInt.asUintN(32, BigInt(n));
  return BigInt.asIntN(64, v.half === 0 ? (r & (LO << 32n)) | part : (r & LO) | (part << 32n));
}
