/**
 * A counterexample prepared for the page: per step the thread, transition, doc, spec line (with the
 * source text itself), property status, the link words touched and the memory picture.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Config, Model } from '../../dsl/ir.ts';
import { sourceKey } from '../../dsl/ir.ts';
import { PROJECT_ROOT } from '../../dsl/source.ts';
import { procIds, type Env } from '../../engine/eval.ts';
import type { TraceStep } from '../../engine/trace.ts';
import { procName, renderValue } from '../render.ts';
import { transitionDoc } from '../trace-text.ts';
import { accessesOf, lastAssigned, memoryShape, memoryView, type Access, type MemoryShape, type MemoryView } from './memory.ts';
import { propertyStatus, type PropStatus } from './props.ts';

export interface StepView {
  index: number;
  proc: number | null;
  thread: string | null;
  transition: string | null;
  args: string;
  doc: string;
  /** The spec line that declared the transition, and the whole declaration starting there. */
  source: { file: string; line: number; text: string | null; statement: string | null } | null;
  props: PropStatus[];
  /** Invariants that hold in the previous state and not in this one. */
  breaks: string[];
  accesses: Access[];
  memory: MemoryView | null;
  inLoop: boolean;
}

export interface CxView {
  model: Model;
  config: Config;
  procs: number[];
  shape: MemoryShape | null;
  steps: StepView[];
  trace: TraceStep[];
  violated: string | null;
  /** `index` of the first state of the loop (a lasso), or null. */
  loopStart: number | null;
  stuttering: boolean;
  /** Position (0-based) of the step where the violation shows: the first break, else the last. */
  focus: number;
}

const sourceLines = new Map<string, string[] | null>();

function fileLines(file: string): string[] | null {
  if (!sourceLines.has(file)) {
    try {
      sourceLines.set(file, fs.readFileSync(path.resolve(PROJECT_ROOT, file), 'utf8').split('\n'));
    } catch {
      sourceLines.set(file, null); // a trace read elsewhere: the spec file is not here
    }
  }
  return sourceLines.get(file) ?? null;
}

/**
 * The source line, and the whole declaration it starts (a `t.step(...)` call usually spans several
 * lines): lines are added until the brackets opened on the first line close, up to 12 lines.
 */
export function sourceAt(file: string, line: number): { text: string; statement: string } | null {
  const lines = fileLines(file);
  const first = lines?.[line - 1];
  if (!lines || first === undefined) return null;
  const out: string[] = [];
  let depth = 0;
  for (let i = line - 1; i < Math.min(lines.length, line + 11); i += 1) {
    const l = lines[i].replace(/'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*"|`(?:[^`\\]|\\.)*`/g, "''").replace(/\/\/.*$/, '');
    out.push(lines[i].trim());
    for (const c of l) depth += c === '(' || c === '[' || c === '{' ? 1 : c === ')' || c === ']' || c === '}' ? -1 : 0;
    if (depth <= 0) break;
  }
  return { text: first.trim(), statement: out.join(' ').replace(/\s+/g, ' ').replace(/,(\s*[)\]}])/g, '$1') };
}

export function cxView(model: Model, config: Config, trace: TraceStep[], opts: { violated: string | null; loopStart?: number | null; stuttering?: boolean }): CxView {
  const consts = config.constants;
  const procs = procIds(model, consts);
  const shape = memoryShape(model, consts);
  const assigned = shape ? lastAssigned(shape, trace) : [];
  const loopStart = opts.loopStart ?? null;
  let prevProps: PropStatus[] | null = null;
  const steps = trace.map((step, i): StepView => {
    const props = propertyStatus(model, config, step.state);
    const breaks = props.filter((p) => p.kind === 'invariant' && p.holds === false
      && (prevProps === null || prevProps.find((q) => q.name === p.name)?.holds !== false)).map((p) => p.name);
    prevProps = props;
    const via = step.via;
    const pt = via ? model.procTypes.find((x) => x.name === via.procType) : undefined;
    const t = via ? pt?.transitions.find((x) => x.name === via.transition) : undefined;
    let accesses: Access[] = [];
    if (shape && via && t && i > 0) {
      const env: Env = { model, consts, state: trace[i - 1].state, self: via.proc, bound: new Map(Object.entries(via.args)) };
      accesses = accessesOf(shape, env, t, via.proc);
    }
    const src = via ? model.sources[sourceKey.transition(via.procType, via.transition)] : undefined;
    return {
      index: step.index,
      proc: via?.proc ?? null,
      thread: via ? procName(model, via.proc) : null,
      transition: via?.transition ?? null,
      args: t && t.params.length
        ? `(${t.params.map((p) => `${p.name}=${via!.args[p.name] === undefined ? '?' : renderValue(model, p.elemType, via!.args[p.name])}`).join(', ')})`
        : '',
      doc: via ? transitionDoc(model, via.procType, via.transition) : '',
      source: src ? { file: src.file, line: src.line, text: sourceAt(src.file, src.line)?.text ?? null, statement: sourceAt(src.file, src.line)?.statement ?? null } : null,
      props,
      breaks,
      accesses,
      memory: shape ? memoryView(model, shape, consts, step.state, procs, assigned[i], accesses) : null,
      // A behaviour that ends stuttering loops on its last state.
      inLoop: loopStart !== null ? step.index >= loopStart : opts.stuttering === true && i === trace.length - 1,
    };
  });
  const firstBreak = steps.findIndex((s) => s.breaks.length > 0 || s.accesses.some((a) => a.fault));
  return {
    model, config, procs, shape, steps, trace, violated: opts.violated, loopStart, stuttering: opts.stuttering ?? false,
    focus: firstBreak >= 0 ? firstBreak : steps.length - 1,
  };
}
