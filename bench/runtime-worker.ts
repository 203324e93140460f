/**
 * One thread of `npm run bench:runtime` (started through src/runtime/worker-entry.js, which registers
 * tsx). Two jobs:
 *
 * - `pool`: attach to the shared pool and do `alloc()` + `free()` pairs until the deadline, counting
 *   pairs. Besides the count it records how often the thread crossed the OS boundary (a step that
 *   maps or unmaps a block, read off the model's own `mapped := TRUE/FALSE` effects), how much time the
 *   runtime spent filling blocks for it (Memory.fillPayload, timed in place), and which branches were
 *   taken that the policy excludes (so a weight of 0 that still gets picked would show up).
 *   With `osCost: 'fresh'` the runtime's fill is replaced by what a fresh allocation costs in this
 *   process: each block taken from the OS is a new ArrayBuffer of the block size with every byte
 *   written, kept alive until the block goes back to the OS, then dropped for the GC to free.
 * - `atomics`: hammer one word with Atomics.exchange / compareExchange (Int32Array) or a 64-bit
 *   compareExchange (BigInt64Array, the DWCAS the runtime uses) until the deadline.
 *
 * Both wait on a shared start gate after posting `ready`, so every thread starts together.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { Transition } from '../src/dsl/ir.ts';
import { PoolThread, type Policy } from '../src/runtime/pool.ts';
import type { StepResult } from '../src/runtime/process.ts';
import type { SharedDesc } from '../src/runtime/shared.ts';
import { CompiledPoolThread } from '../src/runtime/compiled/pool-thread.ts';
import { instantiate } from '../src/runtime/compiled/instantiate.ts';
import { HandwrittenBusyPool } from './handwritten-busy.ts';

export type AtomicOp = 'xchg' | 'cas' | 'dwcas';

export type BenchWorkerInput = { entry: string; gate: SharedArrayBuffer; seconds: number; warmup: number } & (
  | {
    job: 'pool'; desc: SharedDesc; id: number; seed: number; policy: Policy; osCost: 'runtime' | 'fresh'; excluded: string[];
    /** The compiled module's JavaScript: run the compiled runtime (absent: the interpreter). */
    compiledJs?: string;
  }
  | { job: 'atomics'; op: AtomicOp; word: SharedArrayBuffer }
  | { job: 'handwritten'; words: SharedArrayBuffer; arena: SharedArrayBuffer; blocks: number; blockSize: number; id: number }
);

export interface PoolWorkerOutput {
  job: 'pool';
  id: number;
  pairs: number;
  /** alloc() calls that returned null (every block in use). */
  failed: number;
  seconds: number;
  steps: number;
  osTakes: number;
  osGives: number;
  /** Calls of the runtime's Memory.fillPayload by this thread, and their total time. */
  fills: number;
  fillSeconds: number;
  /** Time spent charging fresh allocations (osCost 'fresh'). */
  freshSeconds: number;
  /** Transitions taken whose branch the policy weights at 0, by name. */
  excludedTaken: Record<string, number>;
  faults: number;
  error?: string;
}

export interface AtomicsWorkerOutput {
  job: 'atomics';
  ops: number;
  /** compareExchange calls that found the expected value (all of them for xchg). */
  successes: number;
  seconds: number;
}

export type BenchWorkerOutput = PoolWorkerOutput | AtomicsWorkerOutput;

const input = workerData as BenchWorkerInput;
const gate = new Int32Array(input.gate);

function startGate(): number {
  parentPort!.postMessage('ready');
  Atomics.wait(gate, 0, 0);
  return performance.now();
}

const branchOf = (t: Transition) => t.name.slice(t.from.length + 1);

/** +1 when the transition maps a block (taken from the OS), -1 when it unmaps one, else 0. */
function osDirection(t: Transition): number {
  for (const a of t.effects) {
    if (a.target.kind === 'var' && a.target.name === 'mapped' && a.value.op === 'lit') return a.value.value === true ? 1 : -1;
  }
  return 0;
}

function handwrittenJob(inp: Extract<BenchWorkerInput, { job: 'handwritten' }>): PoolWorkerOutput {
  const pool = new HandwrittenBusyPool(inp.words, inp.arena, inp.blocks, inp.blockSize);
  const out: PoolWorkerOutput = {
    job: 'pool', id: inp.id, pairs: 0, failed: 0, seconds: 0, steps: 0, osTakes: 0, osGives: 0,
    fills: 0, fillSeconds: 0, freshSeconds: 0, excludedTaken: {}, faults: 0,
  };
  const warm = performance.now() + inp.warmup * 1000;
  while (performance.now() < warm) {
    for (let i = 0; i < 256; i += 1) {
      const b = pool.alloc();
      if (b !== 0) pool.free(b);
    }
  }
  const t0 = startGate();
  const deadline = t0 + inp.seconds * 1000;
  while (performance.now() < deadline) {
    for (let i = 0; i < 256; i += 1) {
      const b = pool.alloc();
      if (b !== 0) { pool.free(b); out.pairs += 1; } else out.failed += 1;
    }
  }
  out.seconds = (performance.now() - t0) / 1000;
  return out;
}

/** The compiled runtime: the same pairs, OS crossings counted from the transition indices stepWith returns. */
function compiledJob(inp: Extract<BenchWorkerInput, { job: 'pool' }>): PoolWorkerOutput {
  const thread = new CompiledPoolThread(inp.desc, inp.id, inp.seed, instantiate(inp.compiledJs!), inp.policy);
  const proc = thread.proc;
  const mem = proc.shared.memory;
  const size = inp.desc.blockSize;
  const out: PoolWorkerOutput = {
    job: 'pool', id: inp.id, pairs: 0, failed: 0, seconds: 0, steps: 0, osTakes: 0, osGives: 0,
    fills: 0, fillSeconds: 0, freshSeconds: 0, excludedTaken: {}, faults: 0,
  };
  const fresh: Uint8Array[] = [];
  if (inp.osCost === 'fresh') {
    // The OS cost: a fresh allocation of the block size, first touch of every page, dropped on give-back.
    mem.fillPayload = () => { out.fills += 1; };
    const dir = proc.pt.transitions.map(osDirection);
    const excluded = proc.pt.transitions.map((t) => inp.excluded.includes(branchOf(t)));
    const step = proc.stepWith.bind(proc);
    proc.stepWith = (pol) => {
      const r = step(pol);
      if (r < 0) return r;
      if (dir[r] === 1) {
        out.osTakes += 1;
        const t0 = performance.now();
        const b = new Uint8Array(new ArrayBuffer(size));
        for (let i = 0; i < size; i += 4096) b[i] = 1;
        fresh.push(b);
        out.freshSeconds += (performance.now() - t0) / 1000;
      } else if (dir[r] === -1) {
        out.osGives += 1;
        fresh.pop();
      }
      if (excluded[r]) out.excludedTaken[proc.pt.transitions[r].name] = (out.excludedTaken[proc.pt.transitions[r].name] ?? 0) + 1;
      return r;
    };
  }
  const cycle = () => {
    const b = thread.alloc();
    if (b !== null) { thread.free(b); out.pairs += 1; } else out.failed += 1;
  };
  try {
    const warm = performance.now() + inp.warmup * 1000;
    while (performance.now() < warm) for (let i = 0; i < 64; i += 1) cycle();
  } catch (err) {
    out.error = (err as Error).message;
  }
  Object.assign(out, { pairs: 0, failed: 0, osTakes: 0, osGives: 0, fills: 0, freshSeconds: 0 });
  const steps0 = proc.stepCount;
  const faults0 = thread.faultCount;
  const t0 = startGate();
  const deadline = t0 + inp.seconds * 1000;
  try {
    while (out.error === undefined && performance.now() < deadline) for (let i = 0; i < 64; i += 1) cycle();
  } catch (err) {
    out.error = (err as Error).message;
  }
  out.seconds = (performance.now() - t0) / 1000;
  out.steps = proc.stepCount - steps0;
  out.faults = thread.faultCount - faults0;
  return out;
}

function poolJob(inp: Extract<BenchWorkerInput, { job: 'pool' }>): PoolWorkerOutput {
  if (inp.compiledJs) return compiledJob(inp);
  const thread = new PoolThread(inp.desc, inp.id, inp.seed, inp.policy);
  const proc = thread.proc;
  const mem = proc.shared.memory;
  const size = inp.desc.blockSize;
  const out: PoolWorkerOutput = {
    job: 'pool', id: inp.id, pairs: 0, failed: 0, seconds: 0, steps: 0, osTakes: 0, osGives: 0,
    fills: 0, fillSeconds: 0, freshSeconds: 0, excludedTaken: {}, faults: 0,
  };

  // Fresh-allocation charge: the blocks this thread holds from the OS, as real ArrayBuffers.
  const fresh: Uint8Array[] = [];
  const takeFresh = () => {
    const t0 = performance.now();
    const b = new Uint8Array(new ArrayBuffer(size));
    for (let i = 0; i < size; i += 4096) b[i] = 1;
    fresh.push(b);
    out.freshSeconds += (performance.now() - t0) / 1000;
  };

  // The runtime's own OS cost, timed where it happens (or replaced by the fresh charge).
  const fill = mem.fillPayload.bind(mem);
  mem.fillPayload = inp.osCost === 'fresh'
    ? () => { out.fills += 1; }
    : (block: number, byte: number) => {
      const t0 = performance.now();
      fill(block, byte);
      out.fillSeconds += (performance.now() - t0) / 1000;
      out.fills += 1;
    };

  // Watch the steps: OS crossings and excluded branches (identity checks only, to stay cheap).
  const dir = new Map<Transition, number>();
  const excluded = new Set<Transition>();
  for (const t of proc.pt.transitions) {
    const d = osDirection(t);
    if (d !== 0) dir.set(t, d);
    if (inp.excluded.includes(branchOf(t))) excluded.add(t);
  }
  const step = proc.step.bind(proc);
  proc.step = (choose): StepResult | null => {
    const r = step(choose);
    if (r === null) return r;
    const d = dir.get(r.transition);
    if (d === 1) {
      out.osTakes += 1;
      if (inp.osCost === 'fresh') takeFresh();
    } else if (d === -1) {
      out.osGives += 1;
      if (inp.osCost === 'fresh') fresh.pop();
    }
    if (excluded.has(r.transition)) out.excludedTaken[r.transition.name] = (out.excludedTaken[r.transition.name] ?? 0) + 1;
    return r;
  };

  // Warm-up (not counted): let the JIT compile the interpreter's hot paths before the clock starts.
  try {
    const warm = performance.now() + inp.warmup * 1000;
    while (performance.now() < warm) {
      const b = thread.alloc();
      if (b !== null) thread.free(b);
    }
  } catch (err) {
    out.error = (err as Error).message;
  }
  Object.assign(out, { steps: 0, osTakes: 0, osGives: 0, fills: 0, fillSeconds: 0, freshSeconds: 0, faults: 0 });
  const steps0 = proc.stepCount;
  const faults0 = thread.faultCount;

  const t0 = startGate();
  const deadline = t0 + inp.seconds * 1000;
  try {
    while (out.error === undefined && performance.now() < deadline) {
      const b = thread.alloc();
      if (b !== null) {
        thread.free(b);
        out.pairs += 1;
      } else {
        out.failed += 1;
      }
    }
  } catch (err) {
    out.error = (err as Error).message;
  }
  out.seconds = (performance.now() - t0) / 1000;
  out.steps = proc.stepCount - steps0;
  out.faults = thread.faultCount - faults0;
  return out;
}

function atomicsJob(inp: Extract<BenchWorkerInput, { job: 'atomics' }>): AtomicsWorkerOutput {
  const BATCH = 4096;
  let ops = 0;
  let successes = 0;
  const t0 = startGate();
  const deadline = t0 + inp.seconds * 1000;
  if (inp.op === 'dwcas') {
    const w = new BigInt64Array(inp.word);
    let x = Atomics.load(w, 0);
    while (performance.now() < deadline) {
      for (let i = 0; i < BATCH; i += 1) {
        const seen = Atomics.compareExchange(w, 0, x, x + 1n);
        if (seen === x) { x += 1n; successes += 1; } else x = seen;
      }
      ops += BATCH;
    }
  } else {
    const w = new Int32Array(inp.word);
    let x = Atomics.load(w, 0);
    if (inp.op === 'xchg') {
      while (performance.now() < deadline) {
        for (let i = 0; i < BATCH; i += 1) x = Atomics.exchange(w, 0, x + 1);
        ops += BATCH;
      }
      successes = ops;
    } else {
      while (performance.now() < deadline) {
        for (let i = 0; i < BATCH; i += 1) {
          const seen = Atomics.compareExchange(w, 0, x, (x + 1) | 0);
          if (seen === x) { x = (x + 1) | 0; successes += 1; } else x = seen;
        }
        ops += BATCH;
      }
    }
  }
  return { job: 'atomics', ops, successes, seconds: (performance.now() - t0) / 1000 };
}

parentPort!.postMessage(input.job === 'pool' ? poolJob(input) : input.job === 'handwritten' ? handwrittenJob(input) : atomicsJob(input));
