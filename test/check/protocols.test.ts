import { execaNode } from 'execa';
import { describe, expect, it } from 'vitest';

// The engine backend (no JVM) checks HazardStack's two configurations: they differ only by Revalidate.
describe('HazardStack', () => {
  it('holds with the re-validation and loses NoUseAfterFree without it, at depth 22', async () => {
    const r = await execaNode('bin/poolspec.js', ['check', 'HazardStack', '--backend', 'engine', '--no-gen', '--json'], { reject: false });
    const results = JSON.parse(r.stdout).results as { config: string; verdict: string; violated?: string; distinctStates: number; depth: number; matchesExpected: boolean }[];
    expect(results.map((x) => [x.config, x.verdict, x.violated ?? null, x.matchesExpected])).toEqual([
      ['revalidate', 'holds', null, true],
      ['noRevalidate', 'violated', 'NoUseAfterFree', true],
    ]);
    expect(results[0].distinctStates).toBe(11195); // as TLC
    expect(results[1].depth).toBe(22);
    expect(r.exitCode).toBe(0);
  }, 120_000);
});

// About 15 s on the engine: behind POOLSPEC_HEAVY=1 to keep the default suite fast.
describe.runIf(process.env.POOLSPEC_HEAVY === '1')('BucketPool', () => {
  it('small holds with the state count TLC finds (67,663)', async () => {
    const r = await execaNode('bin/poolspec.js', ['check', 'BucketPool', '--config', 'small', '--backend', 'engine', '--no-gen', '--json'], { reject: false });
    const [res] = JSON.parse(r.stdout).results as { verdict: string; distinctStates: number; matchesExpected: boolean }[];
    expect([res.verdict, res.distinctStates, res.matchesExpected]).toEqual(['holds', 67663, true]);
  }, 120_000);
});
