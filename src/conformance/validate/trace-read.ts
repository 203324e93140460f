/**
 * Reading a recorded trace (see ../record/trace-file.ts) against a spec: the header must name the
 * spec and give its constants, and every event line must name a thread, one of its transitions with
 * exactly its choice values, a declared word, and a window [before, after]. Anything else is a
 * one-line error naming the file and line (TRACE_FILE, TRACE_FORMAT, TRACE_SPEC, TRACE_CONFIG).
 */
import { readFileSync } from 'node:fs';
import type { Model, Transition } from '../../dsl/ir.ts';
import { fail, ok, type Result } from '../../errors.ts';
import { domainElems, procIds } from '../../engine/eval.ts';
import type { Value } from '../../engine/value.ts';
import { withConfig } from '../../runtime/pool.ts';
import { TRACE_FORMAT, type TraceHeader } from '../record/trace-file.ts';

/** A variable element a trace names: `head` or `next[2]`. */
export interface Cell { name: string; index?: number }

export interface TraceEv {
  /** Position in the file's event order (0-based) and the file line (1-based). */
  idx: number;
  line: number;
  th: number;
  t: Transition;
  binding: Map<string, Value>;
  args: Record<string, Value>;
  word?: string;
  /** The variable elements of `word` (two for a pair), and the values read and written there. */
  cells: Cell[];
  read?: Value[];
  write?: Value[];
  b: number;
  a: number;
}

export interface Trace {
  file: string;
  header: TraceHeader;
  /** The spec with the configuration `trace`: the constants the run used (or those of --config). */
  model: Model;
  config: string;
  events: TraceEv[];
}

/** The configuration name validation adds to the model. */
export const TRACE_CONFIG = 'trace';

const isInt = (x: unknown): x is number => typeof x === 'number' && Number.isSafeInteger(x);
const isValue = (x: unknown): x is Value => typeof x === 'number' || typeof x === 'boolean' || typeof x === 'string'
  || (Array.isArray(x) && x.every(isValue)) || (typeof x === 'object' && x !== null && Array.isArray((x as { set?: unknown }).set) && (x as { set: unknown[] }).set.every(isValue));

export function readTrace(file: string, model: Model, configName?: string): Result<Trace> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    return fail({ code: 'TRACE_FILE', message: `cannot read the trace ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}` });
  }
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  const at = (line: number) => ({ file, line });
  const bad = (line: number, message: string): Result<Trace> => fail({ code: 'TRACE_FORMAT', message, at: at(line) });
  if (lines.length === 0) return bad(1, 'the trace is empty: its first line must be the header written by poolspec stress --record');
  let header: TraceHeader;
  try {
    header = JSON.parse(lines[0]);
  } catch {
    return bad(1, 'the first line is not JSON: a trace starts with the header written by poolspec stress --record');
  }
  if (typeof header !== 'object' || header === null || header.format !== TRACE_FORMAT) return bad(1, `the first line is not a trace header (no "format": "${TRACE_FORMAT}")`);
  if (header.spec !== model.name) return fail({ code: 'TRACE_SPEC', message: `the trace was recorded from ${header.spec}, not ${model.name}`, at: at(1) });
  if (typeof header.constants !== 'object' || header.constants === null) return bad(1, 'the header has no "constants"');

  // The constants: those the run used, or those of --config when they agree with the run's.
  let constants: Record<string, number | boolean>;
  if (configName !== undefined) {
    const c = model.configs.find((x) => x.name === configName);
    if (!c) return fail({ code: 'TRACE_CONFIG', message: `${model.name} has no configuration ${configName} (it has ${model.configs.map((x) => x.name).join(', ')})` });
    const differ = Object.entries(header.constants).filter(([k, v]) => k in c.constants && c.constants[k] !== v);
    if (differ.length) {
      return fail({ code: 'TRACE_CONFIG', message: `the trace ran with ${differ.map(([k, v]) => `${k} = ${v}`).join(', ')}; configuration ${configName} has ${differ.map(([k]) => `${k} = ${c.constants[k]}`).join(', ')}`, at: at(1) });
    }
    constants = c.constants;
  } else {
    constants = header.constants;
  }
  const missing = model.constants.filter((k) => !(k.name in constants)).map((k) => k.name);
  if (missing.length) return fail({ code: 'TRACE_CONFIG', message: `the header does not give the constant${missing.length > 1 ? 's' : ''} ${missing.join(', ')} of ${model.name}`, at: at(1) });
  const base = configName ?? (model.configs.some((c) => c.name === header.baseConfig) ? header.baseConfig : model.configs[0].name);
  const m = withConfig(model, base, TRACE_CONFIG, constants);
  const consts = m.configs.find((c) => c.name === TRACE_CONFIG)!.constants;
  const env = { model: m, consts, state: {}, bound: new Map() };

  const procType = new Map<number, Model['procTypes'][number]>();
  for (const pt of m.procTypes) for (const id of procIds(m, consts, pt.name)) procType.set(id, pt);
  const vars = new Map(m.vars.map((v) => [v.name, v]));
  const cellOf = (name: string, index: number | undefined): string | Cell => {
    const v = vars.get(name);
    if (!v) return `${name} is not a variable of ${m.name}`;
    if (v.type.kind === 'array') {
      if (index === undefined) return `${name} is an array: name an element, ${name}[i]`;
      const dom = domainElems(env, v.type.index);
      if (!dom.includes(index)) return `${name}[${index}] is outside ${name}'s domain ${dom[0]}..${dom[dom.length - 1]}`;
      return { name, index };
    }
    if (index !== undefined) return `${name} is not an array`;
    return { name };
  };
  const words = new Map<string, Cell[] | string>();
  const parseWord = (w: string): Cell[] | string => {
    let c = words.get(w);
    if (c) return c;
    const pair = /^<(.+)>$/.exec(w);
    const parts = pair ? pair[1].split(',').map((x) => x.trim()) : [w];
    const cells: Cell[] = [];
    for (const p of parts) {
      const mm = /^([A-Za-z_][A-Za-z0-9_]*)(?:\[(-?\d+)\])?$/.exec(p);
      if (!mm) { c = `"${w}" is not a word (head, next[2] or <head, seq>)`; break; }
      const cell = cellOf(mm[1], mm[2] === undefined ? undefined : Number(mm[2]));
      if (typeof cell === 'string') { c = cell; break; }
      cells.push(cell);
    }
    c ??= cells;
    words.set(w, c);
    return c;
  };

  const events: TraceEv[] = [];
  for (let i = 1; i < lines.length; i += 1) {
    const line = i + 1;
    const s = lines[i];
    if (s.trim() === '') continue;
    let o: Record<string, unknown>;
    try {
      o = JSON.parse(s);
    } catch {
      return bad(line, 'malformed event: not JSON');
    }
    if (typeof o !== 'object' || o === null || Array.isArray(o)) return bad(line, 'malformed event: not a JSON object');
    if (!isInt(o.th) || !procType.has(o.th)) return bad(line, `malformed event: "th" must be a process id of ${m.name} (${[...procType.keys()].join(', ')}), got ${JSON.stringify(o.th)}`);
    const pt = procType.get(o.th)!;
    const t = typeof o.tr === 'string' ? pt.transitions.find((x) => x.name === o.tr) : undefined;
    if (!t) return bad(line, `malformed event: "tr" must be a transition of ${pt.name}, got ${JSON.stringify(o.tr)}`);
    const args = (o.args ?? {}) as Record<string, unknown>;
    if (typeof args !== 'object' || args === null || Array.isArray(args)) return bad(line, 'malformed event: "args" must be an object');
    const want = t.params.map((p) => p.name);
    const got = Object.keys(args);
    if (got.length !== want.length || !want.every((n) => n in args) || !got.every((k) => isValue(args[k]))) {
      return bad(line, `malformed event: ${t.name} takes ${want.length ? `the argument${want.length > 1 ? 's' : ''} ${want.join(', ')}` : 'no arguments'}, got ${JSON.stringify(args)}`);
    }
    const win = o.t;
    if (!Array.isArray(win) || win.length !== 2 || !isInt(win[0]) || !isInt(win[1]) || win[0] > win[1]) {
      return bad(line, `malformed event: "t" must be a window [before, after] of integers with before <= after, got ${JSON.stringify(win)}`);
    }
    const ev: TraceEv = {
      idx: events.length, line, th: o.th, t, binding: new Map(Object.entries(args) as [string, Value][]), args: args as Record<string, Value>,
      cells: [], b: win[0], a: win[1],
    };
    if (o.word !== undefined) {
      if (typeof o.word !== 'string') return bad(line, 'malformed event: "word" must be a string');
      const cells = parseWord(o.word);
      if (typeof cells === 'string') return bad(line, `malformed event: ${cells}`);
      ev.word = o.word;
      ev.cells = cells;
      for (const k of ['read', 'write'] as const) {
        if (o[k] === undefined) continue;
        const v = o[k];
        if (!isValue(v)) return bad(line, `malformed event: "${k}" is not a value`);
        if (cells.length > 1 && (!Array.isArray(v) || v.length !== cells.length)) return bad(line, `malformed event: "${k}" of the pair ${o.word} must be [${cells.map((c) => c.name).join(', ')}]`);
        ev[k] = cells.length > 1 ? (v as Value[]) : [v];
      }
    } else if (o.read !== undefined || o.write !== undefined) {
      return bad(line, 'malformed event: "read" or "write" without "word"');
    }
    events.push(ev);
  }
  return ok({ file, header, model: m, config: TRACE_CONFIG, events });
}
