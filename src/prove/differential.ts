/**
 * Differential check of the SMT encoding against the engine: for given concrete states, Z3's view
 * of every transition (every process, every binding) must agree with the engine's: the same
 * enabledness, the same undefinedness, and the same post-state. The transitions are encoded once
 * over a symbolic state; each concrete state is then asserted in its own scope.
 */
import type { Model, Transition } from '../dsl/ir.ts';
import { bindings, fire, keyOf, type Machine } from '../engine/step.ts';
import { apply, EvalError, isTrue } from '../engine/eval.ts';
import { key, type State, type Value } from '../engine/value.ts';
import { Rng } from '../engine/random.ts';
import { fail, ok, type Result } from '../errors.ts';
import { Encoder, type Shape, type SV } from './encode.ts';
import * as T from './terms.ts';
import type { Term } from './terms.ts';
import { runZ3 } from './z3.ts';

export interface Mismatch {
  state: State;
  proc: number;
  transition: string;
  args: Record<string, Value>;
  what: string;
}

interface Case { proc: number; t: Transition; args: Record<string, number>; enabled: Term; defined: Term; post: Map<string, SV> }

/** Compares Z3 and the engine on `states`; returns the disagreements (none, when the encoding is right). */
export async function differential(model: Model, m: Machine, states: State[]): Promise<Result<{ mismatches: Mismatch[]; comparisons: number }>> {
  const enc = new Encoder(model, m.consts);
  const pre = enc.declareState('s_');
  const lines = ['(set-logic QF_LIA)', '(set-option :produce-models true)', ...enc.sink];
  const cases: Case[] = [];
  for (const p of enc.procs) {
    for (const t of p.pt.transitions) {
      enc.sink = lines;
      enc.cases(pre.state, p.id, t, (c) => {
        const named = enc.nameState(c.post);
        const enabled = enc.name(T.and(c.bindingDef, c.guardDef, c.enabled), 'Bool');
        const defined = enc.name(T.implies(T.and(c.bindingDef, c.guardDef, c.enabled), T.and(c.effectsDef, named.typeOK)), 'Bool');
        lines.push(...c.sink);
        cases.push({ proc: p.id, t, args: c.args, enabled, defined, post: named.state });
      });
    }
  }
  const want = [...new Set(cases.flatMap((c) => [c.enabled, c.defined, ...enc.atoms(c.post)]))];
  states.forEach((s, i) => {
    lines.push('(push 1)', `(assert ${T.and(...assertState(enc, pre.state, s))})`, `(echo "@@state${i}")`, '(check-sat)', `(get-value (${want.join(' ')}))`, '(pop 1)');
  });
  const r = await runZ3(lines.join('\n'), 120);
  if (!r.ok) return r;
  const mismatches: Mismatch[] = [];
  let comparisons = 0;
  for (const [i, s] of states.entries()) {
    const a = r.value.find((x) => x.tag === `state${i}`);
    if (!a || a.answer !== 'sat') return fail({ code: 'Z3_ERROR', message: `state ${i}: z3 answered ${a?.answer ?? 'nothing'} for a concrete state` });
    for (const c of cases) {
      comparisons += 1;
      const args = argValues(c.t, enc, c.args);
      const bad = (what: string) => mismatches.push({ state: s, proc: c.proc, transition: c.t.name, args, what });
      const z3Enabled = a.values.get(c.enabled) === 'true';
      const engine = engineStep(m, s, c.proc, c.t, args);
      if (engine.kind === 'undefined') {
        // The engine cannot evaluate the guard or the effects: Z3 must not call the step a defined one.
        if (z3Enabled && a.values.get(c.defined) === 'true') bad(`engine: undefined (${engine.message}); Z3: enabled and defined`);
        continue;
      }
      if (engine.kind === 'disabled') {
        if (z3Enabled) bad('engine: disabled; Z3: enabled');
        continue;
      }
      if (!z3Enabled) { bad('engine: enabled; Z3: disabled'); continue; }
      const post = enc.decode(c.post, a.values);
      if (keyOf(m, post) !== keyOf(m, engine.next)) bad(`post-states differ: engine ${JSON.stringify(engine.next)} Z3 ${JSON.stringify(post)}`);
    }
  }
  return ok({ mismatches, comparisons });
}

function engineStep(m: Machine, s: State, self: number, t: Transition, args: Record<string, Value>):
  { kind: 'disabled' } | { kind: 'undefined'; message: string } | { kind: 'enabled'; next: State } {
  try {
    if (apply(s.pc, self) !== t.from) return { kind: 'disabled' };
    const env = { model: m.model, consts: m.consts, state: s, self, bound: new Map<string, Value>() };
    const bs = bindings(t, env);
    const mine = bs.find((b) => t.params.every((p) => key(b.get(p.name)!) === key(args[p.name])));
    if (!mine) return { kind: 'disabled' };
    if (!isTrue(t.guard, { ...env, bound: mine })) return { kind: 'disabled' };
    return { kind: 'enabled', next: fire(m, s, self, t, mine) };
  } catch (err) {
    if (err instanceof EvalError || err instanceof Error) return { kind: 'undefined', message: (err as Error).message };
    throw err;
  }
}

function argValues(t: Transition, enc: Encoder, args: Record<string, number>): Record<string, Value> {
  const out: Record<string, Value> = {};
  for (const p of t.params) out[p.name] = p.elemType?.kind === 'enum' ? enc.stringOf(args[p.name]) : args[p.name];
  return out;
}

/** Equalities that pin the symbolic state to a concrete one. */
function assertState(enc: Encoder, sym: Map<string, SV>, s: State): Term[] {
  const conc = enc.fromValues(s);
  const out: Term[] = [];
  for (const [name, sv] of sym) out.push(enc.eq(sv, conc.get(name)!));
  return out;
}

/** Random states of the right types (most of them unreachable): every variable drawn from its shape. */
export function randomStates(enc: Encoder, n: number, seed: number, intRange: [number, number] = [0, 3]): State[] {
  const rng = new Rng(seed);
  const draw = (shape: Shape): Value => {
    switch (shape.k) {
      case 'bool': return rng.below(2) === 1;
      case 'int': {
        const x = shape.r ? shape.r[rng.below(shape.r.length)] : intRange[0] + rng.below(intRange[1] - intRange[0] + 1);
        return shape.strings ? enc.stringOf(x) : x;
      }
      case 'set': {
        const xs = shape.universe.filter(() => rng.below(3) === 0);
        return { set: shape.strings ? xs.map((x) => enc.stringOf(x)).sort() : xs };
      }
      case 'arr': return shape.els.map(draw);
    }
  };
  const out: State[] = [];
  for (let i = 0; i < n; i += 1) {
    const s: State = {};
    for (const [name, shape] of enc.shapes) s[name] = draw(shape);
    out.push(s);
  }
  return out;
}
