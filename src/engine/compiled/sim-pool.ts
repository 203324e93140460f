/**
 * `simulate --workers N`: N worker threads, each running its share of the runs with its own seed
 * stream (see simulate.ts: worker k takes runs k+1, k+1+N, ...). A shared flag stops them all once
 * one finds a violation (each finishes the run it is in); the first violation reported wins and is
 * returned with the seed that replays it as run 1 (`--seed S --runs 1`, any number of workers).
 * Which worker reports first depends on timing; each run itself is reproducible from seed and workers.
 */
import { Worker } from 'node:worker_threads';
import type { Model } from '../../dsl/ir.ts';
import type { SimulateOptions, SimulateResult } from '../simulate.ts';
import type { FastSimulateResult } from './simulate.ts';

const ENTRY = new URL('../../runtime/worker-entry.js', import.meta.url);
const SIM_WORKER = new URL('./sim-worker.ts', import.meta.url).href;

export interface PoolResult extends Omit<SimulateResult, 'distinctStates'> {
  /** Different states seen: counted with one worker only (each worker sees only its own). */
  distinctStates: number | null;
  workers: number;
  /** Completed runs (behaviours) per second over all workers, over the time the workers ran (not their start-up). */
  behavioursPerSecond: number;
  compiled: boolean;
}

export type PoolOutcome = { ok: true; value: PoolResult } | { ok: false; timedOut: boolean; message: string };

export async function simulateWorkers(model: Model, config: string, opts: SimulateOptions, workers: number, timeoutMs: number): Promise<PoolOutcome> {
  const t0 = performance.now();
  const stop = new Int32Array(new SharedArrayBuffer(4));
  const threads: Worker[] = [];
  const results: (FastSimulateResult | undefined)[] = new Array(workers);
  let winner: FastSimulateResult | null = null;
  let failure: string | null = null;
  let timer: NodeJS.Timeout | undefined;
  const done = new Promise<'done' | 'timeout'>((resolve) => {
    let left = workers;
    timer = setTimeout(() => resolve('timeout'), timeoutMs);
    for (let k = 0; k < workers; k += 1) {
      const w = new Worker(ENTRY, { workerData: { entry: SIM_WORKER, model, config, opts, index: k, workers, stop } });
      threads.push(w);
      let finished = false;
      const end = () => { if (!finished) { finished = true; left -= 1; if (left === 0) resolve('done'); } };
      w.on('message', (m: { ok: boolean; value?: FastSimulateResult; message?: string }) => {
        if (!m.ok) { failure ??= m.message ?? 'a simulation worker failed'; Atomics.store(stop, 0, 1); end(); return; }
        const r = m.value!;
        results[k] = r;
        if (r.verdict !== 'holds' && !winner) { winner = r; Atomics.store(stop, 0, 1); }
        end();
      });
      w.on('error', (e) => { failure ??= e.message; Atomics.store(stop, 0, 1); end(); });
      w.on('exit', end);
    }
  });
  const how = await done;
  clearTimeout(timer);
  await Promise.all(threads.map((w) => w.terminate()));
  if (how === 'timeout') return { ok: false, timedOut: true, message: `did not finish within ${timeoutMs / 1000} s` };
  if (failure && !winner) return { ok: false, timedOut: false, message: failure };
  const seconds = (performance.now() - t0) / 1000;
  const got = results.filter((r): r is FastSimulateResult => !!r);
  const runsDone = got.reduce((n, r) => n + r.runsDone, 0);
  const statesVisited = got.reduce((n, r) => n + r.statesVisited, 0);
  const busy = Math.max(1e-9, ...got.map((r) => r.seconds));
  // The reported trace: the violation's, else the last run's (run `runs` belongs to worker (runs-1) mod N).
  const w = winner as FastSimulateResult | null;
  const last = results[(opts.runs - 1) % workers] ?? got[0];
  const value: PoolResult = {
    ...(w ?? { verdict: 'holds' as const, violated: null, run: null, runSeed: null, trace: last?.trace ?? null }),
    runsDone, statesVisited,
    distinctStates: workers === 1 ? got[0]?.distinctStates ?? 0 : null,
    seconds, workers, behavioursPerSecond: runsDone / busy,
    compiled: got.every((r) => r.compiled),
  };
  return { ok: true, value };
}
