import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { sourceKey } from '../../src/dsl/ir.ts';
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
  it('a new single-list variant is under 40 lines, built from the library\'s pop, push and flush builders', async () => {
    const file = 'spec/examples/reuse-treiber-pool.ts';
    const text = fs.readFileSync(file, 'utf8');
    expect(text.replace(/\n$/, '').split('\n').length).toBeLessThan(40);
    // Every step comes from spec/lib: the example writes no transition of its own.
    expect(text).not.toMatch(/\.step\(|\.label\(|\.choose\(/);
    const r = await loadSpec(file);
    if (!r.ok) throw new Error(r.errors.map((e) => e.message).join('\n'));
    expect(r.value.constants.map((c) => c.name)).toContain('Crowded');
    const m = r.value;
    const sources = new Set(m.procTypes[0].transitions.map((t) => m.sources[sourceKey.transition('Thread', t.name)]?.file));
    expect([...sources].sort()).toEqual(['spec/lib/cas-push.ts', 'spec/lib/dwcas.ts', 'spec/lib/pool.ts', 'spec/lib/treiber.ts']);
    expect(await warnings(file)).toEqual([]);
  });
});
