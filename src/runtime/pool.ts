/**
 * The pool API on top of a pool spec: `alloc`, `free`, `flush`, for one thread (one process of the
 * model) attached to shared memory. An operation starts with the spec's entry transition tagged with
 * that `op` and runs the spec's own transitions until the thread is back at its initial label; the
 * block `alloc` returns is the one the operation put into the thread's `held` set.
 */
import type { Model } from '../dsl/ir.ts';
import { Rng, type Seed } from '../engine/random.ts';
import { isSet, type Value } from '../engine/value.ts';
import { RuntimeProcess, type Candidate, type Fault } from './process.ts';
import { Shared, type SharedDesc } from './shared.ts';

/** How the thread resolves the spec's nondeterministic choices: weights by branch name. */
export interface Policy {
  /** Weight of a transition, by its branch name (`crowded`, `freeKeep`, ...); default 1. */
  weights: Record<string, number>;
  /** Probability of a short random delay before a step (schedule fuzzing). */
  chaos: number;
}

export const DEFAULT_POLICY: Policy = { weights: {}, chaos: 0 };

/** A model whose configuration `name` has the given constants (threads, blocks) overridden. */
export function withConfig(model: Model, base: string, name: string, constants: Record<string, number | boolean>): Model {
  const c = model.configs.find((x) => x.name === base);
  if (!c) throw new Error(`no configuration ${base} in ${model.name}`);
  return { ...model, configs: [...model.configs, { ...c, name, constants: { ...c.constants, ...constants } }] };
}

/** An operation abandoned because the thread's `interrupt` said so; the thread stays where it was. */
export class Interrupted extends Error {
  constructor(readonly proc: number, readonly label: string) {
    super(`thread ${proc} interrupted at ${label}`);
  }
}

/** The operation name that stands for any step the initial label can take (a spec whose steps carry no `op`). */
export const ANY_OP = '*';

const branchOf = (c: Candidate) => c.t.name.slice(c.t.from.length + 1);

export class PoolThread {
  readonly proc: RuntimeProcess;
  readonly faults: (Fault & { at: number })[] = [];
  faultCount = 0;
  private readonly rng: Rng;
  private readonly sleeper = new Int32Array(new SharedArrayBuffer(4));
  private readonly t0 = performance.now();
  /**
   * Polled every 64 steps inside an operation: when it returns true the operation is abandoned with
   * an Interrupted error (stress uses it to end threads that spin forever on a stuck lock word).
   */
  interrupt: (() => boolean) | null = null;
  private polls = 0;

  constructor(shared: Shared | SharedDesc, id: number, seed: Seed, readonly policy: Policy = DEFAULT_POLICY, readonly maxFaults = 100) {
    this.proc = new RuntimeProcess(shared instanceof Shared ? shared : new Shared(shared), id);
    this.rng = new Rng(seed);
  }

  get held(): number[] {
    const h = this.proc.locals.held;
    return isSet(h) ? (h.set as number[]) : [];
  }

  alloc(): number | null {
    const before = new Set(this.held);
    this.run('alloc', () => true);
    return this.held.find((b) => !before.has(b)) ?? null;
  }

  free(block: number): void {
    if (!this.held.includes(block)) throw new Error(`block ${block} is not held by thread ${this.proc.id}`);
    this.run('free', (c) => Object.values(c.args).includes(block));
  }

  flush(): void {
    this.run('flush', () => true);
  }

  /**
   * Any other operation of the spec (`op: 'push'`, ...; `ANY_OP`: whatever the thread's initial label
   * can do): runs it if one of its entry transitions is enabled, else returns false and does nothing.
   */
  tryOp(op: string): boolean {
    return this.run(op, () => true, true);
  }

  /** Whether the thread is at a label no transition leaves (it has finished: `t.done()`). */
  get finished(): boolean {
    return !this.proc.pt.transitions.some((t) => t.from === this.proc.pc);
  }

  /** Elapsed seconds since this thread attached. */
  elapsed(): number {
    return (performance.now() - this.t0) / 1000;
  }

  private weighted(enabled: Candidate[]): Candidate | undefined {
    if (enabled.length <= 1) return enabled[0];
    const w = enabled.map((c) => this.policy.weights[branchOf(c)] ?? 1);
    let x = (this.rng.unit()) * w.reduce((a, b) => a + b, 0);
    for (let i = 0; i < enabled.length; i += 1) {
      x -= w[i];
      if (x < 0) return enabled[i];
    }
    return enabled[enabled.length - 1];
  }

  private run(op: string, accept: (c: Candidate) => boolean, optional = false): boolean {
    const p = this.proc;
    if (p.pc !== p.pt.initial) throw new Error(`thread ${p.id} is inside an operation (at ${p.pc})`);
    let first = true;
    let spins = 0;
    for (;;) {
      if (this.interrupt && (++this.polls & 63) === 0 && this.interrupt()) throw new Interrupted(p.id, p.pc);
      if (this.policy.chaos > 0 && this.rng.unit() < this.policy.chaos) this.pause(this.rng.below(50) / 1000);
      const r = p.step(first ? (en) => this.weighted(en.filter((c) => (op === ANY_OP || c.t.op === op) && accept(c))) : (en) => this.weighted(en));
      if (!r) {
        if (first && optional) return false;
        if (first) throw new Error(`operation ${op} cannot start in ${p.model.name} (no enabled entry transition)`);
        if (this.finished) return true;
        // Blocked (a lock held elsewhere): back off now and then so the holder gets the core.
        spins += 1;
        if (spins % 64 === 0) this.pause(0.01);
        continue;
      }
      first = false;
      for (const f of r.faults) {
        this.faultCount += 1;
        if (this.faults.length < this.maxFaults) this.faults.push({ ...f, at: this.elapsed() });
      }
      if (p.pc === p.pt.initial) return true;
    }
  }

  private pause(ms: number): void {
    Atomics.wait(this.sleeper, 0, 0, ms);
  }

  locals(): Record<string, Value> {
    return this.proc.locals;
  }
}
