/**
 * One stress thread: random alloc/free/flush on the shared pool until the deadline, then reports
 * its operation count, its faults and its locals (for the final accounting).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { nextSeed, Rng } from '../engine/random.ts';
import { PoolThread, type Policy } from './pool.ts';
import type { SharedDesc } from './shared.ts';
import { CompiledPoolThread, type Perturbation } from './compiled/pool-thread.ts';
import { instantiate } from './compiled/instantiate.ts';

export interface StressWorkerInput {
  entry: string;
  desc: SharedDesc;
  id: number;
  seed: number;
  seconds: number;
  policy: Policy;
  flush: boolean;
  /** Shared start flag: workers begin together. */
  start: SharedArrayBuffer;
  /** The compiled module's JavaScript (absent: the interpreter runs). */
  compiledJs?: string;
  perturb?: Perturbation;
}

export interface StressWorkerOutput {
  id: number;
  ops: number;
  faultCount: number;
  faults: PoolThread['faults'];
  pc: string;
  locals: ReturnType<PoolThread['locals']>;
  error?: string;
}

const input = workerData as StressWorkerInput;
const thread = input.compiledJs
  ? new CompiledPoolThread(input.desc, input.id, input.seed, instantiate(input.compiledJs), input.policy, input.perturb)
  : new PoolThread(input.desc, input.id, input.seed, input.policy);
const gate = new Int32Array(input.start);
Atomics.wait(gate, 0, 0);
const deadline = performance.now() + input.seconds * 1000;
let ops = 0;
let error: string | undefined;
try {
  // The operation mix has a generator of its own, seeded apart from the policy's.
  const rng = new Rng(nextSeed(input.seed));
  while (performance.now() < deadline) {
    const held = thread.held;
    const r = rng.unit();
    if (held.length === 0 || r < 0.45) thread.alloc();
    else if (r < 0.97 || !input.flush) thread.free(rng.pick(held));
    else thread.flush();
    ops += 1;
  }
} catch (err) {
  error = (err as Error).message;
}
const out: StressWorkerOutput = {
  id: input.id, ops, faultCount: thread.faultCount, faults: thread.faults, pc: thread.proc.pc, locals: thread.locals(), error,
};
parentPort!.postMessage(out);
