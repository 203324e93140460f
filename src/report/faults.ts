/** One line per runtime fault: an access to an unmapped block, or a write outside a declared type. */
import type { Model } from '../dsl/ir.ts';
import type { Fault } from '../runtime/process.ts';
import { procName } from './render.ts';

export function formatFault(model: Model, f: Fault & { step: number }): string {
  const who = `${procName(model, f.proc)} ${f.transition}`;
  if (f.kind === 'type') return `fault at step ${f.step}: ${who} would write ${f.detail}; the runtime refused the step (${f.source})`;
  return `fault at step ${f.step}: ${who} ${f.access} ${f.variable}[b${f.block}] of an unmapped block (${f.source})`;
}
