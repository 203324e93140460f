/**
 * Refinement in TLA+: `Abstract == INSTANCE <abstract> WITH <const> <- ..., <var> <- ...` and
 * `Refines == Abstract!Init /\ [][Abstract!Next]_Abstract!vars` (the safety part of the abstract
 * spec: stuttering steps allowed, fairness left out). TLC checks `Refines` as a property; the
 * abstract module is emitted next to the concrete one so TLC finds it.
 */
import type { Model } from '../dsl/ir.ts';
import { emitTla, pos, tlaFileName } from './tla.ts';
import { tlaExpr, type PrintCtx } from './tla-expr.ts';

export const REFINES = 'Refines';
export const ABSTRACT_INSTANCE = 'Abstract';

export function refinementDefinitions(model: Model): string[] {
  const r = model.refinement;
  if (!r) return [];
  const ctx: PrintCtx = { model };
  const subst = [
    ...Object.entries(r.constants).map(([k, e]) => `${k} <- ${tlaExpr(e, ctx)}`),
    ...Object.entries(r.vars).map(([k, e]) => `${k} <- ${tlaExpr(e, ctx)}`),
  ];
  return [
    `\\* ${pos(model, 'refinement')}  refinement mapping to ${r.abstract.name} (${r.abstract.file})`,
    `${ABSTRACT_INSTANCE} == INSTANCE ${r.abstract.name} WITH`,
    ...subst.map((s, i) => `  ${s}${i < subst.length - 1 ? ',' : ''}`),
    '',
    `\\* The safety part of ${r.abstract.name}'s Spec, with stuttering: every step of this spec is a step of`,
    `\\* ${r.abstract.name} or leaves its variables unchanged.`,
    `${REFINES} == ${ABSTRACT_INSTANCE}!Init /\\ [][${ABSTRACT_INSTANCE}!Next]_${ABSTRACT_INSTANCE}!vars`,
    '',
  ];
}

/** The abstract module's file, to be written next to the concrete module. */
export function abstractModuleFiles(model: Model): Map<string, string> {
  const r = model.refinement;
  return r ? new Map([[tlaFileName(r.abstract), emitTla(r.abstract)]]) : new Map();
}

/** Inserts the refinement definitions before the closing `====` of a module text (the PlusCal module). */
export function withRefinement(model: Model, moduleText: string): string {
  const defs = refinementDefinitions(model);
  if (!defs.length) return moduleText;
  const lines = moduleText.split('\n');
  let end = lines.length - 1;
  while (end >= 0 && !/^====/.test(lines[end])) end -= 1;
  if (end < 0) return moduleText;
  return [...lines.slice(0, end), ...defs, ...lines.slice(end)].join('\n');
}
