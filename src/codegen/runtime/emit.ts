/**
 * The compiled runtime: a Model emitted as one TypeScript module (built with ts-morph), with the
 * layout as constants and, for every label, a function that executes one step of a process the way
 * the interpreter (src/runtime/process.ts) does, with the same atomic operation at the same word:
 * guards and effects as straight-line code, the choice among enabled transitions left to a policy
 * callback, the mapped check before every in-block access, and the spec line of every transition as
 * a comment. What the compiler does not know it refuses (a one-line reason); the runtime then falls
 * back to the interpreter.
 */
import { Project, StructureKind, VariableDeclarationKind, type StatementStructures } from 'ts-morph';
import type { Assign, Expr, Model, ProcType, Transition } from '../../dsl/ir.ts';
import { sourceKey } from '../../dsl/ir.ts';
import { readsOf } from '../../dsl/print.ts';
import {
  Refusal, boundId, constId, elemType, encodeJs, enumId, ident, js, kindOfType, lengthOf, pairOf, wordId, type Scope,
} from './expr.ts';
import { MEMORY_HELPERS, MODULE_TYPES, VALUE_HELPERS } from './prelude.ts';
import { checkFlagId, provable, rangeFlags, resetNames, typeTest } from './typecheck.ts';
import { showType } from '../../dsl/print.ts';

export type CompileResult = { ok: true; text: string } | { ok: false; reason: string };

export const runtimeFileName = (m: Model) => `runtime/${m.name}.ts`;

/** Sum of terms: a literal plus multiples of constants, printed as `2 + 2 * K_N`. */
class Offset {
  n = 0;
  terms = new Map<string, number>();
  add(len: string): void {
    if (/^\d+$/.test(len)) this.n += Number(len);
    else this.terms.set(len, (this.terms.get(len) ?? 0) + 1);
  }
  toString(): string {
    const parts = [...this.terms].map(([k, c]) => (c === 1 ? k : `${c} * ${k}`));
    if (this.n !== 0 || parts.length === 0) parts.unshift(String(this.n));
    return parts.join(' + ');
  }
}

function src(m: Model, key: string): string {
  const s = m.sources[key];
  return s ? `${s.file}:${s.line}` : '?';
}

const oneLine = (s: string | undefined) => (s ?? '').replace(/\s+/g, ' ').replace(/\*\//g, '* /').trim();

interface Ctx {
  m: Model;
  pt: ProcType;
  labelIx: Map<string, number>;
  /** Variables the block-mapping predicate reads. */
  mappingDeps: Set<string>;
  /** Constants whose state-constraint flag a range check uses (bound with the module). */
  flags: Set<string>;
}

const isShared = (m: Model, name: string) => m.vars.find((v) => v.name === name)?.role === 'shared';
const varOf = (m: Model, name: string) => {
  const v = m.vars.find((x) => x.name === name);
  if (!v) throw new Refusal(`unknown variable ${name}`);
  return v;
};

/** The word a variable target writes: its JS address and kind. */
function targetWord(c: Ctx, a: Assign, idx: string | undefined): { kind: 'word' | 'block' | 'pair'; addr: string; name: string } {
  const v = varOf(c.m, a.target.name);
  const pair = pairOf(c.m, v.name);
  if (pair) return { kind: 'pair', addr: String(pair.slot), name: v.name };
  if (v.inBlock) {
    if (idx === undefined) throw new Refusal(`a whole-array write of the in-block variable ${v.name}`);
    return { kind: 'block', addr: idx, name: v.name };
  }
  if (v.type.kind === 'array') {
    if (idx === undefined) return { kind: 'word', addr: wordId(v.name), name: v.name };
    return { kind: 'word', addr: `ix(${wordId(v.name)}, ${idx}, ${lengthOf(v.type)})`, name: v.name };
  }
  return { kind: 'word', addr: wordId(v.name), name: v.name };
}

function commitCode(c: Ctx, t: Transition, tix: number, decided: Set<string>): string[] {
  const m = c.m;
  const out: string[] = [];
  const scope: Scope = { model: m, procType: c.pt.name, bound: new Map(), mode: 'cached', tx: 'tx' };
  for (const prm of t.params) scope.bound.set(prm.name, prm.elemType ? kindOfType(prm.elemType) : 'scalar');
  const E = (e: Expr) => js(e, scope);
  out.push(`const tx = ${tix};`);
  if (t.params.length === 1) out.push(`const ${boundId(t.params[0].name)} = p.ca[k];`);

  const varEffects = t.effects.filter((a) => a.target.kind === 'var');
  const sharedEffects = varEffects.filter((a) => isShared(m, a.target.name));
  const ghostEffects = varEffects.filter((a) => !isShared(m, a.target.name));
  const localEffects = t.effects.filter((a) => a.target.kind === 'local');

  // 1. The shared write's values (and indices), as the interpreter evaluates them first.
  const sw = sharedEffects.map((a, i) => {
    out.push(`const s${i} = ${E(a.value)};`);
    let idx: string | undefined;
    if (a.target.index) { out.push(`const si${i} = ${E(a.target.index)};`); idx = `si${i}`; }
    const v = varOf(m, a.target.name);
    if (v.type.kind === 'array' && !a.target.index) throw new Refusal(`a whole-array write of the shared variable ${v.name}`);
    return { a, v, w: targetWord(c, a, idx), val: `s${i}`, idx };
  });
  // 1b. Types are properties: every written value is tested before anything is written (the interpreter's typeFault).
  const names = new Set(sw.map((x) => x.v.name));
  const first = sw[0];
  const pair = first?.w.kind === 'pair' ? m.pairs[Number(first.w.addr)] : undefined;
  const wordDecided = pair ? pair.some((n) => decided.has(n)) : [...names].some((n) => decided.has(n));
  const valueReadsWord = [...readsOf(...sharedEffects.map((a) => a.value))].some((n) => names.has(n));
  const effectsReadWord = [...readsOf(...t.effects.flatMap((a) => [a.value, a.target.index]))].some((n) => names.has(n));
  // After an XCHG the step's later values read the word's old value, so those are evaluated again there.
  const xchgLater = sw.length > 0 && first.w.kind !== 'pair' && !wordDecided && !valueReadsWord && effectsReadWord;
  const early = new Map<Assign, { val: string; idx?: string }>();
  const choices = new Map(t.params.map((prm) => [prm.name, prm.over]));
  // A value tested early is used where it is written, and its reads report their faults now, unless an
  // XCHG changes what it reads, or another fault (an in-block shared write, another effect's in-block
  // read) could come first: then it is tested quietly and an in-block read is evaluated again where it
  // is written, so the faults keep the interpreter's order.
  const inBlockRead = (e: Expr | undefined) => !!e && [...readsOf(e)].some((n) => m.vars.find((v) => v.name === n)?.inBlock);
  const inBlockEffects = t.effects.filter((a) => inBlockRead(a.value) || inBlockRead(a.target.index)).length;
  const quiet: Scope = xchgLater || sw.some((x) => x.w.kind === 'block') || inBlockEffects > 1 ? { ...scope, tx: '-1' } : scope;
  t.effects.forEach((a, j) => {
    const decl = a.target.kind === 'var' ? varOf(m, a.target.name) : c.pt.locals.find((l) => l.name === a.target.name);
    if (!decl) return;
    let type = decl.type;
    if (a.target.index) {
      if (type.kind !== 'array') return;
      type = type.of;
    }
    const flags = a.target.index ? [] : rangeFlags(type);
    if (provable(m, c.pt.name, type, a.value, !a.target.index, choices)) return;
    let val: string;
    let idx: string | undefined;
    const s = sharedEffects.indexOf(a);
    if (s >= 0) {
      val = `s${s}`;
      idx = a.target.index ? `si${s}` : undefined;
    } else {
      if (a.target.index) { out.push(`const ci${j} = ${js(a.target.index, quiet)};`); idx = `ci${j}`; }
      out.push(`const c${j} = ${js(a.value, quiet)};`);
      val = `c${j}`;
      if (!xchgLater && (quiet === scope || (!inBlockRead(a.value) && !inBlockRead(a.target.index)))) early.set(a, { val, idx });
    }
    for (const f of flags) c.flags.add(f);
    const when = flags.map((f) => `${checkFlagId(f)} && `).join('');
    out.push(`if (${when}!(${typeTest(m, type, val, scope)})) return refuse(p, tx, ${JSON.stringify(a.target.name)}, ${idx ?? 'undefined'}, ${val}, ${JSON.stringify(showType(type))});`);
  });

  const sharedWordKinds = new Set(sw.map((x) => (x.w.kind === 'pair' ? `p${x.w.addr}` : x.w.kind === 'block' ? `b${x.w.name}:${x.w.addr}` : `w${x.w.addr}`)));
  if (sharedWordKinds.size > 1) throw new Refusal(`transition ${t.name} writes ${sharedWordKinds.size} shared words in one step`);

  // 2. The linearization point: the one shared word, with the interpreter's choice of operation.
  if (sw.length > 0) {
    for (const x of sw) {
      if (x.w.kind === 'block') out.push(`if (!mapped(p, ${x.idx})) rt.fault(p, tx, ${JSON.stringify(x.v.name)}, ${x.idx}, 'write');`);
    }
    const enc = (x: typeof first) => encodeJs(elemType(x.v.type), x.a.value, x.val, x.v.name);
    const off = (x: typeof first) => wordId(x.v.name);
    if (first.w.kind === 'pair') {
      const halves = (base: string) => sw.reduce((acc, x) => `${pairOf(m, x.v.name)!.half === 0 ? 'withLo' : 'withHi'}(${acc}, ${enc(x)})`, base);
      if (wordDecided || valueReadsWord) {
        out.push(`// linearization point: DWCAS on <${pair!.join(', ')}> against the pair this step read`);
        out.push(`const base = ldp(p, ${first.w.addr});`);
        out.push(`if (Atomics.compareExchange(i64, ${first.w.addr}, base, ${halves('base')}) !== base) return RETRY;`);
        out.push(`p.lw = -2 - ${first.w.addr}; p.lvp = ${halves('base')};`);
      } else {
        out.push(`// linearization point: a store into <${pair!.join(', ')}> (a CAS loop keeps the other half)`);
        if (sw.length === 2) out.push(`Atomics.store(i64, ${first.w.addr}, ${halves('0n')});`, `p.lw = -2 - ${first.w.addr}; p.lvp = ${halves('0n')};`);
        else out.push(`storeHalf(${first.w.addr}, ${pairOf(m, first.v.name)!.half}, ${enc(first)});`);
      }
    } else {
      const last = sw[sw.length - 1];
      // Recording: the word's read-cache slot and the value written (read by src/conformance/record).
      const slot = first.w.kind === 'block' ? `WORDS + (${first.w.addr} - 1) * BK + ${off(first)}` : first.w.addr;
      const recordWrite = `p.lw = ${slot}; p.lv = ${enc(last)};`;
      if (wordDecided || valueReadsWord) {
        out.push(`// linearization point: CAS on ${first.v.name} against the value this step read`);
        out.push(first.w.kind === 'block'
          ? `if (!casb(p, ${first.w.addr}, ${off(first)}, ${enc(last)})) return RETRY;`
          : `if (!casw(p, ${first.w.addr}, ${enc(last)})) return RETRY;`, recordWrite);
      } else if (effectsReadWord) {
        out.push(`// linearization point: XCHG on ${first.v.name}; the step reads the value it replaced`);
        out.push(first.w.kind === 'block' ? `xchgb(p, ${first.w.addr}, ${off(first)}, ${enc(last)});` : `xchg(p, ${first.w.addr}, ${enc(last)});`, recordWrite);
      } else {
        out.push(`// linearization point: a store to ${first.v.name}`);
        out.push(first.w.kind === 'block' ? `Atomics.store(arena, bix(${first.w.addr}, ${off(first)}), ${enc(last)});` : `Atomics.store(i32, ${first.w.addr}, ${enc(last)});`, recordWrite);
      }
    }
  }

  // 3. Ghost values and locals, from the step's reads (the pre-state, or the XCHG's old value).
  const gw = ghostEffects.map((a, i) => {
    const v = varOf(m, a.target.name);
    if (v.inBlock || pairOf(m, v.name)) throw new Refusal(`a ghost variable ${v.name} in a block or a pair`);
    const pre = early.get(a);
    out.push(`const g${i} = ${pre ? pre.val : E(a.value)};`);
    let idx: string | undefined;
    if (a.target.index) { out.push(`const gi${i} = ${pre?.idx ?? E(a.target.index)};`); idx = `gi${i}`; }
    const whole = v.type.kind === 'array' && !a.target.index;
    return { a, v, i, idx, whole };
  });
  const seen = new Set<string>();
  for (const g of gw) {
    if (seen.has(g.v.name)) throw new Refusal(`transition ${t.name} writes the ghost ${g.v.name} twice`);
    seen.add(g.v.name);
  }
  const lw = localEffects.map((a, i) => {
    if (a.target.index) throw new Refusal(`an indexed write of the local ${a.target.name}`);
    out.push(`const l${i} = ${early.get(a)?.val ?? E(a.value)};`);
    return { name: a.target.name, val: `l${i}` };
  });

  // 4. Ghost words: mapping before, the ghost linearization point (no shared write), the writes, the fills.
  const addr = (g: (typeof gw)[number]) => (g.idx ? `ix(${wordId(g.v.name)}, ${g.idx}, ${lengthOf(g.v.type)})` : wordId(g.v.name));
  const encG = (g: (typeof gw)[number], val: string, expr: Expr) => encodeJs(elemType(g.v.type), expr, val, g.v.name);
  const mappingWrites = gw.filter((g) => c.mappingDeps.has(g.v.name) && g.v.type.kind === 'array');
  for (const g of mappingWrites) {
    if (g.whole) throw new Refusal(`a whole-array write of the mapping ghost ${g.v.name}`);
    out.push(`const m${g.i} = mappedFresh(${g.idx});`);
  }
  const singles = gw.filter((g) => !g.whole);
  for (const g of singles) out.push(`const gw${g.i} = ${addr(g)};`);
  const linearCandidates = sw.length === 0 ? singles.filter((g) => decided.has(g.v.name)) : [];
  if (sw.length === 0 && gw.some((g) => g.whole && decided.has(g.v.name))) throw new Refusal(`a whole-array ghost write as the linearization point of ${t.name}`);
  if (linearCandidates.length > 0) {
    out.push('// linearization point: the first ghost word the guard read (taking a block from the OS), by CAS');
    out.push('let lin = -1;');
    linearCandidates.forEach((g, j) => {
      out.push(`${j ? 'else ' : ''}if (p.st[gw${g.i}] === p.g) { if (!gcas(p, gw${g.i}, ${encG(g, `g${g.i}`, g.a.value)})) return RETRY; lin = gw${g.i}; p.lw = lin; p.lv = ${encG(g, `g${g.i}`, g.a.value)}; }`);
    });
  }
  for (const g of gw) {
    if (g.whole) {
      const len = lengthOf(g.v.type);
      const el = encodeJs(elemType(g.v.type), { op: 'bound', name: '_' }, `g${g.i}[i - 1]`, g.v.name);
      out.push(`for (let i = 1; i <= ${len}; i += 1) gset(p, ${wordId(g.v.name)} + i - 1, ${el});`);
    } else {
      const w = `gset(p, gw${g.i}, ${encG(g, `g${g.i}`, g.a.value)});`;
      out.push(linearCandidates.includes(g) ? `if (lin !== gw${g.i}) ${w}` : w);
    }
  }
  for (const g of mappingWrites) {
    out.push(`{ const now = mappedFresh(${g.idx}); if (m${g.i} && !now) fill(${g.idx}, 0xde); else if (!m${g.i} && now) fill(${g.idx}, 0); }`);
  }

  // 5. Locals and the control state are the process's own.
  for (const l of lw) out.push(`L.${ident(l.name)} = ${l.val};`);
  out.push(`p.pc = ${c.labelIx.get(t.to)}; // ${t.to}`);
  if (t.to === c.pt.initial && (t.from !== t.to || t.op)) out.push('p.opCount += 1;');
  out.push('return tx;');
  return out;
}

function labelFunction(c: Ctx, label: string, doc: string | undefined): { name: string; body: string[]; docs: string } {
  const m = c.m;
  const ts = c.pt.transitions.map((t, i) => ({ t, i })).filter((x) => x.t.from === label);
  const body: string[] = ['const L = p.locals;', 'let n = 0;'];
  // Words the guard phase reads: a write to one of them must be a CAS (the step decided on its value).
  const decided = readsOf(...ts.flatMap(({ t }) => [t.guard, ...t.params.map((p) => p.over)]));
  if ([...decided].some((n) => m.vars.find((v) => v.name === n)?.inBlock)) for (const d of c.mappingDeps) decided.add(d);
  for (const { t, i } of ts) {
    if (t.params.length > 1) throw new Refusal(`transition ${t.name} has ${t.params.length} choices`);
    const scope: Scope = { model: m, procType: c.pt.name, bound: new Map(), mode: 'cached', tx: '-1' };
    body.push(`// ${t.name}  ${src(m, sourceKey.transition(c.pt.name, t.name))}${t.doc ? `  ${oneLine(t.doc)}` : ''}`);
    const push = `p.ct[n] = ${i}; p.ca[n] = ${t.params.length ? boundId(t.params[0].name) : '0'}; n += 1;`;
    if (t.params.length === 1) {
      const prm = t.params[0];
      const et = prm.elemType;
      if (et && !['ptr', 'int', 'proc'].includes(et.kind)) throw new Refusal(`transition ${t.name} chooses a ${et.kind}`);
      const over = js(prm.over, scope);
      scope.bound.set(prm.name, 'scalar');
      const g = js(t.guard, scope);
      body.push(`for (const ${boundId(prm.name)} of ${over}.set) ${g === 'true' ? '' : `if (${g}) `}{ ${push} }`);
    } else {
      const g = js(t.guard, scope);
      body.push(g === 'true' ? `{ ${push} }` : `if (${g}) { ${push} }`);
    }
  }
  body.push('if (n === 0) return BLOCKED;');
  body.push('const k = pol(p, n);');
  body.push('if (k < 0) return BLOCKED;');
  body.push('p.s = p.g + 1; // commit phase: reads from here on are not decisions');
  body.push('switch (p.ct[k]) {');
  for (const { t, i } of ts) {
    body.push(`  case ${i}: { // ${t.name} -> ${t.to}  ${src(m, sourceKey.transition(c.pt.name, t.name))}`);
    for (const line of commitCode(c, t, i, decided)) body.push(`    ${line}`);
    body.push('  }');
  }
  body.push('}');
  body.push('return BLOCKED;');
  return {
    name: `${ident(c.pt.name)}_${ident(label)}`,
    body,
    docs: `${label}: ${oneLine(doc)} (${src(m, sourceKey.label(c.pt.name, label))})`,
  };
}

function layoutLines(m: Model): { lines: string[]; words: string; pairs: number; blockVars: number; nb: string; check: string[] } {
  const lines: string[] = [];
  const check: string[] = [];
  const words = new Offset();
  let blockVars = 0;
  const blockSet = m.memory?.blocks ?? m.blockSets[0]?.name;
  const bs = m.blockSets.find((b) => b.name === blockSet);
  const nb = bs ? (/^\d+$/.test(bs.size) ? bs.size : constId(bs.size)) : '0';
  for (const v of m.vars) {
    elemType(v.type);
    const pair = pairOf(m, v.name);
    if (pair) {
      lines.push(`/** ${v.name}: half ${pair.half} (${pair.half === 0 ? 'low' : 'high'}) of the 64-bit pair ${pair.slot} (DWCAS) */`);
      lines.push(`const ${wordId(v.name)} = ${pair.slot};`);
      check.push(`${JSON.stringify(v.name)}: ['pair', ${wordId(v.name)}]`);
    } else if (v.inBlock) {
      lines.push(`/** ${v.name}[b]: word ${blockVars} of block b in the arena */`);
      lines.push(`const ${wordId(v.name)} = ${blockVars};`);
      check.push(`${JSON.stringify(v.name)}: ['block', ${wordId(v.name)}]`);
      blockVars += 1;
    } else {
      lines.push(`/** ${v.name}${v.type.kind === 'array' ? '[1..]' : ''}: ${v.role} 32-bit word${v.type.kind === 'array' ? 's' : ''} */`);
      lines.push(`const ${wordId(v.name)} = ${words};`);
      check.push(`${JSON.stringify(v.name)}: ['words', ${wordId(v.name)}]`);
      words.add(lengthOf(v.type));
    }
    const t = elemType(v.type);
    if (t.kind === 'enum') lines.push(`const ${enumId(v.name)} = ${JSON.stringify(t.values)} as const;`);
  }
  return { lines, words: String(words), pairs: m.pairs.length, blockVars, nb, check };
}

function emit(m: Model): string {
  if (m.procTypes.length === 0) throw new Refusal('no process types');
  const project = new Project({ useInMemoryFileSystem: true });
  const sf = project.createSourceFile(`${m.name}.ts`, '', { overwrite: true });
  const mappingDeps = m.memory ? readsOf(m.memory.mapped) : new Set<string>();
  const flags = new Set<string>();
  resetNames();
  const lay = layoutLines(m);

  const meta = {
    name: m.name,
    file: m.file,
    procTypes: m.procTypes.map((pt) => ({
      name: pt.name,
      initial: pt.labels.findIndex((l) => l.name === pt.initial),
      labels: pt.labels.map((l) => l.name),
      transitions: pt.transitions.map((t) => ({
        name: t.name, from: t.from, to: t.to, param: t.params[0]?.name ?? null, op: t.op ?? null,
        source: src(m, sourceKey.transition(pt.name, t.name)),
      })),
    })),
  };

  sf.addStatements([
    `/**\n * ${m.name}, compiled: one function per label runs one step of a process on shared memory with the\n * atomic operation the interpreter (src/runtime/process.ts) uses. Generated by poolspec from\n * ${m.file}; do not edit (npm run gen). Every transition cites its spec line.\n */`,
    MODULE_TYPES.trim(),
    VALUE_HELPERS.trim(),
  ]);
  sf.addVariableStatement({
    declarationKind: VariableDeclarationKind.Const,
    isExported: true,
    docs: ['Names, labels and transitions (in the order of the Model), with their spec lines.'],
    declarations: [{ name: 'META', initializer: `${JSON.stringify(meta, null, 2)} as const` }],
  });

  const statements: (string | StatementStructures)[] = [];
  statements.push('const { i32, i64, arena } = rt;');
  for (const k of m.constants) statements.push(`const ${constId(k.name)} = rt.consts[${JSON.stringify(k.name)}] as ${k.type.kind === 'bool' ? 'boolean' : 'number'};`);
  const flagsAt = statements.length;
  statements.push(...lay.lines);
  statements.push(`/** 32-bit shared and ghost words; in-block variables; blocks; 32-bit words per block. */`);
  statements.push(`const WORDS = ${lay.words};`, `const BK = ${lay.blockVars};`, `const NB = ${lay.nb};`, 'const BW = rt.blockSize >> 2;');
  statements.push(MEMORY_HELPERS.trim().split('\n').map((l) => l.replace(/^ {2}/, '')).join('\n'));

  // The mapping predicate, through the step's cache (the mapped check) and with fresh loads.
  const mem = m.memory;
  for (const mode of ['cached', 'fresh'] as const) {
    const scope: Scope = { model: m, procType: m.procTypes[0].name, bound: new Map(mem ? [[mem.v, 'scalar']] : []), mode, tx: '-1' };
    const body = mem ? js(mem.mapped, scope) : 'true';
    const v = mem ? boundId(mem.v) : '_b';
    statements.push(mode === 'cached'
      ? `/** The spec's blockMemory predicate, read through the step's cache (${mem ? src(m, sourceKey.model()) : 'no block memory: always mapped'}). */\nfunction mapped(p: Proc, ${v}: number): boolean {\n  return ${body};\n}`
      : `/** The same predicate with fresh loads (before and after a step changes the mapping). */\nfunction mappedFresh(${v}: number): boolean {\n  return ${body};\n}`);
  }

  const steps: string[] = [];
  for (const pt of m.procTypes) {
    if (pt.locals.some((l) => !/^[A-Za-z_$][A-Za-z0-9_$]*$/.test(l.name))) throw new Refusal('a local whose name is not a JavaScript identifier');
    const c: Ctx = { m, pt, labelIx: new Map(pt.labels.map((l, i) => [l.name, i])), mappingDeps, flags };
    for (const t of pt.transitions) {
      if (!c.labelIx.has(t.from) || !c.labelIx.has(t.to)) throw new Refusal(`transition ${t.name} names an unknown label`);
    }
    const fns: string[] = [];
    for (const l of pt.labels) {
      const f = labelFunction(c, l.name, l.doc);
      statements.push(`/** ${f.docs} */\nfunction ${f.name}(p: Proc, pol: Policy): number {\n${f.body.map((x) => `  ${x}`).join('\n')}\n}`);
      fns.push(f.name);
    }
    steps.push(`[${fns.join(', ')}]`);
  }
  if (flags.size > 0) {
    statements.splice(flagsAt, 0, '/** Whether a range bounded by the constant is enforced: not when the configuration\'s state constraint reads it (it bounds model checking only). */',
      ...[...flags].map((f) => `const ${checkFlagId(f)} = !rt.constraintConsts.includes(${JSON.stringify(f)});`));
  }
  statements.push(`return {\n  /** Step functions by process type, then label. */\n  steps: [${steps.join(', ')}] as Step[][],\n  words: WORDS, pairs: ${lay.pairs}, blockVars: BK, blocks: NB,\n  /** Where each variable lives, checked against the runtime's layout when bound. */\n  layout: { ${lay.check.join(', ')} } as Record<string, [string, number]>,\n  mapped: mappedFresh,\n};`);

  sf.addFunction({
    kind: StructureKind.Function,
    name: 'bind',
    isExported: true,
    docs: ['Binds the steps to one instance\'s shared memory and constants.'],
    parameters: [{ name: 'rt', type: 'Bind' }],
    statements,
  });
  return sf.getFullText();
}

/** The compiled runtime module of a model, or why the compiler refuses it. */
export function compileRuntime(m: Model): CompileResult {
  try {
    return { ok: true, text: emit(m) };
  } catch (err) {
    if (err instanceof Refusal) return { ok: false, reason: err.message };
    return { ok: false, reason: `internal: ${(err as Error).message}` };
  }
}
