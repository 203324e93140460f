/**
 * The tests Stryker runs against each mutant (`npm run mutation`, scripts/mutation.ts). Each core
 * module has its own fast tests, those that exercise it in the test process: a test that judges a
 * child process (the CLI, TLC, SANY, a browser) cannot see Stryker's active mutant, and one that times
 * real threads is not deterministic, so neither is listed; each would only add minutes per mutant.
 * scripts/mutation.ts names the module in POOLSPEC_MUTATE; without it, every listed test runs.
 */
import { defineConfig } from 'vitest/config';

const ENGINE = ['test/engine/pins.test.ts', 'test/engine/explore.test.ts', 'test/engine/explore-edges.test.ts', 'test/engine/eval.test.ts', 'test/engine/judge.test.ts'];

const COMPILED = ['test/engine/compiled-exprs.test.ts', 'test/engine/compiled.test.ts', 'test/engine/explore-edges.test.ts'];

export const MUTATION_TESTS: Record<string, string[]> = {
  'src/engine/eval.ts': ENGINE,
  'src/engine/step.ts': ENGINE,
  'src/engine/explore.ts': ENGINE,
  'src/engine/liveness.ts': ['test/engine/pins.test.ts', 'test/engine/liveness-units.test.ts'],
  'src/engine/judge.ts': ['test/engine/judge.test.ts'],
  // The compiled engine (the engine backend's search on safety configurations) against the interpreted one.
  'src/engine/compiled/codegen.ts': COMPILED,
  'src/engine/compiled/explore.ts': COMPILED,
  'src/engine/compiled/layout.ts': ['test/engine/compiled-layout.test.ts', 'test/engine/compiled-program.test.ts', ...COMPILED, 'test/engine/layout.test.ts'],
  'src/engine/compiled/program.ts': ['test/engine/compiled-program.test.ts', 'test/engine/compiled-layout.test.ts', ...COMPILED, 'test/engine/layout.test.ts'],
  // Simulation: the interpreted runs (seeded, stopping at the first violating state) and the compiled ones against them.
  'src/engine/simulate.ts': ['test/engine/simulate.test.ts'],
  'src/engine/compiled/simulate.ts': ['test/engine/simulate.test.ts', ...COMPILED],
  'src/engine/compiled/store.ts': [...COMPILED, 'test/engine/store.test.ts'],
  'src/check/result.ts': ['test/check/result.test.ts'],
  'src/tlc/tool-output.ts': ['test/tlc/tool-output.test.ts'],
  'src/check/tlc-trace.ts': ['test/check/tlc-trace.test.ts'],
  'src/tlc/tla-value.ts': ['test/tlc/tla-value.test.ts', 'test/tlc/tool-output.test.ts'],
  // Each malformed fixture must be refused, and every spec of spec/ accepted (generated-tla loads them all).
  'src/dsl/validate.ts': ['test/dsl/validate-model.test.ts', 'test/dsl/malformed.test.ts', 'test/dsl/warnings.test.ts', 'test/codegen/generated-tla.test.ts'],
  'src/dsl/validate-names.ts': ['test/dsl/validate-names.test.ts', 'test/dsl/malformed.test.ts', 'test/codegen/generated-tla.test.ts'],
  'src/dsl/validate-values.ts': ['test/dsl/validate-values.test.ts', 'test/dsl/malformed.test.ts', 'test/codegen/generated-tla.test.ts'],
  'src/runtime/pool-accounting.ts': ['test/runtime/pool-accounting.test.ts'],
  'src/conformance/accept.ts': ['test/conformance/accept.test.ts', 'test/runtime/conformance.test.ts'],
  'src/conformance/replay.ts': ['test/conformance/replay.test.ts'],
  'src/codegen/tla-expr.ts': ['test/codegen/tla-expr.test.ts', 'test/codegen/generated-tla.test.ts', 'test/codegen/tla-emitter.test.ts', 'test/engine/judge.test.ts'],
};

const only = process.env.POOLSPEC_MUTATE;
// POOLSPEC_MUTATION_TESTS=a.test.ts,b.test.ts narrows a run to some tests (e.g. only those written
// against a module's survivors, to measure what they kill without rerunning the rest).
const narrowed = process.env.POOLSPEC_MUTATION_TESTS?.split(',').filter(Boolean);
const include = narrowed ?? (only ? MUTATION_TESTS[only] : [...new Set(Object.values(MUTATION_TESTS).flat())]);
if (!include) throw new Error(`POOLSPEC_MUTATE=${only}: not a core module of vitest.mutation.config.ts`);

export default defineConfig({
  test: {
    include,
    // Tells the engine pins to leave out their slowest cases (seconds each, per mutant).
    env: { POOLSPEC_MUTATION: '1' },
    testTimeout: 180_000,
    hookTimeout: 180_000,
    // No global setup: none of these tests runs TLC, so the jar is not needed (its check costs seconds per mutant).
  },
});
