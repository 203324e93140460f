/** `poolspec stress`, `run` and `replay`: the JSON scripts rely on, and the exit codes. */
import path from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '..', '..');
const cli = (args: string[]) => execa('node', [path.join(ROOT, 'bin', 'poolspec.js'), ...args], { cwd: ROOT, reject: false });

describe('runtime commands', () => {
  it('stress --json: ops, faults, first fault time and block accounting', async () => {
    const r = await cli(['stress', 'BusyPool', '--threads', '2', '--seconds', '1', '--seed', '5', '--json']);
    expect(r.exitCode).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc).toMatchObject({ spec: 'BusyPool', threads: 2, faults: [], firstFaultSeconds: null, seed: 5, stalled: null });
    expect(doc.ops).toBeGreaterThan(0);
    expect(doc.opsPerSecond).toBeGreaterThan(0);
    expect(Object.keys(doc.accounting)).toEqual(expect.arrayContaining(['blocks', 'inList', 'inLocalCaches', 'inHands', 'atOs', 'lost', 'duplicated']));
    expect(doc.accounting).toMatchObject({ lost: 0, duplicated: 0 });
  });

  it('run: the deterministic scheduler is reproducible from its seed and conforms to the model', async () => {
    const a = await cli(['run', 'DwcasPool', '--config', 'small', '--seed', '3', '--steps', '80', '--json']);
    const b = await cli(['run', 'DwcasPool', '--config', 'small', '--seed', '3', '--steps', '80', '--json']);
    const da = JSON.parse(a.stdout);
    expect(da.conforms).toBe(true);
    expect(da.steps).toBe(80);
    expect(JSON.parse(b.stdout).trace).toEqual(da.trace);
    // Seed 3 is deterministic: 80 steps without a fault, so the verdict and exit code are pinned.
    expect(da).toMatchObject({ faults: [], verdict: 'holds', violated: null, violatedAtStep: null, stopped: 'steps' });
    expect(da.trace).toHaveLength(81);
    expect([a.exitCode, b.exitCode]).toEqual([0, 0]);
  });

  it('replay --json: DwcasPool faults at the step where TLC finds NoUseAfterFree violated', async () => {
    const r = await cli(['replay', 'DwcasPool', '--config', 'small', '--json']);
    expect(r.exitCode).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc).toMatchObject({ spec: 'DwcasPool', source: 'tlc', violated: 'NoUseAfterFree', matched: true, mismatch: null, faultAtViolation: true });
    expect(doc.faultStep).toBe(doc.violatedAtStep);
  });

  it('replay of a spec whose properties hold says there is nothing to replay', async () => {
    const r = await cli(['replay', 'BusyPool', '--config', 'small']);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain('there is nothing to replay');
  });

  it('usage errors are one line and exit 2', async () => {
    const r = await cli(['stress', 'BusyPool', '--chaos', '2']);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain('--chaos must be a probability from 0 to 1');
    const s = await cli(['run', 'BusyPool', '--schedule', '/nonexistent.json']);
    expect(s.exitCode).toBe(2);
    expect(s.stderr).toContain('--schedule: no file /nonexistent.json');
  });
});
