/**
 * The compiled engine against the interpreted one (whose figures the differential test ties to
 * TLC's): same verdict, violated property, distinct and generated counts, depth, trace and error, on
 * every pool spec's safety configurations (temporal properties left out: those run interpreted),
 * the regression fixtures and the examples; the compiled path must actually be taken. Simulation:
 * the same runs from the same seeds.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Model } from '../../src/dsl/ir.ts';
import { loadSpec, SPEC_DIR } from '../../src/dsl/load.ts';
import { compiledUnsupported, exploreFast } from '../../src/engine/compiled/explore.ts';
import { compile } from '../../src/engine/compiled/program.ts';
import { simulateFast } from '../../src/engine/compiled/simulate.ts';
import { explore, type ExploreResult } from '../../src/engine/explore.ts';
import { simulate } from '../../src/engine/simulate.ts';
import { machine } from '../../src/engine/step.ts';
import { formatError } from '../../src/errors.ts';
import { expectMachinePath, spec, POOL_SPECS } from '../helpers.ts';

async function load(file: string): Promise<Model> {
  const r = await loadSpec(file);
  if (!r.ok) throw new Error(r.errors.map(formatError).join('\n'));
  return r.value;
}

/** The machine of a configuration with its temporal properties dropped (safety only). */
function safety(model: Model, config: string) {
  const m = machine(model, config);
  m.config = { ...m.config, properties: [] };
  return m;
}

const figures = (r: ExploreResult) => ({
  verdict: r.verdict, violated: r.violated, distinct: r.distinctStates, generated: r.statesGenerated, depth: r.depth,
  trace: r.trace, error: r.error?.code ?? null,
});

// Mutation runs (POOLSPEC_MUTATION=1, per mutant of the compiled engine) keep the cases of a second or less.
const FAST_ONLY = process.env.POOLSPEC_MUTATION === '1';
const CASES: { name: string; load: () => Promise<Model>; configs?: string[] }[] = [
  ...POOL_SPECS.map((n) => ({ name: n, load: () => spec(n), configs: FAST_ONLY ? ['small'] : ['small', 'flush'] })),
  ...(FAST_ONLY ? [] : [{ name: 'NoCachePool', load: () => spec('NoCachePool') }]),
  ...['BeyondConstraint.ts', 'ChosenBeyond.ts', 'Branches.ts', 'Stuck.ts', 'Transient.ts'].map((f) => ({ name: f, load: () => load(path.join(import.meta.dirname, 'fixtures', f)) })),
  ...['CasCounter.ts', 'Mutex.ts', 'ReadersWriter.ts', 'TicketLock.ts', 'guide-counter.ts', 'guide-counter-cas.ts'].map((f) => ({ name: f, load: () => load(path.join(SPEC_DIR, 'examples', f)) })),
];

describe('compiled engine equals the interpreted engine', () => {
  for (const c of CASES) {
    it(c.name, async () => {
      const model = await c.load();
      const names = (c.configs ?? model.configs.filter((x) => !x.refines).map((x) => x.name)).filter((n) => model.configs.some((x) => x.name === n));
      expect(names.length).toBeGreaterThan(0);
      for (const name of names) {
        const fast = exploreFast(safety(model, name));
        expect(fast.compiled, `${c.name} ${name} compiled`).toBe(true);
        expect(figures(fast), `${c.name} ${name}`).toEqual(figures(explore(safety(model, name))));
      }
    });
  }

  it('keeps the interpreted path for temporal properties, and says why the compiled one declined', async () => {
    const r = exploreFast(machine(await spec('BusyPool'), 'small'));
    expect(r.compiled).toBe(false);
    expect([r.verdict, r.distinctStates]).toEqual(['holds', 4198]);
  });

  it('says why it declines a configuration: temporal properties, refinement, symmetry without a hook', async () => {
    const busy = await spec('BusyPool');
    expect(compiledUnsupported(machine(busy, 'small'))).toBe('temporal properties are checked by the interpreted engine');
    expect(compiledUnsupported(safety(busy, 'standard'))).toBeNull();
    const refines = busy.configs.find((c) => c.refines)!;
    expect(compiledUnsupported(safety(busy, refines.name))).toBe('refinement is not checked by the engine');
    const large = machine(busy, 'large');
    expect(compiledUnsupported(large)).toBe('symmetry without a canonicalization hook');
    expect(compiledUnsupported(large, { canonical: () => {} })).toBeNull();
    expect(compiledUnsupported(large, { canonicalState: (s) => s })).toBeNull();
  });

  it('falls back to the interpreted engine when the layout cannot hold a value (a set over 31 blocks)', async () => {
    const m = machine(await load(path.join(import.meta.dirname, 'fixtures', 'ManyBlocks.ts')), 'small');
    expect(compiledUnsupported(m)).toBeNull();
    const r = exploreFast(m);
    expect(r.compiled).toBe(false);
    expect(figures(r)).toEqual({ ...figures(explore(m)), verdict: 'holds', distinct: 3, depth: 3 });
  });

  // TLC's figures, one worker (the README's verdict table): the compiled search reduces by the
  // symmetry's canonical form yet expands the states actually reached, as TLC does. DwcasPool's
  // 2,760 states are more than the first buffer of reached states holds (1024). Mutation runs keep TreiberPool.
  it('symmetry: TLC\'s figures on the large configurations', async () => {
    const tlc = { TreiberPool: ['violated', 'NoUseAfterFree', 2760, 8894, 17], NoCachePool: ['holds', null, 796, 3769, 18], DwcasPool: ['violated', 'NoUseAfterFree', 9951, 29909, 22] };
    for (const [name, fig] of Object.entries(tlc).slice(0, FAST_ONLY ? 1 : 3)) {
      const m = machine(await spec(name), 'large');
      const r = exploreFast(m);
      expect(r.compiled, name).toBe(true);
      expect([r.verdict, r.violated, r.distinctStates, r.statesGenerated, r.depth], name).toEqual(fig);
      if (!r.trace) continue;
      // A real behaviour from the initial state, of the depth's length, step by step.
      expect(r.trace).toHaveLength(fig[4] as number);
      expectMachinePath(m, r.trace);
    }
  });

  it('packs a state into few words and unpacks it unchanged', async () => {
    const P = compile(machine(await spec('BusyPool'), 'standard'));
    expect(P.L.words).toBeLessThanOrEqual(4);
    const A = new Int32Array(P.L.words);
    const S = new Int32Array(P.L.slots);
    P.pack(P.init, A, 0);
    P.unpack(A, 0, S);
    expect([...S]).toEqual([...P.init]);
  });

  it('a canonicalization hook is applied to every stored state', async () => {
    const m = machine(await spec('TreiberPool'), 'warm');
    let calls = 0;
    const r = exploreFast(m, { canonical: () => { calls += 1; } });
    expect(r.compiled).toBe(true);
    expect(figures(r)).toEqual(figures(explore(m)));
    expect(calls).toBeGreaterThanOrEqual(r.distinctStates);
    // The value-level form (decode, canonicalize, encode): every successor passes through it.
    const seen: string[] = [];
    const v = exploreFast(m, { canonicalState: (s) => { seen.push(s.pc as never); return s; } });
    expect(figures(v)).toEqual(figures(r));
    expect(seen.length).toBe(calls);
  });

  it('simulation: the same runs from the same seed', async () => {
    for (const [name, config] of [['DwcasPool', 'small'], ['BusyPool', 'flush']] as const) {
      const m = machine(await spec(name), config);
      const opts = { runs: 200, depth: 40, seed: 42 };
      const a = simulate(m, opts);
      const b = simulateFast(m, opts);
      expect(b.compiled).toBe(true);
      const keep = (r: typeof a) => [r.verdict, r.violated, r.run, r.runSeed, r.runsDone, r.statesVisited, r.distinctStates, r.trace];
      expect(keep(b), `${name} ${config}`).toEqual(keep(a));
    }
  });
});
