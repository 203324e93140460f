/**
 * The compiled engine's set of seen states (src/engine/compiled/store.ts), from a tiny start so that
 * the arena grows and the table rehashes many times: every state gets the next number, a state seen
 * before is found (by its whole packed words, even when every hash collides), parents and words
 * survive growth, and bytes() counts what is held.
 */
import { describe, expect, it } from 'vitest';
import { StateStore } from '../../src/engine/compiled/store.ts';

/** Packs `words` at the scratch position and inserts them. */
function put(s: StateStore, words: number[], parent: number): number {
  const o = s.scratch;
  s.arena.set(words, o);
  return s.insert(parent);
}

const hashes = {
  'a spread hash': (A: Int32Array, o: number) => Math.imul(A[o], 0x9e3779b1) ^ A[o + 1],
  'a constant hash (every state collides)': () => 7,
  'a hash of the first word only': (A: Int32Array, o: number) => A[o],
};

describe('StateStore', () => {
  for (const [name, hash] of Object.entries(hashes)) {
    it(`${name}: numbers states in order, finds each again, keeps words and parents through growth`, () => {
      const s = new StateStore(2, hash, 2);
      const n = 300;
      // States (i, -i) for i = 0..n-1, each with parent i - 1; (i, 0) differs from (i, -i) in the second word only.
      for (let i = 0; i < n; i += 1) expect(put(s, [i, -i], i - 1)).toBe(i);
      expect(s.count).toBe(n);
      for (let i = 0; i < n; i += 1) expect(put(s, [i, -i], 99)).toBe(-(i + 1));
      expect(s.count).toBe(n);
      expect(put(s, [5, 0], 4)).toBe(n);
      expect(put(s, [5, 0], 4)).toBe(-(n + 1));
      for (let i = 0; i < n; i += 1) {
        expect([s.arena[2 * i], s.arena[2 * i + 1]]).toEqual([i, -i | 0]);
        expect(s.parent[i]).toBe(i - 1);
      }
      expect(s.parent[n]).toBe(4);
      // 301 states: the arena and parents grew from 2 to 512 entries, the table (at most half full) to 1024.
      expect(s.arena.length).toBe(512 * 2);
      expect(s.parent.length).toBe(512);
      expect(s.bytes()).toBe(4 * (512 * 2 + 512 + 1024));
    });
  }

  it('the default start holds 65,536 states without growing', () => {
    const s = new StateStore(3, () => 0);
    expect(s.bytes()).toBe(4 * (65536 * 3 + 65536 + 131072));
    expect(s.scratch).toBe(0);
  });

  it('scratch is past the last stored state, growing the arena when it is full', () => {
    const s = new StateStore(3, (A, o) => A[o], 1);
    expect(s.scratch).toBe(0);
    put(s, [1, 2, 3], -1);
    expect(s.arena.length).toBe(3);
    expect(s.scratch).toBe(3);
    expect(s.arena.length).toBe(6);
    expect([...s.arena.slice(0, 3)]).toEqual([1, 2, 3]);
  });
});
