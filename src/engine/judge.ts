/**
 * Judging a recorded behaviour (a runtime run) as `check` judges a state: every state against the
 * configuration's invariants, and its end against deadlock. The first violation is reported with
 * its step, its property and the conjuncts of the property that are false there.
 */
import { showExpr } from '../dsl/print.ts';
import { conjuncts } from '../codegen/tla-expr.ts';
import { evaluate } from './eval.ts';
import { allFinished, inConstraint, violatedInvariants, type Machine } from './step.ts';
import type { TraceStep } from './trace.ts';
import type { State } from './value.ts';

export interface Judgement {
  /** 1-based index of the trace step whose state violates the property. */
  step: number;
  /** The invariant's name, or 'Deadlock'. */
  property: string;
  /** The top-level conjuncts of the invariant that are false in that state, as DSL text. */
  failed: string[];
}

export function failedConjuncts(m: Machine, invariant: string, s: State): string[] {
  const inv = m.model.invariants.find((i) => i.name === invariant);
  if (!inv) return [];
  const env = { model: m.model, consts: m.consts, state: s, bound: new Map() };
  return conjuncts(inv.expr).filter((c) => evaluate(c, env) !== true).map(showExpr);
}

/**
 * The first violation in `trace`; `stuck` says the run ended because no process could step. As in
 * `check`, a state outside the configuration's state constraint is checked but not continued from:
 * the states after it are outside what the configuration models (DwcasPool's seq beyond MaxSeq)
 * and are not judged.
 */
export function judgeTrace(m: Machine, trace: TraceStep[], opts: { stuck?: boolean } = {}): Judgement | null {
  for (const t of trace) {
    const bad = violatedInvariants(m, t.state);
    if (bad.length) return { step: t.index, property: bad[0], failed: failedConjuncts(m, bad[0], t.state) };
    if (!inConstraint(m, t.state)) return null;
  }
  const last = trace[trace.length - 1];
  if (opts.stuck && m.config.checkDeadlock && last && !allFinished(m, last.state)) {
    return { step: last.index, property: 'Deadlock', failed: [] };
  }
  return null;
}
