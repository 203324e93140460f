/**
 * The pool API (`alloc`, `free`, `flush`) on the compiled steps: the same operations and the same
 * choices as PoolThread (src/runtime/pool.ts), without candidate objects on the hot path.
 *
 * Schedule perturbation (`perturb`): at compiled speed the real race windows are a few nanoseconds
 * wide, so before a step that touches shared memory the thread spins, with that probability, for a
 * random time (up to about `spinMax` iterations). A spin between reading the head and dereferencing
 * it is what lets another thread pop and free the block meanwhile, as the preemption does in HAProxy.
 */
import { Rng, type Seed } from '../../engine/random.ts';
import type { Model } from '../../dsl/ir.ts';
import { readsOf } from '../../dsl/print.ts';
import { isSet, type Value } from '../../engine/value.ts';
import { ANY_OP, Interrupted, type Policy } from '../pool.ts';
import type { Fault } from '../process.ts';
import { Shared, type SharedDesc } from '../shared.ts';
import { CompiledProcess } from './process.ts';
import type { CompiledModule, ProcState } from './instantiate.ts';

export interface Perturbation {
  /** Probability of a spin before a step that touches shared memory. */
  p: number;
  /** Longest spin, in loop iterations (a few nanoseconds each). */
  spinMax: number;
}

export const DEFAULT_PERTURBATION: Perturbation = { p: 0.02, spinMax: 4000 };

/** Per label of the thread's process type: whether one of its transitions reads or writes a shared word. */
function sharedLabels(model: Model, proc: CompiledProcess): boolean[] {
  const shared = new Set(model.vars.filter((v) => v.role === 'shared').map((v) => v.name));
  return proc.pt.labels.map((l) => proc.pt.transitions.some((t) => t.from === l.name
    && [...readsOf(t.guard, ...t.effects.flatMap((a) => [a.value, a.target.index]))].some((n) => shared.has(n))
    || (t.from === l.name && t.effects.some((a) => a.target.kind === 'var' && shared.has(a.target.name)))));
}

let sink = 0;

export class CompiledPoolThread {
  readonly proc: CompiledProcess;
  readonly faults: (Fault & { at: number })[] = [];
  faultCount = 0;
  private readonly rng: Rng;
  private readonly sleeper = new Int32Array(new SharedArrayBuffer(4));
  private readonly t0 = performance.now();
  private readonly weight: number[];
  private readonly opOf: (string | null)[];
  private readonly touches: boolean[];
  private readonly initial: number;
  private entryOp: string | null = null;
  private entryBlock = -1;
  private readonly pick: number[] = [];
  private readonly refused: number;

  constructor(shared: Shared | SharedDesc, id: number, seed: Seed, mod: CompiledModule, readonly policy: Policy, readonly perturb: Perturbation = { p: 0, spinMax: 0 }, readonly maxFaults = 100) {
    const s = shared instanceof Shared ? shared : new Shared(shared);
    this.proc = new CompiledProcess(s, id, mod);
    this.refused = mod.REFUSED;
    this.rng = new Rng(seed);
    const ts = this.proc.pt.transitions;
    this.weight = ts.map((t) => policy.weights[t.name.slice(t.from.length + 1)] ?? 1);
    this.opOf = ts.map((t) => t.op ?? null);
    this.touches = sharedLabels(s.model, this.proc);
    this.initial = this.proc.pt.labels.findIndex((l) => l.name === this.proc.pt.initial);
  }

  /** As PoolThread.interrupt: polled every 64 steps; true abandons the operation with Interrupted. */
  interrupt: (() => boolean) | null = null;
  private polls = 0;

  get held(): number[] {
    const h = this.proc.locals.held;
    return isSet(h) ? (h.set as number[]) : [];
  }

  alloc(): number | null {
    const before = this.held;
    this.run('alloc', -1);
    const after = this.held;
    for (const b of after) if (!before.includes(b)) return b;
    return null;
  }

  free(block: number): void {
    if (!this.held.includes(block)) throw new Error(`block ${block} is not held by thread ${this.proc.id}`);
    this.run('free', block);
  }

  flush(): void {
    this.run('flush', -1);
  }

  /** As PoolThread.tryOp: runs operation `op` (or ANY_OP) if it can start, else returns false. */
  tryOp(op: string): boolean {
    return this.run(op, -1, true);
  }

  /** Whether the thread is at a label no transition leaves (it has finished). */
  get finished(): boolean {
    return !this.proc.pt.transitions.some((t) => t.from === this.proc.pc);
  }

  elapsed(): number {
    return (performance.now() - this.t0) / 1000;
  }

  locals(): Record<string, Value> {
    return this.proc.locals;
  }

  /** The policy: on the entry step only the operation's transitions (of the given block); then weighted by branch. */
  private readonly pol = (p: ProcState, n: number): number => {
    let m = 0;
    const pick = this.pick;
    if (this.entryOp !== null) {
      for (let i = 0; i < n; i += 1) {
        if ((this.entryOp === ANY_OP || this.opOf[p.ct[i]] === this.entryOp) && (this.entryBlock < 0 || p.ca[i] === this.entryBlock)) pick[m++] = i;
      }
    } else {
      if (n === 1) return 0;
      for (let i = 0; i < n; i += 1) pick[i] = i;
      m = n;
    }
    if (m === 0) return -1;
    if (m === 1) return pick[0];
    let sum = 0;
    for (let i = 0; i < m; i += 1) sum += this.weight[p.ct[pick[i]]];
    let x = this.rng.unit() * sum;
    for (let i = 0; i < m; i += 1) {
      x -= this.weight[p.ct[pick[i]]];
      if (x < 0) return pick[i];
    }
    return pick[m - 1];
  };

  private run(op: string, block: number, optional = false): boolean {
    const proc = this.proc;
    const p = proc.p;
    if (p.pc !== this.initial) throw new Error(`thread ${proc.id} is inside an operation (at ${proc.pc})`);
    this.entryOp = op;
    this.entryBlock = block;
    let first = true;
    let spins = 0;
    const chaos = this.policy.chaos;
    const perturb = this.perturb.p;
    for (;;) {
      if (this.interrupt && (++this.polls & 63) === 0 && this.interrupt()) throw new Interrupted(proc.id, proc.pc);
      if (chaos > 0 && this.rng.unit() < chaos) this.pause(this.rng.below(50) / 1000);
      if (perturb > 0 && this.touches[p.pc] && this.rng.unit() < perturb) this.spin(this.rng.below(this.perturb.spinMax + 1));
      const r = proc.stepWith(this.pol);
      // A refused step (a write outside its type) counts as a step here, as in PoolThread: its fault is recorded.
      if (r < 0 && r !== this.refused) {
        if (first && optional) {
          this.entryOp = null;
          return false;
        }
        if (first) throw new Error(`operation ${op} cannot start in ${proc.model.name} (no enabled entry transition)`);
        if (this.finished) return true;
        spins += 1;
        if (spins % 64 === 0) this.pause(0.01);
        continue;
      }
      if (first) {
        first = false;
        this.entryOp = null;
      }
      const fs = proc.lastFaults;
      for (let i = 0; i < fs.length; i += 1) {
        this.faultCount += 1;
        if (this.faults.length < this.maxFaults) this.faults.push({ ...fs[i], at: this.elapsed() });
      }
      if (p.pc === this.initial) return true;
    }
  }

  private spin(k: number): void {
    let x = sink;
    for (let i = 0; i < k; i += 1) x = (x * 1103515245 + 12345) | 0;
    sink = x;
  }

  private pause(ms: number): void {
    Atomics.wait(this.sleeper, 0, 0, ms);
  }
}
