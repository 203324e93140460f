/**
 * The PlusCal emitter on small protocols (and on the pool specs' text), the source map from a
 * generated line back to the label and spec line, and translation errors from the real pcal.trans
 * mapped back to the spec.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  BUSY, NULL, arrayOf, forall, holds, int, mapOver, protocol, ptr, self, violates, type LocalRef, type Protocol,
} from '../../src/dsl/index.ts';
import { sourceKey, type Model } from '../../src/dsl/ir.ts';
import { validate } from '../../src/dsl/validate.ts';
import {
  checkPluscalModel, emitPluscal, pcalSourceAt, pluscalFileName, pluscalModuleName, stripOuterParens,
} from '../../src/codegen/pluscal.ts';
import {
  generatePluscal, mapPcalError, translatePluscal, translatePluscalText, translatedVariables,
} from '../../src/codegen/pluscal-translate.ts';
import { cfgFileName, emitCfg, emitTla, stateVarNames, tlaFileName } from '../../src/codegen/tla.ts';
import { runTlc } from '../../src/tlc/index.ts';
import { jar, spec } from '../helpers.ts';

const T = 60_000;

function model(p: Protocol): Model {
  expect(p.buildErrors).toEqual([]);
  expect(validate(p.model)).toEqual([]);
  return p.model;
}

/** Renames a label in a built model, bypassing the DSL's checks (to reach pcal.trans's own errors). */
function renameLabel(m: Model, proc: string, from: string, to: string): Model {
  const pt = m.procTypes.find((p) => p.name === proc)!;
  for (const l of pt.labels) if (l.name === from) l.name = to;
  if (pt.initial === from) pt.initial = to;
  for (const t of pt.transitions) {
    const key = sourceKey.transition(proc, t.name);
    if (t.from === from) {
      const name = t.name.replace(new RegExp(`^${from}`), to);
      m.sources[sourceKey.transition(proc, name)] = m.sources[key];
      t.name = name;
      t.from = to;
    }
    if (t.to === from) t.to = to;
  }
  m.sources[sourceKey.label(proc, to)] = m.sources[sourceKey.label(proc, from)];
  return m;
}

/** For protocols the validator rejects on purpose: the PlusCal layer must still report them itself. */
function rejected(p: Protocol, message: string): Model {
  expect(p.buildErrors.map((e) => e.message).concat(validate(p.model).map((e) => e.message)).join('\n')).toContain(message);
  return p.model;
}

/**
 * A tiny protocol with every shape the emitter handles: a `with` choice, an `either` with a
 * self-loop, an XCHG, a CAS with its failing branch, effects listed in an order PlusCal would get
 * wrong, a read/write cycle (a multiple assignment), and properties with and without locals.
 */
function tiny(labelName = 'Swap', branches = false): Protocol {
  let mineRef!: LocalRef;
  return protocol('Tiny', (p) => {
    const K = p.constant('K');
    const Cells = p.blocks('Cells', K);
    const top = p.shared('top', ptr(Cells), NULL, { doc: 'the shared word' });
    const link = p.shared('link', arrayOf(Cells, ptr(Cells)), mapOver(Cells, () => NULL), { inBlock: true });
    const count = p.ghost('count', int(0, 3), 0);
    const workers = p.process('Worker', 2, { fairness: 'weak' }, (t) => {
      const mine = t.local('mine', ptr(Cells), NULL, 'the cell picked');
      mineRef = mine;
      const old = t.local('old', ptr(Cells), NULL);
      const a = t.local('a', int(0, 1), 0);
      const b = t.local('b', int(0, 1), 1);
      t.label('Take', 'pick a cell');
      t.label(labelName, 'XCHG');
      t.label('Put', 'CAS');
      t.label('Walk');
      t.choose('Take', Cells, (c) => ({ branch: 'pick', to: labelName, do: [mine.set(c)] }), 'c');
      t.step('Take', { branch: 'again', to: 'Take', when: count.lt(3), do: [count.set(count.add(1)), a.set(b), b.set(a)], doc: 'swap a and b' });
      if (branches) {
        t.step(labelName, { branch: 'x', to: 'Put', when: mine.ne(NULL), do: [old.set(top), top.set(BUSY)] });
        t.step(labelName, { branch: 'y', to: 'Take', when: mine.eq(NULL) });
      } else {
        t.step(labelName, { to: 'Put', do: [old.set(top), top.set(BUSY)] });
      }
      t.step('Put', { branch: 'ok', to: 'Walk', when: top.eq(old), do: [top.set(mine), old.set(NULL)] });
      t.step('Put', { branch: 'fail', to: 'Put', when: top.ne(old), do: [old.set(top)], doc: 'CAS failed: old := top' });
      // Listed in the "wrong" order for sequential PlusCal: mine is cleared before it is read.
      t.step('Walk', { branch: 'free', to: 'Walk', when: mine.ne(NULL), do: [mine.set(link.at(mine)), link.at(mine).set(NULL)] });
      t.step('Walk', { branch: 'done', to: 'Take', when: mine.eq(NULL), do: [old.set(NULL), top.set(old)] });
    });
    p.invariant('TopOk', top.ne(0).or(top.eq(0)), 'a global-only property');
    p.invariant('MineOk', forall(workers.ids, (w) => mineRef.of(w).ne(BUSY), 'w'), 'reads a local');
    p.config('small', { constants: { K: 2 }, checkDeadlock: false, expect: holds() });
  });
}

describe('emitPluscal on a tiny protocol', () => {
  const m = model(tiny());
  const text = emitPluscal(m);

  it('is a module named <Name>_pcal with an algorithm, empty translation markers and no ProcSet', () => {
    expect(pluscalModuleName(m)).toBe('Tiny_pcal');
    expect(pluscalFileName(m)).toBe('Tiny_pcal.tla');
    expect(text).toMatch(/^-+ MODULE Tiny_pcal -+$/m);
    expect(text).toContain('(* --algorithm Tiny {');
    expect(text).toContain('\\* BEGIN TRANSLATION\n\\* END TRANSLATION\n');
    expect(text).not.toMatch(/^ProcSet ==/m);
    expect(text).toContain('Workers == 1..2');
    expect(text.match(/--algorithm/g)).toHaveLength(1); // pcal.trans looks for the first one
  });

  it('declares one fair process per process type, with its locals as process variables', () => {
    expect(text).toContain('  fair process (Worker \\in Workers)\n    variables\n      mine = NULL;  \\* the cell picked\n');
    expect(text).toMatch(/^ {4}variables\n(?: {6}\w+ = .*\n){4} {2}\{$/m);
  });

  it('has one label per control state, starting with the initial one, each with its spec line', () => {
    const labels = [...text.matchAll(/^ {2}(\w+):  \\\* (\S+):(\d+)/gm)].map((x) => [x[1], `${x[2]}:${x[3]}`]);
    expect(labels.map((l) => l[0])).toEqual(['Take', 'Swap', 'Put', 'Walk']);
    for (const [l, where] of labels) {
      const s = m.sources[sourceKey.label('Worker', l)];
      expect(where).toBe(`${s.file}:${s.line}`);
      expect(s.file).toBe('test/codegen/pluscal.test.ts');
    }
  });

  it('turns choices into with, branches into either/await, and self-loops into goto the same label', () => {
    expect(text).toContain([
      '    either { \\* Take_pick  test/codegen/pluscal.test.ts:',
    ].join('\n'));
    expect(text).toMatch(/ {6}with \(c \\in Cells\) \{\n {8}mine := c;\n {8}goto Swap;\n {6}\}\n {4}\} or \{ \\\* Take_again /);
    expect(text).toMatch(/await count < 3;\n\s+count := count \+ 1;\n\s+a := b \|\| b := a;\n\s+goto Take;/);
  });

  it('recognises XCHG and CAS and emits only the macros it uses', () => {
    expect(text).toContain('macro xchg(ref, ret, val) { ret := ref; ref := val }');
    expect(text).toContain('macro cas(ref, old, new) { await ref = old; ref := new }');
    expect(text).not.toContain('macro dwcas');
    expect(text).toMatch(/\\\* Swap {2}\S+ *\n {4}xchg\(top, old, BUSY\);\n {4}goto Put;/);
    expect(text).toMatch(/cas\(top, old, mine\);\n {6}old := NULL;\n {6}goto Walk;/);
    expect(text).toMatch(/await top # old; {2}\\\* CAS failed\n {6}old := top;\n {6}goto Put;/);
  });

  it('orders effects so every right-hand side reads the pre-state, or uses a multiple assignment', () => {
    // Walk_done lists old := NULL before top := old: the read must come first.
    expect(text).toMatch(/await mine = NULL;\n {6}top := old;\n {6}old := NULL;/);
    // Walk_free is a cycle (mine is read by link[mine] := NULL, link by mine := link[mine]).
    expect(text).toContain('mine := link[mine] || link[mine] := NULL;');
  });

  it('puts global-only properties in define and the ones reading locals after the translation', () => {
    const define = text.slice(text.indexOf('define {'), text.indexOf('}', text.indexOf('define {')));
    expect(define).toContain('TopOk ==');
    expect(define).not.toContain('MineOk');
    expect(text.indexOf('MineOk ==')).toBeGreaterThan(text.indexOf('\\* END TRANSLATION'));
  });

  it('keeps stray comment delimiters of docs out of the algorithm comment', () => {
    const p = protocol('Docs', (q) => {
      const x = q.shared('x', int(0, 1), 0, { doc: 'a (* nested *) comment --algorithm' });
      q.process('P', 1, {}, (t) => {
        t.label('A', 'ends with *)');
        t.step('A', { to: 'A', do: [x.set(1)] });
      });
      q.config('c', { constants: {}, expect: holds() });
    });
    const s = emitPluscal(model(p));
    const algo = s.slice(s.indexOf('(* --algorithm') + 2, s.indexOf('} *)'));
    expect(algo).not.toMatch(/\(\*|\*\)/);
    expect(s.match(/--algorithm/g)).toHaveLength(1);
  });

  it('strips only matching outer parentheses', () => {
    expect(stripOuterParens('(a = b)')).toBe('a = b');
    expect(stripOuterParens('(a) \\/ (b)')).toBe('(a) \\/ (b)');
    expect(stripOuterParens('x')).toBe('x');
  });
});

describe('the pool specs in PlusCal', () => {
  it("shows HAProxy's pop and push: XCHG in BusyPool, CAS in its push, DWCAS in DwcasPool", async () => {
    const busy = emitPluscal(await spec('BusyPool'));
    expect(busy).toMatch(/D2_xchg .*\n {6}await r # NULL \/\\ r # BUSY;\n {6}xchg\(head, r, BUSY\);\n {6}goto D5;/);
    expect(busy).toContain('cas(head, fl, blk);');
    const dwcas = emitPluscal(await spec('DwcasPool'));
    expect(dwcas).toContain('dwcas(head, seq, ch, cs, nh, cs + 1);');
    expect(dwcas).toMatch(/await \(head # ch\) \\\/ \(seq # cs\); {2}\\\* DWCAS failed/);
  });

  it('maps a generated line back to its label, branch and spec line', async () => {
    const m = await spec('BusyPool');
    const text = emitPluscal(m);
    const lines = text.split('\n');
    const lineOf = (s: string) => lines.findIndex((l) => l.includes(s)) + 1;
    const t = m.sources[sourceKey.transition('Thread', 'D2_xchg')];
    expect(pcalSourceAt(text, lineOf('xchg(head, r, BUSY);'))).toEqual({
      label: 'D2', process: 'Thread', transition: 'D2_xchg', spec: { file: t.file, line: t.line },
    });
    const l = m.sources[sourceKey.label('Thread', 'D1')];
    expect(pcalSourceAt(text, lineOf('  D1:  '))).toEqual({ label: 'D1', process: 'Thread', spec: { file: l.file, line: l.line } });
    const d1 = m.sources[sourceKey.transition('Thread', 'D1')];
    expect(pcalSourceAt(text, lineOf('  D1:  ') + 2)).toMatchObject({ label: 'D1', transition: 'D1', spec: { line: d1.line } });
    const inv = m.sources[sourceKey.invariant('NoUseAfterFree')];
    expect(pcalSourceAt(text, lineOf('NoUseAfterFree =='))).toEqual({ spec: { file: inv.file, line: inv.line } });
  });
});

describe('translation with pcal.trans', () => {
  let j = '';
  beforeAll(async () => {
    j = await jar();
  });

  it('translates the tiny protocol, keeps the algorithm and declares the same variables as the TLA+ module', async () => {
    const m = model(tiny());
    const r = await translatePluscal(m, j);
    if (!r.ok) throw new Error(JSON.stringify(r.errors));
    const source = emitPluscal(m);
    const cut = source.indexOf('\\* BEGIN TRANSLATION');
    expect(r.value.slice(0, cut)).toBe(source.slice(0, cut));
    expect(translatedVariables(r.value).sort()).toEqual([...stateVarNames(m)].sort());
    expect(r.value).toContain('Spec == /\\ Init /\\ [][Next]_vars\n        /\\ \\A self \\in Workers : WF_vars(Worker(self))');
    // The multiple assignment reads the pre-state in its subscripts too.
    expect(r.value).toContain("/\\ link' = [link EXCEPT ![mine[self]] = NULL]");
  }, T);

  it('gives the same verdict and state counts as the TLA+ module under TLC', async () => {
    const m = model(tiny());
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'poolspec-pcal-tiny-'));
    try {
      const g = await generatePluscal(m, j);
      if (!g.ok) throw new Error(JSON.stringify(g.errors));
      for (const [n, c] of g.value) fs.writeFileSync(path.join(dir, n), c);
      fs.writeFileSync(path.join(dir, tlaFileName(m)), emitTla(m));
      const c = m.configs[0];
      fs.writeFileSync(path.join(dir, cfgFileName(m, c)), emitCfg(m, c));
      const run = async (module: string) => {
        const r = await runTlc({ jar: j, dir, module, cfg: cfgFileName(m, c), workers: 1 });
        if (!r.ok) throw new Error(JSON.stringify(r.errors));
        expect(r.value.errors).toEqual([]);
        return r.value;
      };
      const [a, b] = [await run(m.name), await run(pluscalModuleName(m))];
      expect(a.outcome).toBe('holds');
      expect([b.outcome, b.distinctStates, b.statesGenerated, b.depth]).toEqual([a.outcome, a.distinctStates, a.statesGenerated, a.depth]);
      expect(a.distinctStates).toBeGreaterThan(50);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, T);

  it('handles two process types, strong and no fairness and a liveness property like the TLA+ module', async () => {
    const m = model(protocol('Duo', (p) => {
      const lock = p.shared('lock', int(0, 4), 0);
      const n = p.shared('n', int(0, 3), 0);
      const w = p.process('Worker', 2, { fairness: 'strong' }, (t) => {
        const got = t.local('got', int(0, 4), 0);
        t.label('A');
        t.label('B');
        t.step('A', { to: 'B', when: lock.eq(0), do: [lock.set(self), got.set(self)] });
        t.step('B', { to: 'A', do: [lock.set(0), got.set(0)] });
      });
      p.process('Meddler', 1, {}, (t) => {
        const k = t.local('k', int(0, 3), 0);
        t.label('M');
        t.step('M', { branch: 'grab', to: 'M', when: lock.eq(0).and(n.lt(3)), do: [lock.set(self), n.set(n.add(1)), k.set(n)], atomic: true });
        t.step('M', { branch: 'drop', to: 'M', when: lock.eq(self), do: [lock.set(0)] });
      });
      p.leadsTo('Progress', w, (x) => w.pc(x).eq('B').not(), (x) => w.pc(x).eq('B'));
      p.config('small', { constants: {}, expect: violates('Progress') });
    }));
    const text = emitPluscal(m);
    expect(text).toContain('fair+ process (Worker \\in Workers)');
    expect(text).toMatch(/^ {2}process \(Meddler \\in Meddlers\)$/m);
    expect(text).toContain('Meddlers == 2 + 1..2 + 1');
    expect(text).toMatch(/k := n;\n {6}n := n \+ 1;/);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'poolspec-pcal-duo-'));
    try {
      const g = await generatePluscal(m, j);
      if (!g.ok) throw new Error(JSON.stringify(g.errors));
      const translated = g.value.get('Duo_pcal.tla')!;
      expect(translated).toContain('Spec == /\\ Init /\\ [][Next]_vars\n        /\\ \\A self \\in Workers : SF_vars(Worker(self))\n');
      fs.writeFileSync(path.join(dir, 'Duo_pcal.tla'), translated);
      fs.writeFileSync(path.join(dir, tlaFileName(m)), emitTla(m));
      fs.writeFileSync(path.join(dir, cfgFileName(m, m.configs[0])), emitCfg(m, m.configs[0]));
      const run = async (module: string) => {
        const r = await runTlc({ jar: j, dir, module, cfg: cfgFileName(m, m.configs[0]), workers: 1 });
        if (!r.ok) throw new Error(JSON.stringify(r.errors));
        expect(r.value.errors).toEqual([]);
        return [r.value.outcome, r.value.violated, r.value.distinctStates, r.value.statesGenerated];
      };
      const a = await run('Duo');
      expect(a.slice(0, 2)).toEqual(['property', 'Progress']);
      expect(await run('Duo_pcal')).toEqual(a);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, T);

  it('is byte-for-byte reproducible', async () => {
    const m = await spec('TreiberPool');
    const [a, b] = [await generatePluscal(m, j), await generatePluscal(m, j)];
    if (!a.ok || !b.ok) throw new Error('translation failed');
    expect([...a.value.keys()]).toEqual(['TreiberPool_pcal.tla']);
    expect(a.value.get('TreiberPool_pcal.tla')).toBe(b.value.get('TreiberPool_pcal.tla'));
    expect(a.value.get('TreiberPool_pcal.tla')).toMatch(/^\\\* BEGIN TRANSLATION$/m);
  }, T);

  it("reports pcal.trans's own error against the PlusCal label and the spec line", async () => {
    // `Error` passes the DSL's validator but PlusCal reserves it; checkPluscalModel catches it, so
    // the translator is run on the emitted text directly to see the real pcal.trans error mapped.
    // The DSL refuses the name `Error` (reserved), so the label is renamed in the IR directly.
    rejected(tiny('Error'), 'reserved word');
    const m = renameLabel(model(tiny('Swap')), 'Worker', 'Swap', 'Error');
    const at = m.sources[sourceKey.label('Worker', 'Error')];
    expect(checkPluscalModel(m)).toEqual([expect.objectContaining({ at })]);
    const pre = await translatePluscal(m, j);
    expect(pre).toMatchObject({ ok: false, errors: [{ code: 'PCAL_ERROR', at }] });

    const text = emitPluscal(m);
    const r = await translatePluscalText(j, pluscalFileName(m), text);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors).toHaveLength(1);
    const e = r.errors[0];
    const genLine = text.split('\n').findIndex((l) => l.startsWith('  Error:')) + 1;
    expect(e).toMatchObject({ code: 'PCAL_ERROR', at: { file: 'test/codegen/pluscal.test.ts', line: at.line } });
    expect(e.message).toContain("Cannot use `Error' as a label");
    expect(e.message).toContain(`PlusCal label Error of Worker, generated/Tiny_pcal.tla:${genLine}:`);
    expect(e.detail).toContain('Error:');
  }, T);

  it('reports a syntax error pcal.trans finds inside a branch against that branch and its spec line', async () => {
    const m = model(tiny());
    // A broken copy: the CAS macro call loses its parenthesis.
    const text = emitPluscal(m).replace('cas(top, old, mine);', 'cas(top, old, mine;');
    const r = await translatePluscalText(j, pluscalFileName(m), text);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    const t = m.sources[sourceKey.transition('Worker', 'Put_ok')];
    expect(r.errors[0]).toMatchObject({ code: 'PCAL_ERROR', at: { file: t.file, line: t.line } });
    expect(r.errors[0].message).toMatch(/PlusCal label Put of Worker, branch Put_ok, generated\/Tiny_pcal\.tla:\d+/);
  }, T);

  it("reports pcal.trans's silent renaming of a label that collides with a variable", async () => {
    // A label named like the shared variable `count`, with two branches so the validator (which
    // claims transition names) lets it through: pcal.trans renames it count_ (pc values change).
    const m = rejected(tiny('count', true), 'label count of Worker has the name of a ghost variable');
    const at = m.sources[sourceKey.label('Worker', 'count')];
    const r = await translatePluscalText(j, pluscalFileName(m), emitPluscal(m));
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors[0]).toMatchObject({ code: 'PCAL_ERROR', at: { file: at.file, line: at.line } });
    expect(r.errors[0].message).toContain('renamed label count of Worker to count_');
  }, T);

  it('maps an error without a spec comment to the generated line', () => {
    const e = mapPcalError({ code: 'PCAL_ERROR', message: 'boom', at: { file: '/tmp/x/X_pcal.tla', line: 1, col: 2 } }, '---- MODULE X_pcal ----\n', 'generated/X_pcal.tla');
    expect(e).toMatchObject({ at: { file: 'generated/X_pcal.tla', line: 1, col: 2 }, message: 'boom (generated/X_pcal.tla:1:2)' });
  });
});
