/**
 * TLC counterexamples in the project's trace shape. TLC names the action of each step but not the
 * process or the `\E` choices, so each step is identified by asking the engine which enabled step of
 * the previous state yields exactly TLC's next state. A step the engine cannot reproduce is a
 * disagreement between the emitter and the engine, reported as such.
 */
import type { PoolspecError } from '../errors.ts';
import type { Machine } from '../engine/step.ts';
import { initialState, keyOf, successors } from '../engine/step.ts';
import type { TraceStep } from '../engine/trace.ts';
import { mkSet, type State, type Value } from '../engine/value.ts';
import type { TlaValue, TlcTraceStep } from '../tlc/index.ts';
import { modelValueNumbers } from '../dsl/symmetry.ts';
import { numberModelValues } from './model-values.ts';

export function fromTla(v: TlaValue): Value {
  if (typeof v !== 'object') return v;
  if ('seq' in v) return v.seq.map(fromTla);
  if ('set' in v) return mkSet(v.set.map(fromTla));
  if ('modelValue' in v) return v.modelValue;
  if ('fn' in v) {
    // Functions over 1..n are arrays; TLC prints them as `(1 :> a @@ 2 :> b)` only when not a sequence.
    const pairs = [...v.fn].sort((a, b) => Number(a[0]) - Number(b[0]));
    if (pairs.every(([k], i) => k === i + 1)) return pairs.map(([, x]) => fromTla(x));
    // A function over positive integers not starting at 1 (the ids of a later process type): element
    // i at index i-1, with holes outside the domain, as the engine keeps it.
    if (pairs.every(([k]) => Number.isSafeInteger(k) && (k as number) >= 1)) {
      const out: Value[] = new Array(pairs[pairs.length - 1][0] as number);
      for (const [k, x] of pairs) out[(k as number) - 1] = fromTla(x);
      return out;
    }
  }
  throw new Error(`unsupported TLA+ value in a trace: ${JSON.stringify(v)}`);
}

export interface LabelledTrace {
  trace: TraceStep[];
  errors: PoolspecError[];
  /** For a liveness counterexample: the index of the first state of the loop (see CheckResult). */
  loopStart: number | null;
  /** The behaviour ends stuttering forever in its last state. */
  stuttering: boolean;
}

export function labelTlcTrace(m: Machine, steps: TlcTraceStep[]): LabelledTrace {
  const errors: PoolspecError[] = [];
  const trace: TraceStep[] = [];
  let loopStart: number | null = null;
  let stuttering = false;
  const locals = new Set(m.model.procTypes.flatMap((pt) => pt.locals.map((l) => l.name)));
  let init: State | undefined;
  const numbers = modelValueNumbers(m.model, m.config);
  const identify = (prev: TraceStep, state: State, s: TlcTraceStep) => {
    const k = keyOf(m, state);
    const candidates = successors(m, prev.state).filter((c) => keyOf(m, c.next) === k);
    const pick = candidates.find((c) => c.transition.name === s.action?.name) ?? candidates[0];
    if (!pick) {
      errors.push({
        code: 'TLC_ERROR',
        message: `step ${s.index} of TLC's trace (${s.action?.name ?? '?'}) is not a step of the engine: the emitter and the engine disagree`,
      });
    }
    return pick ? { proc: pick.proc, procType: pick.procType, transition: pick.transition.name, args: pick.args } : undefined;
  };
  for (const s of steps) {
    try {
      if (!labelStep(s)) break;
    } catch (err) {
      // A value fromTla cannot read, or a state the engine cannot evaluate: a disagreement, not a crash.
      errors.push({ code: 'TLC_ERROR', message: `step ${s.index} of TLC's trace cannot be read: ${(err as Error).message}` });
      break;
    }
  }
  return { trace, errors, loopStart, stuttering };

  /** Appends TLC's step `s`; false when it ends the behaviour (stuttering, or the loop closing). */
  function labelStep(s: TlcTraceStep): boolean {
    const prev = trace[trace.length - 1];
    if (s.stuttering) {
      // "N: Stuttering": the behaviour stays in the previous state forever.
      stuttering = true;
      loopStart = prev?.index ?? null;
      return false;
    }
    if (s.backToState !== undefined) {
      // "N: Back to state: <A>": the loop closes with action A from the last state to state K; the
      // closing step is kept so the printout shows who takes the behaviour round again.
      const target = trace.find((t) => t.index === s.backToState);
      if (prev && target) {
        loopStart = target.index;
        trace.push({ index: prev.index + 1, via: identify(prev, target.state, s), state: target.state });
      } else {
        errors.push({ code: 'TLC_ERROR', message: `step ${s.index} of TLC's trace goes back to state ${s.backToState}, which is not in the trace` });
      }
      return false;
    }
    const state: State = {};
    for (const name of m.varOrder) {
      state[name] = fromTla(numberModelValues(s.vars[name], numbers));
      // PlusCal keeps a process-local variable over its own process type only; the model keeps it over
      // every process, the other types' entries at their initial values forever.
      if (locals.has(name) && m.model.procTypes.length > 1) {
        init ??= initialState(m);
        state[name] = fillLocal(state[name], init[name] as Value[]);
      }
    }
    trace.push(prev ? { index: s.index, via: identify(prev, state, s), state } : { index: s.index, state });
    return true;
  }
}

/** A local's value over some processes, completed with the model's initial values for the others. */
function fillLocal(v: Value, initial: Value[]): Value {
  if (!Array.isArray(v) || (v.length === initial.length && !v.includes(undefined as unknown as Value))) return v;
  return initial.map((x, i) => (v[i] === undefined ? x : v[i]));
}
