/**
 * Protocols other than pools, through every command: arithmetic with TLA+'s meaning on every backend,
 * types as properties (TypeOK in the checkers, a refused write in the runtime), `run` judging the
 * invariants, two process types in run/replay/simulate, and specs outside spec/ kept out of generated/.
 */
import fs from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { checkWithEngine, checkWithTlc } from '../../src/check/check.ts';
import { pluscalBackend } from '../../src/check/pluscal-backend.ts';
import { generateAll } from '../../src/codegen/generate.ts';
import { specFormula, emitCfg } from '../../src/codegen/tla.ts';
import { GENERATED_DIR } from '../../src/codegen/output-dir.ts';
import { formatError } from '../../src/errors.ts';
import { config, fixtureSpec, jar } from '../helpers.ts';
import { loadSpec, EXAMPLES_DIR } from '../../src/dsl/load.ts';

const ROOT = path.resolve(import.meta.dirname, '..', '..');
const cli = (args: string[]) => execa('node', [path.join(ROOT, 'bin', 'poolspec.js'), ...args], { cwd: ROOT, reject: false });
const example = async (name: string) => {
  const r = await loadSpec(path.join(EXAMPLES_DIR, `${name}.ts`));
  if (!r.ok) throw new Error(r.errors.map(formatError).join('\n'));
  return r.value;
};
const figures = (r: { verdict: string; violated: string | null; distinctStates: number | null; statesGenerated: number | null; depth: number | null }) =>
  ({ verdict: r.verdict, violated: r.violated, distinct: r.distinctStates, generated: r.statesGenerated, depth: r.depth });

describe.concurrent('any protocol', () => {
  it('mul, div (rounding down) and mod (in 0..d-1) agree on TLA+, PlusCal and the engine, with constant-expression bounds', async () => {
    const m = await fixtureSpec('models/arith.ts');
    const j = await jar();
    const files = await generateAll(m, j);
    if (!files.ok) throw new Error(files.errors.map(formatError).join('\n'));
    for (const name of ['exact', 'negative']) {
      const c = config(m, name);
      const tla = await checkWithTlc(m, c, { jar: j, workers: 1, files: files.value });
      const pcal = await checkWithTlc(m, c, { jar: j, workers: 1, ...pluscalBackend(m, files.value) });
      const eng = checkWithEngine(m, c);
      expect(tla.matchesExpected, `${name}: ${tla.verdict} ${tla.violated} ${tla.errors.map(formatError)}`).toBe(true);
      expect(figures(eng)).toEqual(figures(tla));
      expect(figures(pcal)).toEqual(figures(tla));
    }
    const tla = files.value.get('Arith.tla')!;
    expect(tla).toContain("q' = ((x + 1) \\div D)");
    expect(tla).toContain("r' = ((x + 1) % D)");
    expect(tla).toContain('/\\ (x \\in (K * (-1))..K)');
    expect(tla).toContain('/\\ (r \\in 0..(D - 1))');
  }, 120_000);

  it('TypeOK is generated, listed last in every configuration, and a write outside a range violates it on every backend', async () => {
    const m = await fixtureSpec('models/out-of-range.ts');
    expect(config(m, 'small').invariants).toEqual(['TypeOK']);
    expect(emitCfg(m, config(m, 'small'))).toContain('INVARIANTS TypeOK');
    const j = await jar();
    const files = await generateAll(m, j);
    if (!files.ok) throw new Error(files.errors.map(formatError).join('\n'));
    const c = config(m, 'small');
    for (const r of [
      await checkWithTlc(m, c, { jar: j, workers: 1, files: files.value }),
      await checkWithTlc(m, c, { jar: j, workers: 1, ...pluscalBackend(m, files.value) }),
      checkWithEngine(m, c),
    ]) {
      expect({ backend: r.backend, verdict: r.verdict, violated: r.violated, depth: r.depth }).toEqual({ backend: r.backend, verdict: 'violated', violated: 'TypeOK', depth: 2 });
    }
  }, 120_000);

  it('run: the runtime refuses a write outside its type, as a fault at the spec line, and exits 1', async () => {
    const r = await cli(['run', 'test/fixtures/models/out-of-range.ts', '--seed', '1']);
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toContain('fault at step 2: thread1 idle would write x = 2, outside int(1..1); the runtime refused the step (test/fixtures/models/out-of-range.ts:8)');
  }, 180_000);

  it('run judges: a run that breaks the invariant reports the step and property and exits 1', async () => {
    const r = await cli(['run', 'Mutex', '--config', 'broken', '--seed', '4', '--json']);
    expect(r.exitCode).toBe(1);
    const doc = JSON.parse(r.stdout);
    expect(doc).toMatchObject({ conforms: true, verdict: 'violated', violated: 'MutualExclusion', violatedAtStep: 7, stopped: 'finished' });
    expect(doc.failedConjuncts[0]).toContain('pc(i) == "cs"');
    const text = await cli(['run', 'Mutex', '--config', 'broken', '--seed', '4']);
    expect(text.stdout).toContain('MutualExclusion is violated at step 7');
    const ok = await cli(['run', 'Mutex', '--config', 'correct', '--seed', '4']);
    expect(ok.exitCode).toBe(0);
    expect(ok.stdout).toContain('stopped: finished');
  }, 180_000);

  it('two process types: run, replay and simulate name processes and locals of both types', async () => {
    const run = await cli(['run', 'spec/examples/ReadersWriter.ts', '--config', 'correct', '--seed', '2']);
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toContain('mine = p3: FALSE');
    expect(run.stdout).toContain('val = p1: 0, p2: 0');
    expect(run.stdout).toContain('wrote[p3]: FALSE -> TRUE');
    const replay = await cli(['replay', 'ReadersWriter', '--config', 'broken', '--json']);
    expect(replay.exitCode).toBe(0);
    expect(JSON.parse(replay.stdout)).toMatchObject({ violated: 'Exclusion', matched: true, violatedAtStep: 3 });
    const sim = await cli(['simulate', 'spec/examples/ReadersWriter.ts', '--config', 'broken', '--seed', '3']);
    expect(sim.exitCode).toBe(1);
    expect(sim.stdout).toMatch(/replay: poolspec simulate spec\/examples\/ReadersWriter\.ts --config broken --seed \d+ --runs 1/);
  }, 120_000);

  it('several fair process types: each fairness clause has its own parentheses', async () => {
    const m = await example('ReadersWriter');
    expect(specFormula(m)).toBe('Init /\\ [][Next]_vars /\\ (\\A self \\in Readers : WF_vars(Reader(self))) /\\ (\\A self \\in Writers : WF_vars(Writer(self)))');
  });

  it('specs outside spec/ never write into generated/', async () => {
    const before = fs.readdirSync(GENERATED_DIR).sort();
    const check = await cli(['check', 'test/fixtures/models/arith.ts', '--backend', 'engine', '--no-typecheck']);
    expect(check.exitCode).toBe(0);
    const gen = await cli(['gen', 'spec/examples/Mutex.ts']);
    expect(gen.exitCode).toBe(2);
    expect(gen.stderr).toContain('spec/examples/Mutex.ts is not in spec/: generated/ holds only spec/*.ts; give --out DIR');
    expect(fs.readdirSync(GENERATED_DIR).sort()).toEqual(before);
  }, 120_000);
});
