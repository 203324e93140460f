/**
 * The deterministic scheduler: runs an instance one transition at a time in one thread, choosing the
 * process (random, round-robin, or a given list) and, within it, the transition (seeded random), and
 * records the run in the engine's trace shape.
 */
import type { Model } from '../dsl/ir.ts';
import { Rng, type Seed } from '../engine/random.ts';
import { Instance, viaOf, type Impl, type RecordedRun } from './instance.ts';
import type { StepProcess } from './compiled/process.ts';
import type { Candidate } from './process.ts';

export type Schedule =
  | { kind: 'random' }
  | { kind: 'roundrobin' }
  /** Process ids in order; the run ends when the list does. */
  | { kind: 'list'; procs: number[] };

export interface RunOptions {
  schedule: Schedule;
  seed: Seed;
  steps: number;
  blockSize?: number;
  /** Default: the interpreter. */
  impl?: Impl;
}

export interface ScheduledRun extends RecordedRun {
  /**
   * Why the run stopped before `steps`: every process blocked, every process finished (at its
   * terminal label), the schedule ended / named a blocked process, or a step was refused (a type fault).
   */
  stopped: 'steps' | 'deadlock' | 'finished' | 'schedule' | 'fault';
  instance: Instance<StepProcess>;
}

export function runScheduled(model: Model, config: string, opts: RunOptions): ScheduledRun {
  const inst = new Instance<StepProcess>(model, config, { blockSize: opts.blockSize, impl: opts.impl });
  const rng = new Rng(opts.seed);
  const choose = (enabled: Candidate[]) => (enabled.length ? rng.pick(enabled) : undefined);
  const run: ScheduledRun = { trace: [{ index: 1, state: inst.state() }], faults: [], stopped: 'steps', instance: inst };
  let rr = 0;
  for (let i = 0; i < opts.steps; i += 1) {
    let order: number[];
    if (opts.schedule.kind === 'list') {
      if (i >= opts.schedule.procs.length) { run.stopped = 'schedule'; break; }
      order = [opts.schedule.procs[i]];
    } else if (opts.schedule.kind === 'roundrobin') {
      order = inst.procs.map((_, k) => inst.procs[(rr + k) % inst.procs.length].id);
    } else {
      order = shuffled(inst.procs.map((p) => p.id), rng);
    }
    let stepped = false;
    for (const id of order) {
      const p = inst.proc(id);
      const r = p.step(choose);
      if (!r) continue;
      if (r.refused) {
        for (const f of r.faults) run.faults.push({ ...f, step: run.trace.length + 1 });
        run.stopped = 'fault';
        return run;
      }
      stepped = true;
      rr = (inst.procs.indexOf(p) + 1) % inst.procs.length;
      const index = run.trace.length + 1;
      run.trace.push({ index, via: viaOf(p, r), state: inst.state() });
      for (const f of r.faults) run.faults.push({ ...f, step: index });
      break;
    }
    if (!stepped) {
      const finished = inst.procs.every((p) => p.pt.labels.some((l) => l.terminal && l.name === p.pc));
      run.stopped = finished ? 'finished' : opts.schedule.kind === 'list' ? 'schedule' : 'deadlock';
      break;
    }
  }
  return run;
}

function shuffled(xs: number[], rng: Rng): number[] {
  const a = xs.slice();
  for (let i = a.length - 1; i > 0; i -= 1) {
    const j = rng.below(i + 1);
    [a[i], a[j]] = [a[j], a[i]];
  }
  return a;
}
