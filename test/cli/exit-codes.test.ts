/**
 * Every command, given a bad flag, a bad value and a bad path, ends with exit 2 and exactly one line
 * on stderr of the shape `poolspec <command>: CODE: message` (no usage dump, no stack trace); with
 * --json the same failure is also a JSON error document on stdout. Most cases run in-process
 * (main() is what bin/poolspec.js calls); a few go through the real binary for the real exit code.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { main } from '../../src/cli/main.ts';

const ROOT = path.resolve(import.meta.dirname, '..', '..');
const ONE_LINE = /^poolspec (\S+): ([A-Z][A-Z0-9_]+): (.+)$/;
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'poolspec-exit-codes-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));
const aFile = path.join(tmp, 'a-file');
fs.writeFileSync(aFile, 'not a folder');

async function run(argv: string[], env: Record<string, string> = {}): Promise<{ code: number; err: string; out: string }> {
  let err = '';
  let out = '';
  const saved = Object.fromEntries(Object.keys(env).map((k) => [k, process.env[k]]));
  Object.assign(process.env, env);
  const e = vi.spyOn(process.stderr, 'write').mockImplementation((s: string | Uint8Array) => { err += String(s); return true; });
  const o = vi.spyOn(process.stdout, 'write').mockImplementation((s: string | Uint8Array) => { out += String(s); return true; });
  const l = vi.spyOn(console, 'log').mockImplementation((...a: unknown[]) => { out += `${a.join(' ')}\n`; });
  try {
    return { code: await main(argv), err, out };
  } finally {
    e.mockRestore();
    o.mockRestore();
    l.mockRestore();
    for (const [k, v] of Object.entries(saved)) if (v === undefined) delete process.env[k]; else process.env[k] = v;
  }
}

function expectOneLine(r: { code: number; err: string }, command: string, code: string | RegExp): void {
  expect(r.code, r.err).toBe(2);
  const lines = r.err.trimEnd().split('\n');
  expect(lines, r.err).toHaveLength(1);
  const m = ONE_LINE.exec(lines[0]);
  expect(m, lines[0]).not.toBeNull();
  expect(m![1]).toBe(command);
  expect(m![2]).toMatch(code);
  expect(r.err).not.toMatch(/\n\s+at |Error:|usage:/);
}

const CASES: { command: string; flag: string[]; value: string[]; badPath: string[]; pathCode: string; env?: Record<string, string> }[] = [
  { command: 'check', flag: ['--frobnicate'], value: ['--workers', '-2'], badPath: ['/no/such/Spec.ts'], pathCode: 'USAGE' },
  { command: 'gen', flag: ['--frobnicate'], value: ['--timeout', 'soon'], badPath: ['--out', aFile], pathCode: 'OUTPUT_ERROR' },
  { command: 'doctor', flag: ['--frobnicate'], value: ['--timeout', '-1'], badPath: [], pathCode: 'JAR_MISSING', env: { TLA2TOOLS_JAR: '/no/such/tla2tools.jar' } },
  { command: 'fetch-tlc', flag: ['--frobnicate'], value: ['--quiet=yes'], badPath: [], pathCode: 'CACHE_ERROR', env: { POOLSPEC_CACHE: aFile } },
  { command: 'simulate', flag: ['BusyPool', '--frobnicate'], value: ['BusyPool', '--runs', '-3'], badPath: ['BusyPool', '--out-itf', '/no/such/dir/t.itf.json'], pathCode: 'OUTPUT_ERROR' },
  { command: 'run', flag: ['BusyPool', '--frobnicate'], value: ['BusyPool', '--steps', '0'], badPath: ['BusyPool', '--schedule', '/no/such/schedule.json'], pathCode: 'USAGE' },
  { command: 'replay', flag: ['DwcasPool', '--frobnicate'], value: ['DwcasPool', '--config', ''], badPath: ['DwcasPool', '--trace', '/no/such/trace.json'], pathCode: 'REPLAY_TRACE' },
  { command: 'stress', flag: ['BusyPool', '--frobnicate'], value: ['BusyPool', '--chaos', '-0.5'], badPath: ['/no/such/Pool.ts'], pathCode: 'USAGE' },
];

describe('exit 2 and one line, for every command', () => {
  for (const c of CASES) {
    it(`${c.command}: a bad flag`, async () => {
      expectOneLine(await run([c.command, ...c.flag]), c.command, 'USAGE');
    });
    it(`${c.command}: a bad value`, async () => {
      expectOneLine(await run([c.command, ...c.value]), c.command, /USAGE|SPEC_CONFIG/);
    });
    it(`${c.command}: a bad path`, async () => {
      expectOneLine(await run([c.command, ...c.badPath], c.env), c.command, c.pathCode);
    });
  }

  it('an unknown command', async () => {
    expectOneLine(await run(['frobnicate']), 'frobnicate', 'USAGE');
  });

  it('--json runs print a JSON error document on stdout', async () => {
    const r = await run(['check', '--json', '--workers', '-1']);
    expectOneLine(r, 'check', 'USAGE');
    const doc = JSON.parse(r.out);
    expect(doc).toMatchObject({ command: 'check', exitCode: 2, error: { code: 'USAGE' } });
    expect(doc.error.message).toContain('--workers must be a positive integer, got "-1"');
  });

  it('the real binary: exit status 2, one line, JSON on stdout', async () => {
    const r = await execa('node', [path.join(ROOT, 'bin', 'poolspec.js'), 'simulate', 'NoSuchSpec', '--json'], { cwd: ROOT, reject: false });
    expect(r.exitCode).toBe(2);
    expect(r.stderr.split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/^poolspec simulate: USAGE: unknown spec NoSuchSpec/);
    expect(JSON.parse(r.stdout).error.code).toBe('USAGE');
  });
});
