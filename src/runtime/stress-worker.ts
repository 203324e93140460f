/**
 * One stress thread: random alloc/free/flush on the shared pool until the deadline or until the main
 * thread says stop, then reports its operation count, its faults, where it is (label, steps) and its
 * locals (for the final accounting).
 *
 * Progress is published through the control words (see stress-control.ts): the count of completed
 * operations goes to this thread's slot after every operation, a plain store the main thread's
 * watchdog polls. Nothing else is shared on the hot path.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { nextSeed, Rng } from '../engine/random.ts';
import { ANY_OP, Interrupted, PoolThread, type Policy } from './pool.ts';
import type { ProcType } from '../dsl/ir.ts';
import type { SharedDesc } from './shared.ts';
import { CTL } from './stress-control.ts';
import { CompiledPoolThread, type Perturbation } from './compiled/pool-thread.ts';
import { instantiate } from './compiled/instantiate.ts';
import { recordCompiled, recordInterpreted, StepLog, type ThreadLog } from '../conformance/record/recorder.ts';

export interface StressWorkerInput {
  entry: string;
  desc: SharedDesc;
  id: number;
  /** This thread's slot in the control words. */
  slot: number;
  seed: number;
  seconds: number;
  policy: Policy;
  flush: boolean;
  /** Control words: start gate, stop flag, ready count, one operation counter per thread. */
  ctl: SharedArrayBuffer;
  /** The compiled module's JavaScript (absent: the interpreter runs). */
  compiledJs?: string;
  perturb?: Perturbation;
  /** Record every step (stress --record); lastK keeps only the thread's last K. */
  record?: { lastK?: number };
}

export interface StressWorkerOutput {
  id: number;
  ops: number;
  faultCount: number;
  faults: PoolThread['faults'];
  pc: string;
  steps: number;
  /** True when the thread was stopped inside an operation. */
  interrupted: boolean;
  locals: ReturnType<PoolThread['locals']>;
  error?: string;
  /** The recorded steps (stress --record). */
  record?: ThreadLog;
}

/**
 * The operation mix: 'pool' for the pool API (alloc, free, flush: allocation-heavy, a free only of a
 * held block); otherwise the operations the initial label starts (`op` tags), picked uniformly, or
 * ANY_OP when the spec tags none.
 */
function operations(pt: ProcType): 'pool' | string[] {
  const ops = [...new Set(pt.transitions.filter((t) => t.from === pt.initial && t.op).map((t) => t.op!))];
  if (ops.includes('alloc') && ops.every((o) => o === 'alloc' || o === 'free' || o === 'flush')) return 'pool';
  return ops.length ? ops : [ANY_OP];
}

const input = workerData as StressWorkerInput;
const ctl = new Int32Array(input.ctl);
const thread = input.compiledJs
  ? new CompiledPoolThread(input.desc, input.id, input.seed, instantiate(input.compiledJs), input.policy, input.perturb)
  : new PoolThread(input.desc, input.id, input.seed, input.policy);
thread.interrupt = () => Atomics.load(ctl, CTL.STOP) !== 0;
const log = input.record ? new StepLog(input.record.lastK) : undefined;
if (log) {
  if (thread instanceof CompiledPoolThread) recordCompiled(thread.proc, log);
  else recordInterpreted(thread.proc, log);
}
Atomics.add(ctl, CTL.READY, 1);
Atomics.notify(ctl, CTL.READY);
Atomics.wait(ctl, CTL.START, 0);
const deadline = performance.now() + input.seconds * 1000;
log?.start();
const slot = CTL.OPS + input.slot;
let ops = 0;
let error: string | undefined;
let interrupted = false;
try {
  // The operation mix has a generator of its own, seeded apart from the policy's.
  const rng = new Rng(nextSeed(input.seed));
  const mix = operations(thread.proc.pt);
  while (performance.now() < deadline && Atomics.load(ctl, CTL.STOP) === 0) {
    if (mix === 'pool') {
      const held = thread.held;
      const r = rng.unit();
      if (held.length === 0 || r < 0.45) thread.alloc();
      else if (r < 0.97 || !input.flush) thread.free(rng.pick(held));
      else thread.flush();
    } else if (!thread.tryOp(rng.pick(mix))) {
      // That operation cannot start now (a scan with nothing retired, say): try another, without
      // counting; if none ever can, the watchdog reports the stall.
      continue;
    }
    ops += 1;
    ctl[slot] = ops;
    if (thread.finished) break;
  }
} catch (err) {
  if (err instanceof Interrupted) interrupted = true;
  else error = (err as Error).message;
}
const out: StressWorkerOutput = {
  id: input.id, ops, faultCount: thread.faultCount, faults: thread.faults, pc: thread.proc.pc, steps: thread.proc.stepCount,
  interrupted, locals: thread.locals(), error, record: log?.finish(),
};
parentPort!.postMessage(out, out.record ? [out.record.ints.buffer as ArrayBuffer, out.record.times.buffer as ArrayBuffer] : []);
