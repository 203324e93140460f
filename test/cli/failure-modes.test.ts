/**
 * Failure modes, one class per test (issue 14): no silent corruption (duplicate protocol names), specs
 * anywhere, syntax errors with their reason, every limit a limit (*_TIMEOUT, resource checks, stress
 * --seconds), replay of a foreign trace, and no orphans or leftovers on SIGTERM, SIGINT and SIGKILL.
 * Tests that look at processes need `ps` and fail loudly without it. The slower ones (several CLI
 * runs or a TLC run each) run with POOLSPEC_HEAVY=1.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execa, type ResultPromise } from 'execa';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '..', '..');
const heavy = it.runIf(process.env.POOLSPEC_HEAVY === '1');
const BIN = path.join(ROOT, 'bin', 'poolspec.js');
const cli = (args: string[], opts: { env?: Record<string, string> } = {}) =>
  execa('node', [BIN, ...args], { cwd: ROOT, reject: false, timeout: 120_000, env: opts.env });
const spawnCli = (args: string[], env?: Record<string, string>) =>
  execa('node', [BIN, ...args], { cwd: ROOT, reject: false, env });

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'poolspec-failure-modes-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** A spec in a folder with no package.json, importing the DSL as `poolspec`. */
function writeSpec(dir: string, file: string, name: string, body = ''): string {
  fs.mkdirSync(path.join(tmp, dir), { recursive: true });
  const p = path.join(tmp, dir, file);
  fs.writeFileSync(p, `import { holds, int, protocol } from 'poolspec';
${body}
export default protocol('${name}', (p) => {
  const x = p.shared('x', int(0, 3), 0);
  p.process('Thread', 2, {}, (t) => {
    t.label('idle');
    t.step('idle', { branch: 'inc', to: 'idle', when: x.lt(3), do: [x.set(x.add(1))] });
    t.step('idle', { branch: 'reset', to: 'idle', when: x.eq(3), do: [x.set(0)] });
  });
  p.config('small', { constants: {}, expect: holds() });
});
`);
  return p;
}

const ONE_LINE = /^poolspec (\S+): ([A-Z][A-Z0-9_]+): (.+)$/;
function oneLine(stderr: string): RegExpExecArray {
  const lines = stderr.trimEnd().split('\n').filter((l) => !/^(checking|stress|simulating) /.test(l));
  expect(lines.length, stderr).toBeGreaterThanOrEqual(1);
  const m = ONE_LINE.exec(lines[lines.length - 1]);
  expect(m, stderr).not.toBeNull();
  expect(stderr).not.toMatch(/\n\s+at /);
  return m!;
}

/** `ps` output as {pid, ppid, args}; throws when ps is missing, so these tests never pass empty. */
async function processes(): Promise<{ pid: number; ppid: number; args: string }[]> {
  const r = await execa('ps', ['-eo', 'pid=,ppid=,args='], { reject: false });
  if (r.exitCode !== 0 || !r.stdout.trim()) throw new Error(`ps is needed to check for orphan processes: ${r.stderr || r.shortMessage}`);
  return r.stdout.trim().split('\n').map((l) => {
    const m = /^\s*(\d+)\s+(\d+)\s+(.*)$/.exec(l)!;
    return { pid: Number(m[1]), ppid: Number(m[2]), args: m[3] };
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
async function until<T>(what: string, f: () => Promise<T | undefined>, ms = 60_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await f();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(200);
  }
}

/** Waits for the JVM a poolspec process started to run TLC on a model (not the version probe). */
const tlcChildOf = (child: ResultPromise) => until('TLC to start', async () => (await processes()).find((p) => p.ppid === child.pid && /tlc2\.TLC .*-metadir/.test(p.args)));
const privateTmpOf = (pid: number) => fs.readdirSync(os.tmpdir()).filter((n) => n.startsWith(`poolspec-run-${pid}-`));

describe.concurrent('no silent corruption', () => {
  it('two spec files declaring the same protocol: SPEC_DUPLICATE naming both files', async () => {
    const a = writeSpec('dupA', 'Same.ts', 'SamePool');
    const b = writeSpec('dupB', 'Same.ts', 'SamePool');
    const r = await cli(['check', a, b, '--backend', 'engine', '--no-gen']);
    expect(r.exitCode).toBe(2);
    const m = oneLine(r.stderr);
    expect(m[2]).toBe('SPEC_DUPLICATE');
    expect(m[3]).toContain(a);
    expect(m[3]).toContain(b);
  });

  it('a spec elsewhere that declares the name of a spec/ protocol is refused before generated/ is touched', async () => {
    const before = fs.readdirSync(path.join(ROOT, 'generated')).map((f) => `${f}:${fs.statSync(path.join(ROOT, 'generated', f)).mtimeMs}`);
    const c = writeSpec('dupC', 'Copy.ts', 'BusyPool');
    const r = await cli(['gen', c]);
    expect(r.exitCode).toBe(2);
    const m = oneLine(r.stderr);
    expect(m[2]).toBe('SPEC_DUPLICATE');
    expect(m[3]).toContain('spec/BusyPool.ts');
    const after = fs.readdirSync(path.join(ROOT, 'generated')).map((f) => `${f}:${fs.statSync(path.join(ROOT, 'generated', f)).mtimeMs}`);
    expect(after).toEqual(before);
  });
});

describe.concurrent('specs anywhere', () => {
  heavy('a spec in a folder with no package.json loads and checks', async () => {
    const s = writeSpec('loose', 'Tiny.ts', 'TinyLoose');
    const r = await cli(['check', s, '--backend', 'engine', '--json']);
    expect(r.exitCode, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).results[0]).toMatchObject({ spec: 'TinyLoose', config: 'small', verdict: 'holds', matchesExpected: true });
  });

  it('a syntax error shows the reason at file:line', async () => {
    const r = await cli(['check', 'test/fixtures/specs/syntax-error.ts', '--backend', 'engine']);
    expect(r.exitCode).toBe(2);
    const m = oneLine(r.stderr);
    // The TypeScript compiler, which runs first, finds it; its first diagnostic is the reason.
    expect(m[2]).toBe('SPEC_TSC');
    expect(m[3]).toMatch(/^test\/fixtures\/specs\/syntax-error\.ts:5:\d+: TS1005: ';' expected\.$/);
  });
});

describe.concurrent('every limit is a limit', () => {
  heavy('a spec module that never finishes loading: SPEC_TIMEOUT', async () => {
    const s = writeSpec('hang', 'Hang.ts', 'Hang', 'while (Date.now() > 0) { /* never returns */ }');
    const r = await cli(['check', s, '--backend', 'engine', '--timeout', '2']);
    expect(r.exitCode).toBe(2);
    expect(oneLine(r.stderr)[2]).toBe('SPEC_TIMEOUT');
  });

  heavy('the engine beyond --timeout: ENGINE_TIMEOUT with the spec and configuration', async () => {
    const r = await cli(['check', 'BusyPool', '--config', 'standard', '--backend', 'engine', '--timeout', '2', '--no-gen']);
    expect(r.exitCode).toBe(2);
    const m = oneLine(r.stderr);
    expect(m[2]).toBe('ENGINE_TIMEOUT');
    expect(m[3]).toContain('BusyPool standard');
  });

  it('simulation beyond --timeout: SIMULATE_TIMEOUT', async () => {
    const r = await cli(['simulate', 'BusyPool', '--config', 'standard', '--runs', '100000000', '--timeout', '1']);
    expect(r.exitCode).toBe(2);
    expect(oneLine(r.stderr)[2]).toBe('SIMULATE_TIMEOUT');
  });

  it('the TLC version probe beyond --timeout: TLC_TIMEOUT', async () => {
    const r = await cli(['doctor', '--timeout', '0.05']);
    expect(r.exitCode).toBe(2);
    expect(oneLine(r.stderr)[2]).toBe('TLC_TIMEOUT');
  });

  it('resource-hungry arguments are refused with the maximum', async () => {
    for (const args of [['stress', 'BusyPool', '--threads', '1000000'], ['stress', 'BusyPool', '--blocks', '1000', '--block-size', '1073741824'], ['simulate', 'BusyPool', '--depth', '2000000000']]) {
      const r = await cli(args);
      expect(r.exitCode).toBe(2);
      const m = oneLine(r.stderr);
      expect(m[2]).toBe('RESOURCE_LIMIT');
      expect(m[3]).toMatch(/at most \d+/);
    }
  });

  heavy('stress --seconds is honoured within a second with many threads', async () => {
    const r = await cli(['stress', 'BusyPool', '--threads', '6', '--seconds', '1', '--json']);
    expect(r.exitCode, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).seconds).toBeLessThan(2);
  });
});

describe.concurrent('replay of a trace from elsewhere', () => {
  heavy('a trace of another spec or configuration: REPLAY_TRACE', async () => {
    const itf = path.join(tmp, 'dwcas.itf.json');
    const s = await cli(['simulate', 'DwcasPool', '--config', 'small', '--seed', '1', '--runs', '1', '--depth', '10', '--out-itf', itf]);
    expect(fs.existsSync(itf), s.stderr).toBe(true);
    const other = await cli(['replay', 'BusyPool', '--trace', itf]);
    expect(other.exitCode).toBe(2);
    let m = oneLine(other.stderr);
    expect(m[2]).toBe('REPLAY_TRACE');
    expect(m[3]).toContain('is a trace of DwcasPool, not of BusyPool');
    const cfg = await cli(['replay', 'DwcasPool', '--config', 'flush', '--trace', itf]);
    expect(cfg.exitCode).toBe(2);
    m = oneLine(cfg.stderr);
    expect(m[3]).toContain('is a trace of configuration small, not flush');
  });
});

describe.concurrent('no orphans, no leftovers', () => {
  it('SIGKILL of poolspec during a TLC run: the JVM ends too, and its temporary files go', async () => {
    const child = spawnCli(['check', 'BusyPool', '--config', 'standard', '--workers', '1', '--no-gen']);
    const java = await tlcChildOf(child);
    const priv = privateTmpOf(child.pid!);
    expect(priv).toHaveLength(1);
    child.kill('SIGKILL');
    await child;
    await until('the JVM to end', async () => ((await processes()).some((p) => p.pid === java.pid) ? undefined : true), 15_000);
    await until('the temporary directory to go', async () => (fs.existsSync(path.join(os.tmpdir(), priv[0])) ? undefined : true), 5_000);
  });

  heavy('SIGTERM during check: exit 143, one line, TLC ended, temporary directories removed', async () => {
    const child = spawnCli(['check', 'BusyPool', '--config', 'standard', '--workers', '1', '--no-gen']);
    const java = await tlcChildOf(child);
    child.kill('SIGTERM');
    const r = await child;
    expect(r.exitCode).toBe(143);
    expect(oneLine(r.stderr)[2]).toBe('INTERRUPTED');
    expect(privateTmpOf(child.pid!)).toEqual([]);
    await until('the JVM to end', async () => ((await processes()).some((p) => p.pid === java.pid) ? undefined : true), 10_000);
  });

  it('SIGINT during stress: exit 130', async () => {
    const child = spawnCli(['stress', 'BusyPool', '--seconds', '60']);
    await until('the run to start', async () => (privateTmpOf(child.pid!).length ? true : undefined), 30_000);
    await sleep(1500);
    child.kill('SIGINT');
    const r = await child;
    expect(r.exitCode).toBe(130);
    expect(oneLine(r.stderr)[2]).toBe('INTERRUPTED');
  });

  it('SIGTERM during fetch-tlc: exit 143, the download ended, no .fetch-* left in the cache', async () => {
    const bin = path.join(tmp, 'fake-bin');
    const cache = path.join(tmp, 'cache');
    fs.mkdirSync(bin, { recursive: true });
    // A stand-in for Maven that never finishes downloading (the test is about poolspec's cleanup).
    fs.writeFileSync(path.join(bin, 'mvn'), '#!/bin/sh\nif [ "$1" = "-v" ]; then echo "Apache Maven (stand-in)"; exit 0; fi\nexec sleep 120\n', { mode: 0o755 });
    const env = { PATH: `${bin}${path.delimiter}${process.env.PATH}`, POOLSPEC_CACHE: cache, TLA2TOOLS_JAR: '' };
    const child = spawnCli(['fetch-tlc'], env);
    const mvn = await until('the download to start', async () => (await processes()).find((p) => p.ppid === child.pid && /sleep 120/.test(p.args)));
    expect(fs.readdirSync(cache).filter((n) => n.startsWith('.fetch-'))).toHaveLength(1);
    child.kill('SIGTERM');
    const r = await child;
    expect(r.exitCode).toBe(143);
    expect(oneLine(r.stderr)[2]).toBe('INTERRUPTED');
    expect(fs.readdirSync(cache).filter((n) => n.startsWith('.fetch-'))).toEqual([]);
    await until('the download to end', async () => ((await processes()).some((p) => p.pid === mvn.pid) ? undefined : true), 5_000);
  });
});
