/**
 * A counterexample as a readable interleaving: one entry per step with the thread, the transition,
 * the spec file:line it comes from, what it does, and the variables it changed.
 */
import type { Model } from '../dsl/ir.ts';
import { sourceKey } from '../dsl/ir.ts';
import type { TraceStep } from '../engine/trace.ts';
import { diffStates, procName, renderState, renderValue } from './render.ts';
import { formatStops, type FailedConjunct, type ThreadStop } from '../check/explain.ts';

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

export interface TraceNotes {
  violated?: string | null;
  /** Index of the first state of a lasso's loop (see CheckResult.loopStart). */
  loopStart?: number | null;
  stuttering?: boolean;
  failedConjuncts?: FailedConjunct[];
  stops?: ThreadStop[] | null;
}

export function formatTrace(model: Model, trace: TraceStep[], opts: TraceNotes = {}): string {
  const lines: string[] = [];
  const lasso = opts.loopStart !== undefined && opts.loopStart !== null;
  if (opts.violated) {
    const n = trace.length - 1;
    const steps = `${n} step${n === 1 ? '' : 's'}`;
    lines.push(lasso
      ? opts.stuttering
        ? `${opts.violated} is violated by a behaviour that stops after ${steps} and stutters forever:`
        : `${opts.violated} is violated by a behaviour that repeats steps ${opts.loopStart! + 1}-${trace[trace.length - 1].index} forever:`
      : `${opts.violated} is violated after ${steps}:`);
  }
  trace.forEach((step, i) => {
    const num = String(step.index).padStart(3);
    const closing = lasso && !opts.stuttering && i === trace.length - 1 && i > 0;
    const loopMark = lasso && !opts.stuttering && step.index === opts.loopStart && !closing
      ? `  --- state ${step.index}: the loop starts here ---` : null;
    if (!step.via) {
      lines.push(`${num}  initial state`);
      for (const l of renderState(model, step.state)) lines.push(`       ${l}`);
      if (loopMark) lines.push(loopMark);
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
    if (loopMark) lines.push(loopMark);
    if (closing) lines.push(`  --- back to state ${opts.loopStart}: the loop starts again ---`);
  });
  if (lasso && opts.stuttering) lines.push(`  --- from state ${opts.loopStart} on, nothing changes forever (stuttering) ---`);
  if (opts.stops?.length) {
    lines.push(opts.violated === 'Deadlock' ? 'no process can move:' : 'where each process stays forever:');
    for (const l of formatStops(opts.stops)) lines.push(`  ${l}`);
  }
  if (opts.failedConjuncts?.length) {
    lines.push(`false in the last state (${opts.failedConjuncts.length} conjunct${opts.failedConjuncts.length > 1 ? 's' : ''} of ${opts.violated}):`);
    for (const c of opts.failedConjuncts) lines.push(`  ${c.source ?? '?'}: ${c.text}`);
  }
  return lines.join('\n');
}
