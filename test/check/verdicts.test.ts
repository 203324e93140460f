/**
 * The verdict table in `small`, with the real TLC: every pool spec gets the verdict it declares, the
 * state counts of the exhaustive runs are exact, and DwcasPool's counterexample is the GH #1275 race.
 */
import { describe, expect, it } from 'vitest';
import { checkWithTlc } from '../../src/check/check.ts';
import type { CheckResult } from '../../src/check/result.ts';
import { formatTrace } from '../../src/report/trace-text.ts';
import { config, jar, spec, POOL_SPECS } from '../helpers.ts';

const run = async (name: string, cfg: string): Promise<CheckResult> => {
  const m = await spec(name);
  return checkWithTlc(m, config(m, cfg), { jar: await jar(), workers: 1, timeoutSeconds: 300 });
};

describe('small: every pool spec has its expected verdict', () => {
  // One worker, breadth-first: the property TLC reports first, the counts and the depth are exact
  // (the invariant violations are found by the search itself, not by the periodic liveness check).
  const expected: Record<string, { verdict: string; violated: string | null; distinct: number; generated: number; depth: number }> = {
    TreiberPool: { verdict: 'violated', violated: 'NoUseAfterFree', distinct: 946, generated: 2063, depth: 20 },
    DwcasPool: { verdict: 'violated', violated: 'NoUseAfterFree', distinct: 1573, generated: 3315, depth: 23 },
    BusyPool: { verdict: 'holds', violated: null, distinct: 4198, generated: 10053, depth: 41 },
    LockedPool: { verdict: 'holds', violated: null, distinct: 3935, generated: 8405, depth: 65 },
  };
  for (const name of POOL_SPECS) {
    it(name, async () => {
      const r = await run(name, 'small');
      expect(r.errors).toEqual([]);
      const { verdict, violated, distinctStates: distinct, statesGenerated: generated, depth } = r;
      expect({ verdict, violated, distinct, generated, depth }).toEqual(expected[name]);
      expect(r.trace?.length ?? null).toBe(verdict === 'violated' ? depth : null);
      expect(r.matchesExpected).toBe(true);
      expect(r.backend).toBe('tla');
    });
  }

  it('exhaustive runs report exact counts (BusyPool, LockedPool)', async () => {
    const busy = await run('BusyPool', 'small');
    expect([busy.distinctStates, busy.statesGenerated, busy.depth]).toEqual([4198, 10053, 41]);
    const locked = await run('LockedPool', 'small');
    expect([locked.distinctStates, locked.statesGenerated, locked.depth]).toEqual([3935, 8405, 65]);
  });

  it('noOsFree: DwcasPool holds (the race needs the unmap), TreiberPool still breaks by ABA', async () => {
    const dwcas = await run('DwcasPool', 'noOsFree');
    expect(dwcas.verdict).toBe('holds');
    expect([dwcas.distinctStates, dwcas.statesGenerated, dwcas.depth]).toEqual([31417, 75963, 69]);
    const treiber = await run('TreiberPool', 'noOsFree');
    expect([treiber.verdict, treiber.violated, treiber.distinctStates, treiber.statesGenerated, treiber.depth])
      .toEqual(['violated', 'FreeListIntact', 2428, 5135, 32]);
  });
});

describe("DwcasPool's counterexample is the seed commit's race", () => {
  it('a stale head is popped, used and freed to the OS by another thread, then dereferenced', async () => {
    const m = await spec('DwcasPool');
    const r = await run('DwcasPool', 'small');
    const trace = r.trace!;
    expect(trace).not.toBeNull();
    const steps = trace.slice(1).map((s, i) => ({ ...s.via!, before: trace[i].state, after: s.state }));
    const last = steps[steps.length - 1];
    // The last step: thread A dereferences ch (A4) and faults.
    expect(last.transition).toBe('A4_deref');
    expect(last.after.fault).toBe(true);
    const A = last.proc;
    const ch = (last.before.ch as number[])[A - 1];
    expect(ch).toBeGreaterThan(0);
    // A read that head earlier (A2) ...
    const readAt = steps.findIndex((s) => s.proc === A && s.transition === 'A2' && (s.after.ch as number[])[A - 1] === ch);
    expect(readAt).toBeGreaterThanOrEqual(0);
    // ... then another thread B popped the same block (DWCAS succeeded, block in B's hands) ...
    const popAt = steps.findIndex((s, i) => i > readAt && s.proc !== A && s.transition === 'A5_ok' && (s.after.held as { set: number[] }[])[s.proc - 1].set.includes(ch));
    expect(popAt).toBeGreaterThan(readAt);
    const B = steps[popAt].proc;
    // ... and gave it back to the OS (crowded free), all before A's dereference.
    const freeAt = steps.findIndex((s, i) => i > popAt && s.proc === B && s.transition === 'B3_crowded' && (s.after.where as string[])[ch - 1] === 'os');
    expect(freeAt).toBeGreaterThan(popAt);
    expect(freeAt).toBe(steps.length - 2);
    // The readable form names the threads, transitions and spec lines.
    const text = formatTrace(m, trace, { violated: r.violated });
    expect(text).toContain('NoUseAfterFree is violated');
    expect(text).toMatch(/thread\d\s+A4_deref\s+spec\/lib\/dwcas\.ts:42/);
    expect(text).toMatch(/B3_crowded\s+spec\/lib\/pool\.ts:\d+/);
    expect(text).toContain('fault: FALSE -> TRUE');
  });
});
