/**
 * The worker side of `stress --record`: every step a thread takes becomes one event in a per-thread
 * buffer (typed arrays, no objects on the hot path): the transition, its choice value, the word its
 * atomic operation touched with the value read and the value written, and a time window.
 *
 * The window costs one clock read per step: the read after step i is both step i's `after` and step
 * i+1's `before`, so every window contains all of its step's atomic operations (the retries of a lost
 * CAS and a perturbation spin included: wider, never wrong). The clock is `performance.now()` (the
 * monotonic clock libuv reads, in ms from the worker's own origin; cheaper here than
 * `process.hrtime.bigint()`), tied to the shared CLOCK_MONOTONIC by a calibration bracket
 * `hrtime, performance.now(), hrtime` taken when the run starts: main-side conversion widens every
 * window by that bracket, so the windows stay sound across threads.
 *
 * With `lastK` the buffer is a ring holding the thread's last K events (a run cut to its last K
 * events needs at most K of each thread).
 */
import type { CompiledProcess } from '../../runtime/compiled/process.ts';
import type { Candidate, RuntimeProcess } from '../../runtime/process.ts';
import { wordKey, type Raw, type Word } from '../../runtime/memory.ts';
import type { Layout } from '../../runtime/layout.ts';
import type { Model, Transition } from '../../dsl/ir.ts';
import { readsOf } from '../../dsl/print.ts';

/** Whether a transition reads or writes any variable (guard, choices, effects); false: only its thread's locals and pc. */
export function touchesVars(m: Model, t: Transition): boolean {
  const names = new Set(m.vars.map((v) => v.name));
  const reads = readsOf(t.guard, ...t.params.map((p) => p.over), ...t.effects.flatMap((a) => [a.value, a.target.index]));
  return [...reads].some((n) => names.has(n)) || t.effects.some((a) => a.target.kind === 'var');
}

/** Integers per event: transition, choice value, flags (word kind | has read | has write | has choice), word index, read lo/hi, written lo/hi. */
export const INTS = 8;
export const I = { TX: 0, ARG: 1, FLAGS: 2, WI: 3, R: 4, RH: 5, W: 6, WH: 7 } as const;
/** Word kinds (flags & 3): none, a 32-bit word (WI its index), a word in a block (WI = block * 64 + offset), a 64-bit pair (WI its slot). */
export const WK = { NONE: 0, WORD: 1, BLOCK: 2, PAIR: 3 } as const;
export const HAS_READ = 4;
export const HAS_WRITE = 8;
export const HAS_ARG = 16;

/** A thread's recorded events, in program order, as the worker hands them to the main thread. */
export interface ThreadLog {
  ints: Int32Array;
  /** before, after per event (the worker's performance.now(), ms). */
  times: Float64Array;
  count: number;
  /** Events taken before the ring's window (record-last). */
  dropped: number;
  /** Calibration: hrtime (ns, as strings) just before and after `perfMs`. */
  calib: { h1: string; perfMs: number; h2: string };
}

/** Events per chunk of an unbounded log: chunks are never copied while the run goes on. */
const CHUNK = 1 << 16;

export class StepLog {
  private ints: Int32Array;
  private times: Float64Array;
  /** Full chunks (unbounded log). */
  private readonly full: { ints: Int32Array; times: Float64Array }[] = [];
  private n = 0;
  /** Events in the current chunk (unbounded) or the ring's capacity. */
  private k = 0;
  private readonly cap: number;
  private last = 0;
  private calib = { h1: '0', perfMs: 0, h2: '0' };

  constructor(private readonly lastK?: number) {
    this.cap = lastK ?? CHUNK;
    this.ints = new Int32Array(this.cap * INTS);
    this.times = new Float64Array(this.cap * 2);
  }

  /** Called once, right before the thread's first step. */
  start(): void {
    const h1 = process.hrtime.bigint();
    const q = performance.now();
    const h2 = process.hrtime.bigint();
    this.calib = { h1: String(h1), perfMs: q, h2: String(h2) };
    this.last = performance.now();
  }

  /** A full buffer is kept (whole run) or overwritten from its start (the last K events). */
  private roll(): void {
    if (this.k === this.cap) {
      if (this.lastK === undefined) {
        this.full.push({ ints: this.ints, times: this.times });
        this.ints = new Int32Array(this.cap * INTS);
        this.times = new Float64Array(this.cap * 2);
      }
      this.k = 0;
    }
  }

  push(tx: number, arg: number, flags: number, wi: number, r: number, rh: number, w: number, wh: number): void {
    const t = performance.now();
    this.roll();
    const slot = this.k;
    const o = slot * INTS;
    const a = this.ints;
    a[o] = tx; a[o + 1] = arg; a[o + 2] = flags; a[o + 3] = wi; a[o + 4] = r; a[o + 5] = rh; a[o + 6] = w; a[o + 7] = wh;
    this.times[slot * 2] = this.last;
    this.times[slot * 2 + 1] = t;
    this.last = t;
    this.k += 1;
    this.n += 1;
  }

  /**
   * A step that touches no variable (only its thread's locals and control state) reads no clock: its
   * window starts at the last clock read and ends at the next one (filled in by finish()), which
   * still holds the step, and saves a clock read on the hot path.
   */
  pushLocal(tx: number, arg: number, flags: number): void {
    this.roll();
    const o = this.k * INTS;
    const a = this.ints;
    a[o] = tx; a[o + 1] = arg; a[o + 2] = flags; a[o + 3] = 0; a[o + 4] = 0; a[o + 5] = 0; a[o + 6] = 0; a[o + 7] = 0;
    this.times[this.k * 2] = this.last;
    this.times[this.k * 2 + 1] = NaN;
    this.k += 1;
    this.n += 1;
  }

  /** The events in program order (chunks joined, a ring unrolled); open windows closed at the next clock read. */
  finish(): ThreadLog {
    const log = this.collect();
    let next = performance.now();
    for (let i = log.count - 1; i >= 0; i -= 1) {
      if (Number.isNaN(log.times[2 * i + 1])) log.times[2 * i + 1] = next;
      else next = log.times[2 * i + 1];
    }
    return log;
  }

  private collect(): ThreadLog {
    if (this.lastK === undefined) {
      const count = this.n;
      const ints = new Int32Array(count * INTS);
      const times = new Float64Array(count * 2);
      let at = 0;
      for (const c of [...this.full, { ints: this.ints.subarray(0, this.k * INTS), times: this.times.subarray(0, this.k * 2) }]) {
        ints.set(c.ints, at * INTS);
        times.set(c.times, at * 2);
        at += c.times.length / 2;
      }
      return { ints, times, count, dropped: 0, calib: this.calib };
    }
    const count = Math.min(this.n, this.cap);
    if (this.n <= this.cap) {
      return { ints: this.ints.slice(0, count * INTS), times: this.times.slice(0, count * 2), count, dropped: 0, calib: this.calib };
    }
    const start = this.k;
    const ints = new Int32Array(count * INTS);
    const times = new Float64Array(count * 2);
    ints.set(this.ints.subarray(start * INTS), 0);
    ints.set(this.ints.subarray(0, start * INTS), (count - start) * INTS);
    times.set(this.times.subarray(start * 2), 0);
    times.set(this.times.subarray(0, start * 2), (count - start) * 2);
    return { ints, times, count, dropped: this.n - count, calib: this.calib };
  }
}

/** Which words of the layout are shared (not ghost): the words a read-only step is linearized at. */
function sharedWords(l: Layout): { words: number[]; blockOffsets: number[]; pairs: number[] } {
  const words: number[] = [];
  const blockOffsets: number[] = [];
  const pairs = new Set<number>();
  for (const v of l.vars.values()) {
    if (v.decl.role !== 'shared') continue;
    if (v.where === 'pair') pairs.add(v.base);
    else if (v.where === 'block') blockOffsets.push(v.base);
    else for (let i = 0; i < (v.isArray ? v.length : 1); i += 1) words.push(v.base + i);
  }
  return { words, blockOffsets, pairs: [...pairs] };
}

const LO = 0xffffffffn;
const lo32 = (r: bigint) => Number(BigInt.asIntN(32, r & LO));
const hi32 = (r: bigint) => Number(BigInt.asIntN(32, r >> 32n));

/** Records every step of a compiled process (its onStep hook). */
export function recordCompiled(proc: CompiledProcess, log: StepLog): void {
  const p = proc.p;
  const l = proc.shared.layout;
  const WORDS = l.wordCount;
  const BK = [...l.vars.values()].filter((v) => v.where === 'block').length;
  const { words, blockOffsets, pairs } = sharedWords(l);
  const blockSlots: { slot: number; wi: number }[] = [];
  for (let b = 1; b <= l.blockCount; b += 1) for (const off of blockOffsets) blockSlots.push({ slot: WORDS + (b - 1) * BK + off, wi: b * 64 + off });
  const hasArg = proc.pt.transitions.map((t) => t.params.length > 0);
  const local = proc.pt.transitions.map((t) => !touchesVars(proc.model, t));
  proc.onStep = (tx: number) => {
    const arg = hasArg[tx] ? p.ca[proc.lastPick] : 0;
    const af = hasArg[tx] ? HAS_ARG : 0;
    if (local[tx]) { log.pushLocal(tx, arg, af); return; }
    const g = p.g;
    const lw = p.lw;
    if (lw >= 0) {
      const read = p.st[lw] >= g;
      const r = read ? p.cv[lw] : 0;
      if (lw < WORDS) log.push(tx, arg, af | WK.WORD | HAS_WRITE | (read ? HAS_READ : 0), lw, r, 0, p.lv, 0);
      else {
        const x = lw - WORDS;
        log.push(tx, arg, af | WK.BLOCK | HAS_WRITE | (read ? HAS_READ : 0), (Math.floor(x / BK) + 1) * 64 + (x % BK), r, 0, p.lv, 0);
      }
      return;
    }
    if (lw <= -2) {
      const k = -2 - lw;
      const read = p.pst[k] >= g;
      const r = read ? p.pcv[k] : 0n;
      log.push(tx, arg, af | WK.PAIR | HAS_WRITE | (read ? HAS_READ : 0), k, lo32(r), hi32(r), lo32(p.lvp), hi32(p.lvp));
      return;
    }
    // No atomic write: the one shared word the step read, if any (a plain load).
    for (let i = 0; i < words.length; i += 1) {
      const w = words[i];
      if (p.st[w] >= g) { log.push(tx, arg, af | WK.WORD | HAS_READ, w, p.cv[w], 0, 0, 0); return; }
    }
    for (let i = 0; i < blockSlots.length; i += 1) {
      const s = blockSlots[i];
      if (p.st[s.slot] >= g) { log.push(tx, arg, af | WK.BLOCK | HAS_READ, s.wi, p.cv[s.slot], 0, 0, 0); return; }
    }
    for (let i = 0; i < pairs.length; i += 1) {
      const k = pairs[i];
      if (p.pst[k] >= g) { log.push(tx, arg, af | WK.PAIR | HAS_READ, k, lo32(p.pcv[k]), hi32(p.pcv[k]), 0, 0); return; }
    }
    log.push(tx, arg, af, 0, 0, 0, 0, 0);
  };
}

function wordCode(w: Word): [number, number] {
  if (w.kind === 'i32') return [WK.WORD, w.index];
  if (w.kind === 'block') return [WK.BLOCK, w.block * 64 + w.offset];
  return [WK.PAIR, w.index];
}

function split(raw: Raw): [number, number] {
  return typeof raw === 'bigint' ? [lo32(raw), hi32(raw)] : [raw, 0];
}

/** Records every step of an interpreted process (its onStep hook). */
export function recordInterpreted(proc: RuntimeProcess, log: StepLog): void {
  const { words, blockOffsets, pairs } = sharedWords(proc.shared.layout);
  const sharedKeys = new Set<string>([
    ...words.map((i) => wordKey({ kind: 'i32', index: i })),
    ...pairs.map((i) => wordKey({ kind: 'pair', index: i })),
  ]);
  const blockShared = new Set(blockOffsets);
  const txOf = new Map(proc.pt.transitions.map((t, i) => [t, i]));
  const local = proc.pt.transitions.map((t) => !touchesVars(proc.model, t));
  proc.onStep = (pick: Candidate, reads) => {
    const tx = txOf.get(pick.t)!;
    const params = pick.t.params;
    const arg = params.length ? (pick.args[params[0].name] as number) : 0;
    const af = params.length ? HAS_ARG : 0;
    if (local[tx]) { log.pushLocal(tx, arg, af); return; }
    const lw = proc.lastWrite;
    if (lw) {
      const read = reads.get(wordKey(lw.word));
      const [kind, wi] = wordCode(lw.word);
      const [r, rh] = read ? split(read.raw) : [0, 0];
      const [w, wh] = split(lw.raw);
      log.push(tx, arg, af | kind | HAS_WRITE | (read ? HAS_READ : 0), wi, r, rh, w, wh);
      return;
    }
    for (const [k, { word, raw }] of reads) {
      if (!(sharedKeys.has(k) || (word.kind === 'block' && blockShared.has(word.offset)))) continue;
      const [kind, wi] = wordCode(word);
      const [r, rh] = split(raw);
      log.push(tx, arg, af | kind | HAS_READ, wi, r, rh, 0, 0);
      return;
    }
    log.push(tx, arg, af, 0, 0, 0, 0, 0);
  };
}
