/**
 * The runtime mutants of `npm run mutants` (bench/mutants): every patch applies to the runtime modules
 * `npm run gen` writes today and the result type-checks (a change of the emitter that breaks a patch
 * shows up here, not as a silent survivor), a patch that does not apply names the mutant and what is
 * missing, and the POOLSPEC_RUNTIME_FILE hook runs a mutated module in place of the emitted one.
 */
import { readFileSync } from 'node:fs';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ts } from 'ts-morph';
import { afterAll, describe, expect, it } from 'vitest';
import { MUTANTS } from '../../bench/mutants/catalog.ts';
import { applyMutant } from '../../bench/mutants/patch.ts';
import { loadCompiled, RUNTIME_FILE_ENV } from '../../src/runtime/compiled/module.ts';
import { accept } from '../../src/conformance/accept.ts';
import { runScheduled } from '../../src/runtime/scheduler.ts';
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
    const text = generated('BusyPool').replace('Atomics.store(i32, W_head, s0);\n          const g0 = L.nx;', 'Atomics.store(i32, W_head, s0 );\n          const g0 = L.nx;');
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
