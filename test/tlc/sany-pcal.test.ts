/** SANY and the PlusCal translator, run for real on copies of the fixtures. */
import { copyFile, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatError } from '../../src/errors.ts';
import { locateJar } from '../../src/tlc/jar.ts';
import { runPcalTrans } from '../../src/tlc/pcal.ts';
import { runTlc } from '../../src/tlc/run-tlc.ts';
import { runSany } from '../../src/tlc/sany.ts';

const fixtures = fileURLToPath(new URL('../fixtures/tla/', import.meta.url));
const T = 30_000;
let jar = '';
let scratch = '';

beforeAll(async () => {
  const r = await locateJar();
  if (!r.ok) throw new Error(r.errors.map(formatError).join('\n'));
  jar = r.value.path;
  scratch = await mkdtemp(join(tmpdir(), 'poolspec-pcal-test-'));
});
afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});

describe('runSany', () => {
  it('accepts a valid module', async () => {
    expect(await runSany(jar, join(fixtures, 'Counter.tla'))).toEqual({ ok: true, value: undefined });
  }, T);

  it('reports a parse error at file:line:col', async () => {
    const r = await runSany(jar, 'test/fixtures/tla/ParseErr.tla');
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.errors).toHaveLength(1);
      expect(r.errors[0]).toMatchObject({ code: 'SANY_ERROR', at: { file: 'test/fixtures/tla/ParseErr.tla', line: 7, col: 1 } });
    }
  }, T);

  it('reports semantic errors even though SANY exits 0', async () => {
    const r = await runSany(jar, join(fixtures, 'SemErr.tla'));
    expect(r).toEqual({
      ok: false,
      errors: [{ code: 'SANY_ERROR', message: "Unknown operator: `Undefined'.", at: { file: 'test/fixtures/tla/SemErr.tla', line: 6, col: 14 } }],
    });
  }, T);

  it('reports a missing file or directory (not as a missing java)', async () => {
    for (const file of [join(scratch, 'Nope.tla'), join(scratch, 'no-dir', 'Nope.tla')]) {
      const r = await runSany(jar, file);
      expect(r).toEqual({ ok: false, errors: [{ code: 'SANY_ERROR', message: `${file} does not exist` }] });
    }
  }, T);

  it('reports a module that EXTENDS a missing module', async () => {
    const file = join(scratch, 'Ext.tla');
    await writeFile(file, '---- MODULE Ext ----\nEXTENDS NoSuchMod\nVARIABLE x\n====\n');
    const r = await runSany(jar, file);
    expect(r).toEqual({
      ok: false,
      errors: [{ code: 'SANY_ERROR', message: 'Cannot find source file for module NoSuchMod imported in module Ext.' }],
    });
  }, T);
});

describe('runPcalTrans', () => {
  it('translates in place between the markers, leaving no stray files, and the result checks', async () => {
    const work = await mkdtemp(join(scratch, 'pc-'));
    const file = join(work, 'Pc.tla');
    await copyFile(join(fixtures, 'Pc.tla'), file);
    await copyFile(join(fixtures, 'Pc.cfg'), join(work, 'Pc.cfg'));
    expect(await runPcalTrans(jar, file)).toEqual({ ok: true, value: undefined });
    const text = await readFile(file, 'utf8');
    expect(text).toMatch(/\\\* BEGIN TRANSLATION\nVARIABLES total, pc, i\n/);
    expect(text).toContain('Add(self) == /\\ pc[self] = "Add"');
    expect(text).toMatch(/\\\* END TRANSLATION\s*\n====/);
    expect((await readdir(work)).sort()).toEqual(['Pc.cfg', 'Pc.tla']);

    const run = await runTlc({ jar, dir: work, module: 'Pc', cfg: 'Pc.cfg', workers: 1, timeoutSeconds: 60 });
    expect(run.ok && run.value.outcome).toBe('holds');
  }, T);

  it('reports a missing file', async () => {
    const file = join(scratch, 'gone', 'Pc.tla');
    expect(await runPcalTrans(jar, file)).toEqual({ ok: false, errors: [{ code: 'PCAL_ERROR', message: `${file} does not exist` }] });
  });

  it('reports a translator error at the algorithm line', async () => {
    const file = join(scratch, 'PcBad.tla');
    await copyFile(join(fixtures, 'PcBad.tla'), file);
    const before = await readFile(file, 'utf8');
    const r = await runPcalTrans(jar, file);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.errors[0]).toMatchObject({ code: 'PCAL_ERROR', message: 'Expected ":=" but found ";"', at: { line: 12, col: 29 } });
      expect(r.errors[0]!.at!.file).toMatch(/PcBad\.tla$/);
    }
    expect(await readFile(file, 'utf8')).toBe(before);
  }, T);
});
