/**
 * Real concurrency stress: N worker threads run random alloc/free/flush on one pool in shared memory
 * for a while; the result counts operations, collects use-after-free faults (with the time of the
 * first), and accounts for every block at the end.
 */
import { Worker } from 'node:worker_threads';
import type { Model } from '../dsl/ir.ts';
import { freshSeed, nextSeed, type Seed } from '../engine/random.ts';
import { accountPool, mappedIn, type Accounting } from './pool-accounting.ts';
import { withConfig, type Policy } from './pool.ts';
import type { Fault } from './process.ts';
import { Shared } from './shared.ts';
import type { StressWorkerInput, StressWorkerOutput } from './stress-worker.ts';
import type { Impl } from './instance.ts';
import { loadCompiled } from './compiled/module.ts';
import { DEFAULT_PERTURBATION, type Perturbation } from './compiled/pool-thread.ts';

export interface StressOptions {
  threads: number;
  seconds: number;
  blocks: number;
  blockSize: number;
  seed?: Seed;
  chaos: number;
  /** Probability weights of the spec's branches, e.g. { crowded: 1, notCrowded: 1 }. */
  weights?: Record<string, number>;
  /** Base configuration whose other constants (OsFree, Flush...) apply. */
  config?: string;
  /** Default compiled; a spec the compiler refuses runs interpreted (see `fallback`). */
  impl?: Impl;
  /** Schedule perturbation of the compiled runtime (default DEFAULT_PERTURBATION). */
  perturb?: Perturbation;
}

export interface StressResult {
  spec: string;
  threads: number;
  seconds: number;
  seed: Seed;
  chaos: number;
  blocks: number;
  ops: number;
  opsPerSecond: number;
  faultCount: number;
  faults: (Fault & { at: number; thread: number })[];
  firstFaultSeconds: number | null;
  accounting: Accounting;
  errors: string[];
  /** The runtime that ran, and why the compiled one did not when it was asked for. */
  impl: Impl;
  fallback?: string;
  /** Spin probability before a shared-memory step (compiled runtime only). */
  perturb: number;
}

const ENTRY = new URL('./worker-entry.js', import.meta.url);
const WORKER = new URL('./stress-worker.ts', import.meta.url).href;

export async function stress(model: Model, opts: StressOptions): Promise<StressResult> {
  const seed = opts.seed ?? freshSeed();
  const base = opts.config ?? 'standard';
  const m = withConfig(model, base, 'stress', { T: opts.threads, N: opts.blocks });
  const shared = Shared.create(m, 'stress', opts.blockSize);
  const start = new SharedArrayBuffer(4);
  const policy: Policy = { weights: opts.weights ?? {}, chaos: opts.chaos };
  const flush = m.configs.find((c) => c.name === 'stress')!.constants.Flush !== false;
  const compiled = (opts.impl ?? 'compiled') === 'compiled' ? loadCompiled(m) : undefined;
  const impl: Impl = compiled?.ok ? 'compiled' : 'interpreted';
  const perturb = impl === 'compiled' ? opts.perturb ?? DEFAULT_PERTURBATION : undefined;
  let s = seed;
  const workers = shared.procIds.map((id) => {
    s = nextSeed(s);
    const input: StressWorkerInput = {
      entry: WORKER, desc: shared.desc, id, seed: s, seconds: opts.seconds, policy, flush, start,
      compiledJs: compiled?.ok ? compiled.module.js : undefined, perturb,
    };
    return new Worker(ENTRY, { workerData: input });
  });
  const results = workers.map((w) => new Promise<StressWorkerOutput>((resolve, reject) => {
    w.once('message', resolve);
    w.once('error', reject);
  }));
  // Let every worker load before the clock starts.
  await new Promise((r) => setTimeout(r, 300));
  const t0 = performance.now();
  Atomics.store(new Int32Array(start), 0, 1);
  Atomics.notify(new Int32Array(start), 0);
  const outs = await Promise.all(results);
  const seconds = (performance.now() - t0) / 1000;
  await Promise.all(workers.map((w) => w.terminate()));

  const state = shared.project(outs.map((o) => ({ id: o.id, pc: o.pc, locals: o.locals })));
  const faults = outs.flatMap((o) => o.faults.map((f) => ({ ...f, thread: o.id }))).sort((a, b) => a.at - b.at);
  const ops = outs.reduce((a, o) => a + o.ops, 0);
  return {
    spec: model.name, threads: opts.threads, seconds: Number(seconds.toFixed(3)), seed, chaos: opts.chaos, blocks: opts.blocks,
    ops, opsPerSecond: Math.round(ops / seconds),
    faultCount: outs.reduce((a, o) => a + o.faultCount, 0), faults, firstFaultSeconds: faults[0]?.at ?? null,
    accounting: accountPool(state, mappedIn(m, shared.consts, state)),
    errors: outs.filter((o) => o.error).map((o) => `thread ${o.id}: ${o.error}`),
    impl, ...(compiled && !compiled.ok ? { fallback: compiled.reason } : {}), perturb: perturb?.p ?? 0,
  };
}
