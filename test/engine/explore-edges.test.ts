/**
 * Exploration at its edges (test/engine/fixtures/Edges.ts): violations and evaluation errors in the
 * initial state, inside and outside the state constraint; where an error happened, as the message
 * says it; the limit on stored states; progress reports; what the engine refuses; and the figures a
 * result carries besides the verdict (seconds, stuttering). Each safety case runs in both engines,
 * interpreted (explore) and compiled (exploreFast). Written against the mutants of src/engine/explore.ts
 * and src/engine/compiled/explore.ts that the other engine tests let live (docs/mutation.md).
 */
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Model } from '../../src/dsl/ir.ts';
import { loadSpec } from '../../src/dsl/load.ts';
import { formatError } from '../../src/errors.ts';
import { exploreFast } from '../../src/engine/compiled/explore.ts';
import { explore, type ExploreOptions, type ExploreProgress, type ExploreResult } from '../../src/engine/explore.ts';
import { machine } from '../../src/engine/step.ts';
import { spec } from '../helpers.ts';

let model: Model;
beforeAll(async () => {
  const r = await loadSpec(path.join(import.meta.dirname, 'fixtures', 'Edges.ts'));
  if (!r.ok) throw new Error(r.errors.map(formatError).join('\n'));
  model = r.value;
});

const figures = (r: ExploreResult) => ({
  verdict: r.verdict, violated: r.violated, distinct: r.distinctStates, generated: r.statesGenerated, depth: r.depth,
  trace: r.trace?.map((s) => s.state.x) ?? null, loopStart: r.loopStart, stuttering: r.stuttering, error: r.error ?? null,
});

/** The interpreted engine's result; for a safety configuration, the compiled engine must give the same. */
function run(config: string, opts: ExploreOptions = {}): ExploreResult {
  const r = explore(machine(model, config), opts);
  const fast = exploreFast(machine(model, config), opts);
  const safety = model.configs.find((c) => c.name === config)!.properties.length === 0;
  expect(fast.compiled, `${config}: compiled`).toBe(safety);
  expect(figures(fast), `${config}: compiled vs interpreted`).toEqual(figures(r));
  return r;
}

describe('explore at its edges', () => {
  it('an initial state that violates an invariant is the whole counterexample', () => {
    expect(figures(run('initViolates'))).toEqual({
      verdict: 'violated', violated: 'Small', distinct: 1, generated: 1, depth: 1, trace: [5], loopStart: null, stuttering: false, error: null,
    });
  });

  it('outside the state constraint, the initial state is not stored but still checked', () => {
    expect(figures(run('initBeyond'))).toEqual({
      verdict: 'violated', violated: 'Small', distinct: 0, generated: 1, depth: 1, trace: [5], loopStart: null, stuttering: false, error: null,
    });
    expect(figures(run('initBeyondHolds'))).toEqual({
      verdict: 'holds', violated: null, distinct: 0, generated: 1, depth: 0, trace: null, loopStart: null, stuttering: false, error: null,
    });
  });

  it('successors outside the state constraint are checked, neither stored nor expanded', () => {
    expect(figures(run('beyondHolds'))).toEqual({
      verdict: 'holds', violated: null, distinct: 2, generated: 5, depth: 2, trace: null, loopStart: null, stuttering: false, error: null,
    });
  });

  it('an evaluation error says where it happened, with the path to the state being expanded', () => {
    const init = run('initError');
    expect(figures(init)).toMatchObject({ verdict: 'error', distinct: 1, trace: null });
    expect(init.error).toEqual({ code: 'ENGINE_EVAL', message: 'evaluation failed in the initial state: index 0 is outside the domain 1..2' });
    const expand = run('expandError');
    expect(figures(expand)).toMatchObject({ verdict: 'error', distinct: 3, generated: 3, depth: 3, trace: [1, 2] });
    expect(expand.error).toEqual({ code: 'ENGINE_EVAL', message: 'evaluation failed while expanding a state at depth 2: index 3 is outside the domain 1..2' });
    // Expanding the initial state (the first stored, index 0) is expanding, not the initial state.
    const first = run('expandInitError');
    expect(figures(first)).toMatchObject({ verdict: 'error', distinct: 2, generated: 2, depth: 2, trace: [2] });
    expect(first.error).toEqual({ code: 'ENGINE_EVAL', message: 'evaluation failed while expanding a state at depth 1: index 3 is outside the domain 1..2' });
    // Safety holds; evaluating the temporal property fails: no state is being expanded, so no trace.
    const live = run('liveError');
    expect(figures(live)).toMatchObject({ verdict: 'error', distinct: 3, generated: 3, depth: 3, trace: null });
    expect(live.error).toEqual({ code: 'ENGINE_EVAL', message: 'evaluation failed while checking temporal properties: index 3 is outside the domain 1..2' });
  });

  it('a liveness counterexample is a lasso, here ending in stuttering', () => {
    expect(figures(run('live'))).toEqual({
      verdict: 'violated', violated: 'Reach', distinct: 4, generated: 7, depth: 4, trace: [0, 1, 2], loopStart: 3, stuttering: true, error: null,
    });
  });

  it('refuses what it does not check, instead of saying holds', () => {
    expect(run('crowd').error).toEqual({
      code: 'SPEC_UNSUPPORTED',
      message: 'the engine checks temporal properties with at most 31 processes; configuration crowd has 32: use TLC',
    });
    // The limit is the liveness checker's: without temporal properties, 32 processes are explored.
    const safety = machine(model, 'crowd');
    safety.config = { ...safety.config, properties: [] };
    expect(figures(explore(safety))).toMatchObject({ verdict: 'holds', distinct: 4, generated: 97, error: null });
    const m = machine(model, 'initViolates');
    m.config = { ...m.config, refines: true };
    const r = explore(m);
    expect([r.verdict, r.distinctStates, r.error]).toEqual(['error', 0, {
      code: 'SPEC_UNSUPPORTED', message: 'the engine does not check refinement; configuration initViolates checks Refines: use TLC',
    }]);
  });

  it('stops past maxStates stored states, and not at exactly that many (both engines)', async () => {
    const m = machine(await spec('LockedPool'), 'small');
    m.config = { ...m.config, properties: [] }; // 3935 states, holds
    for (const search of [explore, exploreFast]) {
      expect(search(m, { maxStates: 3935 }).verdict, search.name).toBe('holds');
      expect(search(m, { maxStates: 3934 }).error, search.name).toEqual({ code: 'ENGINE_LIMIT', message: 'more than 3934 distinct states: exploration stopped' });
    }
    const all = run('live');
    expect(run('live', { maxStates: all.distinctStates }).verdict).toBe('violated');
    const cut = run('live', { maxStates: all.distinctStates - 1 });
    expect(cut.error).toEqual({ code: 'ENGINE_LIMIT', message: `more than ${all.distinctStates - 1} distinct states: exploration stopped` });
  });

  it('reports progress every 256 expanded states once progressMs has passed', async () => {
    const m = machine(await spec('TreiberPool'), 'small');
    m.config = { ...m.config, properties: [] };
    const calls: ExploreProgress[] = [];
    const r = explore(m, { onProgress: (p) => calls.push(p), progressMs: 0 });
    // At expanded states 0, 256, 512 and 768 of the 946 stored: the queue is what is left to expand.
    expect(r.distinctStates).toBe(946);
    expect(calls.map((c) => [c.distinctStates, c.queue])).toEqual([[1, 1], [340, 84], [578, 66], [864, 96]]);
    expect(calls[1]).toEqual({ distinctStates: 340, statesGenerated: 676, queue: 84, depth: 13 });
    const none: ExploreProgress[] = [];
    explore(m, { onProgress: (p) => none.push(p), progressMs: 3_600_000 });
    exploreFast(m, { onProgress: (p) => none.push(p), progressMs: 3_600_000 });
    expect(none).toEqual([]);
    // The compiled engine reports every 1024 expanded states: LockedPool small's 3935 states, 4 times.
    const locked = machine(await spec('LockedPool'), 'small');
    locked.config = { ...locked.config, properties: [] };
    const fast: ExploreProgress[] = [];
    expect(exploreFast(locked, { onProgress: (p) => fast.push(p), progressMs: 0 }).compiled).toBe(true);
    expect(fast.map((c) => [c.distinctStates, c.queue])).toEqual([[1, 1], [1107, 83], [2121, 73], [3224, 152]]);
    expect(fast[1]).toEqual({ distinctStates: 1107, statesGenerated: 2198, queue: 83, depth: 23 });
  });

  it('reports its time in seconds', () => {
    for (const config of ['live', 'initViolates', 'expandError']) {
      for (const search of [explore, exploreFast]) {
        const t0 = performance.now();
        const r = search(machine(model, config));
        const wall = (performance.now() - t0) / 1000;
        expect(r.seconds, `${config} ${search.name}`).toBeGreaterThanOrEqual(0);
        expect(r.seconds, `${config} ${search.name}`).toBeLessThanOrEqual(wall);
      }
    }
  });
});
