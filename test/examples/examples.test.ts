/**
 * The examples of spec/examples (a mutex, a ticket lock, a CAS counter, a reader/writer lock with two
 * process types): every configuration gets its expected verdict on every backend (TLA+ and PlusCal
 * through the real TLC, and the engine), with the same violated property, the same distinct and
 * generated state counts and the same depth. Their processes finish (`t.done()`), so `holds` also
 * says that finishing is not taken for a deadlock by any backend.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkWithEngine, checkWithTlc } from '../../src/check/check.ts';
import { pluscalBackend } from '../../src/check/pluscal-backend.ts';
import type { CheckResult } from '../../src/check/result.ts';
import { generateAll } from '../../src/codegen/generate.ts';
import { EXAMPLES_DIR, listSpecFiles, loadSpec } from '../../src/dsl/load.ts';
import { formatError } from '../../src/errors.ts';
import { jar } from '../helpers.ts';

// The guide's files (guide-*) have a test of their own (test/docs/guide.test.ts); the library-reuse
// example (reuse-*) is checked here like the others, and its length in test/dsl/warnings.test.ts.
const EXAMPLES = listSpecFiles(EXAMPLES_DIR).map((f) => path.basename(f, '.ts')).filter((n) => !/^guide-/.test(n));

const figures = (r: CheckResult) => ({
  verdict: r.verdict, violated: r.violated, distinct: r.distinctStates, generated: r.statesGenerated, depth: r.depth,
});

describe('spec/examples', () => {
  it('holds at least a mutex, a ticket lock, a CAS counter and a reader/writer protocol', () => {
    expect(EXAMPLES).toEqual(expect.arrayContaining(['Mutex', 'TicketLock', 'CasCounter', 'ReadersWriter', 'reuse-treiber-pool']));
  });
});

describe.concurrent.each(EXAMPLES)('%s on every backend', async (name) => {
  const loaded = await loadSpec(path.join(EXAMPLES_DIR, `${name}.ts`));
  if (!loaded.ok) throw new Error(loaded.errors.map(formatError).join('\n'));
  const model = loaded.value;
  // One pcal.trans run per spec, shared by its configurations.
  let generated: ReturnType<typeof generateAll> | undefined;
  const gen = async () => (generated ??= jar().then((j) => generateAll(model, j)));

  it('has a correct and a broken configuration', () => {
    expect(model.configs.map((c) => c.expect.verdict).sort()).toEqual(expect.arrayContaining(['holds', 'violated']));
  });

  for (const cfg of model.configs) {
    it(`${cfg.name}: ${cfg.expect.verdict} with tla, pluscal and engine alike`, async () => {
      const j = await jar();
      const files = await gen();
      if (!files.ok) throw new Error(files.errors.map(formatError).join('\n'));
      const opts = { jar: j, workers: 1, timeoutSeconds: 120 };
      const [tla, pcal] = await Promise.all([
        checkWithTlc(model, cfg, { ...opts, files: files.value }),
        checkWithTlc(model, cfg, { ...opts, ...pluscalBackend(model, files.value) }),
      ]);
      const eng = checkWithEngine(model, cfg);
      for (const r of [tla, pcal, eng]) {
        expect(r.errors.map(formatError), `${r.backend}`).toEqual([]);
        expect(r.matchesExpected, `${name} ${cfg.name} ${r.backend}: ${r.verdict} ${r.violated}`).toBe(true);
      }
      expect(figures(pcal)).toEqual(figures(tla));
      expect(figures(eng)).toEqual(figures(tla));
      if (tla.trace) {
        // Every backend's counterexample is labelled step by step (processes of every type).
        expect(tla.trace.slice(1).every((s) => s.via)).toBe(true);
        expect(pcal.trace!.map((s) => s.state)).toEqual(tla.trace.map((s) => s.state));
      }
    }, 180_000);
  }
});
