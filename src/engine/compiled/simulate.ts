/**
 * Random simulation on the compiled program: the same runs as ../simulate.ts (same successor order,
 * same random choices, so the same seed gives the same behaviour and trace), on slot states. Used
 * by `simulate` (one or more worker threads, see sim-pool.ts); falls back to the interpreted
 * simulation when the model does not compile.
 *
 * Run numbering with several workers: worker k (0-based) of N takes runs k+1, k+1+N, k+1+2N, ...
 * seeded by the stream workerSeed(seed, k), nextSeed(...), ...; worker 0's stream starts at the
 * given seed, so with one worker the runs are exactly those of the sequential simulation.
 */
import { EvalError } from '../eval.ts';
import { nextSeed, Rng, type Seed } from '../random.ts';
import { simulate, type SimulateOptions, type SimulateResult } from '../simulate.ts';
import type { Machine } from '../step.ts';
import type { TraceStep } from '../trace.ts';
import { Unsupported } from './layout.ts';
import { compile, decode, viaOf, type Program } from './program.ts';
import { StateStore } from './store.ts';

export interface WorkerShare {
  /** This worker's index and the number of workers. */
  index: number;
  workers: number;
  /** Set (to 1) by whoever finds a violation first: the others stop after their current run. */
  stop?: Int32Array;
  /** Count distinct states (off in multi-worker runs: each worker would only see its own). */
  countDistinct: boolean;
}

/** The first seed of worker k's stream: the given seed for worker 0, a mixed one for the others. */
export function workerSeed(seed: Seed, k: number): Seed {
  if (k === 0) return seed;
  return nextSeed((seed ^ Math.imul(k, 0x9e3779b9)) >>> 0);
}

export interface FastSimulateResult extends SimulateResult { compiled: boolean }

export function simulateFast(m: Machine, opts: SimulateOptions, share: WorkerShare = { index: 0, workers: 1, countDistinct: true }): FastSimulateResult {
  let P: Program | null = null;
  try {
    P = compile(m);
  } catch (err) {
    if (!(err instanceof Unsupported)) throw err;
  }
  if (P) {
    try {
      return { ...simulateCompiled(P, m, opts, share), compiled: true };
    } catch (err) {
      if (!(err instanceof Unsupported)) throw err;
    }
  }
  // The interpreted simulation runs this worker's share of the runs.
  const mine = Math.floor((opts.runs - share.index + share.workers - 1) / share.workers);
  const r = simulate(m, { ...opts, runs: mine, seed: workerSeed(opts.seed, share.index) });
  const global = (run: number | null) => (run === null ? null : share.index + 1 + (run - 1) * share.workers);
  return { ...r, run: global(r.run), runsDone: r.runsDone, compiled: false };
}

interface Succ { S: Int32Array; self: number; k: number; a: number[] }
interface Visited { S: Int32Array; step?: Succ }

function simulateCompiled(P: Program, m: Machine, opts: SimulateOptions, share: WorkerShare): SimulateResult {
  const t0 = performance.now();
  const W = P.L.words;
  const store = share.countDistinct ? new StateStore(W, P.hash) : null;
  let statesVisited = 0;
  let runsDone = 0;
  let seed = workerSeed(opts.seed, share.index);
  let lastTrace: Visited[] | null = null;
  const T = new Int32Array(P.L.slots);
  const checkDeadlock = m.config.checkDeadlock;

  // Steps are kept raw and decoded only for the trace that is reported.
  const toTrace = (t: Visited[]): TraceStep[] =>
    t.map((x, i) => (x.step ? { index: i + 1, via: viaOf(P, x.step.self, x.step.k, x.step.a), state: decode(P, x.S) } : { index: i + 1, state: decode(P, x.S) }));
  const result = (r: Partial<SimulateResult> & Pick<SimulateResult, 'verdict'>, trace: Visited[] | null): SimulateResult => ({
    violated: null, run: null, runSeed: null, runsDone, statesVisited, distinctStates: store ? store.count : 0,
    seconds: (performance.now() - t0) / 1000, ...r, trace: trace ? toTrace(trace) : null,
  });

  let succs: Succ[] = [];
  const collect = (self: number, k: number, _c: number, a0: number, a1: number, a2: number): boolean => {
    succs.push({ S: T.slice(), self, k, a: [a0, a1, a2] });
    return false;
  };

  for (let run = share.index + 1; run <= opts.runs; run += share.workers) {
    if (share.stop && Atomics.load(share.stop, 0) !== 0) break;
    const trace: Visited[] = [];
    const visit = (S: Int32Array, step?: Succ) => {
      trace.push({ S, step });
      statesVisited += 1;
      if (store) {
        const o = store.scratch;
        P.pack(S, store.arena, o);
        store.insert(-1);
      }
    };
    let violated: string | null = null;
    try {
      violated = runOnce();
    } catch (err) {
      if (!(err instanceof EvalError)) throw err;
      runsDone += 1;
      return result({
        verdict: 'error', run, runSeed: seed,
        error: { code: 'ENGINE_EVAL', message: `evaluation failed in run ${run} after ${Math.max(0, trace.length - 1)} steps: ${err.message}` },
      }, trace);
    }
    runsDone += 1;
    lastTrace = trace;
    if (violated) return result({ verdict: 'violated', violated, run, runSeed: seed }, trace);
    seed = nextSeed(seed);

    function runOnce(): string | null {
      const rng = new Rng(seed);
      let S: Int32Array = P.init.slice();
      visit(S);
      let bad = P.invariant(S);
      if (bad >= 0) return m.config.invariants[bad];
      if (!P.constraint(S)) return null;
      for (let d = 1; d <= opts.depth; d += 1) {
        succs = [];
        P.expand(S, T, collect);
        if (succs.length === 0) return checkDeadlock && !P.finished(S) ? 'Deadlock' : null;
        const allowed: Succ[] = [];
        for (const s of succs) {
          if (P.constraint(s.S)) { allowed.push(s); continue; }
          const out = P.invariant(s.S);
          if (out >= 0) {
            visit(s.S, s);
            return m.config.invariants[out];
          }
        }
        if (allowed.length === 0) return null;
        const s = rng.pick(allowed);
        S = s.S;
        visit(S, s);
        bad = P.invariant(S);
        if (bad >= 0) return m.config.invariants[bad];
      }
      return null;
    }
  }
  return result({ verdict: 'holds' }, lastTrace);
}
