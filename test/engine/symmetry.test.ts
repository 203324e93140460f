/**
 * Symmetry: TLC's SYMMETRY (model values, generated/ *_large.cfg) and the engine's canonical states
 * explore one state per orbit, so both must report the same distinct and generated counts, and the
 * verdict must be the one found without symmetry. By default: symmetric variants of `small` for three
 * pool specs (a few seconds of TLC each); POOLSPEC_DIFF=all: every pool spec's `small` and `flush`
 * variants, and POOLSPEC_SYMMETRY=large: the `large` configurations themselves (minutes).
 */
import { describe, expect, it } from 'vitest';
import { checkWithTlc } from '../../src/check/check.ts';
import type { Config, Model } from '../../src/dsl/ir.ts';
import { explore } from '../../src/engine/explore.ts';
import { exploreFast } from '../../src/engine/compiled/explore.ts';
import { machine } from '../../src/engine/step.ts';
import { isSymmetry, symmetryOf } from '../../src/engine/symmetry.ts';
import { emitCfg, emitTla } from '../../src/codegen/tla.ts';
import { mkSet, type State } from '../../src/engine/value.ts';
import { config, jar, spec } from '../helpers.ts';

const ALL = process.env.POOLSPEC_DIFF === 'all';
const LARGE = process.env.POOLSPEC_SYMMETRY === 'large';

/** A copy of `base` with symmetry (and safety only, as TLC requires), added to the model. */
function symmetric(m: Model, base: string, symmetry: string[]): Config {
  const c: Config = { ...config(m, base), name: `${base}_sym`, properties: [], symmetry };
  m.configs = [...m.configs.filter((x) => x.name !== c.name), c];
  return c;
}

const CASES: [string, string, string[]][] = ALL
  ? ['NoCachePool', 'TreiberPool', 'DwcasPool', 'BusyPool', 'LockedPool'].flatMap((n) => ['small', 'flush'].map((b): [string, string, string[]] => [n, b, n === 'LockedPool' ? ['Blocks'] : ['Threads', 'Blocks']]))
  : [['NoCachePool', 'small', ['Threads', 'Blocks']], ['TreiberPool', 'small', ['Threads', 'Blocks']], ['BusyPool', 'small', ['Threads', 'Blocks']]];

describe('symmetry: TLC and the engine count the same orbits, with the verdicts of the full search', () => {
  for (const [name, base, sets] of CASES) {
    it(`${name} ${base} with symmetry over ${sets.join(', ')}`, async () => {
      const m = await spec(name);
      const plain = explore(machine(m, base));
      const c = symmetric(m, base, sets);
      const eng = explore(machine(m, c.name));
      // The engine backend's compiled search reduces by the same canonical form.
      const fast = exploreFast(machine(m, c.name));
      expect(fast.compiled).toBe(true);
      expect([fast.verdict, fast.violated, fast.distinctStates, fast.statesGenerated, fast.depth])
        .toEqual([eng.verdict, eng.violated, eng.distinctStates, eng.statesGenerated, eng.depth]);
      const tlc = await checkWithTlc(m, c, { jar: await jar(), workers: 1 });
      expect(tlc.errors).toEqual([]);
      expect(eng.error).toBeUndefined();
      expect({ verdict: tlc.verdict, violated: tlc.violated, distinct: tlc.distinctStates, generated: tlc.statesGenerated })
        .toEqual({ verdict: eng.verdict, violated: eng.violated, distinct: eng.distinctStates, generated: eng.statesGenerated });
      // Fewer states, same verdict as without symmetry (the base may check liveness too: compare safety).
      expect(eng.distinctStates).toBeLessThan(plain.distinctStates);
      if (plain.verdict === 'violated' && !config(m, base).properties.includes(plain.violated!)) expect(eng.violated).toBe(plain.violated);
      else expect(eng.verdict).toBe(plain.verdict === 'violated' && config(m, base).properties.includes(plain.violated!) ? 'holds' : plain.verdict);
      // A counterexample found under symmetry is a real behaviour, labelled step by step.
      if (tlc.verdict === 'violated') expect(tlc.trace!.slice(1).every((s) => s.via)).toBe(true);
    }, 120_000);
  }

  (LARGE ? it : it.skip)('every pool spec\'s large configuration: TLC and the engine agree (POOLSPEC_SYMMETRY=large)', async () => {
    for (const name of ['NoCachePool', 'TreiberPool', 'DwcasPool', 'BusyPool', 'LockedPool']) {
      const m = await spec(name);
      const c = config(m, 'large');
      const eng = exploreFast(machine(m, 'large'));
      expect(eng.compiled).toBe(true);
      const tlc = await checkWithTlc(m, c, { jar: await jar(), workers: 2 });
      expect([name, tlc.verdict, tlc.violated, tlc.distinctStates]).toEqual([name, eng.verdict, eng.violated, eng.distinctStates]);
      expect(tlc.matchesExpected).toBe(true);
    }
  }, 3_600_000);
});

describe('symmetry: canonical states and the emitted model', () => {
  it('a state and its image under a permutation of threads and blocks get the same canonical key', async () => {
    const m = await spec('BusyPool');
    const sym = symmetryOf(m, config(m, 'large'));
    expect(isSymmetry(sym)).toBe(true);
    if (!isSymmetry(sym)) return;
    expect(sym.order).toBe(36);
    // Thread 1 holds block 2 and is popping with r = 3 (the head); thread 3 caches block 1.
    const s: State = { head: 3, next: [0, 0, 1], where: ['thread', 'thread', 'list'], mapped: [true, true, true], fault: false, lhead: 3,
      pc: ['D2', 'idle', 'idle'], held: [mkSet([2]), mkSet([]), mkSet([])], cache: [mkSet([]), mkSet([]), mkSet([1])],
      blk: [0, 0, 0], fw: [0, 0, 0], r: [3, 0, 0], nx: [0, 0, 0], fl: [0, 0, 0] };
    // Its image under threads 1 <-> 3 and blocks 1 -> 2 -> 3 -> 1 (NULL stays 0).
    const b = (x: number) => (x >= 1 ? (x % 3) + 1 : x);
    const overThreads = <T,>(xs: T[]) => [xs[2], xs[1], xs[0]];
    const overBlocks = <T,>(xs: T[], f: (x: T) => T) => { const out = [...xs]; xs.forEach((x, i) => { out[b(i + 1) - 1] = f(x); }); return out; };
    const img: State = { head: b(3), next: overBlocks(s.next as number[], b), where: overBlocks(s.where as string[], (x) => x), mapped: [true, true, true],
      fault: false, lhead: b(3), pc: overThreads(s.pc as string[]), held: overThreads([mkSet([b(2)]), mkSet([]), mkSet([])]),
      cache: overThreads([mkSet([]), mkSet([]), mkSet([b(1)])]), blk: [0, 0, 0], fw: [0, 0, 0], r: overThreads([b(3), 0, 0]), nx: [0, 0, 0], fl: [0, 0, 0] };
    expect(img).not.toEqual(s);
    expect(sym.key(img)).toBe(sym.key(s));
    // Not in the orbit: the head is block 3 but thread 1 read another block.
    expect(sym.key({ ...s, r: [1, 0, 0] })).not.toBe(sym.key(s));
  });

  it('the large configuration overrides Threads and Blocks with model values and declares SYMMETRY', async () => {
    const m = await spec('BusyPool');
    const cfg = emitCfg(m, config(m, 'large'));
    expect(cfg).toContain('  Threads = {t1, t2, t3}\n  Blocks = {b1, b2, b3}\n');
    expect(cfg).toContain('SYMMETRY Symmetry_large');
    expect(cfg).not.toContain('PROPERTIES');
    expect(emitTla(m)).toContain('Symmetry_large == Permutations(Threads) \\cup Permutations(Blocks)');
    // Configurations without symmetry are unchanged.
    expect(emitCfg(m, config(m, 'small'))).not.toMatch(/SYMMETRY|t1/);
  });

  it('both backends refuse symmetry with temporal properties, naming the configuration\'s spec line', async () => {
    const m = await spec('BusyPool');
    // A Model edited by hand skips validation: the backends check again.
    const c: Config = { ...config(m, 'small'), name: 'liveSym', symmetry: ['Threads'] };
    m.configs.push(c);
    m.sources['config:liveSym'] = { file: 'spec/BusyPool.ts', line: 79 };
    const eng = explore(machine(m, 'liveSym'));
    expect(eng.verdict).toBe('error');
    expect(eng.error).toMatchObject({ code: 'SPEC_SYMMETRY', at: { file: 'spec/BusyPool.ts', line: 79 } });
    expect(eng.error!.message).toContain('symmetry cannot be combined with temporal properties (BusyReleased, Progress)');
    const tlc = await checkWithTlc(m, c, { jar: await jar() });
    expect(tlc.verdict).toBe('error');
    expect(tlc.errors[0]).toMatchObject({ code: 'SPEC_SYMMETRY', at: { file: 'spec/BusyPool.ts', line: 79 } });
    // The PlusCal backend refuses symmetry altogether.
    const safe: Config = { ...c, name: 'safeSym', properties: [] };
    m.configs.push(safe);
    const pcal = await checkWithTlc(m, safe, { jar: await jar(), backend: 'pluscal' });
    expect(pcal.errors[0]).toMatchObject({ code: 'SPEC_SYMMETRY' });
    expect(pcal.errors[0].message).toContain('the PlusCal backend does not support symmetry');
  });
});
