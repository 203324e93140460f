/**
 * The PlusCal emitter: one module `<Name>_pcal.tla` per spec holding a c-syntax `--algorithm`, with
 * one `process` per process type, one PlusCal label per control state, `either`/`await` for the
 * transitions of a label, `with` for nondeterministic choices, macros for the atomic operations
 * (XCHG, CAS, DWCAS) it recognises, and `define` for the properties. pcal.trans then writes the
 * translation between the BEGIN/END TRANSLATION markers (see pluscal-translate.ts).
 *
 * Semantics are those of the TLA+ emitter: one transition is one atomic step whose right-hand sides
 * all read the pre-state. PlusCal assignments within a step are sequential, so the effects of a
 * transition are ordered so that every read comes before any write of the variable it reads;
 * where no such order exists (e.g. `fw := next[fw]` with `next[fw] := NULL`) they become one
 * multiple assignment `a := .. || b := ..`, whose right-hand sides and subscripts all read the
 * pre-state.
 *
 * Every label and every branch carries a `\* spec/<file>:<line>` comment, so translator errors can
 * be mapped back to the spec (see pcalSourceAt).
 *
 * Layout choices forced by PlusCal:
 * - `ProcSet` is defined by the translation, so it is not defined here.
 * - The `define` block is placed by the translation after the global variables but *before* the
 *   process-local ones, so a property that reads a local (`held[t]`) cannot live there; those
 *   follow the translation instead.
 * - `--fair algorithm` would add `WF_vars(Next)`; `fair process` gives exactly the TLA+ module's
 *   `\A self \in Threads : WF_vars(Thread(self))` (and `fair+ process` its SF_ form).
 */
import type { Assign, Expr, Model, ProcType, Transition } from '../dsl/ir.ts';
import { sourceKey } from '../dsl/ir.ts';
import type { SourcePos } from '../errors.ts';
import {
  GENERATED_BY, RECURSIVE_HELPERS, configConstraintName, pos, procIdRanges, propertyDefinitions,
} from './tla.ts';
import { conjuncts, idsName, tlaExpr, type PrintCtx } from './tla-expr.ts';
import { readsOf, someExpr } from '../dsl/print.ts';

export const PCAL_SUFFIX = '_pcal';
export const pluscalModuleName = (model: Model) => `${model.name}${PCAL_SUFFIX}`;
export const pluscalFileName = (model: Model) => `${pluscalModuleName(model)}.tla`;

export const BEGIN_TRANSLATION = '\\* BEGIN TRANSLATION';
export const END_TRANSLATION = '\\* END TRANSLATION';

/** Names the emitter or the translation define at module level: a label must not take one. */
export const PCAL_MACROS = ['xchg', 'cas', 'dwcas'] as const;
const TRANSLATION_NAMES = ['Init', 'Next', 'Spec', 'vars', 'ProcSet', 'Terminating', 'Termination', 'pc', 'stack', 'self', 'Done', 'Error'];

// ---------------------------------------------------------------- expressions

/**
 * Inside a process, PlusCal names the acting process's locals without `[self]` (the translation
 * adds it): rewrite `local` (no process) into a bare name. A local of another process (`x.of(p)`)
 * cannot be named inside a PlusCal process; the validator's specs never do it, and it is kept as
 * `x[p]`, which pcal.trans would misread, so `checkPluscalModel` reports it.
 */
function bareLocals(e: Expr): Expr {
  const r = bareLocals;
  switch (e.op) {
    case 'local': return e.proc ? { ...e, proc: r(e.proc) } : { op: 'bound', name: e.name };
    case 'pc': return { ...e, proc: r(e.proc) };
    case 'not': return { ...e, arg: r(e.arg) };
    case 'bin': return { ...e, a: r(e.a), b: r(e.b) };
    case 'ite': return { ...e, cond: r(e.cond), then: r(e.then), else: r(e.else) };
    case 'index': return { ...e, arr: r(e.arr), idx: r(e.idx) };
    case 'except': return { ...e, arr: r(e.arr), idx: r(e.idx), value: r(e.value) };
    case 'setOf': return { ...e, elems: e.elems.map(r) };
    case 'card': return { ...e, arg: r(e.arg) };
    case 'quant': return { ...e, over: r(e.over), body: r(e.body) };
    case 'filter': return { ...e, over: r(e.over), cond: r(e.cond) };
    case 'map': return { ...e, body: r(e.body) };
    case 'listNodes': case 'listAcyclic': return { ...e, start: r(e.start), link: r(e.link) };
    default: return e;
  }
}

/** Drops one pair of parentheses around the whole text, when they match each other. */
export function stripOuterParens(s: string): string {
  if (!s.startsWith('(') || !s.endsWith(')')) return s;
  let depth = 0;
  for (let i = 0; i < s.length; i++) {
    if (s[i] === '(') depth++;
    else if (s[i] === ')') depth--;
    if (depth === 0 && i < s.length - 1) return s; // the first paren closes before the end
  }
  return s.slice(1, -1);
}

/** Operators that bind tighter than `/\`: their conjuncts need no parentheses in a `/\` list. */
const TIGHT = new Set(['eq', 'ne', 'lt', 'le', 'gt', 'ge', 'in', 'notin', 'subseteq']);

const mentionsLocal = (e: Expr): boolean => someExpr(e, (x) => x.op === 'local');

/** Sanitises free text for a comment inside the algorithm (itself inside a TLA+ block comment). */
export function commentText(s: string): string {
  return s.replace(/\s+/g, ' ').replace(/\(\*/g, '( *').replace(/\*\)/g, '* )').replace(/--(algorithm|fair)/g, '- -$1').trim();
}

// ---------------------------------------------------------------- atomic operations

/** A group of effects emitted as one PlusCal statement. */
interface Stmt {
  /** Variables it writes. */
  writes: Set<string>;
  /** Variables it reads (right-hand sides and subscripts). */
  reads: Set<string>;
  assigns: Assign[];
  /** A macro call standing for the assignments (and, for cas/dwcas, an await). */
  macro?: string;
  /** cas/dwcas: contains an await, so it must come before every assignment. */
  first?: boolean;
}

const isWholeVar = (e: Expr, name?: string): e is { op: 'var'; name: string } => e.op === 'var' && (name === undefined || e.name === name);

export interface AtomicOp {
  kind: 'xchg' | 'cas' | 'dwcas';
  /** The macro call, e.g. `cas(head, fl, blk)`. */
  call: string;
  /** Effects the call performs (removed from the plain assignments). */
  assigns: Assign[];
  /** Guard conjuncts the call checks (removed from the `await`). */
  guards: Expr[];
}

const sameExpr = (a: Expr, b: Expr) => JSON.stringify(a) === JSON.stringify(b);

/**
 * Recognises the atomic memory operation of a transition, structurally (the IR does not mark them):
 * - DWCAS success: the guard compares both words of a declared pair with locals, the effects write both;
 * - CAS success: the guard compares a shared word with a local, the effects write that word;
 * - XCHG: a local takes the value of a shared word, which is overwritten in the same step.
 * The macro must behave exactly like the assignments it replaces: CAS/DWCAS are emitted first (they
 * await), so no other effect may read what they write.
 */
export function recogniseAtomic(model: Model, t: Transition, print: (e: Expr) => string): AtomicOp | null {
  const shared = new Set(model.vars.filter((v) => v.role === 'shared').map((v) => v.name));
  const gs = conjuncts(t.guard);
  const comparesWithLocal = (g: Expr, v: string): Expr | null => {
    if (g.op !== 'bin' || g.fn !== 'eq') return null;
    const [x, y] = isWholeVar(g.a, v) ? [g.a, g.b] : isWholeVar(g.b, v) ? [g.b, g.a] : [null, null];
    if (!x || !y || y.op !== 'local' || y.proc) return null;
    return y;
  };
  const wholeWrite = (v: string) => t.effects.find((a) => a.target.kind === 'var' && a.target.name === v && !a.target.index);
  const othersRead = (used: Assign[], vs: string[]) =>
    t.effects.some((a) => !used.includes(a) && vs.some((v) => readsOf(a.value).has(v) || readsOf(a.target.index).has(v)));

  for (const [v1, v2] of model.pairs) {
    const g1 = gs.find((g) => comparesWithLocal(g, v1));
    const g2 = gs.find((g) => comparesWithLocal(g, v2));
    const a1 = wholeWrite(v1);
    const a2 = wholeWrite(v2);
    if (g1 && g2 && a1 && a2 && !othersRead([a1, a2], [v1, v2])) {
      const o1 = comparesWithLocal(g1, v1)!;
      const o2 = comparesWithLocal(g2, v2)!;
      return {
        kind: 'dwcas',
        call: `dwcas(${v1}, ${v2}, ${print(o1)}, ${print(o2)}, ${print(a1.value)}, ${print(a2.value)})`,
        assigns: [a1, a2], guards: [g1, g2],
      };
    }
  }
  for (const g of gs) {
    for (const v of shared) {
      const old = comparesWithLocal(g, v);
      const a = wholeWrite(v);
      if (old && a && !othersRead([a], [v])) {
        return { kind: 'cas', call: `cas(${v}, ${print(old)}, ${print(a.value)})`, assigns: [a], guards: [g] };
      }
    }
  }
  for (const ret of t.effects) {
    if (ret.target.kind !== 'local' || ret.target.index || !isWholeVar(ret.value) || !shared.has(ret.value.name)) continue;
    const v = ret.value.name;
    const w = wholeWrite(v);
    if (!w) continue;
    const valReads = readsOf(w.value);
    if (valReads.has(v) || valReads.has(ret.target.name)) continue;
    return { kind: 'xchg', call: `xchg(${v}, ${ret.target.name}, ${print(w.value)})`, assigns: [ret, w], guards: [] };
  }
  return null;
}

const MACRO_TEXT: Record<AtomicOp['kind'], string[]> = {
  xchg: [
    '\\* ret := XCHG(ref, val): atomic exchange; ret gets the old value',
    'macro xchg(ref, ret, val) { ret := ref; ref := val }',
  ],
  cas: [
    '\\* A successful CAS(ref, old, new): ref = old, and it becomes new',
    'macro cas(ref, old, new) { await ref = old; ref := new }',
  ],
  dwcas: [
    '\\* A successful double-word CAS(<ref1, ref2>, <old1, old2>, <new1, new2>)',
    'macro dwcas(ref1, ref2, old1, old2, new1, new2) {',
    '  await ref1 = old1 /\\ ref2 = old2;',
    '  ref1 := new1 || ref2 := new2',
    '}',
  ],
};

/** Whether a failing branch is the other side of a CAS/DWCAS (for a comment only). */
function failedOp(model: Model, pt: ProcType, t: Transition, print: (e: Expr) => string): string | null {
  for (const u of pt.transitions) {
    if (u === t || u.from !== t.from) continue;
    const op = recogniseAtomic(model, u, print);
    if (!op || op.kind === 'xchg') continue;
    // The failing guard is the negation of the compares: `ref # old`, or `r1 # o1 \/ r2 # o2`.
    const neg: Expr[] = op.guards.flatMap((g) => (g.op === 'bin' ? [{ op: 'bin', fn: 'ne', a: g.a, b: g.b } as const] : []));
    const want = neg.slice(1).reduce<Expr>((acc, g) => ({ op: 'bin', fn: 'or', a: acc, b: g }), neg[0]);
    if (neg.length && sameExpr(want, t.guard)) return `${op.kind === 'cas' ? 'CAS' : 'DWCAS'} failed`;
  }
  return null;
}

// ---------------------------------------------------------------- statements

/**
 * The effects of a transition as PlusCal statements with pre-state semantics: assignments to one
 * variable are merged into one multiple assignment (PlusCal assigns a variable at most once per
 * step), then statements are ordered so that each one runs before any statement that overwrites a
 * variable it reads; what cannot be ordered (a read/write cycle) becomes one multiple assignment.
 */
export function orderEffects(effects: Assign[], op: AtomicOp | null): Stmt[][] {
  const stmts: Stmt[] = [];
  const rest = op ? effects.filter((a) => !op.assigns.includes(a)) : effects;
  if (op) {
    stmts.push({
      writes: new Set(op.assigns.map((a) => a.target.name)),
      reads: readsOf(...op.assigns.flatMap((a) => [a.value, a.target.index])),
      assigns: op.assigns, macro: op.call, first: op.kind !== 'xchg',
    });
  }
  const byVar = new Map<string, Assign[]>();
  for (const a of rest) byVar.set(a.target.name, [...(byVar.get(a.target.name) ?? []), a]);
  for (const [name, as] of byVar) {
    stmts.push({ writes: new Set([name]), reads: readsOf(...as.flatMap((a) => [a.value, a.target.index])), assigns: as });
  }
  const out: Stmt[][] = [];
  const remaining = [...stmts];
  while (remaining.length) {
    const i = remaining.findIndex((s) => remaining.every((o) => o === s || ![...s.writes].some((w) => o.reads.has(w))));
    if (i < 0) {
      out.push(remaining.splice(0)); // a cycle: one multiple assignment
      break;
    }
    out.push(remaining.splice(i, 1));
  }
  return out;
}

// ---------------------------------------------------------------- the module

interface Emit {
  model: Model;
  lines: string[];
  macros: Set<AtomicOp['kind']>;
}

const specPos = pos;

function lvalue(a: Assign, print: (e: Expr) => string): string {
  return `${a.target.name}${a.target.index ? `[${print(a.target.index)}]` : ''}`;
}

function branchBody(e: Emit, pt: ProcType, t: Transition, indent: string): string[] {
  const ctx: PrintCtx = { model: e.model, self: 'self' };
  const print = (x: Expr) => stripOuterParens(tlaExpr(bareLocals(x), ctx));
  const op = recogniseAtomic(e.model, t, print);
  if (op) e.macros.add(op.kind);
  const L: string[] = [];
  let ind = indent;
  if (t.params.length) {
    L.push(`${ind}with (${t.params.map((p) => `${p.name} \\in ${print(p.over)}`).join(', ')}) {`);
    ind += '  ';
  }
  const guards = conjuncts(t.guard).filter((g) => !op?.guards.some((o) => o === g));
  if (guards.length) {
    const text = guards.length === 1
      ? print(guards[0])
      : guards.map((g) => (g.op === 'bin' && TIGHT.has(g.fn) ? print(g) : tlaExpr(bareLocals(g), ctx))).join(' /\\ ');
    const failed = failedOp(e.model, pt, t, print);
    L.push(`${ind}await ${text};${failed ? `  \\* ${failed}` : ''}`);
  }
  for (const group of orderEffects(t.effects, op)) {
    if (group.length === 1 && group[0].macro) {
      L.push(`${ind}${group[0].macro};`);
      continue;
    }
    const assigns = group.flatMap((s) => s.assigns);
    L.push(`${ind}${assigns.map((a) => `${lvalue(a, print)} := ${print(a.value)}`).join(' || ')};`);
  }
  L.push(`${ind}goto ${t.to};`);
  if (t.params.length) L.push(`${indent}}`);
  return L;
}

function branchComment(model: Model, pt: ProcType, t: Transition): string {
  const where = specPos(model, sourceKey.transition(pt.name, t.name));
  return `\\* ${t.name}  ${where}${t.doc ? `  ${commentText(t.doc)}` : ''}`;
}

function emitLabel(e: Emit, pt: ProcType, label: string, doc: string | undefined): void {
  const { model, lines } = e;
  const ts = pt.transitions.filter((t) => t.from === label);
  const labelPos = specPos(model, sourceKey.label(pt.name, label));
  lines.push(`  ${label}:  \\* ${labelPos}${doc ? `  ${commentText(doc)}` : ''}`);
  if (ts.length === 0) {
    lines.push('    \\* no transition leaves this label: the process stops here', '    await FALSE;', `    goto ${label};`);
    return;
  }
  if (ts.length === 1) {
    const t = ts[0];
    lines.push(`    ${branchComment(model, pt, t)}`);
    lines.push(...branchBody(e, pt, t, '    '));
    if (t.params.length) lines[lines.length - 1] += ';'; // a lone `with` is a statement: `};` before the next label
    return;
  }
  ts.forEach((t, i) => {
    lines.push(`    ${i === 0 ? 'either' : '} or'} { ${branchComment(model, pt, t)}`);
    lines.push(...branchBody(e, pt, t, '      '));
  });
  lines.push('    };');
}

function fairnessKeyword(pt: ProcType): string {
  return pt.fairness === 'weak' ? 'fair process' : pt.fairness === 'strong' ? 'fair+ process' : 'process';
}

function emitProcess(e: Emit, pt: ProcType): void {
  const { model, lines } = e;
  const ctx: PrintCtx = { model, self: 'self' };
  lines.push(`  \\* ${specPos(model, sourceKey.procType(pt.name))}  ${pt.count} process${pt.count === 1 ? '' : 'es'} of type ${pt.name}`);
  lines.push(`  ${fairnessKeyword(pt)} (${pt.name} \\in ${idsName(pt.name)})`);
  if (pt.locals.length) {
    lines.push('    variables');
    for (const l of pt.locals) {
      lines.push(`      ${l.name} = ${stripOuterParens(tlaExpr(bareLocals(l.init), ctx))};${l.doc ? `  \\* ${commentText(l.doc)}` : ''}`);
    }
  }
  lines.push('  {');
  // The first label is where the process starts: the spec's initial label.
  const labels = [...pt.labels].sort((a, b) => (a.name === pt.initial ? -1 : b.name === pt.initial ? 1 : 0));
  // The terminal label is PlusCal's own `Done`: steps `goto Done`, and it is not declared.
  for (const l of labels) if (!l.terminal) emitLabel(e, pt, l.name, l.doc);
  lines.push('  }');
}

/** Property and constraint definitions, split by whether PlusCal's `define` block can hold them. */
function splitDefinitions(model: Model): { inDefine: string[]; after: string[] } {
  const local = (x: Expr) => mentionsLocal(x);
  const propLocal = (f: Model['properties'][number]['formula']) =>
    f.kind === 'leadsTo' ? local(f.from) || local(f.to) : local(f.expr);
  const part = (wantLocal: boolean): Model => ({
    ...model,
    invariants: model.invariants.filter((i) => local(i.expr) === wantLocal),
    properties: model.properties.filter((p) => propLocal(p.formula) === wantLocal),
    configs: model.configs.filter((c) => !c.constraint || local(c.constraint) === wantLocal),
  });
  const trim = (ls: string[]) => {
    while (ls.length && ls[ls.length - 1] === '') ls.pop();
    return ls;
  };
  return { inDefine: trim(propertyDefinitions(part(false))), after: trim(propertyDefinitions(part(true))) };
}

/** The module text before translation: the algorithm, with empty BEGIN/END TRANSLATION markers. */
export function emitPluscal(model: Model): string {
  const ctx: PrintCtx = { model };
  const L: string[] = [];
  const name = pluscalModuleName(model);
  L.push(`${'-'.repeat(20)} MODULE ${name} ${'-'.repeat(20)}`);
  L.push(`(* ${GENERATED_BY} from ${model.file} (PlusCal). Do not edit: change the spec and run \`poolspec gen\`.`);
  if (model.doc) L.push(`   ${commentText(model.doc)}`);
  L.push('   The algorithm below is the source; the TLA+ between BEGIN and END TRANSLATION is what');
  L.push('   pcal.trans made of it. Every label and branch names the spec line it comes from.');
  L.push('*)');
  L.push('EXTENDS Integers, FiniteSets', '');
  if (model.constants.length) {
    for (const c of model.constants) L.push(`CONSTANT ${c.name}${c.doc ? ` \\* ${commentText(c.doc)}` : ''}`);
    L.push('');
  }
  L.push('NULL == 0', 'BUSY == -1');
  for (const bs of model.blockSets) L.push(`${bs.name} == 1..${bs.size}`);
  for (const r of procIdRanges(model)) L.push(`${idsName(r.pt.name)} == ${r.lo}..${r.hi}`);
  L.push('\\* ProcSet, the union of these, is defined by the translation.', '', ...RECURSIVE_HELPERS, '');

  const { inDefine, after } = splitDefinitions(model);
  const body: string[] = [];
  const e: Emit = { model, lines: body, macros: new Set() };
  model.procTypes.forEach((pt, i) => {
    if (i > 0) body.push('');
    emitProcess(e, pt);
  });

  L.push(`(* --algorithm ${model.name} {`);
  if (model.vars.length) {
    L.push('  variables');
    for (const v of model.vars) {
      const note = `${v.role}${v.inBlock ? ', in block memory' : ''}${v.doc ? `: ${commentText(v.doc)}` : ''}`;
      L.push(`    ${v.name} = ${stripOuterParens(tlaExpr(v.init, ctx))};  \\* ${note}`);
    }
    L.push('');
  }
  if (inDefine.length) {
    L.push('  define {', ...inDefine.map((l) => (l ? `    ${l}` : '')), '  }', '');
  }
  for (const k of PCAL_MACROS) {
    if (e.macros.has(k)) L.push(...MACRO_TEXT[k].map((l) => `  ${l}`), '');
  }
  L.push(...body);
  L.push('} *)');
  L.push(BEGIN_TRANSLATION, END_TRANSLATION, '');
  if (after.length) {
    L.push('\\* These read process-local variables, which the translation declares after the define block:');
    L.push('\\* they follow the translation.', '');
    L.push(...after, '');
  }
  L.push('='.repeat(60), '');
  return L.join('\n');
}

// ---------------------------------------------------------------- checks and source mapping

/**
 * What PlusCal cannot express that the TLA+ emitter can, reported at the spec line before running
 * the translator: a label whose name the translation would rename or reuse (pcal.trans renames a
 * label that collides with a variable or process name, which changes the pc values; a label named
 * like a module-level definition makes SANY fail), and locals of another process read in a step.
 */
export function checkPluscalModel(model: Model): { message: string; at: SourcePos }[] {
  const issues: { message: string; at: SourcePos }[] = [];
  const at = (key: string): SourcePos => model.sources[key] ?? { file: model.file, line: 1 };
  const taken = new Map<string, string>();
  const take = (n: string, what: string) => { if (!taken.has(n)) taken.set(n, what); };
  for (const c of model.constants) take(c.name, 'a constant');
  for (const b of model.blockSets) take(b.name, 'a block set');
  for (const pt of model.procTypes) take(idsName(pt.name), `the set of ${pt.name} ids`);
  for (const v of model.vars) take(v.name, `a ${v.role} variable`);
  for (const pt of model.procTypes) {
    take(pt.name, 'a process type');
    for (const l of pt.locals) take(l.name, `a local of ${pt.name}`);
  }
  for (const i of model.invariants) take(i.name, 'an invariant');
  for (const p of model.properties) take(p.name, 'a property');
  for (const c of model.configs) if (c.constraint) take(configConstraintName(c), 'a configuration constraint');
  for (const n of ['NULL', 'BUSY', 'ListFrom', 'ListNodes', 'EndsWithin', 'ListAcyclic']) take(n, 'a definition of the generated module');
  for (const n of PCAL_MACROS) take(n, 'a PlusCal macro of the generated module');
  for (const n of TRANSLATION_NAMES) take(n, 'a name PlusCal reserves or its translation defines');
  const labelOwner = new Map<string, string>();
  for (const pt of model.procTypes) {
    for (const l of pt.labels) {
      if (l.terminal) continue;
      const clash = taken.get(l.name) ?? (labelOwner.has(l.name) && labelOwner.get(l.name) !== pt.name ? `a label of ${labelOwner.get(l.name)}` : undefined);
      if (clash) {
        issues.push({
          message: `label ${l.name} of ${pt.name} has the name of ${clash}: in PlusCal a label becomes an action and a pc value of that name, so pcal.trans would rename it (changing the pc values) or SANY would reject the module; rename the label`,
          at: at(sourceKey.label(pt.name, l.name)),
        });
      }
      labelOwner.set(l.name, pt.name);
    }
    for (const t of pt.transitions) {
      const exprs = [t.guard, ...t.params.map((p) => p.over), ...t.effects.flatMap((a) => [a.value, ...(a.target.index ? [a.target.index] : [])])];
      const other = exprs.some((x) => someExpr(x, (y) => y.op === 'local' && y.proc !== undefined));
      if (other) {
        issues.push({
          message: `transition ${pt.name}.${t.name} reads a local of another process: PlusCal process-local variables are private to their process`,
          at: at(sourceKey.transition(pt.name, t.name)),
        });
      }
    }
  }
  return issues;
}

export interface PcalSource {
  /** The PlusCal label the line belongs to, if it is inside a process. */
  label?: string;
  /** The process type of that label. */
  process?: string;
  /** The transition (either branch) the line belongs to, if any. */
  transition?: string;
  /** The spec position named by the nearest `\* <file>:<line>` comment at or above the line. */
  spec?: SourcePos;
}

const POS = String.raw`([\w./-]+\.(?:[cm]?[tj]s)):(\d+)`;
const POS_COMMENT = new RegExp(String.raw`\\\* (?:\w+\s+)?${POS}`);
const LABEL_LINE = /^\s*(\w+):\s*\\\*/;
const TRANSITION_COMMENT = new RegExp(String.raw`^\s*(?:either\s*\{\s*|\}\s*or\s*\{\s*)?\\\* (\w+)\s+${POS}`);
const PROCESS_LINE = /^\s*(?:fair\+?\s+)?process\s*\(\s*(\w+)\s*\\in/;
const ALGORITHM_LINE = /^\(\* --(?:fair )?algorithm\b/;

/**
 * Maps a line of a generated PlusCal module (1-based; a line of the algorithm, which pcal.trans
 * reports errors against) back to its label, branch and spec line, using the comments the emitter
 * writes beside every label and branch.
 */
export function pcalSourceAt(text: string, line: number): PcalSource {
  const lines = text.split('\n');
  const out: PcalSource = {};
  for (let i = Math.min(line, lines.length) - 1; i >= 0; i--) {
    const l = lines[i];
    const proc = PROCESS_LINE.exec(l);
    if (proc) {
      if (out.label) out.process = proc[1];
      if (!out.spec) {
        const m = POS_COMMENT.exec(lines[i - 1] ?? '');
        if (m) out.spec = { file: m[1], line: Number(m[2]) };
      }
      break;
    }
    if (ALGORITHM_LINE.test(l)) break;
    if (!out.spec) {
      const m = POS_COMMENT.exec(l);
      if (m) out.spec = { file: m[1], line: Number(m[2]) };
    }
    if (!out.label) {
      const lab = LABEL_LINE.exec(l);
      if (lab) {
        out.label = lab[1];
        continue;
      }
      const t = out.transition ? null : TRANSITION_COMMENT.exec(l);
      if (t) out.transition = t[1];
    }
  }
  if (!out.label) delete out.transition;
  return out;
}
