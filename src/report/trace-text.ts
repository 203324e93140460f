/**
 * A counterexample as a readable interleaving: one entry per step with the thread, the transition,
 * the spec file:line it comes from, what it does, and the variables it changed.
 */
import type { Model } from '../dsl/ir.ts';
import { sourceKey } from '../dsl/ir.ts';
import type { TraceStep } from '../engine/trace.ts';
import { diffStates, procName, renderState, renderValue } from './render.ts';

export function transitionSource(model: Model, procType: string, transition: string): string {
  const s = model.sources[sourceKey.transition(procType, transition)];
  return s ? `${s.file}:${s.line}` : '?';
}

export function transitionDoc(model: Model, procType: string, transition: string): string {
  const pt = model.procTypes.find((p) => p.name === procType);
  const t = pt?.transitions.find((x) => x.name === transition);
  if (!t) return '';
  const label = pt!.labels.find((l) => l.name === t.from);
  return [label?.doc, t.doc].filter(Boolean).join(' | ');
}

export function formatTrace(model: Model, trace: TraceStep[], opts: { violated?: string | null } = {}): string {
  const lines: string[] = [];
  if (opts.violated) lines.push(`${opts.violated} is violated after ${trace.length - 1} steps:`);
  trace.forEach((step, i) => {
    const num = String(step.index).padStart(3);
    if (!step.via) {
      lines.push(`${num}  initial state`);
      for (const l of renderState(model, step.state)) lines.push(`       ${l}`);
      return;
    }
    const { proc, procType, transition, args } = step.via;
    const pt = model.procTypes.find((p) => p.name === procType);
    const t = pt?.transitions.find((x) => x.name === transition);
    const argText = t && t.params.length
      ? `(${t.params.map((p) => {
        const v = args[p.name];
        return `${p.name}=${v === undefined ? '?' : renderValue(model, p.elemType, v)}`;
      }).join(', ')})`
      : '';
    const doc = transitionDoc(model, procType, transition);
    lines.push(`${num}  ${procName(model, proc).padEnd(8)} ${`${transition}${argText}`.padEnd(22)} ${transitionSource(model, procType, transition).padEnd(24)} ${doc}`);
    const changes = diffStates(model, trace[i - 1].state, step.state).filter((c) => c.name !== `${procName(model, proc)}.pc`);
    lines.push(`       ${changes.map((c) => `${c.name}: ${c.from} -> ${c.to}`).join('   ') || `(goto ${t?.to ?? '?'})`}`);
  });
  return lines.join('\n');
}
