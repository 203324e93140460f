/**
 * A whole running instance in one thread: the shared memory and every process of the model. The
 * deterministic scheduler, the counterexample replay and the conformance tests drive it one
 * transition at a time; stress runs use the same RuntimeProcess in worker threads instead.
 */
import type { Model } from '../dsl/ir.ts';
import type { TraceStep } from '../engine/trace.ts';
import type { State } from '../engine/value.ts';
import { RuntimeProcess, type Candidate, type Chooser, type Fault, type StepResult } from './process.ts';
import { Shared } from './shared.ts';
import { CompiledProcess, type StepProcess } from './compiled/process.ts';
import { loadCompiled } from './compiled/module.ts';

/** Which runtime executes the steps: the compiled module of the spec, or the interpreter of the Model. */
export type Impl = 'compiled' | 'interpreted';

export class Instance<P extends StepProcess = RuntimeProcess> {
  readonly shared: Shared;
  readonly procs: P[];
  /** The runtime actually running (a spec the compiler refuses runs interpreted) and why. */
  readonly impl: Impl;
  readonly fallback?: string;

  constructor(model: Model, config: string, opts: { blockSize?: number; impl?: Impl } = {}) {
    this.shared = Shared.create(model, config, opts.blockSize ?? 64);
    const compiled = opts.impl === 'compiled' ? loadCompiled(model) : undefined;
    if (compiled && !compiled.ok) this.fallback = compiled.reason;
    this.impl = compiled?.ok ? 'compiled' : 'interpreted';
    this.procs = this.shared.procIds.map((id) => (compiled?.ok ? new CompiledProcess(this.shared, id, compiled.module) : new RuntimeProcess(this.shared, id))) as unknown as P[];
  }

  get model(): Model {
    return this.shared.model;
  }

  proc(id: number): P {
    const p = this.procs.find((x) => x.id === id);
    if (!p) throw new Error(`no process ${id}`);
    return p;
  }

  /** The instance's state as a model state (shared memory plus every process's pc and locals). */
  state(): State {
    return this.shared.project(this.procs.map((p) => ({ id: p.id, pc: p.pc, locals: p.locals })));
  }
}

/** A step of a recorded run: the trace step plus the faults the runtime saw during it. */
export interface RecordedRun {
  trace: TraceStep[];
  faults: (Fault & { step: number })[];
}

export function viaOf(p: StepProcess, r: StepResult) {
  return { proc: p.id, procType: p.pt.name, transition: r.transition.name, args: r.args };
}

/** Picks the candidate with the given transition name and arguments. */
export function forced(transition: string, args: Record<string, unknown>): Chooser {
  const want = JSON.stringify(args);
  return (enabled: Candidate[]) => enabled.find((c) => c.t.name === transition && JSON.stringify(c.args) === want);
}
