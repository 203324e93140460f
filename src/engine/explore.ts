/**
 * Exhaustive breadth-first exploration of a configuration, following TLC's model checker
 * (tlc2.tool.ModelChecker, one worker) so that verdicts and figures agree with TLC's:
 * - states outside the state constraint are neither stored, counted as distinct nor expanded, but
 *   TLC still checks the invariants on every such successor it generates, so the engine does too;
 * - a state is a deadlock when no action yields any successor, even one outside the constraint;
 * - successors are visited in TLC's order (process id, transition, parameter value) and the first
 *   violation stops the search, so the distinct count at a violation matches TLC's;
 * - "states generated" counts initial states plus every successor TLC's enumeration yields,
 *   duplicates included (Step.copies); TLC checks each one as it is generated (tlc2.tool.Worker
 *   .addElement), so at a violation the count stops at the first copy of the violating step;
 * - the counterexample is a shortest path from an initial state.
 * When the configuration lists temporal properties, the same search records the state graph and,
 * once safety holds, liveness is decided on it (liveness.ts); the figures stay those of the safety
 * search, as TLC's do.
 */
import type { PoolspecError } from '../errors.ts';
import { EvalError } from './eval.ts';
import type { Machine, Step } from './step.ts';
import { allFinished, eachSuccessor, initialState, inConstraint, keyOf, violatedInvariants } from './step.ts';
import type { State } from './value.ts';
import type { TraceStep, TraceVia } from './trace.ts';
import { checkLiveness, GraphRecorder, livenessUnsupported } from './liveness.ts';
import { isSymmetry, symmetryOf } from './symmetry.ts';

export interface ExploreResult {
  verdict: 'holds' | 'violated' | 'error';
  /** Invariant or temporal property name, or 'Deadlock'. */
  violated: string | null;
  distinctStates: number;
  statesGenerated: number;
  /** Length of the longest shortest path (TLC's "depth of the complete state graph search"). */
  depth: number;
  /** The counterexample; on an error, the path to the state being expanded. */
  trace: TraceStep[] | null;
  /** For a liveness counterexample (a lasso): `index` of the first state of the loop; else null. */
  loopStart: number | null;
  /** The liveness counterexample ends stuttering forever in its last state. */
  stuttering: boolean;
  seconds: number;
  /** Why the search stopped without a verdict: an expression failed to evaluate, or too many states. */
  error?: PoolspecError;
}

interface Node { state: State; parent: number; via?: TraceVia; depth: number }

/** A safety search's result, from either engine (interpreted here, compiled in compiled/explore.ts). */
export function searchResult(r: {
  violated: string | null; distinct: number; generated: number; depth: number; trace: TraceStep[] | null; t0: number; error?: PoolspecError;
}): ExploreResult {
  return {
    verdict: r.error ? 'error' : r.violated ? 'violated' : 'holds',
    violated: r.violated,
    distinctStates: r.distinct,
    statesGenerated: r.generated,
    // TLC reports the deepest level stored so far, also at a violation (a violating state outside the
    // constraint is not stored); an initial state violating outside it leaves only the trace.
    depth: r.depth === 0 && r.trace ? r.trace.length : r.depth,
    trace: r.trace,
    loopStart: null,
    stuttering: false,
    seconds: (performance.now() - r.t0) / 1000,
    ...(r.error ? { error: r.error } : {}),
  };
}

const viaOf = (s: Step): TraceVia => ({ proc: s.proc, procType: s.procType, transition: s.transition.name, args: s.args });

export interface ExploreProgress { distinctStates: number; statesGenerated: number; queue: number; depth: number }

export interface ExploreOptions {
  maxStates?: number;
  /** Called at most every `progressMs` (default 250) while exploring: for a live progress line. */
  onProgress?: (p: ExploreProgress) => void;
  progressMs?: number;
}

export function explore(m: Machine, opts: ExploreOptions = {}): ExploreResult {
  const t0 = performance.now();
  const nodes: Node[] = [];
  const seen = new Map<string, number>();
  let generated = 0;
  let depth = 0;

  /** `at` is the last stored state of the trace; `beyond` a violating state outside the constraint. */
  const finish = (violated: string | null, at: number | null, beyond?: { state: State; via?: TraceVia }, error?: PoolspecError): ExploreResult => {
    const trace = at === null && !beyond ? null : [...(at === null ? [] : pathTo(nodes, at)), ...(beyond ? [beyond] : [])]
      .map((s, i) => ({ ...s, index: i + 1 }));
    return searchResult({ violated, distinct: nodes.length, generated, depth, trace, t0, error });
  };

  // With symmetry, states are told apart by their orbit's canonical key (the stored state stays the
  // one reached, so traces are real behaviours), as TLC stores its states' canonical fingerprints.
  const symmetry = symmetryOf(m.model, m.config);
  const keyFor = isSymmetry(symmetry) ? symmetry.key : (s: State) => keyOf(m, s);
  const add = (state: State, parent: number, via?: TraceVia): { index: number; fresh: boolean } => {
    const k = keyFor(state);
    const old = seen.get(k);
    if (old !== undefined) return { index: old, fresh: false };
    const d = parent < 0 ? 1 : nodes[parent].depth + 1;
    nodes.push({ state, parent, via, depth: d });
    seen.set(k, nodes.length - 1);
    if (d > depth) depth = d;
    return { index: nodes.length - 1, fresh: true };
  };

  if (symmetry && !isSymmetry(symmetry)) return finish(null, null, undefined, symmetry);
  const liveness = m.config.properties.length > 0;
  if (liveness) {
    // Saying "holds" without checking them would hide a disagreement with TLC.
    const unsupported = livenessUnsupported(m);
    if (unsupported) return finish(null, null, undefined, unsupported);
  }
  if (m.config.refines) {
    return finish(null, null, undefined, {
      code: 'SPEC_UNSUPPORTED',
      message: `the engine does not check refinement; configuration ${m.config.name} checks Refines: use TLC`,
    });
  }
  const graph = liveness ? new GraphRecorder(m) : null;
  let current = -1;
  let checkingLiveness = false;
  try {
    const init = initialState(m);
    generated += 1;
    if (inConstraint(m, init)) {
      const { index } = add(init, -1);
      const bad = violatedInvariants(m, init);
      if (bad.length) return finish(bad[0], index);
    } else {
      const bad = violatedInvariants(m, init);
      if (bad.length) return finish(bad[0], null, { state: init });
    }
    let reported = t0;
    for (let i = 0; i < nodes.length; i += 1) {
      current = i;
      if (opts.onProgress && (i & 255) === 0 && performance.now() - reported >= (opts.progressMs ?? 250)) {
        reported = performance.now();
        opts.onProgress({ distinctStates: nodes.length, statesGenerated: generated, queue: nodes.length - i, depth });
      }
      if (opts.maxStates && nodes.length > opts.maxStates) {
        return finish(null, i, undefined, { code: 'ENGINE_LIMIT', message: `more than ${opts.maxStates} distinct states: exploration stopped` });
      }
      let deadlocked = true;
      graph?.expand(i);
      for (const s of eachSuccessor(m, nodes[i].state)) {
        deadlocked = false;
        // The first copy is checked; the others are then seen states (or fail the same way).
        generated += 1;
        const via = viaOf(s);
        if (inConstraint(m, s.next)) {
          const { index, fresh } = add(s.next, i, via);
          graph?.step(i, index, s.proc);
          if (fresh) {
            const bad = violatedInvariants(m, s.next);
            if (bad.length) return finish(bad[0], index);
          }
        } else {
          graph?.step(i, -1, s.proc);
          const bad = violatedInvariants(m, s.next);
          if (bad.length) return finish(bad[0], i, { state: s.next, via });
        }
        generated += s.copies - 1;
      }
      // Every process finished: the module's `Terminating` self-loop is one more successor TLC generates.
      if (allFinished(m, nodes[i].state)) {
        deadlocked = false;
        generated += 1;
      }
      // Even a state whose every successor leaves the constraint is not a deadlock.
      if (deadlocked && m.config.checkDeadlock) return finish('Deadlock', i);
    }
    if (!graph) return finish(null, null);
    current = -1;
    checkingLiveness = true;
    const live = checkLiveness(m, graph.finish(nodes));
    const done = finish(live ? live.violated : null, null);
    return live ? { ...done, trace: live.trace, loopStart: live.loopStart, stuttering: live.stuttering, seconds: (performance.now() - t0) / 1000 } : done;
  } catch (err) {
    if (!(err instanceof EvalError)) throw err;
    const where = checkingLiveness ? 'while checking temporal properties'
      : current < 0 ? 'in the initial state' : `while expanding a state at depth ${nodes[current].depth}`;
    return finish(null, current < 0 ? null : current, undefined, { code: 'ENGINE_EVAL', message: `evaluation failed ${where}: ${err.message}` });
  }
}

function pathTo(nodes: Node[], at: number): Omit<TraceStep, 'index'>[] {
  const chain: Node[] = [];
  for (let i = at; i >= 0; i = nodes[i].parent) chain.unshift(nodes[i]);
  return chain.map((n) => (n.via ? { via: n.via, state: n.state } : { state: n.state }));
}
