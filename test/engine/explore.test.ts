/**
 * Exploration follows TLC's conventions. Each case pins a disagreement the differential test found,
 * with TLC's own figures (TLC 2.18, one worker), so it stays covered without running TLC.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Model } from '../../src/dsl/ir.ts';
import { loadSpec } from '../../src/dsl/load.ts';
import { formatError } from '../../src/errors.ts';
import { explore, type ExploreResult } from '../../src/engine/explore.ts';
import { machine, successors, initialState } from '../../src/engine/step.ts';
import { spec } from '../helpers.ts';

async function fixture(file: string): Promise<Model> {
  const r = await loadSpec(path.join(import.meta.dirname, 'fixtures', file));
  if (!r.ok) throw new Error(r.errors.map(formatError).join('\n'));
  return r.value;
}

const figures = (r: ExploreResult) => [r.verdict, r.violated, r.distinctStates, r.statesGenerated, r.depth];

describe('explore matches TLC', () => {
  it('checks invariants on successors outside the state constraint (TLC does; the engine did not)', async () => {
    const r = explore(machine(await fixture('BeyondConstraint.ts'), 'small'));
    expect(figures(r)).toEqual(['violated', 'Small', 3, 4, 3]);
    // The counterexample ends in the state outside the constraint, which is not stored.
    expect(r.trace!.map((s) => s.state.x)).toEqual([0, 1, 2, 3]);
  });

  it('counts one generated state per way a guard holds (disjunction, \\E, \\A, =>, IF)', async () => {
    const m = await fixture('Branches.ts');
    expect(figures(explore(machine(m, 'small')))).toEqual(['holds', null, 16, 109, 7]);
    const mc = machine(m, 'small');
    // From the initial state: a's guard `x >= 0 \/ x <= 5 \/ x = 1` holds twice, for each process.
    expect(successors(mc, initialState(mc)).map((s) => s.copies)).toEqual([2, 2]);
  });

  it('stops counting at the violating successor, as TLC checks each one as it is generated', async () => {
    expect(figures(explore(machine(await fixture('Branches.ts'), 'violated')))).toEqual(['violated', 'NotBothAtD', 16, 86, 7]);
  });

  it('reports deadlocks, and not when deadlock checking is off', async () => {
    const m = await fixture('Stuck.ts');
    const dead = explore(machine(m, 'deadlock'));
    expect(figures(dead)).toEqual(['violated', 'Deadlock', 9, 15, 5]);
    expect(dead.trace!.at(-1)!.state.pc).toEqual(['done', 'done']);
    expect(figures(explore(machine(m, 'noDeadlock')))).toEqual(['holds', null, 9, 15, 5]);
  });

  it('EXCEPT outside the domain leaves the function unchanged; applying it there is an error value', async () => {
    const m = await fixture('Stuck.ts');
    expect(figures(explore(machine(m, 'exceptOutside')))).toEqual(['holds', null, 13, 23, 6]);
    const bad = explore(machine(m, 'applyOutside'));
    expect(figures(bad)).toEqual(['error', null, 6, 12, 4]);
    expect(bad.error).toMatchObject({ code: 'ENGINE_EVAL' });
    expect(bad.error!.message).toMatch(/index 3 is outside the domain 1\.\.2/);
    expect(bad.trace!.length).toBeGreaterThan(0);
  });

  it('DwcasPool: disjunctive DWCAS-failure guards make TLC generate more states than steps', async () => {
    const m = await spec('DwcasPool');
    expect(figures(explore(machine(m, 'noOsFree')))).toEqual(['holds', null, 31417, 75963, 69]);
    const small = explore(machine(m, 'small'));
    expect(figures(small)).toEqual(['violated', 'NoUseAfterFree', 1573, 3315, 23]);
    expect(small.trace!.length).toBe(23);
    expect(small.trace!.map((s) => s.index)).toEqual(small.trace!.map((_, i) => i + 1));
  });

  it('returns a state-limit error instead of running away', async () => {
    const r = explore(machine(await spec('BusyPool'), 'small'), { maxStates: 100 });
    expect(r.verdict).toBe('error');
    expect(r.error!.message).toMatch(/more than 100 distinct states/);
  });
});
