/**
 * One compiled program per (model, configuration): JavaScript source generated from the Model IR and
 * instantiated with `new Function` once. It works on slot states (Int32Array, see layout.ts):
 * - expand(S, T, emit): every enabled step from S in TLC's order (process id, transition order,
 *   parameter value); for each, T receives the successor and emit(self, k, copies, a0, a1, a2) is
 *   called (k indexes `transitions`; a* are the parameter values as slots); emit returns true to stop;
 * - constraint(S), invariant(S) (index of the first violated invariant of the configuration, or -1),
 *   finished(S) (every process at its terminal label);
 * - pack/unpack between slots and packed words, hash and equality of packed states.
 */
import type { Expr, ProcType, Transition } from '../../dsl/ir.ts';
import { EvalError } from '../eval.ts';
import { initialState, type Machine } from '../step.ts';
import type { TraceVia } from '../trace.ts';
import type { Value } from '../value.ts';
import { Gen, RUNTIME } from './codegen.ts';
import { buildLayout, decodeAt, decodeState, encodeState, Unsupported, type CT, type Layout } from './layout.ts';

export type Emit = (self: number, k: number, copies: number, a0: number, a1: number, a2: number) => boolean;

export interface Program {
  L: Layout;
  /** Transitions by index k, with their process type and parameter types. */
  transitions: { pt: ProcType; t: Transition; params: { name: string; ct: CT }[] }[];
  init: Int32Array;
  expand(S: Int32Array, T: Int32Array, emit: Emit): boolean;
  constraint(S: Int32Array): boolean;
  invariant(S: Int32Array): number;
  finished(S: Int32Array): boolean;
  pack(S: Int32Array, A: Int32Array, o: number): void;
  unpack(A: Int32Array, o: number, S: Int32Array): void;
  hash(A: Int32Array, o: number): number;
  /** The generated source, for debugging. */
  source: string;
}

const MAX_PARAMS = 3;

export function compile(m: Machine): Program {
  const L = buildLayout(m);
  const g = new Gen(m, L);
  const transitions: Program['transitions'] = [];
  const pcCell = L.cells.get('pc')!;

  // ---- expand
  const body: string[] = [];
  for (const pt of m.model.procTypes) {
    const ids = m.procs.filter((p) => p.pt === pt).map((p) => p.id);
    if (ids.length === 0) continue;
    const byLabel = new Map<string, Transition[]>();
    for (const t of pt.transitions) {
      if (!byLabel.has(t.from)) byLabel.set(t.from, []);
      byLabel.get(t.from)!.push(t);
    }
    const cases: string[] = [];
    for (const [label, ts] of byLabel) {
      const code: string[] = [];
      for (const t of ts) {
        if (t.params.length > MAX_PARAMS) throw new Unsupported(`more than ${MAX_PARAMS} parameters`);
        const k = transitions.length;
        let sc = g.scope(true);
        const params: { name: string; ct: CT }[] = [];
        const open: string[] = [];
        const args: string[] = [];
        for (const p of t.params) {
          const lp = g.loopOver(p.name, p.over, sc);
          open.push(`${lp.loop} {`);
          sc = lp.inner;
          params.push({ name: p.name, ct: { k: lp.set.elem } });
          args.push(lp.js);
        }
        while (args.length < MAX_PARAMS) args.push('0');
        transitions.push({ pt, t, params });
        const copies = g.branches(t.guard, sc);
        code.push(`// ${pt.name}.${t.name}`, ...open, `{ const c = ${copies};`, `if (c > 0) {`, 'T.set(S);',
          ...effects(g, t, sc), `if (emit(self, ${k}, c, ${args.join(', ')})) return true;`, '} }', ...open.map(() => '}'));
      }
      cases.push(`case ${g.str(label)}: {\n${code.join('\n')}\nbreak; }`);
    }
    body.push(`for (let self = ${ids[0]}; self <= ${ids[ids.length - 1]}; self++) {\nswitch (S[${pcCell.base - 1} + self]) {\n${cases.join('\n')}\n}\n}`);
  }
  const expandSrc = `function expand(S, T, emit) {\n${body.join('\n')}\nreturn false;\n}`;

  // ---- constraint, invariants, finished
  const sc0 = g.scope(false);
  const constraint = m.config.constraint ? g.expr(m.config.constraint, sc0).js : 'true';
  const invs = m.config.invariants.map((name, i) => {
    const inv = m.model.invariants.find((x) => x.name === name);
    if (!inv) throw new Unsupported(`no invariant ${name}`);
    return `if (!${g.expr(inv.expr, sc0).js}) return ${i};`;
  });
  // Every process at one of its terminal labels (never, for a process type that has none).
  const finished = m.procs.map((p) => {
    const term = p.pt.labels.filter((l) => l.terminal).map((l) => `S[${pcCell.base + p.id - 1}] === ${g.str(l.name)}`);
    return `(${term.join(' || ') || 'false'})`;
  }).join(' && ');

  // ---- packing (each slot at its field, layout.ts)
  const packLines: string[] = [];
  const unpackLines: string[] = [];
  for (let word = 0; word < L.words; word += 1) {
    packLines.push('w = 0;');
    unpackLines.push(`w = A[o + ${word}];`);
    L.fields.forEach((f, i) => {
      if (f.word !== word) return;
      const r = L.ranges[i];
      const mask = 2 ** f.width - 1; // widths are at most 31
      if (r.set) {
        packLines.push(`v = S[${i}]; if ((v & ${~(mask << r.min)}) !== 0) throw new Unsupported('slot ${i}: set ' + v + ' outside its type'); w |= (v >>> ${r.min}) << ${f.shift};`);
        unpackLines.push(`S[${i}] = ((w >>> ${f.shift}) & ${mask}) << ${r.min};`);
      } else {
        packLines.push(`v = S[${i}] - ${r.min}; if (v < 0 || v > ${r.max - r.min}) throw new Unsupported('slot ${i}: value ' + S[${i}] + ' outside its type'); w |= v << ${f.shift};`);
        unpackLines.push(`S[${i}] = ((w >>> ${f.shift}) & ${mask}) + ${r.min};`);
      }
    });
    packLines.push(`A[o + ${word}] = w;`);
  }
  const W = L.words;
  const hashSrc = `function hash(A, o) { let h = ${0x9e3779b9 | 0}; for (let i = 0; i < ${W}; i++) { let k = Math.imul(A[o + i], 0xcc9e2d51); k = (k << 15) | (k >>> 17); h ^= Math.imul(k, 0x1b873593); h = (h << 13) | (h >>> 19); h = (Math.imul(h, 5) + 0xe6546b64) | 0; } h ^= h >>> 16; h = Math.imul(h, 0x85ebca6b); h ^= h >>> 13; h = Math.imul(h, 0xc2b2ae35); return (h ^ (h >>> 16)) | 0; }`;

  const source = [
    RUNTIME,
    ...g.helpers,
    expandSrc,
    `function constraint(S) { const self = 0; return ${constraint}; }`,
    `function invariant(S) { const self = 0;\n${invs.join('\n')}\nreturn -1; }`,
    `function finished(S) { return ${finished}; }`,
    `function pack(S, A, o) { let w = 0, v = 0;\n${packLines.join('\n')}\n}`,
    `function unpack(A, o, S) { let w = 0;\n${unpackLines.join('\n')}\n}`,
    hashSrc,
    'return { expand, constraint, invariant, finished, pack, unpack, hash };',
  ].join('\n');
  const fns = new Function('EvalError', 'Unsupported', source)(EvalError, Unsupported) as Pick<Program, 'expand' | 'constraint' | 'invariant' | 'finished' | 'pack' | 'unpack' | 'hash'>;
  let init: Int32Array;
  try {
    init = encodeState(L, initialState(m));
  } catch (err) {
    if (err instanceof EvalError) throw new Unsupported('the initial state does not evaluate'); // the interpreter reports it
    throw err;
  }
  return { L, transitions, init, source, ...fns };
}

/** Effects of t written into T, all right-hand sides read from the pre-state S. */
function effects(g: Gen, t: Transition, sc: ReturnType<Gen['scope']>): string[] {
  const L = g.L;
  const out: string[] = [];
  const vals = t.effects.map((a, i) => {
    const v = g.expr(a.value, sc);
    const idx = a.target.index ? g.expr(a.target.index, sc) : null;
    out.push(`const v${i} = ${v.js};`);
    if (idx) out.push(`const i${i} = ${idx.js};`);
    return { a, v, idx };
  });
  // Values first (any evaluation error before a write), then the writes in order; an Int32Array
  // stores a boolean as 1 or 0, its slot value.
  vals.forEach(({ a, v, idx }, i) => {
    const c = L.cells.get(a.target.name);
    if (!c) throw new Unsupported(`unknown variable ${a.target.name}`);
    let ct: CT = c.ct;
    let base = String(c.base);
    if (a.target.kind === 'local') {
      const el = (c.ct as Extract<CT, { k: 'arr' }>).elem;
      ct = el;
      base = `(${c.base - c.stride} + self * ${c.stride})`;
    }
    if (idx) {
      if (ct.k !== 'arr') throw new Unsupported(`an indexed write to a non-array ${a.target.name}`);
      out.push(`if (i${i} >= ${ct.lo} && i${i} <= ${ct.hi}) T[${base} - ${ct.lo} + i${i}] = v${i};`);
    } else if (ct.k === 'arr') {
      out.push(`wr${arrWriter(g, ct)}(T, ${base}, v${i});`);
    } else {
      out.push(`T[${base}] = v${i};`);
    }
  });
  out.push(`T[${L.cells.get('pc')!.base - 1} + self] = ${g.str(t.to)};`);
  return out;
}

const writers = new WeakMap<Gen, Map<string, string>>();
/** A helper writing a JS array value into consecutive slots (whole-array assignment). */
function arrWriter(g: Gen, ct: Extract<CT, { k: 'arr' }>): string {
  let m = writers.get(g);
  if (!m) writers.set(g, (m = new Map()));
  const key = JSON.stringify(ct);
  let name = m.get(key);
  if (name) return name;
  name = g.fresh('');
  m.set(key, name);
  g.helpers.push(`function wr${name}(T, o, a) { if (a.length !== ${ct.hi}) throw new Unsupported('an array of another domain'); for (let i = ${ct.lo}; i <= ${ct.hi}; i++) { const x = a[i - 1]; if (x === undefined) throw new Unsupported('an array of another domain'); T[o + i - ${ct.lo}] = x; } }`);
  return name;
}

/** How a step was taken, as the interpreter's TraceVia. */
export function viaOf(P: Program, self: number, k: number, a: number[]): TraceVia {
  const { pt, t, params } = P.transitions[k];
  const args: Record<string, Value> = {};
  params.forEach((p, i) => { args[p.name] = decodeAt(P.L, p.ct, Int32Array.of(a[i]), 0); });
  return { proc: self, procType: pt.name, transition: t.name, args };
}

export const decode = (P: Program, S: Int32Array) => decodeState(P.L, S);
export type { Expr };
