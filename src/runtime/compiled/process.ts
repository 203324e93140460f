/**
 * One process of a model running the compiled steps on shared memory. It has the interpreter's
 * interface (`step(chooser)`, `pc`, `locals`, `opCount`, `stepCount`), so the deterministic scheduler,
 * the replay and the conformance checks drive either; `stepWith(policy)` is the fast path (no
 * candidate objects) that the compiled pool threads use.
 */
import type { Model, ProcType } from '../../dsl/ir.ts';
import { evaluate, procIds } from '../../engine/eval.ts';
import type { Value } from '../../engine/value.ts';
import { layout as layoutOf } from '../layout.ts';
import type { Candidate, Chooser, Fault, StepResult } from '../process.ts';
import type { Shared } from '../shared.ts';
import { constraintConstants } from '../process.ts';
import type { Bound, CompiledModule, PolicyFn, ProcState, StepFn } from './instantiate.ts';

/** What the scheduler, the replay and the pool threads need of a process, interpreted or compiled. */
export interface StepProcess {
  readonly id: number;
  readonly pt: ProcType;
  readonly pc: string;
  readonly locals: Record<string, Value>;
  opCount: number;
  stepCount: number;
  step(choose: Chooser): StepResult | null;
}

const NO_FAULTS: Fault[] = [];
const bindings = new WeakMap<Shared, Map<CompiledModule, { bound: Bound; owners: Map<ProcState, CompiledProcess> }>>();

/** Binds a module to an instance's memory once (all its processes share the step functions). */
function bindTo(shared: Shared, mod: CompiledModule): { bound: Bound; owners: Map<ProcState, CompiledProcess> } {
  let perShared = bindings.get(shared);
  if (!perShared) bindings.set(shared, (perShared = new Map()));
  let b = perShared.get(mod);
  if (!b) {
    const owners = new Map<ProcState, CompiledProcess>();
    const mem = shared.memory;
    const bound = mod.bind({
      i32: mem.i32, i64: mem.i64, arena: mem.arena, consts: shared.consts, blockSize: shared.layout.blockSize,
      fault: (p, tx, variable, block, access) => owners.get(p)!.fault(tx, variable, block, access),
      refuse: (p, tx, variable, detail) => owners.get(p)!.refuse(tx, variable, detail),
      constraintConsts: constraintConstants(shared.model, shared.desc.config),
      // The runtime's payload fill (Memory.fillPayload), so both runtimes share one OS-boundary cost.
      fill: (b, byte) => mem.fillPayload(b, byte),
    });
    checkLayout(shared, bound);
    b = { bound, owners };
    perShared.set(mod, b);
  }
  return b;
}

/** The module's layout must be the runtime's (both derive it from the Model; this proves they agree). */
function checkLayout(shared: Shared, bound: Bound): void {
  const l = layoutOf(shared.model, shared.consts, shared.layout.blockSize);
  for (const [name, v] of l.vars) {
    const [where, base] = bound.layout[name] ?? [];
    if (where !== v.where || base !== v.base) throw new Error(`compiled layout of ${name} (${where} ${base}) differs from the runtime's (${v.where} ${v.base})`);
  }
  if (bound.words !== l.wordCount || bound.pairs !== l.pairCount || bound.blocks !== l.blockCount) {
    throw new Error('compiled layout sizes differ from the runtime\'s');
  }
}

export class CompiledProcess implements StepProcess {
  readonly pt: ProcType;
  readonly p: ProcState;
  stepCount = 0;
  retries = 0;
  private readonly labels: string[];
  private readonly steps: StepFn[];
  private readonly ptIndex: number;
  private faults: Fault[] = NO_FAULTS;

  constructor(readonly shared: Shared, readonly id: number, readonly mod: CompiledModule) {
    const model = shared.model;
    this.ptIndex = model.procTypes.findIndex((p) => procIds(model, shared.consts, p.name).includes(id));
    if (this.ptIndex < 0) throw new Error(`no process ${id} in ${model.name}`);
    this.pt = model.procTypes[this.ptIndex];
    const { bound, owners } = bindTo(shared, mod);
    const meta = mod.META.procTypes[this.ptIndex];
    this.labels = meta.labels;
    this.steps = bound.steps[this.ptIndex];
    const locals: Record<string, Value> = {};
    const env = { model, consts: shared.consts, state: {}, self: id, bound: new Map() };
    for (const l of this.pt.locals) locals[l.name] = evaluate(l.init, env);
    const slots = bound.words + bound.blocks * bound.blockVars;
    this.p = {
      id, pc: meta.initial, locals, opCount: 0, g: 2, s: 2,
      st: new Float64Array(slots), cv: new Int32Array(slots),
      pst: new Float64Array(bound.pairs), pcv: new BigInt64Array(bound.pairs),
      ct: [], ca: [], lw: -1, lv: 0, lvp: 0n,
    };
    owners.set(this.p, this);
  }

  get model(): Model {
    return this.shared.model;
  }
  get pc(): string {
    return this.labels[this.p.pc];
  }
  get locals(): Record<string, Value> {
    return this.p.locals as Record<string, Value>;
  }
  get opCount(): number {
    return this.p.opCount;
  }
  set opCount(n: number) {
    this.p.opCount = n;
  }
  /** Faults of the last step. */
  get lastFaults(): Fault[] {
    return this.faults;
  }

  fault(tx: number, variable: string, block: number, access: 'read' | 'write'): void {
    if (this.faults.some((f) => f.block === block && f.variable === variable)) return;
    const t = this.mod.META.procTypes[this.ptIndex].transitions[tx];
    const f: Fault = {
      proc: this.id, transition: t.name, label: t.from, block, variable, access, source: t.source,
      opCount: this.p.opCount, stepCount: this.stepCount,
    };
    if (this.faults === NO_FAULTS) this.faults = [f];
    else this.faults.push(f);
  }

  /** A refused step's only fault: the write outside its type, as the interpreter reports it. */
  refuse(tx: number, variable: string, detail: string): void {
    this.faults = NO_FAULTS;
    this.fault(tx, variable, 0, 'write');
    this.faults[0] = { ...this.faults[0], kind: 'type', detail };
  }

  /** Set by a recorded run (src/conformance/record/recorder.ts): called after every step taken, with its transition. */
  onStep: ((tx: number) => void) | null = null;
  /** While recording: the candidate the policy picked in the last step (its choice value is p.ca[lastPick]). */
  lastPick = -1;
  private innerPol: PolicyFn | null = null;
  private readonly recPol: PolicyFn = (p, n) => (this.lastPick = this.innerPol!(p, n));

  /** One step with a fast policy: the index of the transition taken, or -1 when none is (or the policy declines), or REFUSED (-3). */
  stepWith(pol: PolicyFn): number {
    const p = this.p;
    const fn = this.steps[p.pc];
    if (this.onStep !== null) { this.innerPol = pol; pol = this.recPol; }
    for (;;) {
      p.g += 2;
      p.s = p.g;
      p.lw = -1;
      this.faults = NO_FAULTS;
      const r = fn(p, pol);
      if (r !== this.mod.RETRY) {
        if (r >= 0) {
          this.stepCount += 1;
          if (this.onStep !== null) this.onStep(r);
        }
        return r;
      }
      this.retries += 1;
    }
  }

  /** The interpreter's interface: candidates as objects, chosen by `choose`. */
  step(choose: Chooser): StepResult | null {
    const ts = this.pt.transitions;
    const meta = this.mod.META.procTypes[this.ptIndex].transitions;
    let cands: Candidate[] = [];
    let chosen: Candidate | undefined;
    const retries0 = this.retries;
    const tx = this.stepWith((p, n) => {
      cands = [];
      for (let i = 0; i < n; i += 1) {
        const t = ts[p.ct[i]];
        const param = meta[p.ct[i]].param;
        const binding = new Map<string, Value>(param ? [[param, p.ca[i]]] : []);
        cands.push({ t, binding, args: Object.fromEntries(binding) });
      }
      chosen = choose(cands);
      return chosen ? cands.indexOf(chosen) : -1;
    });
    if (tx === this.mod.REFUSED && chosen) return { transition: chosen.t, args: chosen.args, faults: this.faults, retries: this.retries - retries0, refused: true };
    if (tx < 0) return null;
    return { transition: ts[tx], args: chosen ? chosen.args : {}, faults: this.faults === NO_FAULTS ? [] : this.faults, retries: this.retries - retries0 };
  }
}
