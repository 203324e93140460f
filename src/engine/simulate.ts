/**
 * Random simulation, in the spirit of `quint run` and TLC's -simulate: each run starts from the
 * initial state and takes up to `depth` steps, each chosen uniformly among the enabled steps whose
 * successor satisfies the state constraint; invariants are checked on every state visited. A state
 * with no enabled step is a deadlock when the configuration checks deadlock, and otherwise ends the
 * run, as does a state whose every successor leaves the constraint. Successors outside the constraint
 * are not walked into but are checked against the invariants, as TLC checks every generated state.
 *
 * Temporal properties are not checked: a finite run cannot violate `~>` or `[]<>`, so simulation
 * leaves them to `check` (TLC or the engine's exhaustive liveness check).
 *
 * Reproducibility: run 1 uses the given seed and run k+1 the seed nextSeed(seed of run k), so the
 * seed reported for a failing run replays it as run 1 of a new simulation.
 */
import type { PoolspecError } from '../errors.ts';
import { EvalError } from './eval.ts';
import { nextSeed, Rng, type Seed } from './random.ts';
import type { Machine } from './step.ts';
import { allFinished, initialState, inConstraint, keyOf, successors, violatedInvariants } from './step.ts';
import type { TraceStep } from './trace.ts';

export interface SimulateOptions {
  runs: number;
  /** Maximum number of steps per run (a run has at most depth + 1 states). */
  depth: number;
  seed: Seed;
}

export interface SimulateResult {
  verdict: 'holds' | 'violated' | 'error';
  /** Invariant name, or 'Deadlock'. */
  violated: string | null;
  /** 1-based number of the run that found the violation (or failed to evaluate). */
  run: number | null;
  /** The seed that replays that run as run 1. */
  runSeed: Seed | null;
  runsDone: number;
  /** The failing run's trace; without a violation, the last run's. */
  trace: TraceStep[] | null;
  /** States checked over all runs, repeats included. */
  statesVisited: number;
  /** Different states seen over all runs. */
  distinctStates: number;
  seconds: number;
  error?: PoolspecError;
}

interface RunOutcome { violated: string | null; trace: TraceStep[] }

export function simulate(m: Machine, opts: SimulateOptions): SimulateResult {
  const t0 = performance.now();
  const distinct = new Set<string>();
  let statesVisited = 0;
  let seed = opts.seed;
  let last: TraceStep[] | null = null;
  const result = (r: Partial<SimulateResult> & Pick<SimulateResult, 'verdict' | 'runsDone'>): SimulateResult => ({
    violated: null, run: null, runSeed: null, trace: last, statesVisited, distinctStates: distinct.size,
    seconds: (performance.now() - t0) / 1000, ...r,
  });

  for (let run = 1; run <= opts.runs; run += 1) {
    const trace: TraceStep[] = [];
    const visit = (t: TraceStep) => {
      trace.push(t);
      statesVisited += 1;
      distinct.add(keyOf(m, t.state));
    };
    let out: RunOutcome;
    try {
      out = runOnce(m, new Rng(seed), opts.depth, visit, trace);
    } catch (err) {
      if (!(err instanceof EvalError)) throw err;
      return result({
        verdict: 'error', run, runSeed: seed, runsDone: run, trace,
        error: { code: 'ENGINE_EVAL', message: `evaluation failed in run ${run} after ${Math.max(0, trace.length - 1)} steps: ${err.message}` },
      });
    }
    last = out.trace;
    if (out.violated) return result({ verdict: 'violated', violated: out.violated, run, runSeed: seed, runsDone: run, trace: out.trace });
    seed = nextSeed(seed);
  }
  return result({ verdict: 'holds', runsDone: opts.runs });
}

function runOnce(m: Machine, rng: Rng, depth: number, visit: (t: TraceStep) => void, trace: TraceStep[]): RunOutcome {
  let state = initialState(m);
  visit({ index: 1, state });
  let bad = violatedInvariants(m, state);
  if (bad.length) return { violated: bad[0], trace };
  if (!inConstraint(m, state)) return { violated: null, trace };
  for (let d = 1; d <= depth; d += 1) {
    const steps = successors(m, state);
    if (steps.length === 0) return { violated: m.config.checkDeadlock && !allFinished(m, state) ? 'Deadlock' : null, trace };
    // A successor outside the state constraint is never walked into, but TLC checks invariants on every
    // generated successor, constraint or not; so does simulation, or it would say "holds" where TLC does not.
    const allowed: typeof steps = [];
    for (const s of steps) {
      if (inConstraint(m, s.next)) { allowed.push(s); continue; }
      const outside = violatedInvariants(m, s.next);
      if (outside.length) {
        visit({ index: d + 1, via: { proc: s.proc, procType: s.procType, transition: s.transition.name, args: s.args }, state: s.next });
        return { violated: outside[0], trace };
      }
    }
    if (allowed.length === 0) return { violated: null, trace };
    const s = rng.pick(allowed);
    state = s.next;
    visit({ index: d + 1, via: { proc: s.proc, procType: s.procType, transition: s.transition.name, args: s.args }, state });
    bad = violatedInvariants(m, state);
    if (bad.length) return { violated: bad[0], trace };
  }
  return { violated: null, trace };
}
