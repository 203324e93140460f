/**
 * Which properties hold in a state, evaluated with the engine's evaluator: each invariant and each of
 * its top-level conjuncts; for a temporal property the state predicates it is made of (for `P ~> Q`,
 * who is waiting: P holds and Q does not yet).
 */
import type { Config, Expr, Model } from '../../dsl/ir.ts';
import { showExpr } from '../../dsl/print.ts';
import { evaluate, EvalError, procIds, type Env } from '../../engine/eval.ts';
import type { State, Value } from '../../engine/value.ts';
import { procName } from '../render.ts';

export interface Conjunct { text: string; holds: boolean | null }

export interface PropStatus {
  name: string;
  kind: 'invariant' | 'temporal';
  /** null: not decided by one state (temporal), or the evaluation failed. */
  holds: boolean | null;
  conjuncts: Conjunct[];
  /** For a temporal property: what is pending in this state. */
  note?: string;
  doc?: string;
}

export function conjuncts(e: Expr): Expr[] {
  return e.op === 'bin' && e.fn === 'and' ? [...conjuncts(e.a), ...conjuncts(e.b)] : [e];
}

function truth(e: Expr, env: Env): boolean | null {
  try {
    const v: Value = evaluate(e, env);
    return typeof v === 'boolean' ? v : null;
  } catch (err) {
    if (err instanceof EvalError) return null;
    throw err;
  }
}

export function propertyStatus(model: Model, config: Config, state: State): PropStatus[] {
  const env: Env = { model, consts: config.constants, state, bound: new Map() };
  const out: PropStatus[] = [];
  for (const name of config.invariants) {
    const inv = model.invariants.find((i) => i.name === name);
    if (!inv) continue;
    const parts = conjuncts(inv.expr);
    out.push({
      name, kind: 'invariant', holds: truth(inv.expr, env), doc: inv.doc,
      conjuncts: parts.length > 1 ? parts.map((c) => ({ text: showExpr(c), holds: truth(c, env) })) : [],
    });
  }
  for (const name of config.properties) {
    const p = model.properties.find((x) => x.name === name);
    if (!p) continue;
    const f = p.formula;
    const ids = f.v ? procIds(model, config.constants, f.v.procType) : [null];
    const at = (e: Expr, id: number | null) => truth(e, id === null ? env : { ...env, bound: new Map([[f.v!.name, id]]) });
    const who = (id: number | null) => (id === null ? '' : procName(model, id));
    if (f.kind === 'leadsTo') {
      const waiting = ids.filter((id) => at(f.from, id) === true && at(f.to, id) === false);
      out.push({
        name, kind: 'temporal', holds: null, doc: p.doc,
        conjuncts: [{ text: `from: ${showExpr(f.from)}`, holds: null }, { text: `to: ${showExpr(f.to)}`, holds: null }],
        note: waiting.length === 0 ? 'nothing pending' : f.v ? `waiting: ${waiting.map(who).join(', ')}` : 'waiting: the premise holds, the goal not yet',
      });
    } else {
      const unmet = ids.filter((id) => at(f.expr, id) === false);
      out.push({
        name, kind: 'temporal', holds: null, doc: p.doc,
        conjuncts: [{ text: `always eventually: ${showExpr(f.expr)}`, holds: null }],
        note: unmet.length === 0 ? 'holds in this state' : f.v ? `not in this state for ${unmet.map(who).join(', ')}` : 'not in this state',
      });
    }
  }
  return out;
}
