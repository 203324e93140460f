/** generated/ is reproducible byte for byte from spec/, and the staleness check notices drift. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { GENERATED_DIR, compareDir, listFiles } from '../../src/codegen/output-dir.ts';

const ROOT = path.resolve(import.meta.dirname, '..', '..');

describe('generated/', () => {
  it('is up to date with spec/ (npm run gen:check)', async () => {
    const r = await execa('npm', ['run', '-s', 'gen:check'], { cwd: ROOT, reject: false });
    expect(r.stderr).toBe('');
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toMatch(/generated\/ is up to date \(\d+ files\)/);
  });

  it('a changed, missing or extra file is reported as stale', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'poolspec-gen-'));
    try {
      const files = new Map(listFiles(GENERATED_DIR).map((f) => [f, fs.readFileSync(path.join(GENERATED_DIR, f), 'utf8')]));
      for (const [f, t] of files) {
        fs.mkdirSync(path.dirname(path.join(dir, f)), { recursive: true });
        fs.writeFileSync(path.join(dir, f), t);
      }
      expect(compareDir(dir, files, { complete: true })).toEqual([]);
      const [first, second] = [...files.keys()];
      fs.appendFileSync(path.join(dir, first), '\\* hand edit\n');
      fs.rmSync(path.join(dir, second));
      fs.writeFileSync(path.join(dir, 'Stray.tla'), '');
      expect(compareDir(dir, files, { complete: true })).toEqual([
        { file: first, problem: 'differs' },
        { file: second, problem: 'missing' },
        { file: 'Stray.tla', problem: 'extra' },
      ]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
