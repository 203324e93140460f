/** The JSON shape of a prove result: states rendered the way `check --json` renders trace states. */
import type { Model } from '../dsl/ir.ts';
import type { ProveResult } from './prove.ts';

export function proveJson(model: Model, r: ProveResult) {
  return {
    spec: r.spec, config: r.config, inductive: r.inductive, constants: r.constants, proved: r.proved, seconds: r.seconds,
    conjuncts: model.inductive?.find((i) => i.name === r.inductive)?.conjuncts.map((c) => c.name) ?? [],
    obligations: r.obligations.map((o) => ({
      name: o.name, result: o.result, seconds: o.seconds, queries: o.queries,
      ...(o.cti ? { cti: o.cti } : {}),
      ...(o.state ? { state: o.state, broken: o.broken } : {}),
      ...(o.error ? { error: o.error } : {}),
    })),
  };
}
