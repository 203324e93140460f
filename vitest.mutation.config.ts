/**
 * The tests Stryker runs against each mutant (`npm run mutation`): those that exercise the mutated
 * modules in the test process. Tests that judge a child process (the CLI, TLC, SANY, a browser, a
 * terminal) cannot see Stryker's active mutant, and those that time real threads are not
 * deterministic, so they are left out; each would only add minutes per mutant.
 */
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    exclude: [
      'test/ci/**', 'test/cli/**', 'test/examples/**', 'test/report/html.test.ts', 'test/report/progress.test.ts',
      'test/check/any-protocol.test.ts', 'test/check/failures.test.ts', 'test/check/verdicts.test.ts',
      'test/check/progress.test.ts', 'test/codegen/generated-fresh.test.ts', 'test/codegen/pluscal-tlc.test.ts',
      'test/codegen/pluscal.test.ts', 'test/engine/differential.test.ts', 'test/engine/liveness.test.ts',
      'test/engine/bench.test.ts', 'test/engine/simulate-cli.test.ts', 'test/runtime/replay.test.ts', 'test/runtime/stall.test.ts',
      'test/runtime/stress.test.ts', 'test/tlc/run-tlc.test.ts', 'test/tlc/sany-pcal.test.ts', 'test/tlc/timeout.test.ts',
    ],
    testTimeout: 180_000,
    hookTimeout: 180_000,
    globalSetup: ['test/global-setup.ts'],
  },
});
