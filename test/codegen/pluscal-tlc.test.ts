/**
 * The PlusCal backend against the TLA+ backend, with the real tools: pcal.trans and SANY accept every
 * pool spec's PlusCal module (NoCachePool, the baseline, included), and for each spec's `small` configuration TLC gives both modules the
 * same verdict, the same violated property, the same distinct/generated state counts and depth, and
 * the same counterexample (step by step, the PlusCal action being the label of the TLA+ transition).
 *
 * POOLSPEC_DIFF=all adds every configuration of the main job (`check` with no --config: every spec of
 * spec/, refinement checks included, onlyOnRequest left out), each run as `check --backend tla` and
 * `check --backend pluscal` run it: the same verdict, violated property, counts, depth and counterexample.
 *
 * No VIEW is needed: the translation declares exactly the TLA+ module's variables (checked by
 * translatePluscal), with the same values (pc values are the label names in both).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Model } from '../../src/dsl/ir.ts';
import { generateTla } from '../../src/codegen/generate.ts';
import { pluscalFileName, pluscalModuleName } from '../../src/codegen/pluscal.ts';
import { generatePluscal, translatedVariables } from '../../src/codegen/pluscal-translate.ts';
import { cfgFileName, stateVarNames } from '../../src/codegen/tla.ts';
import { formatError } from '../../src/errors.ts';
import { checkWithTlc } from '../../src/check/check.ts';
import { pluscalBackend } from '../../src/check/pluscal-backend.ts';
import { generateAll } from '../../src/codegen/generate.ts';
import { listSpecFiles } from '../../src/dsl/load.ts';
import type { CheckResult } from '../../src/check/result.ts';
import { runSany, runTlc, type TlcRun } from '../../src/tlc/index.ts';
import { config, jar, spec, POOL_SPECS } from '../helpers.ts';

const T = 120_000;

const SMALL: Record<string, { outcome: string; violated: string | null; distinct: number; generated: number; depth: number }> = {
  TreiberPool: { outcome: 'invariant', violated: 'NoUseAfterFree', distinct: 946, generated: 2063, depth: 20 },
  DwcasPool: { outcome: 'invariant', violated: 'NoUseAfterFree', distinct: 1573, generated: 3315, depth: 23 },
  BusyPool: { outcome: 'holds', violated: null, distinct: 4198, generated: 10053, depth: 41 },
  LockedPool: { outcome: 'holds', violated: null, distinct: 3935, generated: 8405, depth: 65 },
  NoCachePool: { outcome: 'holds', violated: null, distinct: 179, generated: 483, depth: 11 },
};
let j = '';
let scratch = '';

beforeAll(async () => {
  j = await jar();
  scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'poolspec-pcal-tlc-'));
});
afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));

async function writeBoth(m: Model): Promise<{ dir: string; pcal: string }> {
  const dir = path.join(scratch, m.name);
  fs.mkdirSync(dir, { recursive: true });
  for (const [n, c] of generateTla(m)) fs.writeFileSync(path.join(dir, n), c);
  const g = await generatePluscal(m, j);
  if (!g.ok) throw new Error(g.errors.map(formatError).join('\n'));
  for (const [n, c] of g.value) fs.writeFileSync(path.join(dir, n), c);
  return { dir, pcal: g.value.get(pluscalFileName(m))! };
}

async function tlc(dir: string, module: string, cfg: string): Promise<TlcRun> {
  const r = await runTlc({ jar: j, dir, module, cfg, workers: 1 });
  if (!r.ok) throw new Error(r.errors.map(formatError).join('\n'));
  expect(r.value.errors.map(formatError)).toEqual([]);
  return r.value;
}

describe.each([...POOL_SPECS, 'NoCachePool'])('%s: PlusCal backend vs TLA+ backend', (name) => {
  it('translates, passes SANY, and TLC agrees with the TLA+ module on the small configuration', async () => {
    const m = await spec(name);
    const { dir, pcal } = await writeBoth(m);
    expect(translatedVariables(pcal).sort()).toEqual([...stateVarNames(m)].sort());
    const sany = await runSany(j, path.join(dir, pluscalFileName(m)));
    expect(sany.ok ? [] : sany.errors.map(formatError)).toEqual([]);

    const c = config(m, 'small');
    const a = await tlc(dir, m.name, cfgFileName(m, c));
    const b = await tlc(dir, pluscalModuleName(m), cfgFileName(m, c));
    const summary = (r: TlcRun) => ({
      outcome: r.outcome, violated: r.violated, distinct: r.distinctStates, generated: r.statesGenerated, depth: r.depth,
    });
    expect(summary(b)).toEqual(summary(a));
    // One worker: the property, the counts and the depth are exact (those of test/check/verdicts.test.ts).
    expect(summary(a)).toEqual(SMALL[name]);
    expect(a.trace?.length ?? null).toBe(a.outcome === 'invariant' ? a.depth : null);

    // The same counterexample: same states, and each PlusCal step is the label of the TLA+ transition.
    expect(b.trace?.length).toBe(a.trace?.length);
    const fromLabel = new Map(m.procTypes.flatMap((pt) => pt.transitions.map((t) => [t.name, t.from])));
    for (const [i, s] of (a.trace ?? []).entries()) {
      const p = b.trace![i];
      expect(p.vars).toEqual(s.vars);
      expect(p.action?.name ?? null).toBe(s.action ? fromLabel.get(s.action.name) : null);
    }
  }, T);
});

const ALL = process.env.POOLSPEC_DIFF === 'all';

describe.runIf(ALL).each(listSpecFiles().map((f) => path.basename(f, '.ts')))('%s: every configuration of the main job, PlusCal vs TLA+', (name) => {
  let m: Model;
  let files: Map<string, string>;
  beforeAll(async () => {
    m = await spec(name);
    const g = await generateAll(m, j || await jar());
    if (!g.ok) throw new Error(g.errors.map(formatError).join('\n'));
    files = g.value;
  });
  const configs = () => m.configs.filter((c) => !c.onlyOnRequest);
  // The names are known only once the spec is loaded: one test per spec, a failure names the configuration.
  it('agrees on verdict, property, counts, depth and counterexample', async () => {
    const figures = (r: CheckResult) => ({
      verdict: r.verdict, violated: r.violated, distinct: r.distinctStates, generated: r.statesGenerated, depth: r.depth,
      matches: r.matchesExpected, errors: r.errors.map(formatError),
    });
    for (const c of configs()) {
      const a = await checkWithTlc(m, c, { jar: j, workers: 1, timeoutSeconds: 900, files });
      const b = await checkWithTlc(m, c, { ...pluscalBackend(m, files), jar: j, workers: 1, timeoutSeconds: 900 });
      expect(figures(a), `${name} ${c.name} (tla)`).toMatchObject({ matches: true, errors: [] });
      expect(figures(b), `${name} ${c.name}: pluscal vs tla`).toEqual(figures(a));
      // A liveness counterexample is whichever lasso TLC's search meets first, which differs between the
      // two modules (BusyPool starvation: 33 and 51 states): both must be lassos. Safety ones are the same shortest trace.
      if (a.loopStart !== null || b.loopStart !== null) {
        expect([a.loopStart !== null, b.loopStart !== null], `${name} ${c.name}: both lassos`).toEqual([true, true]);
      } else {
        expect(b.trace?.map((s) => s.state) ?? null, `${name} ${c.name}: the counterexample`).toEqual(a.trace?.map((s) => s.state) ?? null);
      }
    }
  }, 3_600_000);
});
