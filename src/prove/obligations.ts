/**
 * Proof obligations of an inductive invariant for fixed constants, discharged by Z3:
 * - `init`: Init => IndInv;
 * - `step:<transition>`: IndInv /\ step => IndInv' for every process, every binding of its choices;
 * - `implies:<Invariant>`: IndInv => the configuration's safety property.
 * IndInv is taken strictly: each conjunct defined and true (so an IndInv state never makes TLC fail
 * to evaluate it). A step also fails when its guard or effects are undefined in an IndInv state.
 */
import type { Config, Inductive, Model, ProcType, Transition } from '../dsl/ir.ts';
import { sourceKey } from '../dsl/ir.ts';
import { evaluate, EvalError, isTrue } from '../engine/eval.ts';
import { fire, initialState, keyOf, machine, type Machine } from '../engine/step.ts';
import type { State, Value } from '../engine/value.ts';
import type { PoolspecError } from '../errors.ts';
import { Encoder, UnsupportedError, type SV } from './encode.ts';
import * as T from './terms.ts';
import type { Term } from './terms.ts';
import { runZ3 } from './z3.ts';

export type Verdict = 'proved' | 'failed' | 'unknown' | 'error';

export interface Cti {
  proc: number;
  procType: string;
  transition: string;
  args: Record<string, Value>;
  /** spec file:line of the transition. */
  source: string;
  pre: State;
  /** Z3's post-state (null when the step is undefined in the pre-state). */
  post: State | null;
  /** IndInv conjuncts false (or undefined) in the post-state. */
  broken: string[];
  /** Why the step breaks IndInv, in words. */
  reason: string;
  /** The engine's successor of the same pre-state agrees with Z3's post-state. */
  engineAgrees: boolean | null;
}

export interface ObligationResult {
  name: string;
  result: Verdict;
  seconds: number;
  /** Queries (processes × bindings) asked for this obligation. */
  queries: number;
  cti?: Cti;
  /** For a failed init or implies obligation: the state and the conjuncts or property that fail. */
  state?: State;
  broken?: string[];
  error?: PoolspecError;
}

export interface ProveTask {
  name: string;
  script: string;
  /** Decodes Z3's answers into a result. */
  finish(answers: { tag: string; answer: 'sat' | 'unsat' | 'unknown'; values: Map<string, string> }[]): Omit<ObligationResult, 'name' | 'seconds'>;
}

export interface ProveSetup {
  model: Model;
  config: Config;
  consts: Record<string, number | boolean>;
  inductive: Inductive;
  machine: Machine;
  timeoutSeconds: number;
}

/** The model with one configuration whose constants are replaced (for --sizes). */
export function setup(model: Model, config: Config, inductive: Inductive, sizes: Record<string, number>, timeoutSeconds: number): ProveSetup {
  const consts = { ...config.constants, ...sizes };
  const cfg: Config = { ...config, name: `${config.name}_prove`, constants: consts };
  const m = machine({ ...model, configs: [...model.configs, cfg] }, cfg.name);
  return { model, config, consts, inductive, machine: m, timeoutSeconds };
}

const header = (timeoutSeconds: number) => [
  '(set-logic QF_LIA)',
  '(set-option :produce-models true)',
  `(set-option :timeout ${timeoutSeconds * 1000})`,
];

/** Strict IndInv of a state: each conjunct defined and true. */
function indInv(enc: Encoder, ind: Inductive, state: Map<string, SV>): { all: Term; each: Term[] } {
  const each = ind.conjuncts.map((c) => {
    const v = enc.eval(c.expr, { state, bound: new Map() });
    if (v.k !== 'bool') throw new UnsupportedError(`conjunct ${c.name} of ${ind.name} is not a boolean`);
    return enc.name(T.and(v.d, v.t), 'Bool');
  });
  return { all: T.and(...each), each };
}

function getValue(terms: Term[]): string {
  return terms.length ? `(get-value (${terms.join(' ')}))` : '';
}

/** Init => IndInv, on the engine's initial state (the encoding of a concrete state is all numerals). */
export function initTask(s: ProveSetup): ProveTask {
  const enc = new Encoder(s.model, s.consts);
  const init = initialState(s.machine);
  const inv = indInv(enc, s.inductive, enc.fromValues(init));
  const script = [...header(s.timeoutSeconds), ...enc.sink, `(assert (not ${inv.all}))`, '(echo "@@init")', '(check-sat)'].join('\n');
  return {
    name: 'init', script,
    finish: (answers) => {
      const a = answers[0];
      if (a.answer === 'unsat') return { result: 'proved', queries: 1 };
      if (a.answer === 'unknown') return { result: 'unknown', queries: 1 };
      return { result: 'failed', queries: 1, state: init, broken: brokenConjuncts(s, init) };
    },
  };
}

/** IndInv => Property for one invariant of the configuration. */
export function impliesTask(s: ProveSetup, invName: string): ProveTask {
  const enc = new Encoder(s.model, s.consts);
  const pre = enc.declareState('s_');
  const inv = indInv(enc, s.inductive, pre.state);
  const prop = s.model.invariants.find((i) => i.name === invName);
  if (!prop) throw new UnsupportedError(`unknown invariant ${invName}`);
  const p = enc.eval(prop.expr, { state: pre.state, bound: new Map() });
  if (p.k !== 'bool') throw new UnsupportedError(`invariant ${invName} is not a boolean`);
  const atoms = enc.atoms(pre.state);
  const script = [
    ...header(s.timeoutSeconds), ...enc.sink,
    `(assert ${pre.typeOK})`, `(assert ${inv.all})`, `(assert (not ${T.and(p.d, p.t)}))`,
    `(echo "@@implies:${invName}")`, '(check-sat)', getValue(atoms),
  ].join('\n');
  return {
    name: `implies:${invName}`, script,
    finish: (answers) => {
      const a = answers[0];
      if (a.answer === 'unsat') return { result: 'proved', queries: 1 };
      if (a.answer === 'unknown') return { result: 'unknown', queries: 1 };
      const state = enc.decode(pre.state, a.values);
      return { result: 'failed', queries: 1, state, broken: [invName] };
    },
  };
}

/** IndInv /\ t => IndInv' for every process of t's type and every binding. */
export function stepTask(s: ProveSetup, pt: ProcType, t: Transition): ProveTask {
  const enc = new Encoder(s.model, s.consts);
  const pre = enc.declareState('s_');
  const inv = indInv(enc, s.inductive, pre.state);
  const lines = [...header(s.timeoutSeconds), ...enc.sink.splice(0), `(assert ${pre.typeOK})`, `(assert ${inv.all})`];
  const preAtoms = enc.atoms(pre.state);
  type Case = { tag: string; self: number; args: Record<string, number>; post: Map<string, SV>; postAtoms: Term[] };
  const cases: Case[] = [];
  for (const p of enc.procs.filter((x) => x.pt === pt)) {
    enc.sink = [];
    const common = enc.sink;
    const scoped: string[] = [];
    enc.cases(pre.state, p.id, t, (c) => {
      const named = enc.nameState(c.post);
      const postInv = indInv(enc, s.inductive, named.state);
      // The guard must be defined wherever the engine evaluates it: at the label, for a member binding.
      const bad = T.and(c.bindingDef, T.or(
        T.and(c.member, T.not(c.guardDef)),
        T.and(c.enabled, T.or(T.not(c.effectsDef), T.not(named.typeOK), T.not(postInv.all))),
      ));
      const tag = `case${cases.length}`;
      const postAtoms = enc.atoms(named.state);
      scoped.push('(push 1)', ...c.sink, `(assert ${bad})`, `(echo "@@${tag}")`, '(check-sat)',
        getValue([...new Set([...preAtoms, ...postAtoms])]), '(pop 1)');
      cases.push({ tag, self: p.id, args: c.args, post: named.state, postAtoms });
    });
    // Definitions made outside the cases (the parameter sets) hold in every scope.
    lines.push(...common, ...scoped);
  }
  const name = stepName(s.model, pt, t);
  return {
    name, script: lines.join('\n'),
    finish: (answers) => {
      const sat = answers.find((a) => a.answer === 'sat');
      if (sat) {
        const c = cases.find((x) => x.tag === sat.tag)!;
        return { result: 'failed', queries: cases.length, cti: makeCti(s, enc, pt, t, c.self, c.args, pre.state, c.post, sat.values) };
      }
      if (answers.some((a) => a.answer === 'unknown')) return { result: 'unknown', queries: cases.length };
      if (answers.length < cases.length) return { result: 'error', queries: cases.length, error: { code: 'Z3_ERROR', message: `z3 answered ${answers.length} of ${cases.length} queries` } };
      return { result: 'proved', queries: cases.length };
    },
  };
}

export function stepName(model: Model, pt: ProcType, t: Transition): string {
  return model.procTypes.length > 1 ? `step:${pt.name}.${t.name}` : `step:${t.name}`;
}

function argValues(t: Transition, enc: Encoder, args: Record<string, number>): Record<string, Value> {
  const out: Record<string, Value> = {};
  for (const p of t.params) out[p.name] = p.elemType?.kind === 'enum' ? enc.stringOf(args[p.name]) : args[p.name];
  return out;
}

function makeCti(s: ProveSetup, enc: Encoder, pt: ProcType, t: Transition, self: number, args: Record<string, number>,
  pre: Map<string, SV>, post: Map<string, SV>, values: Map<string, string>): Cti {
  const preState = enc.decode(pre, values);
  const source = s.model.sources[sourceKey.transition(pt.name, t.name)];
  const a = argValues(t, enc, args);
  const bound = new Map<string, Value>(Object.entries(a));
  const env = { model: s.model, consts: s.consts, state: preState, self, bound };
  let reason = '';
  let postState: State | null = null;
  let engineAgrees: boolean | null = null;
  try {
    if (!isTrue(t.guard, env)) reason = 'the guard does not hold (encoding disagrees with the engine)';
  } catch (err) {
    reason = `the guard is undefined here: ${(err as Error).message}`;
  }
  if (!reason) {
    try {
      postState = enc.decode(post, values);
      const engine = fire(s.machine, preState, self, t, bound);
      engineAgrees = keyOf(s.machine, engine) === keyOf(s.machine, postState);
      reason = 'the step leaves IndInv';
    } catch (err) {
      reason = `the step is undefined here: ${(err as Error).message}`;
    }
  }
  return {
    proc: self, procType: pt.name, transition: t.name, args: a,
    source: source ? `${source.file}:${source.line}` : s.model.file,
    pre: preState, post: postState, broken: postState ? brokenConjuncts(s, postState) : [], reason, engineAgrees,
  };
}

/** The IndInv conjuncts that are false or undefined in a state, by the engine's evaluation. */
export function brokenConjuncts(s: ProveSetup, state: State): string[] {
  const out: string[] = [];
  for (const c of s.inductive.conjuncts) {
    try {
      if (evaluate(c.expr, { model: s.model, consts: s.consts, state, bound: new Map() }) !== true) out.push(c.name);
    } catch (err) {
      if (err instanceof EvalError) out.push(`${c.name} (undefined: ${err.message})`);
      else throw err;
    }
  }
  return out;
}

/** Every obligation of the setup, in a stable order: init, each transition, each property. */
export function allTasks(s: ProveSetup): ProveTask[] {
  const tasks = [initTask(s)];
  for (const pt of s.model.procTypes) for (const t of pt.transitions) tasks.push(stepTask(s, pt, t));
  // TypeOK is not an obligation: the encoding has unbounded integers and untyped sets, so the
  // declared types are not part of what Z3 proves; TLC and the engine check TypeOK on every state.
  for (const inv of s.config.invariants) if (inv !== 'TypeOK') tasks.push(impliesTask(s, inv));
  return tasks;
}

/** Runs tasks on Z3, `parallel` at a time, in order of the list. */
export async function runTasks(tasks: ProveTask[], timeoutSeconds: number, parallel: number, onDone?: (r: ObligationResult) => void): Promise<ObligationResult[]> {
  const results: ObligationResult[] = new Array(tasks.length);
  let nextIdx = 0;
  const worker = async () => {
    for (;;) {
      const i = nextIdx;
      nextIdx += 1;
      if (i >= tasks.length) return;
      const task = tasks[i];
      const t0 = performance.now();
      const r = !task.script.includes('(check-sat)') ? { ok: true as const, value: [] } : await runZ3(task.script, timeoutSeconds * Math.max(1, (task.script.match(/check-sat/g) ?? []).length));
      const seconds = Math.round((performance.now() - t0) / 100) / 10;
      let res: ObligationResult;
      if (!r.ok) res = { name: task.name, result: r.errors[0].code === 'Z3_ERROR' && /did not finish/.test(r.errors[0].message) ? 'unknown' : 'error', seconds, queries: 0, error: r.errors[0] };
      else {
        try {
          res = { name: task.name, seconds, ...task.finish(r.value) };
        } catch (err) {
          res = { name: task.name, result: 'error', seconds, queries: 0, error: { code: 'PROVE_UNSUPPORTED', message: (err as Error).message } };
        }
      }
      results[i] = res;
      onDone?.(res);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, parallel) }, worker));
  return results;
}
