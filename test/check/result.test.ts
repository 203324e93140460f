/** matches(): a result matches its configuration's expectation exactly, never by accident. */
import { describe, expect, it } from 'vitest';
import { describeExpectation, matches } from '../../src/check/result.ts';

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
