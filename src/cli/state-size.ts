/** The size of one state of a model × configuration, to bound runs that keep traces. */
import type { Model } from '../dsl/ir.ts';
import { initialState, machine } from '../engine/step.ts';

export function initialStateBytes(model: Model, config: string): number {
  try {
    return JSON.stringify(initialState(machine(model, config))).length;
  } catch {
    // an initial state that does not evaluate is reported by the run itself
    return 64 * (model.vars.length + model.procTypes.reduce((a, p) => a + p.locals.length, 0) + 1);
  }
}
