/**
 * Differential test: the engine's exhaustive exploration (compiled where it can be) and the real TLC (one worker, on the TLA+
 * the emitter generates) must agree on verdict, violated property, distinct states, states generated
 * and depth, and produce the same counterexample. A disagreement is a bug in the emitter or the
 * engine. By default: every pool spec in `small`, the `standard` configurations that finish in a
 * few seconds, every configuration of NoCachePool, and the regression fixtures of test/engine/fixtures
 * (one per disagreement found);
 * POOLSPEC_DIFF=all runs every configuration of the main job (`check` with no --config: every spec of
 * spec/, configurations marked onlyOnRequest left out) and every configuration of the fixtures. The
 * engine does not check refinement, so the `refines_*` configurations are TLC's alone (tla and
 * pluscal, test/codegen/pluscal-tlc.test.ts).
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkWithTlc } from '../../src/check/check.ts';
import type { Model } from '../../src/dsl/ir.ts';
import { exploreFast } from '../../src/engine/compiled/explore.ts';
import { fromItf, toItf } from '../../src/engine/itf.ts';
import { machine } from '../../src/engine/step.ts';
import type { TraceStep } from '../../src/engine/trace.ts';
import { listSpecFiles, loadSpec } from '../../src/dsl/load.ts';
import { formatError } from '../../src/errors.ts';
import { config, jar, spec, POOL_SPECS } from '../helpers.ts';

const ALL = process.env.POOLSPEC_DIFF === 'all';

async function fixture(file: string): Promise<Model> {
  const r = await loadSpec(path.join(import.meta.dirname, 'fixtures', file));
  if (!r.ok) throw new Error(r.errors.map(formatError).join('\n'));
  return r.value;
}

interface Case { load: () => Promise<Model>; name: string; configs: string[] | 'all' | 'main' }

const FIXTURES: Case[] = [
  { load: () => fixture('BeyondConstraint.ts'), name: 'BeyondConstraint', configs: 'all' },
  { load: () => fixture('Branches.ts'), name: 'Branches', configs: 'all' },
  { load: () => fixture('Stuck.ts'), name: 'Stuck', configs: 'all' },
];

const CASES: Case[] = ALL ? [
  ...listSpecFiles().map((f): Case => { const n = path.basename(f, '.ts'); return { load: () => spec(n), name: n, configs: 'main' }; }),
  ...FIXTURES,
] : [
  ...POOL_SPECS.map((n): Case => ({
    load: () => spec(n), name: n,
    configs: n === 'DwcasPool' || n === 'TreiberPool' ? ['small', 'standard'] : n === 'BusyPool' ? ['small', 'starvation'] : ['small'],
  })),
  // The no-cache baseline: every configuration is small, and each checks a different property set.
  { load: () => spec('NoCachePool'), name: 'NoCachePool', configs: 'all' },
  ...FIXTURES,
];

const states = (t: TraceStep[] | null) => t?.map((s) => s.state) ?? null;

// The engine explores in this thread, synchronously: under POOLSPEC_DIFF=all its largest models take
// minutes, which would run out the clocks of concurrent tests, so those run one after the other.
(ALL ? describe : describe.concurrent)('engine and TLC agree', async () => {
  const models = await Promise.all(CASES.map((c) => c.load()));
  const jarPath = await jar();
  CASES.forEach((c, i) => {
    const model = models[i];
    // The engine does not check Refines; 'main' is what `check` runs with no --config.
    const names = typeof c.configs !== 'string' ? c.configs
      : model.configs.filter((x) => !x.refines && (c.configs === 'all' || !x.onlyOnRequest)).map((x) => x.name);
    for (const name of names) {
      it(`${c.name} ${name}`, async () => {
        const cfg = config(model, name);
        const tlcRun = checkWithTlc(model, cfg, { jar: jarPath, workers: 1, timeoutSeconds: 900 });
        const eng = exploreFast(machine(model, name)); // the engine backend's search; runs while TLC does
        // Safety-only configurations run compiled (temporal properties and refinement, interpreted).
        expect(eng.compiled, `compiled engine on ${c.name} ${name}`).toBe(cfg.properties.length === 0);
        const tlc = await tlcRun;

        const figures = (r: { verdict: string; violated: string | null; distinctStates: number | null; statesGenerated: number | null; depth: number | null }) =>
          ({ verdict: r.verdict, violated: r.violated, distinct: r.distinctStates, generated: r.statesGenerated, depth: r.depth });
        // TLC checks temporal properties periodically while it explores, so where it finds one violated
        // its counts depend on when it looked: counts are compared there only when the verdict is holds.
        const countsVary = cfg.properties.length > 0 && tlc.verdict === 'violated';
        if (countsVary) {
          expect({ verdict: eng.verdict, violated: eng.violated }, `engine vs TLC on ${c.name} ${name}`)
            .toEqual({ verdict: tlc.verdict, violated: tlc.violated });
        } else {
          expect(figures(eng), `engine vs TLC on ${c.name} ${name}`).toEqual(figures(tlc));
        }
        if (tlc.loopStart !== null || eng.loopStart !== null) {
          // A liveness violation: TLC's lasso is not the engine's (each backend checks its own is real).
          expect(tlc.errors.map(formatError)).toEqual([]);
          return;
        }
        if (tlc.verdict === 'error') {
          expect(eng.error?.message).toBeTruthy();
          return;
        }
        expect(tlc.errors.map(formatError)).toEqual([]);
        // Without an evaluation error, the verdict both agree on is the configuration's expectation, exactly.
        expect({ verdict: tlc.verdict, violated: tlc.violated }).toEqual(cfg.expect.verdict === 'holds'
          ? { verdict: 'holds', violated: null }
          : { verdict: 'violated', violated: expect.toSatisfy((v: string) => (cfg.expect as { oneOf: string[] }).oneOf.includes(v)) });
        if (tlc.verdict === 'violated' && !countsVary) {
          // Both search breadth-first in the same order: the very same shortest counterexample.
          expect(states(eng.trace)).toEqual(states(tlc.trace));
          expect(eng.trace!.map((s) => s.via?.transition)).toEqual(tlc.trace!.map((s) => s.via?.transition));
          // A parsed TLC counterexample exports to ITF and reads back unchanged.
          const back = fromItf(JSON.parse(JSON.stringify(toItf(model, tlc.trace!, { config: name, violated: tlc.violated, backend: 'tla' }))));
          expect(back.ok && back.value.trace).toEqual(tlc.trace);
        }
      }, ALL ? 1_800_000 : undefined);
    }
  });
});
