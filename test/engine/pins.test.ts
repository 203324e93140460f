/**
 * The engine alone, pinned to TLC's figures (TLC 2.18, `--workers 1`, the README's verdict table):
 * verdict, violated property, distinct states, states generated and depth, on the pool specs'
 * configurations that explore in well under a second each; and the engine's verdict and lasso
 * shape on every liveness fixture of test/engine/liveness.test.ts (where TLC gives the same verdict).
 * No TLC run: these are the fast tests mutation testing runs against the engine (vitest.mutation.config.ts).
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Model } from '../../src/dsl/ir.ts';
import { EXAMPLES_DIR, loadSpec } from '../../src/dsl/load.ts';
import { formatError } from '../../src/errors.ts';
import { explore, type ExploreResult } from '../../src/engine/explore.ts';
import { propertiesViolatedByLasso } from '../../src/engine/liveness.ts';
import { allFinished, initialState, machine } from '../../src/engine/step.ts';
import { expectMachinePath, fixtureSpec, spec } from '../helpers.ts';

type Fig = [verdict: string, violated: string | null, distinct: number, generated: number, depth: number];
const figures = (r: ExploreResult): Fig => [r.verdict, r.violated, r.distinctStates, r.statesGenerated, r.depth];

// Copied from the README's verdict table (TLC, one worker); the differential test checks TLC agrees.
const TLC: Record<string, Record<string, Fig>> = {
  AtomicPool: { small: ['holds', null, 16, 97, 5], standard: ['holds', null, 25, 196, 5] },
  NoCachePool: {
    small: ['holds', null, 179, 483, 11], standard: ['holds', null, 2584, 11167, 14], flush: ['holds', null, 338, 1029, 12],
    warm: ['holds', null, 9, 19, 5], starvation: ['holds', null, 179, 483, 11],
  },
  TreiberPool: {
    small: ['violated', 'NoUseAfterFree', 946, 2063, 20], flush: ['violated', 'NoUseAfterFree', 1816, 4184, 17],
    noOsFree: ['violated', 'FreeListIntact', 2428, 5135, 32], warm: ['violated', 'NoUseAfterFree', 189, 316, 11],
    warmNoOsFree: ['violated', 'FreeListIntact', 907, 1953, 18],
  },
  DwcasPool: { small: ['violated', 'NoUseAfterFree', 1573, 3315, 23], warm: ['violated', 'NoUseAfterFree', 301, 524, 13] },
  BusyPool: { small: ['holds', null, 4198, 10053, 41], warm: ['holds', null, 4198, 10053, 45], warmNoOsFree: ['holds', null, 3194, 7355, 45] },
  LockedPool: { small: ['holds', null, 3935, 8405, 65], noOsFree: ['holds', null, 2885, 6063, 61] },
  HazardStack: { revalidate: ['holds', null, 11195, 23771, 61], noRevalidate: ['violated', 'NoUseAfterFree', 2185, 4230, 22] },
};

// Seconds each on the shared machine: left out of mutation runs (POOLSPEC_MUTATION=1), where they run per mutant.
const SLOW = new Set(['NoCachePool standard', 'BusyPool small', 'BusyPool warm', 'BusyPool warmNoOsFree', 'LockedPool small', 'LockedPool noOsFree', 'HazardStack revalidate']);
const FAST_ONLY = process.env.POOLSPEC_MUTATION === '1';

describe('the engine gives TLC\'s figures', () => {
  for (const [name, configs] of Object.entries(TLC)) {
    for (const [config, fig] of Object.entries(configs)) {
      it.skipIf(FAST_ONLY && SLOW.has(`${name} ${config}`))(`${name} ${config}`, async () => {
        const m = machine(await spec(name), config);
        const r = explore(m);
        expect(figures(r)).toEqual(fig);
        expect(r.error ?? null).toBeNull();
        if (fig[0] === 'violated') {
          // Breadth-first: a shortest counterexample, as long as the depth, ending in the violating state.
          expect(r.trace!.length).toBe(fig[4]);
          expectMachinePath(m, r.trace!);
        } else {
          expect(r.trace).toBeNull();
        }
      });
    }
  }

  it.skipIf(FAST_ONLY)('finds the starvation lassos of BusyPool and LockedPool, and none in NoCachePool', async () => {
    for (const [name, violated] of [['BusyPool', 'StarvationFree'], ['LockedPool', 'StarvationFree'], ['NoCachePool', null]] as const) {
      const m = machine(await spec(name), 'starvation');
      const r = explore(m);
      expect([r.verdict, r.violated], name).toEqual([violated ? 'violated' : 'holds', violated]);
      if (!violated) continue;
      expectMachinePath(m, r.trace!);
      expect(propertiesViolatedByLasso(m, r.trace!.map((s) => s.state), r.loopStart! - 1, r.stuttering)).toEqual([violated]);
    }
  });
});

const live = (name: string): Promise<Model> => fixtureSpec(`specs/live/${name}.ts`);

// The cases of test/engine/liveness.test.ts, where TLC agrees: the lasso's shape, or null when the property holds.
const LIVE: [string, string, 'stuttering' | 'cycle' | null][] = [
  ['LiveWeak', 'passes', 'cycle'], ['LiveStrong', 'passes', null], ['LiveLock', 'spinBug', 'stuttering'],
  ['LiveLock', 'blockedBug', 'stuttering'], ['LiveLock', 'spin', null], ['LiveLock', 'blocked', null],
  ['LiveLock', 'acquires', 'cycle'], ['LiveSpinGo', 'finish', null], ['LiveNoFair', 'finish', 'stuttering'],
  ['LivePerThread', 'finish', 'stuttering'], ['LiveCycle', 'reset', null], ['LiveCycle', 'stops', 'stuttering'],
  ['LiveCycle', 'loops', 'cycle'], ['LiveConstrained', 'cut', null], ['LiveConstrained', 'stops', 'stuttering'],
  // test/report/trace-text.test.ts: a thread that has finished stutters, in TLC too.
  ['Finishes', 'live', 'stuttering'],
];

describe('the engine\'s liveness verdicts on the fixtures', () => {
  for (const [name, config, shape] of LIVE) {
    it(`${name} ${config}: ${shape ?? 'holds'}`, async () => {
      const model = await live(name);
      const m = machine(model, config);
      const r = explore(m);
      const prop = model.configs.find((c) => c.name === config)!.properties[0];
      expect([r.verdict, r.violated]).toEqual(shape ? ['violated', prop] : ['holds', null]);
      if (!shape) return;
      expect(r.stuttering).toBe(shape === 'stuttering');
      expectMachinePath(m, r.trace!);
      const trace = r.trace!;
      if (shape === 'cycle') expect(trace[trace.length - 1].state).toEqual(trace[r.loopStart! - 1].state);
      else expect(r.loopStart).toBe(trace.length);
      expect(propertiesViolatedByLasso(m, trace.map((s) => s.state), r.loopStart! - 1, r.stuttering)).toEqual([prop]);
    });
  }
});

async function example(name: string): Promise<Model> {
  const r = await loadSpec(path.join(EXAMPLES_DIR, `${name}.ts`));
  if (!r.ok) throw new Error(r.errors.map(formatError).join('\n'));
  return r.value;
}

describe('processes that finish (t.done()) are not a deadlock', () => {
  // TLC's figures, one worker (test/examples/examples.test.ts checks the engine and TLC agree).
  it('CasCounter and Mutex: the runs that end with every thread Done hold', async () => {
    expect(figures(explore(machine(await example('CasCounter'), 'correct')))).toEqual(['holds', null, 96, 155, 11]);
    expect(figures(explore(machine(await example('CasCounter'), 'broken')))).toEqual(['violated', 'NoLostUpdate', 131, 188, 11]);
    expect(figures(explore(machine(await example('Mutex'), 'correct')))).toEqual(['holds', null, 84, 134, 19]);
  });

  it('allFinished: every process at a terminal label, not some; never in a model without terminal labels', async () => {
    const m = machine(await example('CasCounter'), 'correct');
    const s = initialState(m);
    const done = m.procs.map((p) => p.pt.labels.find((l) => l.terminal)!.name);
    expect(allFinished(m, s)).toBe(false);
    expect(allFinished(m, { ...s, pc: done })).toBe(true);
    expect(allFinished(m, { ...s, pc: [done[0], ...(s.pc as string[]).slice(1)] })).toBe(false);
    expect(allFinished(m, { ...s, pc: [...(s.pc as string[]).slice(0, -1), done[done.length - 1]] })).toBe(false);
    const pool = machine(await spec('NoCachePool'), 'small');
    expect(allFinished(pool, initialState(pool))).toBe(false);
  });

  it('a configuration that does not exist is named', async () => {
    const model = await spec('NoCachePool');
    expect(() => machine(model, 'nope')).toThrow('no configuration nope in NoCachePool');
  });
});
