/** Text rendering of prove results: one line per obligation, counterexamples to induction in full. */
import type { Model } from '../dsl/ir.ts';
import type { State } from '../engine/value.ts';
import { diffStates, procName, renderState, renderValue } from '../report/render.ts';
import type { Cti, ObligationResult } from './obligations.ts';
import type { ProveResult } from './prove.ts';
import { formatError } from '../errors.ts';

export function constantsText(c: Record<string, number | boolean>): string {
  return Object.entries(c).map(([k, v]) => `${k}=${typeof v === 'boolean' ? (v ? 'TRUE' : 'FALSE') : v}`).join(', ');
}

export function obligationLine(o: ObligationResult): string {
  const extra = o.error ? `  ${formatError(o.error)}` : o.queries > 1 ? `  (${o.queries} queries)` : '';
  return `  ${o.result.padEnd(8)} ${o.name.padEnd(28)} ${o.seconds.toFixed(1).padStart(6)} s${extra}`;
}

function stateLines(model: Model, s: State, indent: string): string[] {
  return renderState(model, s).map((l) => `${indent}${l}`);
}

export function formatCti(model: Model, c: Cti): string[] {
  const pt = model.procTypes.find((p) => p.name === c.procType);
  const t = pt?.transitions.find((x) => x.name === c.transition);
  const args = t && t.params.length ? `(${t.params.map((p) => `${p.name}=${renderValue(model, p.elemType, c.args[p.name])}`).join(', ')})` : '';
  const lines = ['    counterexample to induction: a state where IndInv holds, and a step that leaves it', '    pre-state:'];
  lines.push(...stateLines(model, c.pre, '      '));
  lines.push(`    step: ${procName(model, c.proc)} ${c.transition}${args}  ${c.source}${t?.doc ? `  ${t.doc}` : ''}`);
  lines.push(`    ${c.reason}`);
  if (c.post) {
    const changes = diffStates(model, c.pre, c.post);
    lines.push(`    post-state changes: ${changes.map((x) => `${x.name}: ${x.from} -> ${x.to}`).join('   ') || '(none)'}`);
    lines.push(`    IndInv conjuncts false after the step: ${c.broken.join(', ') || '(none: only the typing of a variable)'}`);
    if (c.engineAgrees === false) lines.push('    WARNING: the engine computes a different successor of this pre-state (encoding bug)');
  }
  return lines;
}

export function formatProve(model: Model, r: ProveResult, z3: string): string {
  const lines = [`${r.spec} ${r.config} (${constantsText(r.constants)}): ${r.inductive}, ${r.obligations.length} obligations, ${z3}`];
  for (const o of r.obligations) {
    lines.push(obligationLine(o));
    if (o.cti) lines.push(...formatCti(model, o.cti));
    if (o.state) {
      lines.push(`    a state where ${o.name.startsWith('init') ? 'Init holds' : 'IndInv holds'} but ${o.broken?.join(', ')} ${o.name.startsWith('init') ? 'of IndInv does' : 'does'} not:`);
      lines.push(...stateLines(model, o.state, '      '));
    }
  }
  const counts = (k: string) => r.obligations.filter((o) => o.result === k).length;
  lines.push(r.proved
    ? `all ${r.obligations.length} obligations proved in ${r.seconds.toFixed(1)} s`
    : `${counts('proved')} proved, ${counts('failed')} failed, ${counts('unknown')} unknown, ${counts('error')} errors of ${r.obligations.length} obligations (${r.seconds.toFixed(1)} s)`);
  return lines.join('\n');
}
