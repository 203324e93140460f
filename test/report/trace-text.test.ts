/**
 * The heading of a printed counterexample, on a behaviour of one step: a safety violation, and a
 * liveness violation that stutters forever once the thread has finished. TLC (TLA+ and PlusCal)
 * and the engine report the same stuttering lasso, so all three print the same words.
 */
import { describe, expect, it } from 'vitest';
import { checkWithEngine, checkWithTlc } from '../../src/check/check.ts';
import { formatTrace } from '../../src/report/trace-text.ts';
import { config, fixtureSpec, jar } from '../helpers.ts';

describe('counterexample headings', () => {
  it('one step: "after 1 step", not "1 steps"', async () => {
    const m = await fixtureSpec('specs/live/Finishes.ts');
    const r = checkWithEngine(m, config(m, 'safety'));
    expect([r.verdict, r.violated]).toEqual(['violated', 'StaysZero']);
    expect(formatTrace(m, r.trace!, r).split('\n')[0]).toBe('StaysZero is violated after 1 step:');
  });

  for (const backend of ['engine', 'tla', 'pluscal'] as const) {
    it(`${backend}: a finished thread is a stuttering lasso, "stops after 1 step and stutters forever"`, async () => {
      const m = await fixtureSpec('specs/live/Finishes.ts');
      const c = config(m, 'live');
      const r = backend === 'engine' ? checkWithEngine(m, c) : await checkWithTlc(m, c, { jar: await jar(), workers: 1, timeoutSeconds: 120, backend });
      expect(r.errors).toEqual([]);
      expect([r.verdict, r.violated, r.loopStart, r.stuttering, r.trace?.length]).toEqual(['violated', 'BackToZero', 2, true, 2]);
      const text = formatTrace(m, r.trace!, r);
      expect(text.split('\n')[0]).toBe('BackToZero is violated by a behaviour that stops after 1 step and stutters forever:');
      expect(text).toContain('--- from state 2 on, nothing changes forever (stuttering) ---');
    });
  }
});
