// Mutation testing (`npm run mutation`, scripts/mutation.ts, not part of CI): the modules where a wrong
// line changes a verdict, one at a time against its own tests (vitest.mutation.config.ts).
// One module: `npm run mutation -- --mutate src/check/result.ts --concurrency 1`.
// Report: reports/mutation/index.html and mutation.json (gitignored).
/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  packageManager: 'npm',
  testRunner: 'vitest',
  vitest: { configFile: 'vitest.mutation.config.ts', related: false },
  checkers: ['typescript'],
  // Stryker would prepend '// @ts-nocheck' to the sandbox's files, shifting the spec lines that the
  // emitted TLA+ cites (test/codegen/generated-tla.test.ts); vitest does not type-check anyway.
  disableTypeChecks: false,
  tsconfigFile: 'tsconfig.json',
  typescriptChecker: { prioritizePerformanceOverAccuracy: true },
  coverageAnalysis: 'perTest',
  // The core modules (scripts/mutation.ts passes one at a time with --mutate).
  mutate: [
    'src/engine/{eval,explore,liveness,step,judge}.ts',
    'src/engine/compiled/{codegen,explore,layout,program,store}.ts',
    'src/check/{result,tlc-trace}.ts',
    'src/tlc/{tool-output,tla-value}.ts',
    'src/dsl/validate*.ts',
    'src/runtime/pool-accounting.ts',
    'src/conformance/*.ts',
    'src/codegen/tla-expr.ts',
  ],
  // Sized for 2 idle cores; on a busy machine pass --concurrency 1.
  concurrency: 2,
  // Static mutants (module-level constants) would rerun every test each; they are few and left out.
  ignoreStatic: true,
  // Added to 1.5 x the dry run's time per test: a mutant that loops forever costs this much.
  timeoutMS: 10_000,
  thresholds: { high: 90, low: 80, break: null },
  reporters: ['clear-text', 'progress', 'html', 'json'],
  htmlReporter: { fileName: 'reports/mutation/index.html' },
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  tempDirName: '.stryker-tmp',
  // scripts/mutation.ts gives each module its own sandbox directory (.stryker-tmp-<module>): none is copied into another.
  ignorePatterns: ['/.stryker-tmp*', '/reports'],
  cleanTempDir: true,
};
