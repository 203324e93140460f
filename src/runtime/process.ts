/**
 * One process of a model running on shared memory: it executes the model's own transitions, one
 * atomic step at a time, with real atomic operations.
 *
 * A step reads each shared word once (Atomics.load), evaluates the guards and effects of the current
 * label's transitions against those values, picks one enabled transition, and commits it at its
 * linearization point, the one shared word it writes (the atomicity rule guarantees there is at most
 * one, a DWCAS pair counting as one):
 * - written but not read: Atomics.store;
 * - read only by the effects and written with a value that does not depend on it: Atomics.exchange
 *   (XCHG), and the effects are evaluated with the value the exchange returned;
 * - read by the guard or the new value: Atomics.compareExchange (CAS; on a pair, DWCAS) against the
 *   value read, and the whole step is retried when another thread changed the word meanwhile.
 * A step that writes no shared word but reads and writes a ghost word (taking a block from the OS)
 * uses that word as its linearization point the same way. Other ghost writes follow as stores.
 *
 * Before every access to an in-block word (the link word), the block's mapping is checked; an access
 * to an unmapped block is recorded as a fault and reads the poison value instead of memory.
 */
import type { Assign, Expr, Model, ProcType, Transition } from '../dsl/ir.ts';
import { sourceKey } from '../dsl/ir.ts';
import { EvalError, evaluate, procIds, update, type Env, type Reader } from '../engine/eval.ts';
import { bindings } from '../engine/step.ts';
import type { Value } from '../engine/value.ts';
import { readsOf, showType, walkExpr } from '../dsl/print.ts';
import { inType } from '../engine/types.ts';
import { decode, encode, type VarLayout } from './layout.ts';
import { extract, replace, wordKey, type Raw, type Word } from './memory.ts';
import type { Shared } from './shared.ts';

export interface Fault {
  proc: number;
  transition: string;
  label: string;
  block: number;
  variable: string;
  access: 'read' | 'write';
  /** spec file:line of the transition. */
  source: string;
  /** Operations this process had completed before the fault. */
  opCount: number;
  /** Steps this process had taken before the fault. */
  stepCount: number;
  /** 'unmapped' (absent: the same) is an access to an unmapped block; 'type' a write outside the declared type, refused. */
  kind?: 'unmapped' | 'type';
  /** For a type fault: what was written, e.g. `x = 2, outside int(1..1)`. */
  detail?: string;
}

export interface Candidate {
  t: Transition;
  binding: Map<string, Value>;
  args: Record<string, Value>;
}

export type Chooser = (enabled: Candidate[]) => Candidate | undefined;

export interface StepResult {
  transition: Transition;
  args: Record<string, Value>;
  faults: Fault[];
  /** Commit attempts that lost a race and were retried. */
  retries: number;
  /** The step would write a value outside a variable's declared type: nothing was written (a type fault). */
  refused?: boolean;
}

/** Test hook: lets a test corrupt a step's writes to prove conformance checking catches it. */
export type WriteHook = (t: Transition, writes: PendingWrite[]) => void;

export interface PendingWrite { v: VarLayout; index: number; value: Value }

/** What a transition reads, worked out once (the step executor runs on every operation). */
interface TransitionPlan {
  /** Variables the effects' right-hand sides and indices read. */
  rhsReads: Set<string>;
  /** Variables the new values of its shared-variable writes read. */
  sharedValueReads: Set<string>;
}

const plans = new WeakMap<Transition, TransitionPlan>();
function planOf(t: Transition, isShared: (name: string) => boolean): TransitionPlan {
  let p = plans.get(t);
  if (!p) {
    p = {
      rhsReads: readsOf(...t.effects.flatMap((a) => [a.value, a.target.index])),
      sharedValueReads: readsOf(...t.effects.filter((a) => a.target.kind === 'var' && isShared(a.target.name)).map((a) => a.value)),
    };
    plans.set(t, p);
  }
  return p;
}

/** Reads of one step: every word loaded once, in-block words checked against the mapping first. */
class StepReader implements Reader {
  readonly cache = new Map<string, { word: Word; raw: Raw }>();
  faults: Fault[] = [];
  recordFaults = true;
  current?: Transition;

  constructor(private readonly proc: RuntimeProcess) {}

  word(v: VarLayout, i: number): { word: Word; raw: Raw } {
    const mem = this.proc.shared.memory;
    const word = mem.wordOf(v, i);
    const k = wordKey(word);
    let hit = this.cache.get(k);
    if (!hit) {
      hit = { word, raw: mem.load(word) };
      this.cache.set(k, hit);
    }
    return hit;
  }

  var(name: string): Value {
    const v = this.proc.varLayout(name);
    if (!v.isArray) return this.elem(name, 1);
    return Array.from({ length: v.length }, (_, i) => this.elem(name, i + 1));
  }

  elem(name: string, i: Value): Value {
    const v = this.proc.varLayout(name);
    const idx = i as number;
    if (typeof idx !== 'number' || idx < v.lo || idx > v.length) throw new EvalError(`index ${JSON.stringify(i)} is outside the domain of ${name}`);
    // An access to an unmapped block is a fault. The model goes on with the word's value (the poison
    // the OS left), so the runtime does too, and the two stay comparable step by step.
    if (v.where === 'block' && !this.proc.mapped(idx, this)) this.fault(name, idx, 'read');
    return decode(v.elem, extract(v, this.word(v, idx).raw));
  }

  fault(variable: string, block: number, access: 'read' | 'write'): void {
    if (!this.recordFaults || !this.current) return;
    if (this.faults.some((f) => f.block === block && f.variable === variable)) return;
    this.faults.push(this.proc.faultReport(this.current, variable, block, access));
  }

  local(name: string, proc: Value): Value {
    if (proc !== this.proc.id) throw new EvalError(`process ${this.proc.id} cannot read local ${name} of process ${String(proc)}`);
    return this.proc.locals[name];
  }

  pc(proc: Value): Value {
    if (proc !== this.proc.id) throw new EvalError(`process ${this.proc.id} cannot read the pc of process ${String(proc)}`);
    return this.proc.pc;
  }
}

export class RuntimeProcess {
  pc: string;
  locals: Record<string, Value> = {};
  opCount = 0;
  stepCount = 0;
  readonly pt: ProcType;
  private readonly fromLabel = new Map<string, Transition[]>();
  /** Variables the block-mapping predicate reads: writes to them may map or unmap a block. */
  private readonly mappingDeps: Set<string>;
  writeHook?: WriteHook;
  /** Set by a recorded run (src/conformance/record/recorder.ts): called after every step taken, with the step's reads. */
  onStep?: (pick: Candidate, reads: Map<string, { word: Word; raw: Raw }>) => void;
  /** The word the last step's atomic write touched and the raw value written (recording). */
  lastWrite: { word: Word; raw: Raw } | null = null;

  constructor(readonly shared: Shared, readonly id: number) {
    const model = shared.model;
    const pt = model.procTypes.find((p) => procIds(model, shared.consts, p.name).includes(id));
    if (!pt) throw new Error(`no process ${id} in ${model.name}`);
    this.mappingDeps = model.memory ? readsOf(model.memory.mapped) : new Set();
    this.pt = pt;
    this.pc = pt.initial;
    for (const t of pt.transitions) this.fromLabel.set(t.from, [...(this.fromLabel.get(t.from) ?? []), t]);
    const env = this.env(new StepReader(this));
    for (const l of pt.locals) this.locals[l.name] = evaluate(l.init, env);
  }

  get model(): Model {
    return this.shared.model;
  }

  varLayout(name: string): VarLayout {
    const v = this.shared.layout.vars.get(name);
    if (!v) throw new EvalError(`unknown variable ${name}`);
    return v;
  }

  private env(reader: StepReader, binding = new Map<string, Value>()): Env {
    return { model: this.model, consts: this.shared.consts, state: {}, self: this.id, bound: binding, reader };
  }

  /** The model's mapping predicate for block `b` (always mapped when the model declares none). */
  mapped(b: number, reader: StepReader): boolean {
    const mem = this.model.memory;
    if (!mem) return true;
    const saved = reader.recordFaults;
    reader.recordFaults = false;
    try {
      return evaluate(mem.mapped, { ...this.env(reader), bound: new Map([[mem.v, b]]) }) === true;
    } finally {
      reader.recordFaults = saved;
    }
  }

  faultReport(t: Transition, variable: string, block: number, access: 'read' | 'write'): Fault {
    const src = this.model.sources[sourceKey.transition(this.pt.name, t.name)];
    return {
      proc: this.id, transition: t.name, label: t.from, block, variable, access,
      source: src ? `${src.file}:${src.line}` : '?', opCount: this.opCount, stepCount: this.stepCount,
    };
  }

  /** The transitions enabled now, as seen by one consistent set of reads. */
  enabled(reader = new StepReader(this)): Candidate[] {
    const out: Candidate[] = [];
    reader.recordFaults = false;
    for (const t of this.fromLabel.get(this.pc) ?? []) {
      for (const b of bindings(t, this.env(reader))) {
        if (evaluate(t.guard, this.env(reader, b)) === true) out.push({ t, binding: b, args: Object.fromEntries(b) });
      }
    }
    reader.recordFaults = true;
    return out;
  }

  /**
   * Executes one atomic step. Returns null when no transition is enabled (e.g. a spinlock held by
   * another thread) or the chooser declines them all.
   */
  step(choose: Chooser): StepResult | null {
    for (let retries = 0; ; retries += 1) {
      const reader = new StepReader(this);
      const pick = choose(this.enabled(reader));
      if (!pick) return null;
      // Words read while deciding which transition is enabled: a write to one of them must be a CAS.
      const decided = new Set(reader.cache.keys());
      const typeFault = this.typeFault(pick, reader);
      if (typeFault) return { transition: pick.t, args: pick.args, faults: [typeFault], retries, refused: true };
      const done = this.commit(pick, reader, decided);
      if (done) {
        this.stepCount += 1;
        this.onStep?.(pick, reader.cache);
        return { transition: pick.t, args: pick.args, faults: done.faults, retries };
      }
    }
  }

  /**
   * Types are properties: a step that would write a value outside its variable's declared type is
   * refused before anything is written. The values are those of this step's reads (under a race an
   * exchanged word may differ; the deterministic scheduler and replay have none).
   */
  private typeFault(pick: Candidate, reader: StepReader): Fault | null {
    const modelBound = this.constraintConstants();
    const env = this.env(reader, pick.binding);
    const saved = reader.recordFaults;
    reader.recordFaults = false;
    try {
      for (const a of pick.t.effects) {
        const decl = a.target.kind === 'var' ? this.model.vars.find((v) => v.name === a.target.name) : this.pt.locals.find((l) => l.name === a.target.name);
        if (!decl) continue;
        let type = decl.type;
        let what = a.target.name;
        if (a.target.index) {
          if (type.kind !== 'array') continue;
          const i = evaluate(a.target.index, env);
          what = `${what}[${JSON.stringify(i)}]`;
          type = type.of;
        }
        if (type.kind === 'int' && [type.lo, type.hi].some((b) => typeof b !== 'number' && readsConstants(b).some((c) => modelBound.has(c)))) continue;
        const v = evaluate(a.value, env);
        if (!inType(this.model, this.shared.consts, type, v)) {
          return { ...this.faultReport(pick.t, a.target.name, 0, 'write'), kind: 'type', detail: `${what} = ${JSON.stringify(v)}, outside ${showType(type)}` };
        }
      }
    } finally {
      reader.recordFaults = saved;
    }
    return null;
  }

  private boundConsts?: Set<string>;
  /**
   * Constants the configuration's state constraint reads (DwcasPool's `seq <= MaxSeq`): a range
   * bounded by one of them bounds an unbounded counter for model checking only, so the runtime,
   * which runs without the constraint, does not enforce it.
   */
  private constraintConstants(): Set<string> {
    this.boundConsts ??= new Set(constraintConstants(this.model, this.shared.desc.config));
    return this.boundConsts;
  }

  /** Evaluates the effects of `pick` and commits them; null when a CAS lost a race (retry the step). */
  private commit(pick: Candidate, reader: StepReader, decided: Set<string>): { faults: Fault[] } | null {
    const { t, binding } = pick;
    const mem = this.shared.memory;
    reader.current = t;
    reader.faults = [];
    const env = this.env(reader, binding);

    // The one shared word this step writes, if any (the atomicity rule; a pair is one word).
    const sharedEffects = t.effects.filter((a) => a.target.kind === 'var' && this.varLayout(a.target.name).decl.role === 'shared');
    const sharedWrites = this.evalWrites(sharedEffects, env);
    const sharedKeys = new Set(sharedWrites.map((w) => wordKey(mem.wordOf(w.v, w.index))));
    if (sharedKeys.size > 1) {
      throw new EvalError(`transition ${t.name} writes ${sharedKeys.size} shared words in one step; the runtime executes only single-word steps`);
    }
    let linear: string | undefined;
    this.lastWrite = null;
    if (sharedWrites.length > 0) {
      const word = mem.wordOf(sharedWrites[0].v, sharedWrites[0].index);
      const k = wordKey(word);
      linear = k;
      for (const w of sharedWrites) if (w.v.where === 'block' && !this.mapped(w.index, reader)) reader.fault(w.v.decl.name, w.index, 'write');
      const names = new Set(sharedWrites.map((w) => w.v.decl.name));
      const plan = planOf(t, (n) => this.varLayout(n).decl.role === 'shared');
      const valueReadsWord = [...names].some((n) => plan.sharedValueReads.has(n));
      const effectsReadWord = [...names].some((n) => plan.rhsReads.has(n));
      if (decided.has(k) || valueReadsWord) {
        // CAS (DWCAS on a pair) against the value the decision or the new value was based on.
        const base = reader.word(sharedWrites[0].v, sharedWrites[0].index).raw;
        if (!mem.compareExchange(word, base, this.rawAfter(sharedWrites, base))) return null;
        this.lastWrite = { word, raw: this.rawAfter(sharedWrites, base) };
      } else if (effectsReadWord && word.kind !== 'pair') {
        // XCHG: swap in the new value, then evaluate the effects with the value it replaced.
        const old = mem.exchange(word, this.rawAfter(sharedWrites, 0));
        reader.cache.set(k, { word, raw: old });
        this.lastWrite = { word, raw: this.rawAfter(sharedWrites, 0) };
      } else {
        this.storeWord(word, sharedWrites);
        if (word.kind !== 'pair') this.lastWrite = { word, raw: this.rawAfter(sharedWrites, 0) };
      }
    }

    const writes = this.evalWrites(t.effects, env);
    this.writeHook?.(t, writes);
    // Locals are computed now, from the same reads (pre-state), and assigned once the step commits.
    const localWrites = t.effects.filter((a) => a.target.kind === 'local').map((a) => ({
      name: a.target.name, index: a.target.index ? evaluate(a.target.index, env) : undefined, value: evaluate(a.value, env),
    }));
    const ghostWords = new Map<string, { word: Word; ws: PendingWrite[] }>();
    for (const w of writes) {
      if (w.v.decl.role !== 'ghost') continue;
      const word = mem.wordOf(w.v, w.index);
      const g = ghostWords.get(wordKey(word)) ?? { word, ws: [] };
      g.ws.push(w);
      ghostWords.set(wordKey(word), g);
    }
    // The mapping of the blocks this step's ghost writes touch, before any of them land.
    const before = this.mappingOf(ghostWords);
    if (linear === undefined) {
      // No shared write: a ghost word this step read and writes is the linearization point
      // (taking a block from the OS must not hand the same block to two threads).
      const rmw = [...ghostWords.entries()].find(([k]) => decided.has(k));
      if (rmw) {
        const [k, g] = rmw;
        if (!mem.compareExchange(g.word, reader.cache.get(k)!.raw, this.rawAfter(g.ws, reader.cache.get(k)!.raw))) return null;
        linear = k;
        this.lastWrite = { word: g.word, raw: this.rawAfter(g.ws, reader.cache.get(k)!.raw) };
      }
    }
    if (this.writeHook) {
      // A test corrupted the writes: apply the shared ones as given, so a conformance check sees them.
      for (const w of writes) {
        if (w.v.decl.role !== 'shared') continue;
        this.storeWord(mem.wordOf(w.v, w.index), [w]);
        if (w.v.where !== 'pair') this.lastWrite = { word: mem.wordOf(w.v, w.index), raw: this.rawAfter([w], 0) };
      }
    }

    // Ghost writes after the linearization point; the block mapping may change with them. A ghost
    // word this step read is only changed from the value it read (CAS), and an unchanged one is not
    // written at all: a whole-array ghost update (the flush's detach) must not overwrite what other
    // threads wrote to the elements it does not change.
    for (const [k, g] of ghostWords) {
      if (k === linear) continue;
      const read = reader.cache.get(k);
      if (!read) { this.storeWord(g.word, g.ws); continue; }
      const raw = this.rawAfter(g.ws, read.raw);
      if (raw !== read.raw) mem.compareExchange(g.word, read.raw, raw);
    }
    this.afterMappingChange(before);

    // Locals and the control state are the process's own.
    for (const l of localWrites) {
      this.locals[l.name] = l.index === undefined ? l.value : update(this.locals[l.name], l.index, l.value);
    }
    if (t.to === this.pt.initial && (t.from !== t.to || t.op)) this.opCount += 1;
    this.pc = t.to;
    return { faults: reader.faults };
  }

  /** Evaluated variable writes (whole-array assignments become one write per element). */
  private evalWrites(effects: Assign[], env: Env): PendingWrite[] {
    const out: PendingWrite[] = [];
    for (const a of effects) {
      if (a.target.kind !== 'var') continue;
      const v = this.varLayout(a.target.name);
      const value = v.decl.role === 'ghost' ? this.ghostValue(a.value, env) : evaluate(a.value, env);
      if (a.target.index) out.push({ v, index: evaluate(a.target.index, env) as number, value });
      else if (v.isArray) (value as Value[]).forEach((x, i) => out.push({ v, index: i + 1, value: x }));
      else out.push({ v, index: 1, value });
    }
    return out;
  }

  /**
   * The value of a ghost assignment: specification bookkeeping (BucketPool's `where` of a whole
   * cluster, read through `down`), not an access of the program, so its reads of in-block words are
   * no faults. The program's own reads (guards, shared and local effects) are checked as before.
   */
  private ghostValue(x: Expr, env: Env): Value {
    const reader = env.reader as StepReader;
    const saved = reader.recordFaults;
    reader.recordFaults = false;
    try {
      return evaluate(x, env);
    } finally {
      reader.recordFaults = saved;
    }
  }

  private rawAfter(ws: PendingWrite[], base: Raw): Raw {
    let raw = base;
    for (const w of ws) raw = replace(w.v, raw, encode(w.v.elem, w.value));
    return raw;
  }

  /** A store; a half of a DWCAS pair is replaced with a CAS loop so the other half survives. */
  private storeWord(word: Word, ws: PendingWrite[]): void {
    const mem = this.shared.memory;
    if (word.kind !== 'pair') {
      mem.store(word, this.rawAfter(ws, 0));
      return;
    }
    for (;;) {
      const base = mem.load(word);
      if (mem.compareExchange(word, base, this.rawAfter(ws, base))) return;
    }
  }

  /** Mapping of the blocks whose mapping ghost this step writes, before the writes. */
  private mappingOf(ghostWords: Map<string, { ws: PendingWrite[] }>): Map<number, boolean> {
    const m = new Map<number, boolean>();
    for (const g of ghostWords.values()) {
      for (const w of g.ws) if (this.mappingDeps.has(w.v.decl.name) && w.v.isArray) m.set(w.index, this.mapped(w.index, new StepReader(this)));
    }
    return m;
  }

  /** A block that went back to the OS is poisoned; one taken from the OS is zeroed, as fresh memory is. */
  private afterMappingChange(before: Map<number, boolean>): void {
    for (const [b, was] of before) {
      const now = this.mapped(b, new StepReader(this));
      if (was && !now) this.shared.memory.fillPayload(b, 0xde);
      else if (!was && now) this.shared.memory.fillPayload(b, 0);
    }
  }
}


/**
 * The constants a configuration's state constraint reads (DwcasPool's `seq <= MaxSeq`). A range bounded
 * by one of them bounds a counter for model checking only: the runtimes, which run without the
 * constraint, neither enforce it nor judge a final state by it.
 */
export function constraintConstants(model: Model, config: string | undefined): string[] {
  const c = model.configs.find((x) => x.name === config)?.constraint;
  return c ? readsConstants(c) : [];
}

/** The constants an expression (or a range bound) reads. */
export function readsConstants(e: Expr | string): string[] {
  if (typeof e === 'string') return [e];
  const out: string[] = [];
  walkExpr(e, (x) => { if (x.op === 'const') out.push(x.name); });
  return out;
}
