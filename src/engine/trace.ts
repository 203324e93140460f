/**
 * The one trace shape of the project: engine counterexamples, simulations, runtime recordings and
 * parsed TLC counterexamples are all lists of TraceStep.
 */
import type { State, Value } from './value.ts';

export interface TraceVia {
  proc: number;
  procType: string;
  /** Transition name (label, or label_branch). */
  transition: string;
  /** Values of the transition's `choose` parameters. */
  args: Record<string, Value>;
}

export interface TraceStep {
  /** 1-based position in the behaviour; step 1 is the initial state. */
  index: number;
  /** How this state was reached: absent for the initial state. */
  via?: TraceVia;
  state: State;
}
