/** The typed result of checking one spec × configuration with one backend (the JSON of `check --json`). */
import type { PoolspecError } from '../errors.ts';
import type { Expectation, Model } from '../dsl/ir.ts';
import type { TraceStep } from '../engine/trace.ts';
import { diffStates, procName } from '../report/render.ts';
import { transitionSource } from '../report/trace-text.ts';
import type { State, Value } from '../engine/value.ts';

export type Backend = 'tla' | 'pluscal' | 'engine';
export type Verdict = 'holds' | 'violated' | 'error';

export interface CheckResult {
  spec: string;
  config: string;
  backend: Backend;
  verdict: Verdict;
  /** The violated invariant or property, or 'Deadlock'. */
  violated: string | null;
  expected: Expectation;
  matchesExpected: boolean;
  distinctStates: number | null;
  statesGenerated: number | null;
  depth: number | null;
  seconds: number;
  trace: TraceStep[] | null;
  /** A liveness counterexample is a lasso: `index` of the first state of its loop; otherwise null. */
  loopStart: number | null;
  /** The liveness counterexample ends stuttering forever in its last state. */
  stuttering: boolean;
  errors: PoolspecError[];
}

export function matches(expected: Expectation, verdict: Verdict, violated: string | null): boolean {
  if (verdict === 'error') return false;
  if (expected.verdict === 'holds') return verdict === 'holds';
  return verdict === 'violated' && violated !== null && expected.oneOf.includes(violated);
}

export function describeExpectation(e: Expectation): string {
  return e.verdict === 'holds' ? 'holds' : `violates ${e.oneOf.join('|')}`;
}

export interface JsonTraceStep {
  index: number;
  thread: string | null;
  proc: number | null;
  transition: string | null;
  args: Record<string, Value>;
  source: string | null;
  changes: { name: string; from: string; to: string }[];
  state: State;
}

/** A trace for JSON: each step with its thread, transition, spec line and changes. */
export function jsonTrace(model: Model, trace: TraceStep[]): JsonTraceStep[] {
  return trace.map((s, i) => ({
    index: s.index,
    thread: s.via ? procName(model, s.via.proc) : null,
    proc: s.via?.proc ?? null,
    transition: s.via?.transition ?? null,
    args: s.via?.args ?? {},
    source: s.via ? transitionSource(model, s.via.procType, s.via.transition) : null,
    changes: i === 0 ? [] : diffStates(model, trace[i - 1].state, s.state),
    state: s.state,
  }));
}
