/**
 * Traces in the Informal Trace Format (ITF, Apalache ADR-015, also read and written by Quint), so that
 * engine counterexamples, simulations and parsed TLC counterexamples can be consumed by other tools.
 *
 * Value mapping (engine Value -> ITF):
 * - booleans and strings (enum values, labels) as JSON booleans and strings;
 * - integers (pointers, process ids, counters) as {"#bigint": "n"}, as Quint writes them; plain JSON
 *   integers are accepted on input, as the ADR allows;
 * - finite sets as {"#set": [...]} in the engine's canonical order;
 * - functions over 1..n (arrays, per-process locals, pc) as {"#map": [[k, v], ...]}: they are TLA+
 *   functions, not sequences. On input a #map must have keys 1..n; ITF lists and #tup are also read
 *   as functions over 1..n (which is what TLA+ sequences and tuples are).
 *
 * The transition taken is recorded in each state's own "#meta" rather than in an extra variable (like
 * Quint's mbt::actionTaken), so "vars" lists exactly the spec's variables. A state's "#meta" holds
 * `index` (0-based, as in Quint) and, for every state but the first, `action` (transition name),
 * `proc`, `procType`, `args` (the `choose` values, ITF-encoded) and `source` (spec file:line).
 * The trace's "#meta" holds format, source (the spec file), spec, config, constants, and optionally
 * status, violated, backend and seed.
 */
import type { Model } from '../dsl/ir.ts';
import { sourceKey } from '../dsl/ir.ts';
import { fail, ok, type Result } from '../errors.ts';
import { stateVarNames } from '../codegen/tla.ts';
import type { TraceStep, TraceVia } from './trace.ts';
import { isSet, mkSet, type State, type Value } from './value.ts';

export type ItfValue =
  | boolean
  | string
  | number
  | ItfValue[]
  | { '#bigint': string }
  | { '#set': ItfValue[] }
  | { '#map': [ItfValue, ItfValue][] }
  | { '#tup': ItfValue[] };

export interface ItfStateMeta {
  index: number;
  action?: string;
  proc?: number;
  procType?: string;
  args?: Record<string, ItfValue>;
  source?: string;
}

export type ItfState = { '#meta': ItfStateMeta } & { [variable: string]: ItfValue | ItfStateMeta };

export interface ItfTraceMeta {
  format: 'ITF';
  'format-description': string;
  /** The spec file, relative to the project root. */
  source: string;
  spec: string;
  config: string;
  constants: Record<string, number | boolean>;
  description: string;
  status?: 'violation' | 'ok';
  violated?: string | null;
  backend?: string;
  seed?: number;
  /** A lasso: the step index of the first state of its loop (as CheckResult.loopStart), and whether it ends stuttering. */
  loopStart?: number;
  stuttering?: boolean;
}

export interface ItfTrace {
  '#meta': ItfTraceMeta;
  vars: string[];
  states: ItfState[];
  /**
   * ITF's lasso: after the last state the behaviour continues at states[loop]. poolspec's last state
   * repeats the loop's first state, so that is the state after it; for stuttering, the last state.
   */
  loop?: number;
}

export const ITF_FORMAT_DESCRIPTION = 'https://apalache-mc.org/docs/adr/015adr-trace.html';

// ---------------------------------------------------------------- values

export function toItfValue(v: Value): ItfValue {
  if (typeof v === 'boolean' || typeof v === 'string') return v;
  if (typeof v === 'number') return { '#bigint': String(v) };
  if (isSet(v)) return { '#set': v.set.map(toItfValue) };
  // Holes (indices below the ids of a later process type) are outside the function's domain.
  const pairs: [ItfValue, ItfValue][] = [];
  v.forEach((x, i) => { pairs.push([{ '#bigint': String(i + 1) }, toItfValue(x)]); });
  return { '#map': pairs };
}

class ItfReadError extends Error {}

export function fromItfValue(x: unknown, where = 'value'): Value {
  if (typeof x === 'boolean' || typeof x === 'string') return x;
  if (typeof x === 'number') {
    if (!Number.isSafeInteger(x)) throw new ItfReadError(`${where}: ${x} is not an integer`);
    return x;
  }
  if (Array.isArray(x)) return x.map((y, i) => fromItfValue(y, `${where}[${i + 1}]`));
  if (typeof x !== 'object' || x === null) throw new ItfReadError(`${where}: unexpected ${JSON.stringify(x)}`);
  const o = x as Record<string, unknown>;
  const keys = Object.keys(o);
  const only = (k: string) => keys.length === 1 && keys[0] === k;
  if (only('#bigint')) {
    const s = o['#bigint'];
    if (typeof s !== 'string' || !/^-?\d+$/.test(s)) throw new ItfReadError(`${where}: bad #bigint ${JSON.stringify(s)}`);
    const n = Number(s);
    if (!Number.isSafeInteger(n)) throw new ItfReadError(`${where}: integer ${s} is too large for the engine`);
    return n;
  }
  if (only('#set')) return mkSet(list(o['#set'], `${where} #set`).map((y) => fromItfValue(y, `${where} element`)));
  if (only('#tup')) return list(o['#tup'], `${where} #tup`).map((y, i) => fromItfValue(y, `${where}[${i + 1}]`));
  if (only('#map')) {
    const pairs = list(o['#map'], `${where} #map`).map((p) => {
      if (!Array.isArray(p) || p.length !== 2) throw new ItfReadError(`${where}: a #map entry must be a [key, value] pair`);
      return [fromItfValue(p[0], `${where} key`), p[1]] as const;
    });
    // Functions over positive integers: 1..n, or the ids of a later process type (holes below them).
    const top = pairs.reduce((a, [k]) => (typeof k === 'number' && k > a ? k : a), 0);
    const out: Value[] = new Array(top);
    for (const [k, v] of pairs) {
      if (typeof k !== 'number' || k < 1 || k > 1_000_000 || out[k - 1] !== undefined) {
        throw new ItfReadError(`${where}: only functions over 1..n (or over the ids of a process type) are supported (key ${JSON.stringify(k)})`);
      }
      out[k - 1] = fromItfValue(v, `${where}[${k}]`);
    }
    return out;
  }
  throw new ItfReadError(`${where}: unsupported ITF value ${JSON.stringify(x).slice(0, 80)} (records, variants and unserializable values have no engine meaning)`);
}

function list(x: unknown, where: string): unknown[] {
  if (!Array.isArray(x)) throw new ItfReadError(`${where} is not a list`);
  return x;
}

// ---------------------------------------------------------------- traces

export interface ToItfOptions {
  config: string;
  violated?: string | null;
  backend?: string;
  seed?: number;
  loopStart?: number | null;
  stuttering?: boolean;
}

export function toItf(model: Model, trace: TraceStep[], opts: ToItfOptions): ItfTrace {
  const config = model.configs.find((c) => c.name === opts.config);
  const constants = config?.constants ?? {};
  const vars = stateVarNames(model);
  const meta: ItfTraceMeta = {
    format: 'ITF',
    'format-description': ITF_FORMAT_DESCRIPTION,
    source: model.file,
    spec: model.name,
    config: opts.config,
    constants,
    description: `Created by poolspec: ${model.name}, configuration ${opts.config}`,
    ...(opts.violated !== undefined ? { status: opts.violated ? 'violation' as const : 'ok' as const, violated: opts.violated } : {}),
    ...(opts.backend ? { backend: opts.backend } : {}),
    ...(opts.seed !== undefined ? { seed: opts.seed } : {}),
    ...(opts.loopStart != null ? { loopStart: opts.loopStart, stuttering: opts.stuttering ?? false } : {}),
  };
  const states = trace.map((step, i): ItfState => {
    const sm: ItfStateMeta = { index: i };
    if (step.via) {
      const src = model.sources[sourceKey.transition(step.via.procType, step.via.transition)];
      Object.assign(sm, {
        action: step.via.transition,
        proc: step.via.proc,
        procType: step.via.procType,
        args: Object.fromEntries(Object.entries(step.via.args).map(([k, v]) => [k, toItfValue(v)])),
        ...(src ? { source: `${src.file}:${src.line}` } : {}),
      });
    }
    const st: ItfState = { '#meta': sm };
    for (const v of vars) st[v] = toItfValue(step.state[v]);
    return st;
  });
  const at = opts.loopStart == null ? -1 : trace.findIndex((s) => s.index === opts.loopStart);
  const loop = at < 0 ? undefined : opts.stuttering ? trace.length - 1 : at + 1;
  return { '#meta': meta, vars, states, ...(loop !== undefined ? { loop } : {}) };
}

/** JSON text with one state per line: diffable, and still plain JSON. */
export function formatItf(itf: ItfTrace): string {
  const head = `{\n  "#meta": ${JSON.stringify(itf['#meta'])},\n  "vars": ${JSON.stringify(itf.vars)},\n  "states": [`;
  const states = itf.states.map((s) => `    ${JSON.stringify(s)}`).join(',\n');
  return `${head}\n${states}\n  ]${itf.loop !== undefined ? `,\n  "loop": ${itf.loop}` : ''}\n}\n`;
}

export interface ParsedItf {
  meta: Record<string, unknown>;
  vars: string[];
  trace: TraceStep[];
}

/** Reads an ITF document (text or parsed JSON) back into the project's trace shape. */
export function fromItf(doc: unknown): Result<ParsedItf> {
  try {
    const d = typeof doc === 'string' ? JSON.parse(doc) as unknown : doc;
    if (typeof d !== 'object' || d === null || Array.isArray(d)) throw new ItfReadError('an ITF trace is a JSON object');
    const o = d as Record<string, unknown>;
    const vars = list(o.vars, 'vars');
    if (!vars.every((v): v is string => typeof v === 'string')) throw new ItfReadError('vars must be strings');
    const states = list(o.states, 'states');
    const trace = states.map((s, i): TraceStep => {
      if (typeof s !== 'object' || s === null || Array.isArray(s)) throw new ItfReadError(`state ${i} is not an object`);
      const so = s as Record<string, unknown>;
      const state: State = {};
      for (const v of vars) {
        if (!(v in so)) throw new ItfReadError(`state ${i} has no variable ${v}`);
        state[v] = fromItfValue(so[v], `state ${i}, ${v}`);
      }
      const via = readVia(so['#meta'], i);
      return via ? { index: i + 1, via, state } : { index: i + 1, state };
    });
    const meta = typeof o['#meta'] === 'object' && o['#meta'] !== null ? o['#meta'] as Record<string, unknown> : {};
    return ok({ meta, vars, trace });
  } catch (err) {
    const why = err instanceof ItfReadError || err instanceof SyntaxError ? err.message : String(err);
    return fail({ code: 'USAGE', message: `not a readable ITF trace: ${why}` });
  }
}

function readVia(meta: unknown, i: number): TraceVia | undefined {
  if (typeof meta !== 'object' || meta === null) return undefined;
  const m = meta as Record<string, unknown>;
  if (typeof m.action !== 'string') return undefined;
  if (typeof m.proc !== 'number' || typeof m.procType !== 'string') {
    throw new ItfReadError(`state ${i}: #meta.action needs proc and procType`);
  }
  const args = (typeof m.args === 'object' && m.args !== null ? m.args : {}) as Record<string, unknown>;
  return {
    proc: m.proc,
    procType: m.procType,
    transition: m.action,
    args: Object.fromEntries(Object.entries(args).map(([k, v]) => [k, fromItfValue(v, `state ${i}, argument ${k}`)])),
  };
}
