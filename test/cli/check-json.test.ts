/** `poolspec check --json`: the machine-readable document scripts rely on, and the exit codes. */
import path from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '..', '..');

describe('poolspec check --json', () => {
  it('prints one JSON document with the tool, and per result the verdict, counts and trace', async () => {
    const r = await execa('node', ['bin/poolspec.js', 'check', 'TreiberPool', 'BusyPool', '--config', 'small', '--json', '--workers', '1', '--no-gen'], { cwd: ROOT, reject: false });
    expect(r.exitCode).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.tool.tlc).toBe('TLC2 Version 2.18 of 20 March 2023');
    expect(doc.tool.jarSha256).toBe('fc0a7b69b35076b4aeef54228a62fce9ca035f81a19619f5ed3f023f78c803b3');
    expect(doc.results.map((x: { spec: string }) => x.spec)).toEqual(['TreiberPool', 'BusyPool']);
    const [treiber, busy] = doc.results;
    for (const res of doc.results) {
      expect(Object.keys(res)).toEqual(expect.arrayContaining([
        'spec', 'config', 'backend', 'verdict', 'violated', 'expected', 'matchesExpected', 'distinctStates',
        'statesGenerated', 'depth', 'seconds', 'trace',
      ]));
      expect(res.backend).toBe('tla');
      expect(res.matchesExpected).toBe(true);
    }
    expect(busy).toMatchObject({ verdict: 'holds', violated: null, trace: null, distinctStates: 4198, expected: { verdict: 'holds' } });
    expect(treiber.verdict).toBe('violated');
    expect(treiber.violated).toBe('NoUseAfterFree');
    const last = treiber.trace[treiber.trace.length - 1];
    expect(last).toMatchObject({ transition: 'T3_deref', thread: expect.stringMatching(/^thread\d$/) });
    expect(last.source).toBe('spec/lib/treiber.ts:27');
    expect(last.changes).toContainEqual({ name: 'fault', from: 'FALSE', to: 'TRUE' });
    expect(treiber.trace[0]).toMatchObject({ index: 1, transition: null });
  });

  it('--backend engine --no-gen needs neither the jar nor generated/', async () => {
    const r = await execa('node', ['bin/poolspec.js', 'check', 'BusyPool', '--config', 'small', '--backend', 'engine', '--no-gen', '--json'], { cwd: ROOT, reject: false });
    expect(r.exitCode).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.tool).toEqual({ tlc: null, jarSha256: null });
    expect(doc.results[0]).toMatchObject({ backend: 'engine', verdict: 'holds', distinctStates: 4198, statesGenerated: 10053, depth: 41 });
  });

  it('exits 1 when a result does not match its expectation', async () => {
    // The fixture expects `holds` but TLC finds the invariant violated.
    const r = await execa('node', ['bin/poolspec.js', 'check', 'test/fixtures/models/wrong-expectation.ts', '--json', '--workers', '1'], { cwd: ROOT, reject: false });
    expect(r.exitCode).toBe(1);
    const doc = JSON.parse(r.stdout);
    expect(doc.results[0]).toMatchObject({ verdict: 'violated', violated: 'Small', matchesExpected: false });
  });
});
