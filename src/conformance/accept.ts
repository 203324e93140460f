/**
 * Conformance of a recorded run to the model: the first state is the model's initial state, and every
 * step is an enabled transition of the model (same process, transition and choices) that leads to
 * exactly the recorded next state. The engine is the judge.
 */
import type { Model } from '../dsl/ir.ts';
import { initialState, keyOf, machine, successors } from '../engine/step.ts';
import type { TraceStep } from '../engine/trace.ts';
import { diffStates, procName } from '../report/render.ts';

export interface Rejection {
  /** 1-based index of the trace step that the model does not accept. */
  step: number;
  reason: string;
  /** Variables whose recorded value differs from the model's, e.g. `head` or `thread1.held`. */
  differences: { name: string; model: string; runtime: string }[];
}

export type Verdict = { ok: true; steps: number } | { ok: false; rejection: Rejection };

export function accept(model: Model, config: string, trace: TraceStep[]): Verdict {
  const m = machine(model, config);
  const init = initialState(m);
  if (keyOf(m, init) !== keyOf(m, trace[0].state)) {
    return reject(1, 'the first state is not the initial state of the model', diffStates(model, init, trace[0].state));
  }
  for (let i = 1; i < trace.length; i += 1) {
    const step = trace[i];
    const via = step.via;
    if (!via) return reject(step.index, 'the step does not say which transition it took', []);
    const args = JSON.stringify(via.args);
    const same = successors(m, trace[i - 1].state).filter((s) => s.proc === via.proc && s.transition.name === via.transition && JSON.stringify(s.args) === args);
    const who = `${procName(model, via.proc)}'s ${via.transition}${args === '{}' ? '' : args}`;
    if (same.length === 0) return reject(step.index, `${who} is not enabled in the model at this state`, []);
    if (same.some((s) => keyOf(m, s.next) === keyOf(m, step.state))) continue;
    return reject(step.index, `${who} leads the model to a different state`, diffStates(model, same[0].next, step.state));
  }
  return { ok: true, steps: trace.length - 1 };
}

function reject(step: number, reason: string, diffs: { name: string; from: string; to: string }[]): Verdict {
  return { ok: false, rejection: { step, reason, differences: diffs.map((d) => ({ name: d.name, model: d.from, runtime: d.to })) } };
}
