/**
 * The fixed parts of every compiled runtime module: its interface with the runtime (Bind, Proc,
 * Policy), the value helpers (sets are `{ set: sorted elements }`, as in the engine, so compiled
 * locals compare with interpreted ones directly), and the memory helpers of one step (the read cache
 * and the atomic operations), which close over the shared buffers inside `bind`.
 */

export const MODULE_TYPES = `
/** What the runtime gives a compiled module: the shared buffers, the constants, the fault sink. */
export interface Bind {
  i32: Int32Array;
  i64: BigInt64Array;
  arena: Int32Array;
  consts: Record<string, number | boolean>;
  /** Bytes per block of the arena (a multiple of 8). */
  blockSize: number;
  /** Records an access to an unmapped block (the runtime keeps one report per block and variable). */
  fault(p: Proc, transition: number, variable: string, block: number, access: 'read' | 'write'): void;
  /** Records a refused step: a write outside its variable's declared type (\`detail\`: what, e.g. \`x = 2, outside int(1..1)\`). */
  refuse(p: Proc, transition: number, variable: string, detail: string): void;
  /** Constants the configuration's state constraint reads: a range bounded by one is not enforced. */
  constraintConsts: string[];
  /** Replaces the payload fill at the OS boundary (a benchmark's model of the OS cost). */
  fill?(block: number, byte: number): void;
}

/** One process: its control state, locals and the read cache of its current step. */
export interface Proc {
  id: number;
  /** Index of the current label in META.procTypes[..].labels. */
  pc: number;
  locals: Record<string, any>;
  opCount: number;
  /** Stamp of the step's guard phase (its commit phase stamps g + 1); \`s\` is the current stamp. */
  g: number;
  s: number;
  /** Read cache: stamp and value per 32-bit word (the shared words, then the in-block words). */
  st: Float64Array;
  cv: Int32Array;
  /** Read cache of the 64-bit pairs. */
  pst: Float64Array;
  pcv: BigInt64Array;
  /** Enabled candidates of the step: transition index and choice value. */
  ct: number[];
  ca: number[];
  /** Recording (poolspec stress --record): the read-cache slot of the word the step's atomic write touched (a pair: -2 - k), -1 when none, and the value written. */
  lw: number;
  lv: number;
  lvp: bigint;
}

/** Picks candidate 0..n-1 of p.ct/p.ca, or -1 to decline them all. */
export type Policy = (p: Proc, n: number) => number;

/** A label's step: the index of the transition taken, BLOCKED, RETRY (a CAS lost a race) or REFUSED (a type fault, nothing written). */
export type Step = (p: Proc, pol: Policy) => number;

export const BLOCKED = -1;
export const RETRY = -2;
export const REFUSED = -3;
const NULL = 0;
const BUSY = -1;
`;

export const VALUE_HELPERS = `
type Set_ = { set: any[] };
const cmp = (a: any, b: any): number => (typeof a === 'number' && typeof b === 'number' ? a - b : JSON.stringify(a) < JSON.stringify(b) ? -1 : JSON.stringify(a) > JSON.stringify(b) ? 1 : 0);
function eqv(a: any, b: any): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object') return false;
  const xs = Array.isArray(a) ? a : a.set;
  const ys = Array.isArray(b) ? b : b.set;
  if (Array.isArray(a) !== Array.isArray(b) || xs.length !== ys.length) return false;
  for (let i = 0; i < xs.length; i += 1) if (!eqv(xs[i], ys[i])) return false;
  return true;
}
function mk(xs: any[]): Set_ {
  const s = xs.slice().sort(cmp);
  const out: any[] = [];
  for (const x of s) if (out.length === 0 || !eqv(out[out.length - 1], x)) out.push(x);
  return { set: out };
}
function sHas(s: Set_, x: any): boolean {
  if (typeof x !== 'object') return s.set.includes(x);
  for (const y of s.set) if (eqv(x, y)) return true;
  return false;
}
function sAdd(s: Set_, x: any): Set_ {
  const a = s.set;
  if (typeof x === 'number' && (a.length === 0 || typeof a[0] === 'number')) {
    let i = 0;
    while (i < a.length && a[i] < x) i += 1;
    if (a[i] === x) return s;
    const out = a.slice(0, i);
    out.push(x);
    for (let j = i; j < a.length; j += 1) out.push(a[j]);
    return { set: out };
  }
  if (sHas(s, x)) return s;
  const out = a.slice();
  let i = out.length;
  while (i > 0 && cmp(out[i - 1], x) > 0) i -= 1;
  out.splice(i, 0, x);
  return { set: out };
}
function sDel(s: Set_, x: any): Set_ {
  if (typeof x !== 'object') {
    const i = s.set.indexOf(x);
    if (i < 0) return s;
    const out = s.set.slice();
    out.splice(i, 1);
    return { set: out };
  }
  const out: any[] = [];
  for (const y of s.set) if (!eqv(x, y)) out.push(y);
  return { set: out };
}
const sUnion = (a: Set_, b: Set_): Set_ => mk([...a.set, ...b.set]);
const sMinus = (a: Set_, b: Set_): Set_ => ({ set: a.set.filter((x) => !sHas(b, x)) });
const sInter = (a: Set_, b: Set_): Set_ => ({ set: a.set.filter((x) => sHas(b, x)) });
const sSub = (a: Set_, b: Set_): boolean => a.set.every((x) => sHas(b, x));
const sFilter = (a: Set_, f: (x: any) => boolean): Set_ => ({ set: a.set.filter(f) });
const qAll = (a: Set_, f: (x: any) => boolean): boolean => a.set.every(f);
const qAny = (a: Set_, f: (x: any) => boolean): boolean => a.set.some(f);
function rng(lo: number, hi: number): Set_ {
  const out: number[] = [];
  for (let i = lo; i <= hi; i += 1) out.push(i);
  return { set: out };
}
function mapR(lo: number, hi: number, f: (x: number) => any): any[] {
  const out: any[] = [];
  for (let i = lo; i <= hi; i += 1) out.push(f(i));
  return out;
}
function ap(f: any[], i: number): any {
  if (!Array.isArray(f) || !(i >= 1 && i <= f.length)) throw new RangeError(\`index \${i} is outside the domain 1..\${Array.isArray(f) ? f.length : 0}\`);
  return f[i - 1];
}
function upd(f: any[], i: number, v: any): any[] {
  if (!(i >= 1 && i <= f.length)) return f;
  const out = f.slice();
  out[i - 1] = v;
  return out;
}
function enc(values: readonly string[], v: string): number {
  const i = values.indexOf(v);
  if (i < 0) throw new RangeError(\`value \${JSON.stringify(v)} is not one of \${values.join(', ')}\`);
  return i;
}
const LO32 = 0xffffffffn;
const lo = (r: bigint): number => Number(BigInt.asIntN(32, r & LO32));
const hi = (r: bigint): number => Number(BigInt.asIntN(32, r >> 32n));
const withLo = (r: bigint, n: number): bigint => BigInt.asIntN(64, (r & (LO32 << 32n)) | BigInt.asUintN(32, BigInt(n)));
const withHi = (r: bigint, n: number): bigint => BigInt.asIntN(64, (r & LO32) | (BigInt.asUintN(32, BigInt(n)) << 32n));
`;

/** Memory helpers, inside bind(): WORDS, BK (in-block variables), NB (blocks), BW (words per block) and mapped() in scope. */
export const MEMORY_HELPERS = `
  /** A 32-bit shared or ghost word, loaded once per step (later reads in the step see the same value). */
  function ld(p: Proc, w: number): number {
    if (p.st[w] >= p.g) return p.cv[w];
    p.st[w] = p.s;
    return (p.cv[w] = Atomics.load(i32, w));
  }
  /** A DWCAS pair, loaded once per step. */
  function ldp(p: Proc, k: number): bigint {
    if (p.pst[k] >= p.g) return p.pcv[k];
    p.pst[k] = p.s;
    return (p.pcv[k] = Atomics.load(i64, k));
  }
  /** Index of element i of an array of 32-bit words. */
  function ix(base: number, i: number, len: number): number {
    if (!(i >= 1 && i <= len)) throw new RangeError(\`index \${i} is outside the domain 1..\${len}\`);
    return base + i - 1;
  }
  /** Index in the arena of in-block word \`off\` of block b. */
  function bix(b: number, off: number): number {
    if (!(b >= 1 && b <= NB)) throw new RangeError(\`block \${b} is outside 1..\${NB}\`);
    return (b - 1) * BW + off;
  }
  /** An in-block word, loaded once per step (its cache slot follows the shared words). */
  function ldb(p: Proc, b: number, off: number): number {
    const c = WORDS + (b - 1) * BK + off;
    const a = bix(b, off);
    if (p.st[c] >= p.g) return p.cv[c];
    p.st[c] = p.s;
    return (p.cv[c] = Atomics.load(arena, a));
  }
  /** The mapped check, then the read: an unmapped block is a fault (reported in the commit phase, tx >= 0). */
  function rdb(p: Proc, tx: number, off: number, name: string, b: number): number {
    bix(b, off);
    if (tx >= 0 && !mapped(p, b)) rt.fault(p, tx, name, b, 'read');
    return ldb(p, b, off);
  }
  /** CAS on a 32-bit word against the value this step read. */
  function casw(p: Proc, w: number, nv: number): boolean {
    const r = ld(p, w);
    return Atomics.compareExchange(i32, w, r, nv) === r;
  }
  function casb(p: Proc, b: number, off: number, nv: number): boolean {
    const r = ldb(p, b, off);
    return Atomics.compareExchange(arena, bix(b, off), r, nv) === r;
  }
  /** XCHG: the step's later reads of the word see the value it replaced. */
  function xchg(p: Proc, w: number, nv: number): void {
    const old = Atomics.exchange(i32, w, nv);
    p.st[w] = p.s;
    p.cv[w] = old;
  }
  function xchgb(p: Proc, b: number, off: number, nv: number): void {
    const old = Atomics.exchange(arena, bix(b, off), nv);
    const c = WORDS + (b - 1) * BK + off;
    p.st[c] = p.s;
    p.cv[c] = old;
  }
  /** A ghost write after the linearization point: CAS from the value read (when read and changed), else a store. */
  function gset(p: Proc, w: number, nv: number): void {
    if (p.st[w] >= p.g) {
      const r = p.cv[w];
      if (r !== nv) Atomics.compareExchange(i32, w, r, nv);
    } else Atomics.store(i32, w, nv);
  }
  /** A ghost word as the linearization point (no shared write): CAS from the value the guard read. */
  function gcas(p: Proc, w: number, nv: number): boolean {
    const r = p.cv[w];
    return Atomics.compareExchange(i32, w, r, nv) === r;
  }
  /** A write to one half of a pair that nothing read: a CAS loop keeps the other half. */
  function storeHalf(k: number, half: 0 | 1, n: number): void {
    for (;;) {
      const r = Atomics.load(i64, k);
      if (Atomics.compareExchange(i64, k, r, half === 0 ? withLo(r, n) : withHi(r, n)) === r) return;
    }
  }
  /** A write outside its declared type: the step is refused before anything is written (a type fault). */
  function refuse(p: Proc, tx: number, name: string, index: unknown, v: unknown, type: string): number {
    const what = index === undefined ? name : \`\${name}[\${JSON.stringify(index)}]\`;
    rt.refuse(p, tx, name, \`\${what} = \${JSON.stringify(v)}, outside \${type}\`);
    return REFUSED;
  }
  /** Payload fill after the in-block words: poison when a block goes to the OS, zero when it comes back. */
  function fill(b: number, byte: number): void {
    if (rt.fill) return rt.fill(b, byte);
    const start = (b - 1) * BW;
    arena.fill(byte * 0x01010101 | 0, start + 2, start + BW);
  }
`;
