/** TLC's counterexamples replayed on the runtime, step for step. */
import { describe, expect, it } from 'vitest';
import { checkWithTlc } from '../../src/check/check.ts';
import { replay } from '../../src/conformance/replay.ts';
import { config, jar, spec } from '../helpers.ts';

const counterexample = async (name: string, cfg: string) => {
  const m = await spec(name);
  const r = await checkWithTlc(m, config(m, cfg), { jar: await jar(), workers: 1 });
  expect(r.trace).not.toBeNull();
  return { m, r };
};

describe('replaying TLC counterexamples on the runtime', () => {
  it('DwcasPool small: the runtime faults with a use-after-free at the step where NoUseAfterFree fails', async () => {
    const { m, r } = await counterexample('DwcasPool', 'small');
    expect(r.violated).toBe('NoUseAfterFree');
    const rp = replay(m, 'small', r.trace!);
    expect(rp.matched).toBe(true);
    expect(rp.executed).toBe(r.trace!.length - 1);
    const last = r.trace![r.trace!.length - 1];
    expect(rp.faultStep).toBe(last.index);
    expect(rp.faults).toHaveLength(1);
    expect(rp.faults[0]).toMatchObject({ transition: 'A4_deref', variable: 'next', access: 'read', proc: last.via!.proc });
    expect(rp.faults[0].source).toMatch(/^spec\/lib\/dwcas\.ts:\d+$/);
    // No fault anywhere before the violating step.
    expect(rp.faults.every((f) => f.step === last.index)).toBe(true);
  });

  it('TreiberPool noOsFree: the replay ends with the corruption TLC reports, seen by the accounting', async () => {
    const { m, r } = await counterexample('TreiberPool', 'noOsFree');
    expect(['FreeListIntact', 'NoDoubleAlloc']).toContain(r.violated);
    const rp = replay(m, 'noOsFree', r.trace!);
    expect(rp.matched).toBe(true);
    expect(rp.faults).toEqual([]);
    const a = rp.accounting!;
    expect(a.lost + a.duplicated).toBeGreaterThan(0);
    expect(a.blocks).toBe(2);
  });

  it('a trace the runtime cannot follow is reported as a mismatch at that step', async () => {
    const { m, r } = await counterexample('DwcasPool', 'small');
    const tampered = structuredClone(r.trace!);
    tampered[5].state.head = 2;
    const rp = replay(m, 'small', tampered);
    expect(rp.matched).toBe(false);
    expect(rp.mismatch!.step).toBe(tampered[5].index);
    expect(rp.mismatch!.differences).toContainEqual({ name: 'head', trace: 'b2', runtime: expect.any(String) });
  });
});
