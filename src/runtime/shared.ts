/**
 * A running instance of a model: its layout, its shared memory, and how a process's view of it is
 * projected onto the model's variables (so runtime states compare with engine and TLC states).
 */
import type { Model } from '../dsl/ir.ts';
import { evaluate, procIds } from '../engine/eval.ts';
import { initialState, machine } from '../engine/step.ts';
import type { State, Value } from '../engine/value.ts';
import { decode, encode, layout, type Layout } from './layout.ts';
import { allocateBuffers, extract, Memory, replace, type Buffers } from './memory.ts';

/** What a worker thread needs to attach to a running instance (structured-clone friendly). */
export interface SharedDesc {
  model: Model;
  config: string;
  blockSize: number;
  buffers: Buffers;
}

export class Shared {
  readonly layout: Layout;
  readonly memory: Memory;
  readonly consts: Record<string, number | boolean>;
  readonly procIds: number[];

  constructor(readonly desc: SharedDesc) {
    const c = desc.model.configs.find((x) => x.name === desc.config);
    if (!c) throw new Error(`no configuration ${desc.config} in ${desc.model.name}`);
    this.consts = c.constants;
    this.layout = layout(desc.model, this.consts, desc.blockSize);
    this.memory = new Memory(this.layout, desc.buffers);
    this.procIds = procIds(desc.model, this.consts);
  }

  get model(): Model {
    return this.desc.model;
  }

  /** Creates the shared memory of a fresh instance and writes every variable's initial value. */
  static create(model: Model, config: string, blockSize = 64): Shared {
    const c = model.configs.find((x) => x.name === config);
    if (!c) throw new Error(`no configuration ${config} in ${model.name}`);
    const buffers = allocateBuffers(layout(model, c.constants, blockSize));
    const shared = new Shared({ model, config, blockSize, buffers });
    const env = { model, consts: shared.consts, state: {}, bound: new Map() };
    for (const v of model.vars) shared.writeVar(v.name, evaluate(v.init, env));
    return shared;
  }

  /** Plain (non-racing) write of a whole variable, used for initialisation and tests. */
  writeVar(name: string, value: Value): void {
    const v = this.layout.vars.get(name)!;
    const values = v.isArray ? (value as Value[]) : [value];
    values.forEach((x, i) => {
      const w = this.memory.wordOf(v, i + 1);
      this.memory.store(w, replace(v, this.memory.load(w), encode(v.elem, x)));
    });
  }

  readElem(name: string, i = 1): Value {
    const v = this.layout.vars.get(name)!;
    return decode(v.elem, extract(v, this.memory.load(this.memory.wordOf(v, i))));
  }

  readVar(name: string): Value {
    const v = this.layout.vars.get(name)!;
    if (!v.isArray) return this.readElem(name);
    // Indices below `lo` are outside the function's domain: holes, as the engine keeps them.
    const out: Value[] = new Array(v.length);
    for (let i = v.lo; i <= v.length; i += 1) out[i - 1] = this.readElem(name, i);
    return out;
  }

  private foreignLocals?: State;
  /**
   * A local of another process type: the model keeps locals over every process, and the entries of
   * processes of other types never change from their initial values.
   */
  foreignLocal(name: string, id: number): Value {
    this.foreignLocals ??= initialState(machine(this.model, this.desc.config));
    return (this.foreignLocals[name] as Value[])[id - 1];
  }

  /** The model state: shared and ghost variables from memory, pc and locals from the processes. */
  project(procs: { id: number; pc: string; locals: Record<string, Value> }[]): State {
    const s: State = {};
    for (const v of this.model.vars) s[v.name] = this.readVar(v.name);
    const byId = new Map(procs.map((p) => [p.id, p]));
    s.pc = this.procIds.map((id) => byId.get(id)!.pc);
    for (const pt of this.model.procTypes) {
      for (const l of pt.locals) {
        s[l.name] = this.procIds.map((id) => byId.get(id)!.locals[l.name] ?? this.foreignLocal(l.name, id));
      }
    }
    return s;
  }
}
