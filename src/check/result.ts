/** The typed result of checking one spec × configuration with one backend (the JSON of `check --json`). */
import type { PoolspecError } from '../errors.ts';
import type { Expectation, Model } from '../dsl/ir.ts';
import type { TraceStep } from '../engine/trace.ts';
import { diffStates, procName } from '../report/render.ts';
import { transitionSource } from '../report/trace-text.ts';
import type { State, Value } from '../engine/value.ts';
import type { FailedConjunct, ThreadStop } from './explain.ts';

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
  /**
   * A liveness counterexample is a lasso: the `index` of the first state of its loop (the trace's
   * last step then leads back to that state), or of its last state when the behaviour ends
   * stuttering forever there; null for a finite counterexample.
   */
  loopStart: number | null;
  /** The behaviour ends stuttering forever in its last state. */
  stuttering: boolean;
  /** For a violated invariant: its conjuncts that are false in the violating state. */
  failedConjuncts: FailedConjunct[];
  /** For a deadlock or a behaviour that ends stuttering: where each process stops, and why. */
  stops: ThreadStop[] | null;
  errors: PoolspecError[];
  /** With `check --distributed`: how TLC's distributed mode took part (see src/check/distributed.ts). */
  distributed?: DistributedInfo;
}

export interface DistributedInfo {
  /** TLC's distributed server and its workers checked the invariants and deadlock. */
  safety: { tlcWorkers: number; registered: number; port: number; distinctStates: number; statesGenerated: number; depth: number; seconds: number; verdict: Verdict };
  /** How the temporal properties were checked: by a local TLC run (distributed TLC checks none), or not at all. */
  temporal: { properties: string[]; checkedBy: 'local TLC' | 'none (no temporal properties)' | 'not checked (safety failed)'; seconds: number | null };
  /** The command that adds a worker on another host. */
  workerCommand: string;
}

/** The fields a result without a counterexample has. */
export const noCounterexample = (): Pick<CheckResult, 'trace' | 'loopStart' | 'stuttering' | 'failedConjuncts' | 'stops'> =>
  ({ trace: null, loopStart: null, stuttering: false, failedConjuncts: [], stops: null });

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
