/** `poolspec simulate`: output, exit codes, --json, --out-itf, and replay from the printed seed. */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it, vi } from 'vitest';
import command from '../../src/cli/commands/simulate.ts';
import { fromItf } from '../../src/engine/itf.ts';

const ROOT = path.resolve(import.meta.dirname, '..', '..');

/** Runs the command in-process, capturing what it prints. */
async function run(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const log = vi.spyOn(console, 'log').mockImplementation((...a: unknown[]) => { out += `${a.join(' ')}\n`; });
  const error = vi.spyOn(console, 'error').mockImplementation((...a: unknown[]) => { err += `${a.join(' ')}\n`; });
  const write = vi.spyOn(process.stderr, 'write').mockImplementation((s: string | Uint8Array) => { err += String(s); return true; });
  try {
    return { code: await command.run(argv), out, err };
  } finally {
    log.mockRestore();
    error.mockRestore();
    write.mockRestore();
  }
}

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'poolspec-sim-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe('poolspec simulate', () => {
  it('prints the failing interleaving and a replay command; exit 1', async () => {
    const r = await run('DwcasPool', '--config', 'small', '--runs', '500', '--depth', '60', '--seed', '42');
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/^NoUseAfterFree is violated after \d+ steps:/);
    expect(r.out).toMatch(/thread\d +A4_deref +spec\/lib\/dwcas\.ts:\d+/);
    const replay = /replay: poolspec simulate DwcasPool --config small --seed (\d+) --runs 1 --depth 60/.exec(r.out);
    expect(replay).not.toBeNull();
    expect(r.err).toMatch(/seed 42/);

    // The printed seed reruns exactly that behaviour.
    const again = await run('DwcasPool', '--config', 'small', '--seed', replay![1], '--runs', '1', '--depth', '60');
    expect(again.code).toBe(1);
    const body = (s: string) => s.slice(0, s.indexOf('\nfound by run'));
    expect(body(again.out)).toBe(body(r.out));
    expect(again.out).toMatch(/found by run 1 of 1/);
  });

  it('exit 0 when no violation is found', async () => {
    const r = await run('BusyPool', '--runs', '20', '--depth', '30', '--seed', '0x10');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^no violation in 20 runs of up to 30 steps \(620 states visited, \d+ distinct, [\d.]+ s, \d+ behaviours\/s\); seed 16\n$/);
  });

  it('--workers 2: a violation stops the workers and its seed replays it with one worker', async () => {
    const r = await run('DwcasPool', '--config', 'small', '--runs', '5000', '--depth', '60', '--seed', '42', '--workers', '2', '--json');
    expect(r.code).toBe(1);
    const doc = JSON.parse(r.out);
    expect(doc).toMatchObject({ verdict: 'violated', violated: 'NoUseAfterFree', workers: 2, distinctStates: null });
    expect(doc.behavioursPerSecond).toBeGreaterThan(0);
    expect(doc.runsDone).toBeLessThan(5000); // stopped early
    // Worker k runs k+1, k+3, ...: the run number says which worker's stream the seed came from.
    expect(doc.run).toBeGreaterThan(0);
    const again = await run('DwcasPool', '--config', 'small', '--seed', String(doc.runSeed), '--runs', '1', '--depth', '60', '--json');
    const replayed = JSON.parse(again.out);
    expect(replayed).toMatchObject({ verdict: 'violated', violated: 'NoUseAfterFree', run: 1, runSeed: doc.runSeed, workers: 1 });
    expect(replayed.trace).toEqual(doc.trace);
  });

  it('--json prints one document with the shape of check results', async () => {
    const r = await run('DwcasPool', '--runs', '500', '--depth', '60', '--seed', '42', '--json');
    expect(r.code).toBe(1);
    const doc = JSON.parse(r.out);
    expect(doc).toMatchObject({
      spec: 'DwcasPool', config: 'small', backend: 'simulate', runs: 500, depth: 60, seed: 42,
      verdict: 'violated', violated: 'NoUseAfterFree', errors: [],
    });
    expect(Object.keys(doc)).toEqual(expect.arrayContaining(['trace', 'statesVisited', 'seconds', 'run', 'runSeed']));
    expect(doc.trace[0]).toMatchObject({ index: 1, thread: null, transition: null });
    expect(doc.trace[1]).toMatchObject({ index: 2, thread: expect.stringMatching(/^thread\d$/), source: expect.stringMatching(/\.ts:\d+$/) });
    expect(r.err).toBe('');
  });

  it('--out-itf writes the failing trace as ITF', async () => {
    const file = path.join(tmp, 'fail.itf.json');
    const r = await run('DwcasPool', '--runs', '500', '--depth', '60', '--seed', '42', '--json', '--out-itf', file);
    const doc = JSON.parse(r.out);
    const itf = fromItf(fs.readFileSync(file, 'utf8'));
    expect(itf.ok).toBe(true);
    if (!itf.ok) return;
    expect(itf.value.meta).toMatchObject({ format: 'ITF', spec: 'DwcasPool', config: 'small', backend: 'simulate', seed: doc.runSeed, violated: 'NoUseAfterFree' });
    expect(itf.value.trace.map((s) => s.state)).toEqual(doc.trace.map((s: { state: unknown }) => s.state));
    expect(itf.value.trace.map((s) => s.via?.transition ?? null)).toEqual(doc.trace.map((s: { transition: string | null }) => s.transition));
  });

  it('usage errors: one line, exit 2', async () => {
    const cases: [string[], RegExp][] = [
      [['NoSuchSpec'], /unknown spec NoSuchSpec/],
      [['BusyPool', '--config', 'huge'], /BusyPool has no configuration huge; configurations: small/],
      [['BusyPool', '--runs', '0'], /--runs must be a positive integer, got "0"/],
      [['BusyPool', '--depth', 'ten'], /--depth must be a positive integer, got "ten"/],
      [['BusyPool', '--workers', '0'], /--workers must be a positive integer, got "0"/],
      [['BusyPool', '--workers', '65'], /--workers must be at most 64, got 65/],
      [['BusyPool', '--seed', '4294967296'], /--seed must be an integer from 0 to 4294967295/],
      [['BusyPool', '--frobnicate'], /Unknown option '--frobnicate'/],
      [[], /name a spec/],
      [['BusyPool', 'LockedPool'], /one spec at a time/],
    ];
    for (const [argv, msg] of cases) {
      const r = await run(...argv);
      expect(r.code, argv.join(' ')).toBe(2);
      expect(r.err.split('\n')[0]).toMatch(msg);
      expect(r.err).not.toMatch(/\n\s+at /); // no stack traces
      expect(r.out).toBe('');
    }
  });

  it('works end to end through bin/poolspec.js', async () => {
    const exec = promisify(execFile);
    const ok = await exec(process.execPath, ['bin/poolspec.js', 'simulate', 'LockedPool', '--runs', '5', '--depth', '10', '--seed', '1'], { cwd: ROOT });
    expect(ok.stdout).toMatch(/^no violation in 5 runs/);
    const bad = await exec(process.execPath, ['bin/poolspec.js', 'simulate', 'TreiberPool', '--runs', '300', '--seed', '1'], { cwd: ROOT })
      .then(() => null, (e: { code: number; stdout: string }) => e);
    expect(bad?.code).toBe(1);
    expect(bad?.stdout).toMatch(/is violated after \d+ steps/);
  });
});
