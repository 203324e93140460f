/**
 * The executable meaning of a Model: initial state, enabled transitions and successors. A step of
 * process `self` by transition `t` with parameter values `args` maps a state to the next one, with
 * every right-hand side read in the pre-state (TLA+'s primed semantics).
 */
import type { Config, Model, ProcType, Transition } from '../dsl/ir.ts';
import { stateVarNames } from '../codegen/tla.ts';
import { apply, evaluate, isTrue, procIds, tlcBranches, update, type Env } from './eval.ts';
import { isSet, stateKey, type State, type Value } from './value.ts';

export interface Machine {
  model: Model;
  config: Config;
  consts: Record<string, number | boolean>;
  varOrder: string[];
  /** Process id -> its process type. */
  procs: { id: number; pt: ProcType }[];
}

export interface Step {
  proc: number;
  procType: string;
  transition: Transition;
  /** Values chosen for the transition's parameters, by name. */
  args: Record<string, Value>;
  next: State;
  /**
   * How many successors TLC's enumeration generates for this step (see tlcBranches): more than 1 when
   * a disjunction or an existential in the guard holds in several ways. Only counting uses it.
   */
  copies: number;
}

export function machine(model: Model, configName: string): Machine {
  const config = model.configs.find((c) => c.name === configName);
  if (!config) throw new Error(`no configuration ${configName} in ${model.name}`);
  const consts = config.constants;
  const procs = model.procTypes.flatMap((pt) => procIds(model, consts, pt.name).map((id) => ({ id, pt })));
  return { model, config, consts, varOrder: stateVarNames(model), procs };
}

const env = (m: Machine, state: State, self?: number): Env => ({
  model: m.model, consts: m.consts, state, self, bound: new Map(),
});

export function initialState(m: Machine): State {
  const s: State = {};
  const e0 = env(m, s);
  for (const v of m.model.vars) s[v.name] = evaluate(v.init, e0);
  s.pc = m.procs.map((p) => p.pt.initial);
  for (const pt of m.model.procTypes) {
    for (const l of pt.locals) s[l.name] = m.procs.map((p) => evaluate(l.init, env(m, s, p.id)));
  }
  return s;
}

/** All bindings of the transition's parameters (cartesian product of their sets). */
export function bindings(t: Transition, e: Env): Map<string, Value>[] {
  let out: Map<string, Value>[] = [new Map()];
  for (const p of t.params) {
    const next: Map<string, Value>[] = [];
    for (const b of out) {
      const over = evaluate(p.over, { ...e, bound: b });
      if (!isSet(over)) throw new Error(`parameter ${p.name} ranges over a non-set`);
      for (const x of over.set) next.push(new Map(b).set(p.name, x));
    }
    out = next;
  }
  return out;
}

/** The state after `t` fires for process `self` under `bound`, assuming its guard holds. */
export function fire(m: Machine, s: State, self: number, t: Transition, bound: Map<string, Value>): State {
  const e: Env = { ...env(m, s, self), bound };
  const values = t.effects.map((a) => ({
    a,
    idx: a.target.index ? evaluate(a.target.index, e) : undefined,
    v: evaluate(a.value, e),
  }));
  const next: State = { ...s };
  for (const { a, idx, v } of values) {
    const name = a.target.name;
    if (a.target.kind === 'var') {
      next[name] = idx === undefined ? v : update(next[name], idx, v);
    } else {
      const cur = apply(next[name], self);
      next[name] = update(next[name], self, idx === undefined ? v : update(cur, idx, v));
    }
  }
  if (t.to !== t.from) next.pc = update(next.pc, self, t.to);
  return next;
}

/**
 * Every enabled step from `s`, lazily, in TLC's order (process id, transition order, parameter
 * value): exploration checks each successor as it is produced, as TLC does, so even an evaluation
 * error is met after the same successors as in TLC.
 */
export function* eachSuccessor(m: Machine, s: State): Generator<Step> {
  for (const { id, pt } of m.procs) {
    const label = apply(s.pc, id);
    for (const t of pt.transitions) {
      if (t.from !== label) continue;
      const e = env(m, s, id);
      for (const b of bindings(t, e)) {
        const copies = tlcBranches(t.guard, { ...e, bound: b });
        if (copies === 0) continue;
        yield { proc: id, procType: pt.name, transition: t, args: Object.fromEntries(b), next: fire(m, s, id, t, b), copies };
      }
    }
  }
}

/** Every enabled step from `s`, in a stable order (process id, transition order, parameter order). */
export function successors(m: Machine, s: State): Step[] {
  return [...eachSuccessor(m, s)];
}

export const keyOf = (m: Machine, s: State) => stateKey(s, m.varOrder);

/** Names of the invariants of the configuration that `s` violates, in configuration order. */
export function violatedInvariants(m: Machine, s: State): string[] {
  const e = env(m, s);
  return m.config.invariants.filter((name) => {
    const inv = m.model.invariants.find((i) => i.name === name)!;
    return !isTrue(inv.expr, e);
  });
}

/**
 * Every process is at its terminal label (`t.done()`): TLC's `Terminating` step applies (a
 * self-loop), so the state is not a deadlock. False at once for models without terminal labels.
 */
export function allFinished(m: Machine, s: State): boolean {
  if (!m.model.procTypes.some((pt) => pt.labels.some((l) => l.terminal))) return false;
  const pc = s.pc as Value[];
  return m.procs.every((p, i) => p.pt.labels.some((l) => l.terminal && l.name === pc[i]));
}

export function inConstraint(m: Machine, s: State): boolean {
  return !m.config.constraint || isTrue(m.config.constraint, env(m, s));
}
