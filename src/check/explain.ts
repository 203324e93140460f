/**
 * Why a counterexample fails, in the spec's terms: which conjuncts of a violated invariant are false
 * in the violating state (each with the spec line that wrote it), and, for a deadlock or a behaviour
 * that ends stuttering forever, where each thread stops and why.
 */
import { sourceKey } from '../dsl/ir.ts';
import { exprOrigin } from '../dsl/expr.ts';
import { conjuncts, tlaExpr } from '../codegen/tla-expr.ts';
import { apply, isTrue, type Env } from '../engine/eval.ts';
import { keyOf, successors, type Machine } from '../engine/step.ts';
import type { State } from '../engine/value.ts';
import { procName } from '../report/render.ts';
import { formatPos } from '../errors.ts';

export interface FailedConjunct {
  /** The conjunct as TLA+ (as in the generated module). */
  text: string;
  /** The spec file:line that wrote it. */
  source: string | null;
}

const envOf = (m: Machine, state: State, self?: number): Env => ({ model: m.model, consts: m.consts, state, self, bound: new Map() });

/** The conjuncts of invariant `name` that are false in `state` (empty when it is not an invariant). */
export function failedConjuncts(m: Machine, name: string, state: State): FailedConjunct[] {
  const inv = m.model.invariants.find((i) => i.name === name);
  if (!inv) return [];
  const fallback = m.model.sources[sourceKey.invariant(name)];
  const out: FailedConjunct[] = [];
  for (const c of conjuncts(inv.expr)) {
    let holds: boolean;
    try {
      holds = isTrue(c, envOf(m, state));
    } catch {
      holds = false; // an evaluation error is as much a failure as FALSE, and TLC reports it as such
    }
    if (holds) continue;
    const at = exprOrigin(c) ?? fallback;
    out.push({ text: tlaExpr(c, { model: m.model }), source: at ? formatPos({ file: at.file, line: at.line }) : null });
  }
  return out;
}

export interface ThreadStop {
  thread: string;
  proc: number;
  /** The label the thread stays at. */
  label: string;
  /**
   * blocked: no transition of its label is enabled; spinning: its enabled steps change nothing
   * (stuttering, so fairness does not force them); runnable: it has a step that changes the state
   * (it may stop there only when its process type has no fairness).
   */
  why: 'blocked' | 'spinning' | 'runnable';
  /** For a blocked thread, the guards that are false; for a spinning one, the steps that change nothing. */
  detail: string;
}

/** Where each process stands in `state`, and whether it can move. */
export function threadStops(m: Machine, state: State): ThreadStop[] {
  const all = successors(m, state);
  const here = keyOf(m, state);
  return m.procs.map(({ id, pt }) => {
    const label = String(apply(state.pc, id));
    const mine = all.filter((s) => s.proc === id);
    const base = { thread: procName(m.model, id), proc: id, label };
    if (mine.length === 0) {
      const guards = pt.transitions.filter((t) => t.from === label)
        .map((t) => `${t.name} needs ${tlaExpr(t.guard, { model: m.model, self: 'self' })}`);
      return { ...base, why: 'blocked' as const, detail: guards.length ? `no step is enabled: ${guards.join('; ')}` : 'no transition leaves this label' };
    }
    if (mine.every((s) => keyOf(m, s.next) === here)) {
      const names = [...new Set(mine.map((s) => s.transition.name))];
      return { ...base, why: 'spinning' as const, detail: `only ${names.join(', ')} ${names.length > 1 ? 'are' : 'is'} enabled, and it changes nothing` };
    }
    return { ...base, why: 'runnable' as const, detail: `${pt.fairness === 'none' ? 'not scheduled (its process type has no fairness)' : 'can take a step'}` };
  });
}

/** One line per thread: `thread1 at D2: spinning (only D2_spin is enabled, and it changes nothing)`. */
export function formatStops(stops: ThreadStop[]): string[] {
  return stops.map((s) => `${s.thread} at ${s.label}: ${s.why} (${s.detail})`);
}

/** The explanation fields of a CheckResult for a counterexample (see result.ts). */
export function explainCounterexample(m: Machine, violated: string | null, trace: { state: State }[] | null, stuttering: boolean):
  { failedConjuncts: FailedConjunct[]; stops: ThreadStop[] | null } {
  const last = trace?.[trace.length - 1];
  if (!last || !violated) return { failedConjuncts: [], stops: null };
  return {
    failedConjuncts: failedConjuncts(m, violated, last.state),
    stops: violated === 'Deadlock' || stuttering ? threadStops(m, last.state) : null,
  };
}
