/**
 * The compiled engine's state layout (src/engine/compiled/layout.ts) on every reachable state of
 * specs that use each kind of value (pointers with NULL and BUSY, sets of blocks, arrays, locals,
 * labels and enums as strings, booleans): a state encodes to slots and decodes back to itself, packs
 * into words and unpacks to the same slots, and two different states never pack to the same words.
 */
import { describe, expect, it } from 'vitest';
import { decodeState, encodeState } from '../../src/engine/compiled/layout.ts';
import { compile } from '../../src/engine/compiled/program.ts';
import { initialState, keyOf, machine, successors, type Machine } from '../../src/engine/step.ts';
import type { State } from '../../src/engine/value.ts';
import { spec } from '../helpers.ts';

/** Up to `cap` reachable states, breadth-first (the interpreted engine's steps). */
function reachable(m: Machine, cap: number): State[] {
  const seen = new Map<string, State>();
  const init = initialState(m);
  seen.set(keyOf(m, init), init);
  const queue = [init];
  for (let h = 0; h < queue.length && seen.size < cap; h += 1) {
    for (const s of successors(m, queue[h])) {
      const k = keyOf(m, s.next);
      if (seen.has(k)) continue;
      seen.set(k, s.next);
      queue.push(s.next);
    }
  }
  return [...seen.values()];
}

const CASES: [string, string][] = [
  ['BusyPool.ts', 'small'], ['TreiberPool.ts', 'flush'], ['DwcasPool.ts', 'small'], ['LockedPool.ts', 'small'],
  ['NoCachePool.ts', 'small'], ['BucketPool.ts', 'small'], ['HazardStack.ts', 'revalidate'], ['AtomicPool.ts', 'standard'],
  ['examples/TicketLock.ts', 'small'], ['examples/ReadersWriter.ts', 'small'], ['examples/Mutex.ts', 'correct'],
];

describe('compiled layout: every reachable state round-trips, and packing is injective', () => {
  for (const [file, config] of CASES) {
    it(`${file} ${config}`, async () => {
      const model = await spec(file.replace(/\.ts$/, ''));
      const name = model.configs.some((c) => c.name === config) ? config : model.configs[0].name;
      const m = machine(model, name);
      m.config = { ...m.config, properties: [] };
      const P = compile(m);
      const L = P.L;
      const states = reachable(m, 1500);
      expect(states.length).toBeGreaterThan(10);
      const packedSeen = new Set<string>();
      const A = new Int32Array(L.words * 2);
      const S = new Int32Array(L.slots);
      for (const s of states) {
        const slots = encodeState(L, s);
        expect(slots.length).toBe(L.slots);
        expect(keyOf(m, decodeState(L, slots)), `${file}: decode(encode(s))`).toBe(keyOf(m, s));
        // Packed at an offset, beside another state's words, which it must leave alone.
        A.fill(-7);
        P.pack(slots, A, L.words);
        expect([...A.slice(0, L.words)].every((w) => w === -7), `${file}: pack writes only its own words`).toBe(true);
        P.unpack(A, L.words, S);
        expect([...S], `${file}: unpack(pack(s))`).toEqual([...slots]);
        packedSeen.add(A.slice(L.words).join(','));
      }
      expect(packedSeen.size, `${file}: distinct states pack to distinct words`).toBe(states.length);
      // The initial state's slots are the program's.
      expect([...encodeState(L, initialState(m))]).toEqual([...P.init]);
    });
  }
});
