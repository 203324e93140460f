import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadSpec } from '../../src/dsl/load.ts';
import { formatWarning, warningsOf } from '../../src/dsl/warnings.ts';

const warnings = async (file: string) => {
  const r = await loadSpec(file);
  if (!r.ok) throw new Error(r.errors.map((e) => e.message).join('\n'));
  return warningsOf(r.value).map(formatWarning);
};

describe('validation warnings', () => {
  it('names an unreachable label and a transition dead in every configuration, with file:line', async () => {
    expect(await warnings('test/fixtures/warnings/warn-dead.ts')).toEqual([
      'test/fixtures/warnings/warn-dead.ts:10:7: WARN_UNREACHABLE_LABEL: label orphan of P is not reached by any transition from a',
      'test/fixtures/warnings/warn-dead.ts:12:7: WARN_DEAD_TRANSITION: transition P.a_fast can never be taken: its guard is false in every configuration (one)',
    ]);
  });
  it('flags NoCachePool\'s flush walk, which its flush never enters, and nothing in the other specs', async () => {
    expect(await warnings('spec/NoCachePool.ts')).toEqual([
      expect.stringMatching(/^spec\/lib\/pool\.ts:\d+:\d+: WARN_UNREACHABLE_LABEL: label walk of Thread is not reached by any transition from idle$/),
    ]);
    for (const s of ['BusyPool', 'TreiberPool', 'HazardStack', 'BucketPool']) expect(await warnings(`spec/${s}.ts`)).toEqual([]);
  });
});

describe('reuse of the pool library', () => {
  it('a new single-list variant is under 40 lines and valid', async () => {
    const file = 'spec/examples/reuse-treiber-pool.ts';
    expect(fs.readFileSync(file, 'utf8').split('\n').length).toBeLessThan(40);
    const r = await loadSpec(file);
    expect(r.ok).toBe(true);
    if (r.ok) expect(r.value.constants.map((c) => c.name)).toContain('Crowded');
  });
});
