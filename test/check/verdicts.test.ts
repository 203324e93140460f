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
  const expected: Record<string, { verdict: string; violated: string[] }> = {
    TreiberPool: { verdict: 'violated', violated: ['NoUseAfterFree', 'FreeListIntact', 'NoDoubleAlloc'] },
    DwcasPool: { verdict: 'violated', violated: ['NoUseAfterFree'] },
    BusyPool: { verdict: 'holds', violated: [] },
    LockedPool: { verdict: 'holds', violated: [] },
  };
  for (const name of POOL_SPECS) {
    it(name, async () => {
      const r = await run(name, 'small');
      expect(r.errors).toEqual([]);
      expect(r.verdict).toBe(expected[name].verdict);
      if (r.verdict === 'violated') expect(expected[name].violated).toContain(r.violated);
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
    expect(dwcas.distinctStates).toBe(31417);
    const treiber = await run('TreiberPool', 'noOsFree');
    expect(treiber.verdict).toBe('violated');
    expect(['FreeListIntact', 'NoDoubleAlloc']).toContain(treiber.violated);
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
    expect(text).toMatch(/thread\d\s+A4_deref\s+spec\/DwcasPool\.ts:\d+/);
    expect(text).toMatch(/B3_crowded\s+spec\/lib\/pool\.ts:\d+/);
    expect(text).toContain('fault: FALSE -> TRUE');
  });
});
