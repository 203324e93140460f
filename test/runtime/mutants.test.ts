/**
 * The runtime mutants of `npm run mutants` (bench/mutants): every patch applies to the runtime modules
 * `npm run gen` writes today and the result parses (a change of the emitter that breaks a patch shows
 * up here, not as a silent survivor), a patch that does not apply names the mutant and what is
 * missing, the POOLSPEC_RUNTIME_FILE hook runs a mutated module in place of the emitted one, and a
 * recorded real-thread run of a mutant is rejected by trace validation while the unmutated run passes.
 */
import { readFileSync } from 'node:fs';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ts } from 'ts-morph';
import { afterAll, describe, expect, it } from 'vitest';
import { MUTANTS } from '../../bench/mutants/catalog.ts';
import { applyMutant, functionText } from '../../bench/mutants/patch.ts';
import { loadCompiled, RUNTIME_FILE_ENV } from '../../src/runtime/compiled/module.ts';
import { accept } from '../../src/conformance/accept.ts';
import { runScheduled } from '../../src/runtime/scheduler.ts';
import { stress } from '../../src/runtime/stress.ts';
import { readTrace } from '../../src/conformance/validate/trace-read.ts';
import { validate } from '../../src/conformance/validate/validate.ts';
import { spec } from '../helpers.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');
const generated = (name: string) => readFileSync(path.join(ROOT, 'generated/runtime', `${name}.ts`), 'utf8');
const tmp = mkdtempSync(path.join(os.tmpdir(), 'poolspec-mutants-test-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('runtime mutants: the patch set', () => {
  it('has at least 15 mutants over several specs, with distinct names', () => {
    expect(MUTANTS.length).toBeGreaterThanOrEqual(15);
    expect(new Set(MUTANTS.map((m) => m.id)).size).toBe(MUTANTS.length);
    expect(new Set(MUTANTS.map((m) => m.spec)).size).toBeGreaterThanOrEqual(4);
  });

  it('applies to the current generated runtime; each patch changes it and the result parses', () => {
    for (const m of MUTANTS) {
      const before = generated(m.spec);
      const a = applyMutant(before, m);
      if (!a.ok) throw new Error(a.error);
      expect(a.text).not.toBe(before);
      for (let i = 0; i < m.patches.length; i += 1) {
        const fewer = applyMutant(before, { ...m, patches: m.patches.filter((_, j) => j !== i) });
        expect(fewer.ok && fewer.text !== a.text, `${m.id} patch ${i + 1} changes nothing`).toBe(true);
      }
      const sf = ts.createSourceFile(`${m.id}.ts`, a.text, ts.ScriptTarget.ES2022, false, ts.ScriptKind.TS);
      const syntax = (sf as unknown as { parseDiagnostics: ts.Diagnostic[] }).parseDiagnostics;
      expect(syntax.map((d) => ts.flattenDiagnosticMessageText(d.messageText, ' ')), m.id).toEqual([]);
    }
  });

  // Transpiling or type-checking 20-odd modules takes 10-15 s here: `npm run mutants` type-checks the
  // mutated functions first (bench/mutants/typecheck.ts); one mutated module is loaded below.

  it('a patch whose anchor is gone fails with the mutant, the patch and the region', () => {
    const m = MUTANTS.find((x) => x.id === 'busy-release-wrong-value')!;
    const d7 = functionText(generated('BusyPool'), 'Thread_D7')!;
    const text = generated('BusyPool').replace(d7, d7.replace('Atomics.store(i32, W_head, s0);', 'Atomics.store(i32, W_head, s0 );'));
    expect(applyMutant(text, m)).toEqual({
      ok: false, error: 'mutant busy-release-wrong-value: patch 1 of 1: "Atomics.store(i32, W_head, s0);" not found in Thread_D7 case D7',
    });
    expect(applyMutant(generated('LockedPool'), m)).toMatchObject({ ok: false, error: 'mutant busy-release-wrong-value: patch 1 of 1: function Thread_D7: not found' });
    const twice = { ...m, patches: [{ fn: 'Thread_D7', find: 'L.nx' , replace: 'L.r' }] };
    expect(applyMutant(generated('BusyPool'), twice)).toMatchObject({ ok: false, error: expect.stringContaining('found more than once in Thread_D7') });
  });
});

describe('runtime mutants: POOLSPEC_RUNTIME_FILE', () => {
  const saved = process.env[RUNTIME_FILE_ENV];
  afterAll(() => { if (saved === undefined) delete process.env[RUNTIME_FILE_ENV]; else process.env[RUNTIME_FILE_ENV] = saved; });

  it('runs the mutated module for its spec only; the scheduler sees the divergence', async () => {
    const m = MUTANTS.find((x) => x.id === 'busy-release-wrong-value')!;
    const a = applyMutant(generated('BusyPool'), m);
    if (!a.ok) throw new Error(a.error);
    const file = path.join(tmp, 'BusyPool.ts');
    writeFileSync(file, a.text);
    const busy = await spec('BusyPool');
    const locked = await spec('LockedPool');
    const opts = { schedule: { kind: 'random' } as const, seed: 1, steps: 300, impl: 'compiled' as const };
    delete process.env[RUNTIME_FILE_ENV];
    const clean = runScheduled(busy, 'small', opts);
    expect(clean.faults).toEqual([]);
    process.env[RUNTIME_FILE_ENV] = file;
    expect(loadCompiled(locked)).toMatchObject({ ok: true });
    expect((loadCompiled(locked) as { module: { js: string } }).module.js).not.toContain('mutWindow');
    const loaded = loadCompiled(busy);
    expect(loaded.ok && loaded.module.js).toContain('mutWindow');
    // D7 stores the block it took back into the head: the engine refuses that step (head := nx in the spec).
    const bad = runScheduled(busy, 'small', opts);
    expect(bad.instance.impl).toBe('compiled');
    const v = accept(busy, 'small', bad.trace);
    expect(v.ok).toBe(false);
    if (v.ok) return;
    expect(v.rejection.reason).toMatch(/^thread\d's D7 leads the model to a different state$/);
    expect(v.rejection.differences.map((d) => d.name)).toContain('head');
    expect(accept(busy, 'small', clean.trace)).toEqual({ ok: true, steps: clean.trace.length - 1 });
  });

  it('an unreadable file is a one-line error naming the variable', async () => {
    process.env[RUNTIME_FILE_ENV] = path.join(tmp, 'missing.ts');
    expect(() => loadCompiled({ name: 'BusyPool' } as never)).toThrow(`${RUNTIME_FILE_ENV}=${path.join(tmp, 'missing.ts')}: cannot read it (ENOENT)`);
  });
});

describe('runtime mutants: trace validation kills what stress cannot see', () => {
  const saved = process.env[RUNTIME_FILE_ENV];
  afterAll(() => { if (saved === undefined) delete process.env[RUNTIME_FILE_ENV]; else process.env[RUNTIME_FILE_ENV] = saved; });

  it('dwcas-push-seq-bump: stress sees nothing, validate rejects the first read of the bumped seq; the unmutated run is accepted', async () => {
    const m = MUTANTS.find((x) => x.id === 'dwcas-push-seq-bump')!;
    const a = applyMutant(generated('DwcasPool'), m);
    if (!a.ok) throw new Error(a.error);
    const file = path.join(tmp, 'DwcasPool.ts');
    writeFileSync(file, a.text);
    const model = await spec('DwcasPool');
    const opts = { threads: 1, seconds: 0.3, blocks: 4, blockSize: 64, chaos: 0, config: 'noOsFree', seed: 7, weights: { crowded: 0.5, notCrowded: 0.5 } };
    // stress() loads the runtime module before its first await: the variable is read for the first run only.
    process.env[RUNTIME_FILE_ENV] = file;
    const mutated = stress(model, { ...opts, record: { file: path.join(tmp, 'mutant.ndjson') } });
    delete process.env[RUNTIME_FILE_ENV];
    const clean = stress(model, { ...opts, record: { file: path.join(tmp, 'clean.ndjson') } });
    const runs = await Promise.all([mutated, clean]);
    for (const r of runs) {
      expect(r.errors).toEqual([]);
      expect(r.impl).toBe('compiled');
      expect(r.ops).toBeGreaterThan(100);
      expect([r.faultCount, r.stalled, r.accounting?.lost, r.accounting?.duplicated]).toEqual([0, null, 0, 0]);
    }
    const judge = async (f: string) => {
      const t = readTrace(f, model);
      if (!t.ok) throw new Error(t.errors[0].message);
      const v = await validate(t.value, { backend: 'engine' });
      if (!v.ok) throw new Error(v.errors[0].message);
      return v.value;
    };
    const good = await judge(path.join(tmp, 'clean.ndjson'));
    expect(good).toMatchObject({ accepted: true, complete: true, events: runs[1].record!.events });
    const bad = await judge(path.join(tmp, 'mutant.ndjson'));
    expect(bad.accepted).toBe(false);
    // The first pair read after the first push: a push's B1 or a pop's A1/A2, reading seq 1 where the spec has 0.
    expect(bad.rejection).toMatchObject({ thread: 1, transition: expect.stringMatching(/^(A1|A2|B1|B7_fail|A5_fail)$/) });
    expect(bad.rejection!.reasons[0]).toMatch(/^it read <head, seq> = -?\d+, 1, the spec has -?\d+, 0 there$/);
  });
});
