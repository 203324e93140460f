/**
 * `prove`: Z3 discharges the pool specs' inductive invariants, and the obligations fail, with a
 * counterexample to induction naming the transition and its spec line, when the invariant is
 * weakened or the spec is wrong (DwcasPool with frees to the OS, TreiberPool). Heavier runs
 * (T=3, N=3 for every spec, every conjunct dropped in turn) with POOLSPEC_PROOFS=all.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { execa } from 'execa';
import type { Expr, Model } from '../../src/dsl/ir.ts';
import { prove, proveConfig } from '../../src/prove/prove.ts';
import { checkRecords } from '../../src/prove/check-records.ts';
import { hashSources } from '../../src/prove/record.ts';
import { config, jar, spec } from '../helpers.ts';
import { indInvReachable } from '../../src/prove/tlc-checks.ts';
import { checkWithTlc } from '../../src/check/check.ts';

const ALL = process.env.POOLSPEC_PROOFS === 'all';
const opts = { timeoutSeconds: 60, parallel: 2 };
const CLI = path.join(import.meta.dirname, '..', '..', 'bin', 'poolspec.js');

async function run(model: Model, configName: string, sizes: Record<string, number>, only?: string[]) {
  const ind = model.inductive![0];
  const r = await prove(model, config(model, configName), ind, sizes, { ...opts, only: only && ((n) => only.includes(n)) });
  if (!r.ok) throw new Error(r.errors[0].message);
  return r.value;
}

const without = (m: Model, conjunct: string): Model => ({
  ...m, inductive: [{ ...m.inductive![0], conjuncts: m.inductive![0].conjuncts.filter((c) => c.name !== conjunct) }],
});

describe.concurrent('prove', () => {
  it('BusyPool: every obligation proved (T=2, N=2, with pool_flush)', async () => {
    const r = await run(await spec('BusyPool'), 'standard', { T: 2, N: 2 });
    expect(r.obligations.filter((o) => o.result !== 'proved')).toEqual([]);
    expect(r.obligations.map((o) => o.name)).toEqual(expect.arrayContaining(['init', 'step:D7', 'step:E6_ok', 'step:H5_detach', 'step:walk_free', 'implies:FreeListIntact', 'implies:NoUseAfterFree', 'implies:NoDoubleAlloc']));
  }, 180_000);

  it('BusyPool without PushLinked: E6_ok fails with a CTI at its spec line', async () => {
    const r = await run(without(await spec('BusyPool'), 'PushLinked'), 'standard', { T: 2, N: 2 }, ['step:E5_link', 'step:E6_ok', 'step:D7']);
    const failed = r.obligations.filter((o) => o.result === 'failed');
    expect(failed.map((o) => o.name)).toContain('step:E6_ok');
    const cti = failed.find((o) => o.name === 'step:E6_ok')!.cti!;
    expect(cti.transition).toBe('E6_ok');
    expect(cti.source).toMatch(/^spec\/lib\/busy\.ts:\d+$/);
    expect(cti.broken.length).toBeGreaterThan(0);
    expect(cti.engineAgrees).toBe(true);
  }, 180_000);

  it('DwcasPool: proved under noOsFree; with frees to the OS a crowded free breaks ReadHeadMapped (GH #1275)', async () => {
    const model = await spec('DwcasPool');
    const good = await run(model, 'noOsFree', { T: 2, N: 2 });
    expect(good.proved).toBe(true);
    const bad = await run(model, 'small', { T: 2, N: 2 }, ['step:B3_crowded']);
    const o = bad.obligations.find((x) => x.name === 'step:B3_crowded')!;
    expect(o.result).toBe('failed');
    expect(o.cti!.broken).toContain('ReadHeadMapped');
    expect(o.cti!.source).toMatch(/^spec\/lib\/pool\.ts:\d+$/);
  }, 180_000);

  it('TreiberPool: its candidate fails at T4_ok (a pop of the same head: ABA)', async () => {
    const model = await spec('TreiberPool');
    expect(model.inductive![0].expect).toBe('fails');
    const r = await run(model, 'noOsFree', { T: 2, N: 2 }, ['step:T4_ok']);
    const o = r.obligations.find((x) => x.name === 'step:T4_ok')!;
    expect(o.result).toBe('failed');
    expect(o.cti!.broken).toContain('PoppedHeadListed');
  }, 180_000);

  it('an expression the encoding does not handle is a clear error, not a crash', async () => {
    const model = await spec('AtomicPool');
    // An operator this encoder does not know yet (as a DSL extension would add one).
    const mul = { op: 'bin', fn: 'mul', a: { op: 'const', name: 'T' }, b: { op: 'const', name: 'N' } } as unknown as Expr;
    const bad: Model = { ...model, inductive: [{ ...model.inductive![0], conjuncts: [{ name: 'Product', expr: { op: 'bin', fn: 'gt', a: mul, b: { op: 'lit', value: 0, type: { kind: 'int', lo: 0, hi: 0 } } } }] }] };
    const pick = proveConfig(bad);
    if (!pick.ok) throw new Error(pick.errors[0].message);
    const { config: c, inductive } = pick.value;
    const r = await prove(bad, c, inductive, {}, opts);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors[0]).toMatchObject({ code: 'PROVE_UNSUPPORTED', message: 'cannot encode AtomicPool for Z3: operator mul is not encoded for Z3' });
  });

  it('CLI: --sizes names an integer constant; a spec without IndInv is a one-line error', async () => {
    const a = await execa('node', [CLI, 'prove', 'BusyPool', '--sizes', 'X=3'], { reject: false });
    expect(a.exitCode).toBe(2);
    expect(a.stderr.split('\n')[0]).toMatch(/--sizes: X is not an integer constant of BusyPool/);
    const fixture = path.join(import.meta.dirname, '..', 'engine', 'fixtures', 'Branches.ts');
    const b = await execa('node', [CLI, 'prove', fixture], { reject: false });
    expect(b.exitCode).toBe(2);
    expect(b.stderr.trim().split('\n')).toHaveLength(1);
    expect(b.stderr).toMatch(/SPEC_CONFIG: Branches declares no inductive invariant/);
  }, 60_000);

  it('proofs:check: a stale hash and an obligation that changed are both reported', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'poolspec-proofs-'));
    try {
      // The committed record, with the current hashes (so this test does not depend on its freshness).
      const committed = JSON.parse(fs.readFileSync(path.join(import.meta.dirname, '..', '..', 'proofs', 'NoCachePool.json'), 'utf8'));
      const rec = { ...committed, ...hashSources('spec/NoCachePool.ts'), constants: { ...committed.constants, T: 2, N: 2 } };
      fs.writeFileSync(path.join(dir, 'NoCachePool.json'), JSON.stringify({ ...rec, specHash: '0'.repeat(64), sources: { ...rec.sources, 'spec/NoCachePool.ts': '0'.repeat(64) } }));
      const stale = await checkRecords(['NoCachePool'], { ...opts, dir });
      expect(stale).toEqual([expect.objectContaining({ ok: false, message: expect.stringMatching(/^stale: spec\/NoCachePool\.ts changed/) })]);
      const flipped = { ...rec, obligations: rec.obligations.map((o: { name: string }, i: number) => (i === 1 ? { ...o, result: 'failed' } : o)) };
      fs.writeFileSync(path.join(dir, 'NoCachePool.json'), JSON.stringify(flipped));
      const changed = await checkRecords(['NoCachePool'], { ...opts, dir });
      expect(changed[0].ok).toBe(false);
      expect(changed[0].message).toMatch(/no longer holds as recorded: .* was failed, now proved/);
      fs.writeFileSync(path.join(dir, 'NoCachePool.json'), JSON.stringify(rec));
      expect((await checkRecords(['NoCachePool'], { ...opts, dir }))[0]).toMatchObject({ ok: true });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 180_000);
});

describe.runIf(ALL)('prove, heavy (POOLSPEC_PROOFS=all)', () => {
  for (const [name, cfg] of [['BusyPool', 'standard'], ['LockedPool', 'standard'], ['NoCachePool', 'standard'], ['DwcasPool', 'noOsFree'], ['AtomicPool', 'standard']] as const) {
    it(`${name} ${cfg}: every obligation proved at T=3, N=3`, async () => {
      const r = await run(await spec(name), cfg, { T: 3, N: 3 });
      expect(r.obligations.filter((o) => o.result !== 'proved')).toEqual([]);
    }, 900_000);
  }
  it('TLC: IndInv holds on the reachable states of BusyPool small; TreiberPool does not refine AtomicPool (a counterexample)', async () => {
    const j = await jar();
    const busy = await indInvReachable(await spec('BusyPool'), 'small', j);
    expect(busy).toMatchObject({ verdict: 'holds', distinctStates: 4198 });
    const treiber = await spec('TreiberPool');
    const r = await checkWithTlc(treiber, config(treiber, 'refines_noOsFree'), { jar: j, workers: 1 });
    expect(r).toMatchObject({ verdict: 'violated', violated: 'Refines', matchesExpected: true });
    expect(r.trace!.at(-1)!.via!.transition).toBe('T4_ok');
  }, 900_000);
  it('BusyPool: dropping any one conjunct that the properties do not state makes some obligation fail', async () => {
    const model = await spec('BusyPool');
    const kept: string[] = [];
    for (const c of model.inductive![0].conjuncts) {
      const r = await run(without(model, c.name), 'standard', { T: 2, N: 2 });
      if (r.proved) kept.push(c.name);
    }
    // Conjuncts that are implied by the others are redundant; the list documents which.
    expect(kept).toEqual([]);
  }, 1_800_000);
});
