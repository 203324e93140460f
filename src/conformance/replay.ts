/**
 * Counterexample replay: drives the runtime through exactly the interleaving of a trace (TLC's
 * counterexample, or any trace in the project's shape) and compares, after every step, the runtime's
 * state projected onto the model's variables with the trace's state.
 */
import type { Model } from '../dsl/ir.ts';
import type { TraceStep } from '../engine/trace.ts';
import type { State } from '../engine/value.ts';
import { diffStates } from '../report/render.ts';
import { forced, Instance, type Impl } from '../runtime/instance.ts';
import type { StepProcess } from '../runtime/compiled/process.ts';
import type { Fault } from '../runtime/process.ts';
import { accountPool, isPoolModel, type Accounting } from '../runtime/pool-accounting.ts';

export interface ReplayResult {
  spec: string;
  config: string;
  /** Steps of the trace (transitions, not counting the initial state). */
  steps: number;
  /** Steps the runtime executed before stopping (all of them when matched). */
  executed: number;
  matched: boolean;
  /** The first step where the runtime could not follow the trace or its state differed. */
  mismatch: { step: number; reason: string; differences: { name: string; trace: string; runtime: string }[] } | null;
  faults: (Fault & { step: number })[];
  /** Trace step of the first fault (a use-after-free), or null. */
  faultStep: number | null;
  /** Where the blocks are in the runtime's final state (pool specs). */
  accounting: Accounting | null;
  /** The runtime's states, in the trace shape. */
  trace: TraceStep[];
  /** The runtime that ran, and why the compiled one did not when it was asked for. */
  impl: Impl;
  fallback?: string;
}


export function replay(model: Model, config: string, trace: TraceStep[], opts: { blockSize?: number; impl?: Impl } = {}): ReplayResult {
  const inst = new Instance<StepProcess>(model, config, { blockSize: opts.blockSize, impl: opts.impl });
  const consts = inst.shared.consts;
  const result: ReplayResult = {
    spec: model.name, config, steps: trace.length - 1, executed: 0, matched: true, mismatch: null,
    faults: [], faultStep: null, accounting: null, trace: [{ index: 1, state: inst.state() }],
    impl: inst.impl, ...(inst.fallback !== undefined ? { fallback: inst.fallback } : {}),
  };
  const compare = (step: number, expected: State) => {
    const diffs = diffStates(model, expected, inst.state());
    if (diffs.length) {
      result.matched = false;
      result.mismatch = { step, reason: 'the runtime state differs from the trace', differences: diffs.map((d) => ({ name: d.name, trace: d.from, runtime: d.to })) };
    }
    return diffs.length === 0;
  };
  if (compare(1, trace[0].state)) {
    for (let i = 1; i < trace.length; i += 1) {
      const via = trace[i].via;
      if (!via) {
        result.matched = false;
        result.mismatch = { step: trace[i].index, reason: 'the trace does not say which transition this step took', differences: [] };
        break;
      }
      const p = inst.proc(via.proc);
      const r = p.step(forced(via.transition, via.args));
      if (!r) {
        result.matched = false;
        result.mismatch = { step: trace[i].index, reason: `${via.transition} is not enabled for process ${via.proc} in the runtime`, differences: [] };
        break;
      }
      if (r.refused) {
        // A write outside its declared type: the runtime refuses the step (a fault at that step).
        for (const f of r.faults) result.faults.push({ ...f, step: trace[i].index });
        break;
      }
      result.executed += 1;
      result.trace.push({ index: trace[i].index, via, state: inst.state() });
      for (const f of r.faults) result.faults.push({ ...f, step: trace[i].index });
      if (!compare(trace[i].index, trace[i].state)) break;
    }
  }
  result.faultStep = result.faults[0]?.step ?? null;
  if (isPoolModel(model)) {
    result.accounting = accountPool(model, consts, inst.state());
  }
  return result;
}
