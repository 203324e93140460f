/**
 * A small seeded PRNG, so that every simulation run is reproducible from the seed it prints:
 * xoshiro128** (Blackman & Vigna) on 32-bit words, its state filled by splitmix32 from a 32-bit seed.
 * Math.random is never used.
 */

export type Seed = number; // an unsigned 32-bit integer

export const MAX_SEED = 0xffffffff;

export const isSeed = (x: number): x is Seed => Number.isInteger(x) && x >= 0 && x <= MAX_SEED;

/** splitmix32: a good 32-bit mixer; consecutive seeds give unrelated outputs. */
function splitmix32(state: number): { state: number; out: number } {
  const s = (state + 0x9e3779b9) >>> 0;
  let z = s;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
  return { state: s, out: (z ^ (z >>> 16)) >>> 0 };
}

/** The seed of the run after the one seeded with `s` (so a run's own seed replays it as run 1). */
export function nextSeed(s: Seed): Seed {
  return splitmix32(s ^ 0x5bd1e995).out;
}

/** A seed from the clock and the process id, for runs started without --seed (it is printed). */
export function freshSeed(): Seed {
  return splitmix32((Date.now() ^ (process.pid << 16)) >>> 0).out;
}

export class Rng {
  private s: Uint32Array;

  constructor(seed: Seed) {
    this.s = new Uint32Array(4);
    let st = seed >>> 0;
    for (let i = 0; i < 4; i += 1) {
      const r = splitmix32(st);
      st = r.state;
      this.s[i] = r.out;
    }
    if (this.s.every((x) => x === 0)) this.s[0] = 1; // the all-zero state is a fixed point
  }

  /** A generator in the given raw state (for checking against the reference outputs). */
  static fromState(words: [number, number, number, number]): Rng {
    const r = new Rng(0);
    r.s.set(words.map((w) => w >>> 0));
    return r;
  }

  /** The next 32-bit output of xoshiro128**. */
  nextU32(): number {
    const s = this.s;
    const result = Math.imul(rotl(Math.imul(s[1], 5) >>> 0, 7), 9) >>> 0;
    const t = (s[1] << 9) >>> 0;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 11);
    return result;
  }

  /** A uniform integer in [0, n), without modulo bias (rejection sampling). */
  below(n: number): number {
    if (!Number.isInteger(n) || n <= 0 || n > 2 ** 32) throw new RangeError(`below(${n})`);
    const limit = 2 ** 32 - (2 ** 32 % n);
    for (;;) {
      const x = this.nextU32();
      if (x < limit) return x % n;
    }
  }

  /** A uniform number in [0, 1). */
  unit(): number {
    return this.nextU32() / 2 ** 32;
  }

  /** A uniformly chosen element of a non-empty array. */
  pick<T>(xs: readonly T[]): T {
    return xs[this.below(xs.length)];
  }
}

const rotl = (x: number, k: number): number => ((x << k) | (x >>> (32 - k))) >>> 0;
