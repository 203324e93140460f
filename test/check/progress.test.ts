/**
 * Progress with the real TLC: liveness counterexamples are lassos (loopStart, stuttering) printed with
 * their loop marked; a lock word left BUSY by a house-style variant fails the library's default
 * configurations; a deadlock says where each thread is blocked; a violated invariant names its false
 * conjuncts with their spec lines.
 */
import { describe, expect, it } from 'vitest';
import { checkWithEngine, checkWithTlc } from '../../src/check/check.ts';
import type { CheckResult } from '../../src/check/result.ts';
import type { Model } from '../../src/dsl/ir.ts';
import { formatTrace } from '../../src/report/trace-text.ts';
import { keyOf, machine, successors } from '../../src/engine/step.ts';
import { config, fixtureSpec, jar, spec } from '../helpers.ts';

const tlc = async (m: Model, cfg: string): Promise<CheckResult> =>
  checkWithTlc(m, config(m, cfg), { jar: await jar(), workers: 1, timeoutSeconds: 300 });

/** Every step of the trace is a step of the model, and a closing step leads back to loopStart. */
function expectRealLasso(m: Model, cfg: string, r: CheckResult): void {
  const mc = machine(m, cfg);
  const trace = r.trace!;
  for (let i = 1; i < trace.length; i += 1) {
    const next = successors(mc, trace[i - 1].state).filter((s) => keyOf(mc, s.next) === keyOf(mc, trace[i].state));
    expect(next.length, `step ${trace[i].index} is a step of the model`).toBeGreaterThan(0);
  }
  const start = trace.find((s) => s.index === r.loopStart)!;
  expect(start).toBeDefined();
  if (!r.stuttering) expect(keyOf(mc, trace[trace.length - 1].state)).toBe(keyOf(mc, start.state));
}

describe('liveness counterexamples are lassos', () => {
  it('BusyPool starvation: StarvationFree is violated by a loop in which one thread never completes', async () => {
    const m = await spec('BusyPool');
    const r = await tlc(m, 'starvation');
    expect(r.errors).toEqual([]);
    expect([r.verdict, r.violated, r.matchesExpected]).toEqual(['violated', 'StarvationFree', true]);
    expect(r.loopStart).not.toBeNull();
    expect(r.stuttering).toBe(false);
    expectRealLasso(m, 'starvation', r);
    const text = formatTrace(m, r.trace!, r);
    expect(text).toContain(`StarvationFree is violated by a behaviour that repeats steps ${r.loopStart! + 1}-`);
    expect(text).toContain(`--- state ${r.loopStart}: the loop starts here ---`);
    expect(text).toContain(`--- back to state ${r.loopStart}: the loop starts again ---`);
  });

  it('BusyPool small holds its progress properties and the BusyOwned invariant', async () => {
    const m = await spec('BusyPool');
    const c = config(m, 'small');
    expect(c.invariants).toContain('BusyOwned');
    expect(c.properties).toEqual(['BusyReleased', 'Progress']);
    const r = await tlc(m, 'small');
    expect([r.verdict, r.distinctStates, r.statesGenerated, r.depth]).toEqual(['holds', 4198, 10053, 41]);
  });
});

describe('a head left BUSY by a house-style variant fails the default configurations', () => {
  it('poolConfigs checks BusyReleased although the variant declares no lock', async () => {
    const m = await fixtureSpec('models/BusyLeakPool.ts');
    expect(m.properties.map((p) => p.name)).toContain('BusyReleased');
    expect(config(m, 'noOsFree').properties).toContain('BusyReleased');
  });

  it('noOsFree: BusyReleased is violated by a lasso whose loop keeps the head BUSY', async () => {
    const m = await fixtureSpec('models/BusyLeakPool.ts');
    const r = await tlc(m, 'noOsFree');
    expect(r.errors).toEqual([]);
    expect([r.verdict, r.violated]).toEqual(['violated', 'BusyReleased']);
    expect(r.loopStart).not.toBeNull();
    expectRealLasso(m, 'noOsFree', r);
    // TLC checks liveness now and then while it explores, so the lasso it prints may end stuttering
    // (every thread spinning) or loop (a thread cycling through its local cache): either way the head
    // stays BUSY in every state of the loop.
    const loop = r.trace!.filter((s) => s.index >= r.loopStart!);
    for (const s of loop) expect(s.state.head).toBe(-1);
    const text = formatTrace(m, r.trace!, r);
    if (r.stuttering) {
      expect(r.stops!.map((s) => s.why)).toEqual(['spinning', 'spinning']);
      expect(text).toContain('BusyReleased is violated by a behaviour that stops after');
      expect(text).toMatch(/thread\d at (D2|E5|H2): spinning \(only \w+ is enabled, and it changes nothing\)/);
    } else {
      expect(text).toContain(`--- back to state ${r.loopStart}: the loop starts again ---`);
    }
  });

  it('the engine finds the same violation, as a lasso that keeps the head BUSY', async () => {
    const m = await fixtureSpec('models/BusyLeakPool.ts');
    const r = checkWithEngine(m, config(m, 'noOsFree'));
    expect([r.verdict, r.violated]).toEqual(['violated', 'BusyReleased']);
    expectRealLasso(m, 'noOsFree', r);
    for (const s of r.trace!.filter((x) => x.index >= r.loopStart!)) expect(s.state.head).toBe(-1);
  });
});

describe('why a safety counterexample fails', () => {
  it('a deadlock says where each thread is blocked and which guards are false', async () => {
    const m = await fixtureSpec('models/deadlock-locks.ts');
    const r = await tlc(m, 'small');
    expect([r.verdict, r.violated]).toEqual(['violated', 'Deadlock']);
    expect(r.stops).toEqual([
      expect.objectContaining({ thread: 'thread1', label: 'second', why: 'blocked' }),
      expect.objectContaining({ thread: 'thread2', label: 'second', why: 'blocked' }),
    ]);
    expect(r.stops![0].detail).toContain('second_takeB needs ((b = 0) /\\ (self = 1))');
    expect(formatTrace(m, r.trace!, r)).toContain('no process can move:\n  thread1 at second: blocked');
  });

  it('TreiberPool noOsFree: the false conjuncts of FreeListIntact, each with its spec line', async () => {
    const m = await spec('TreiberPool');
    const r = await tlc(m, 'noOsFree');
    expect(r.violated).toBe('FreeListIntact');
    // One worker: the counterexample is the engine's (test/engine/differential.test.ts), where one of
    // the six conjuncts is false, the list/where agreement (test/engine/judge.test.ts).
    expect(r.failedConjuncts).toHaveLength(1);
    expect(r.failedConjuncts[0].text).toMatch(/head.*"list"/);
    for (const c of r.failedConjuncts) expect(c.source).toMatch(/^spec\/lib\/pool\.ts:\d+$/);
    // Each names the line that wrote the conjunct, not the line of the whole invariant.
    const declared = m.sources['invariant:FreeListIntact'].line;
    for (const c of r.failedConjuncts) expect(Number(c.source!.split(':')[1])).toBeGreaterThan(declared);
    expect(formatTrace(m, r.trace!, r)).toMatch(/false in the last state \(\d conjuncts? of FreeListIntact\):\n {2}spec\/lib\/pool\.ts:\d+: /);
  });
});
