/**
 * Real concurrency stress: N worker threads run random alloc/free/flush on one pool in shared memory
 * for a while; the result counts operations, collects use-after-free faults (with the time of the
 * first), and accounts for every block at the end. A watchdog in the main thread polls the workers'
 * operation counters: when none moves for the stall threshold (a lock word left BUSY, say), the run
 * is reported stalled with where each thread is, and every worker is ended.
 */
import { Worker } from 'node:worker_threads';
import type { Expr, Model } from '../dsl/ir.ts';
import type { State } from '../engine/value.ts';
import { freshSeed, nextSeed, type Seed } from '../engine/random.ts';
import { evaluate } from '../engine/eval.ts';
import { accountPool, isPoolModel, type Accounting } from './pool-accounting.ts';
import { withConfig, type Policy } from './pool.ts';
import { constraintConstants, readsConstants, RuntimeProcess, type Fault } from './process.ts';
import { conjuncts } from '../codegen/tla-expr.ts';
import { showExpr, walkExpr } from '../dsl/print.ts';
import { Shared } from './shared.ts';
import { controlWords, CTL, opsDone, StallWatch, STOP } from './stress-control.ts';
import type { StressWorkerInput, StressWorkerOutput } from './stress-worker.ts';
import { renderValue } from '../report/render.ts';
import type { Impl } from './instance.ts';
import { loadCompiled } from './compiled/module.ts';
import { DEFAULT_PERTURBATION, type Perturbation } from './compiled/pool-thread.ts';
import { writeRecording, type Recording } from '../conformance/record/write.ts';

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
  /** Seconds without a completed operation after which the run is reported stalled and ended (default 2). */
  stallSeconds?: number;
  /** Default compiled; a spec the compiler refuses runs interpreted (see `fallback`). */
  impl?: Impl;
  /** Schedule perturbation of the compiled runtime (default DEFAULT_PERTURBATION). */
  perturb?: Perturbation;
  /** Record every step into an NDJSON trace (stress --record FILE [--record-last K]). */
  record?: { file: string; lastK?: number };
}

/** A run in which no operation completed for the stall threshold: where every thread was, and the shared words. */
export interface Stall {
  /** How long no operation had completed when the watchdog fired. */
  seconds: number;
  /** Run time at which it fired. */
  at: number;
  threads: { id: number; label: string; steps: number }[];
  /** The shared words at that moment, rendered like traces (`head: "BUSY"`). */
  shared: Record<string, string>;
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
  /** The shared words at the end, rendered as in traces. */
  shared: Record<string, string>;
  /** The spec's invariants that are false in the final state (every thread stopped between two steps). */
  violated: string[];
  /** How many invariants were evaluated on the final state. */
  invariants: number;
  /** Conjuncts left out of that judgement: bounds of the configuration's state constraint (model checking only). */
  modelBounds: string[];
  /** Where every block is at the end (null for a spec that declares no places: `p.place`). */
  accounting: Accounting | null;
  /** Set when the watchdog saw no operation complete for `stallSeconds`; the workers were ended. */
  stalled: Stall | null;
  errors: string[];
  /** The runtime that ran, and why the compiled one did not when it was asked for. */
  impl: Impl;
  fallback?: string;
  /** Spin probability before a shared-memory step (compiled runtime only). */
  perturb: number;
  /** The trace written (stress --record). */
  record?: Recording;
}

const ENTRY = new URL('./worker-entry.js', import.meta.url);
const WORKER = new URL('./stress-worker.ts', import.meta.url).href;

/** Default stall threshold (seconds without a completed operation). */
export const DEFAULT_STALL_SECONDS = 2;
/** How often the main thread polls the counters: the watchdog costs the workers nothing. */
const POLL_MS = 50;
/** Past the deadline, threads still inside an operation are told to stop after this long. */
const OVERRUN_MS = 300;
/** Workers that have not reported this long after the stop flag are terminated. */
const GRACE_MS = 600;
/** How long the workers get to load before the run is abandoned. */
const LOAD_TIMEOUT_MS = 30_000;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Workers of the run in progress, ended by endStressWorkers (signal handlers). */
const running = new Set<{ ctl: Int32Array; workers: Worker[] }>();

/** Stops and terminates the workers of every run in progress (for SIGINT/SIGTERM). */
export async function endStressWorkers(): Promise<void> {
  for (const r of running) Atomics.store(r.ctl, CTL.STOP, STOP.SIGNAL);
  await Promise.all([...running].flatMap((r) => r.workers.map((w) => w.terminate())));
}

export async function stress(model: Model, opts: StressOptions): Promise<StressResult> {
  const seed = opts.seed ?? freshSeed();
  const base = opts.config ?? 'standard';
  const m = withConfig(model, base, 'stress', { T: opts.threads, N: opts.blocks });
  const shared = Shared.create(m, 'stress', opts.blockSize);
  const ids = shared.procIds;
  const ctl = controlWords(ids.length);
  const policy: Policy = { weights: opts.weights ?? {}, chaos: opts.chaos };
  const flush = m.configs.find((c) => c.name === 'stress')!.constants.Flush !== false;
  const stallMs = (opts.stallSeconds ?? DEFAULT_STALL_SECONDS) * 1000;
  const compiled = (opts.impl ?? 'compiled') === 'compiled' ? loadCompiled(m) : undefined;
  const impl: Impl = compiled?.ok ? 'compiled' : 'interpreted';
  const perturb = impl === 'compiled' ? opts.perturb ?? DEFAULT_PERTURBATION : undefined;
  let s = seed;
  const workers = ids.map((id, slot) => {
    s = nextSeed(s);
    const input: StressWorkerInput = {
      entry: WORKER, desc: shared.desc, id, slot, seed: s, seconds: opts.seconds, policy, flush, ctl: ctl.buffer as SharedArrayBuffer,
      compiledJs: compiled?.ok ? compiled.module.js : undefined, perturb,
      record: opts.record ? { lastK: opts.record.lastK } : undefined,
    };
    return new Worker(ENTRY, { workerData: input });
  });
  const run = { ctl, workers };
  running.add(run);
  const outs: (StressWorkerOutput | undefined)[] = ids.map(() => undefined);
  const errors: string[] = [];
  let finished = 0;
  const done = workers.map((w, i) => new Promise<void>((resolve) => {
    let settled = false;
    const settle = () => { if (!settled) { settled = true; finished += 1; resolve(); } };
    w.once('message', (o: StressWorkerOutput) => { outs[i] = o; settle(); });
    w.once('error', (e) => { errors.push(`thread ${ids[i]}: ${e.message}`); settle(); });
    w.once('exit', settle);
  }));

  let stalled: Stall | null = null;
  let t0 = performance.now();
  let tEnd = t0;
  let origin = 0n;
  try {
    // Every worker loads before the clock starts, so each gets the whole run.
    const loadBy = performance.now() + LOAD_TIMEOUT_MS;
    while (Atomics.load(ctl, CTL.READY) + finished < ids.length && performance.now() < loadBy) await sleep(10);
    if (Atomics.load(ctl, CTL.READY) + finished < ids.length) errors.push(`the workers did not load within ${LOAD_TIMEOUT_MS / 1000} s`);
    t0 = performance.now();
    origin = process.hrtime.bigint();
    Atomics.store(ctl, CTL.START, 1);
    Atomics.notify(ctl, CTL.START);

    const watch = new StallWatch(stallMs, t0);
    const deadline = t0 + opts.seconds * 1000;
    while (finished < ids.length && errors.length === 0) {
      await sleep(POLL_MS);
      const now = performance.now();
      const idle = watch.poll(opsDone(ctl, ids.length), now);
      if (idle !== null && finished < ids.length) {
        // Snapshot first: the shared words as the stuck threads see them.
        stalled = { seconds: round3(idle / 1000), at: round3((now - t0) / 1000), threads: [], shared: sharedWords(shared) };
        Atomics.store(ctl, CTL.STOP, STOP.STALL);
        break;
      }
      if (now > deadline + OVERRUN_MS) Atomics.store(ctl, CTL.STOP, STOP.DEADLINE);
    }
    if (finished < ids.length) {
      Atomics.store(ctl, CTL.STOP, Atomics.load(ctl, CTL.STOP) || STOP.DEADLINE);
      await Promise.race([Promise.all(done), sleep(GRACE_MS)]);
    }
  } finally {
    // The run ends here; then every worker is ended, also those stuck inside a step: no thread outlives it.
    tEnd = performance.now();
    await Promise.all(workers.map((w) => w.terminate()));
    running.delete(run);
  }
  const seconds = (tEnd - t0) / 1000;
  ids.forEach((id, i) => { if (!outs[i] && !errors.some((e) => e.startsWith(`thread ${id}:`))) errors.push(`thread ${id}: did not stop within ${GRACE_MS / 1000} s of being told to; terminated`); });

  // A thread that never reported is taken at its initial state (its locals are lost with it).
  const fresh = (id: number) => { const p = new RuntimeProcess(shared, id); return { id, pc: p.pc, locals: p.locals, steps: 0 }; };
  const procs = ids.map((id, i) => outs[i] ? { id, pc: outs[i]!.pc, locals: outs[i]!.locals, steps: outs[i]!.steps } : { ...fresh(id), pc: '?' });
  if (stalled) stalled.threads = procs.map((p) => ({ id: p.id, label: p.pc, steps: p.steps }));
  const state = shared.project(procs.map((p) => (p.pc === '?' ? fresh(p.id) : p)));
  const got = outs.filter((o): o is StressWorkerOutput => o !== undefined);
  const faults = got.flatMap((o) => o.faults.map((f) => ({ ...f, thread: o.id }))).sort((a, b) => a.at - b.at);
  const ops = got.reduce((a, o) => a + o.ops, 0);
  const record = opts.record ? writeRecording(opts.record, {
    model, m, shared, impl, seed, threads: opts.threads, blocks: opts.blocks, weights: opts.weights ?? {}, base, origin,
    logs: got.filter((o) => o.record).map((o) => ({ id: o.id, log: o.record! })),
  }) : undefined;
  return {
    spec: model.name, threads: opts.threads, seconds: round3(seconds), seed, chaos: opts.chaos, blocks: opts.blocks,
    ops, opsPerSecond: Math.round(ops / Math.max(seconds, 1e-3)),
    faultCount: got.reduce((a, o) => a + o.faultCount, 0), faults, firstFaultSeconds: faults[0]?.at ?? null,
    accounting: isPoolModel(m) ? accountPool(m, shared.consts, state) : null,
    shared: sharedWords(shared),
    ...judgeFinalState(m, shared, state),
    stalled,
    errors: [...errors, ...got.filter((o) => o.error).map((o) => `thread ${o.id}: ${o.error}`)],
    impl, ...(compiled && !compiled.ok ? { fallback: compiled.reason } : {}), perturb: perturb?.p ?? 0,
    ...(record ? { record } : {}),
  };
}

const round3 = (x: number) => Number(x.toFixed(3));

/**
 * The spec's invariants on the final state, without the conjuncts that read a constant of the
 * configuration's state constraint: such a bound (DwcasPool's `seq \in 0..MaxSeq + 1`) only keeps
 * the model finite, and the runtime, which does not enforce it, passes it in any long run.
 */
function judgeFinalState(m: Model, shared: Shared, state: State): Pick<StressResult, 'violated' | 'invariants' | 'modelBounds'> {
  const bounds = new Set(constraintConstants(m, shared.desc.config));
  const modelBounds: string[] = [];
  const violated = m.invariants.filter((inv) => conjuncts(inv.expr).some((c) => {
    if (constantsIn(c).some((k) => bounds.has(k))) {
      modelBounds.push(`${inv.name}: ${showExpr(c)}`);
      return false;
    }
    return evaluate(c, { model: m, consts: shared.consts, state, bound: new Map() }) !== true;
  })).map((inv) => inv.name);
  return { violated, invariants: m.invariants.length, modelBounds };
}

/** The constants an expression reads, also in the bounds of its ranges (a type's `0..MaxSeq + 1`). */
function constantsIn(e: Expr): string[] {
  const out = readsConstants(e);
  walkExpr(e, (x) => {
    if (x.op === 'domain' && x.domain.kind === 'range') for (const b of [x.domain.lo, x.domain.hi]) if (typeof b !== 'number') out.push(...readsConstants(b));
  });
  return out;
}

/** The shared (non-ghost) variables, rendered as in traces. */
function sharedWords(shared: Shared): Record<string, string> {
  const out: Record<string, string> = {};
  for (const v of shared.model.vars) if (v.role === 'shared') out[v.name] = renderValue(shared.model, v.type, shared.readVar(v.name));
  return out;
}
