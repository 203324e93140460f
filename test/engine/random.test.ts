/** The seeded PRNG: the reference xoshiro128** outputs, determinism and range. */
import { describe, expect, it } from 'vitest';
import { isSeed, nextSeed, Rng } from '../../src/engine/random.ts';

describe('Rng', () => {
  it('produces the reference xoshiro128** outputs', () => {
    const r = Rng.fromState([1, 2, 3, 4]);
    expect([r.nextU32(), r.nextU32(), r.nextU32(), r.nextU32()]).toEqual([11520, 0, 5927040, 70819200]);
  });

  it('is a function of its seed', () => {
    const a = new Rng(42);
    const b = new Rng(42);
    const c = new Rng(43);
    const xs = Array.from({ length: 20 }, () => a.nextU32());
    expect(Array.from({ length: 20 }, () => b.nextU32())).toEqual(xs);
    expect(Array.from({ length: 20 }, () => c.nextU32())).not.toEqual(xs);
  });

  it('draws uniformly below n', () => {
    const r = new Rng(7);
    const counts = [0, 0, 0];
    for (let i = 0; i < 30_000; i += 1) counts[r.below(3)] += 1;
    for (const k of counts) expect(Math.abs(k - 10_000)).toBeLessThan(500);
    expect(() => r.below(0)).toThrow(RangeError);
    expect(r.pick(['only'])).toBe('only');
  });

  it('derives run seeds deterministically, within 32 bits', () => {
    const seeds = [1];
    for (let i = 0; i < 100; i += 1) seeds.push(nextSeed(seeds[seeds.length - 1]));
    expect(seeds.every(isSeed)).toBe(true);
    expect(new Set(seeds).size).toBe(seeds.length);
    expect(nextSeed(123)).toBe(nextSeed(123));
    expect([isSeed(-1), isSeed(2 ** 32), isSeed(1.5), isSeed(0), isSeed(2 ** 32 - 1)]).toEqual([false, false, false, true, true]);
  });
});
