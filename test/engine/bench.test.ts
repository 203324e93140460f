/** The benchmark script runs and prints its comparison table (timings are not tested). */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '..', '..');

describe('npm run bench:engine', () => {
  it('compares the engine and TLC on a model', async () => {
    const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', 'bench/engine.ts', '--quick'], { cwd: ROOT });
    expect(stdout).toMatch(/engine states\/s .* TLC states\/s/);
    expect(stdout).toMatch(/^BusyPool small +4,198 .* 4,198 .* \d+\.\dx +yes +[\d./]+$/m);
  });
});
