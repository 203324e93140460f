/**
 * Inductive invariants in TLA+: `IndInv` as a conjunction of its named conjuncts, so TLC can check it
 * on the reachable states (an invariant that fails on a reachable state is not inductive either).
 */
import type { Model } from '../dsl/ir.ts';
import { pos } from './tla.ts';
import { tlaExpr, type PrintCtx } from './tla-expr.ts';

export function inductiveDefinitions(model: Model): string[] {
  const ctx: PrintCtx = { model };
  const lines: string[] = [];
  for (const ind of model.inductive ?? []) {
    lines.push(`\\* ${pos(model, `inductive:${ind.name}`)}  inductive invariant (poolspec prove), claimed for ${ind.configs.join(', ')}`);
    lines.push(`${ind.name} ==`);
    for (const c of ind.conjuncts) lines.push(`  /\\ ${tlaExpr(c.expr, ctx)}  \\* ${c.name}`);
    lines.push('');
  }
  return lines;
}
