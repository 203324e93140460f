/** matches(): a result matches its configuration's expectation exactly, never by accident. */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { describeExpectation, jsonTrace, matches, noCounterexample } from '../../src/check/result.ts';
import { simulate } from '../../src/engine/simulate.ts';
import { machine } from '../../src/engine/step.ts';
import { transitionSource } from '../../src/report/trace-text.ts';
import { fixtureSpec } from '../helpers.ts';

const holds = { verdict: 'holds' as const };
const violates = (...oneOf: string[]) => ({ verdict: 'violated' as const, oneOf });

describe('matches', () => {
  it('a holding configuration matches only "holds"', () => {
    expect(matches(holds, 'holds', null)).toBe(true);
    expect(matches(holds, 'violated', 'NoUseAfterFree')).toBe(false);
    expect(matches(holds, 'violated', null)).toBe(false);
    expect(matches(holds, 'error', null)).toBe(false);
  });

  it('an expected violation matches only a violation of a listed property', () => {
    expect(matches(violates('NoUseAfterFree'), 'violated', 'NoUseAfterFree')).toBe(true);
    // A violated property outside the expectation is a mismatch: the bug found is not the one expected.
    expect(matches(violates('NoUseAfterFree'), 'violated', 'NoDoubleAlloc')).toBe(false);
    expect(matches(violates('NoUseAfterFree'), 'violated', 'Deadlock')).toBe(false);
    expect(matches(violates('NoUseAfterFree'), 'violated', 'noUseAfterFree')).toBe(false);
    expect(matches(violates('NoUseAfterFree'), 'violated', null)).toBe(false);
    expect(matches(violates('NoUseAfterFree'), 'holds', null)).toBe(false);
    expect(matches(violates('NoUseAfterFree'), 'error', 'NoUseAfterFree')).toBe(false);
    // The verdict decides, not the presence of a property name.
    expect(matches(violates('NoUseAfterFree'), 'holds', 'NoUseAfterFree')).toBe(false);
  });

  it('any one of several listed properties matches, and nothing else', () => {
    const e = violates('NoUseAfterFree', 'NoDoubleAlloc');
    expect(matches(e, 'violated', 'NoUseAfterFree')).toBe(true);
    expect(matches(e, 'violated', 'NoDoubleAlloc')).toBe(true);
    expect(matches(e, 'violated', 'NoLeak')).toBe(false);
    expect(matches(e, 'holds', null)).toBe(false);
  });

  it('an empty list of properties matches nothing', () => {
    expect(matches(violates(), 'violated', 'NoLeak')).toBe(false);
    expect(matches(violates(), 'holds', null)).toBe(false);
  });
});

describe('describeExpectation', () => {
  it('names the verdict and the properties', () => {
    expect(describeExpectation(holds)).toBe('holds');
    expect(describeExpectation(violates('A'))).toBe('violates A');
    expect(describeExpectation(violates('A', 'B'))).toBe('violates A|B');
  });
});

describe('noCounterexample', () => {
  it('is a result without trace, lasso, conjuncts or stops', () => {
    expect(noCounterexample()).toEqual({ trace: null, loopStart: null, stuttering: false, failedConjuncts: [], stops: null });
  });
});

describe('jsonTrace', () => {
  it('gives each step its thread, transition, spec line and the changes from the state before', async () => {
    const model = await fixtureSpec(path.join('..', 'engine', 'fixtures', 'Transient.ts'));
    const r = simulate(machine(model, 'small'), { runs: 1, depth: 5, seed: 1 });
    const steps = jsonTrace(model, r.trace!);
    expect(steps.map((s) => [s.index, s.thread, s.proc, s.transition, s.source])).toEqual([
      [1, null, null, null, null],
      [2, 't1', 1, 'a', transitionSource(model, 'T', 'a')],
      [3, 't1', 1, 'b', transitionSource(model, 'T', 'b')],
    ]);
    expect(steps[1].source).toMatch(/Transient\.ts:\d+$/);
    expect(steps.map((s) => s.changes)).toEqual([
      [],
      [{ name: 'x', from: '0', to: '1' }, { name: 't1.pc', from: 'a', to: 'b' }],
      [{ name: 'x', from: '1', to: '2' }, { name: 't1.pc', from: 'b', to: 'c' }],
    ]);
    expect(steps[2].state).toEqual({ x: 2, pc: ['c'] });
  });
});
