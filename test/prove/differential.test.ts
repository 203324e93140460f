/**
 * The SMT encoding agrees with the engine: on random states of the right types (mostly unreachable,
 * some with undefined steps) and on states of random behaviours, every transition of every process
 * with every binding has the same enabledness and the same post-state in Z3 as in the engine.
 */
import { describe, expect, it } from 'vitest';
import { differential, randomStates } from '../../src/prove/differential.ts';
import { Encoder } from '../../src/prove/encode.ts';
import { machine } from '../../src/engine/step.ts';
import { simulate } from '../../src/engine/simulate.ts';
import type { State } from '../../src/engine/value.ts';
import { spec } from '../helpers.ts';

const SPECS = ['BusyPool', 'LockedPool', 'DwcasPool', 'TreiberPool', 'NoCachePool', 'AtomicPool'];

describe.concurrent('SMT encoding vs engine', () => {
  for (const name of SPECS) {
    it(`${name} standard: random and reachable states`, async () => {
      const model = await spec(name);
      const m = machine(model, 'standard');
      const enc = new Encoder(model, m.consts);
      const states: State[] = randomStates(enc, 10, 7);
      const sim = simulate(m, { runs: 3, depth: 30, seed: 11 });
      for (const step of sim.trace ?? []) states.push(step.state);
      const r = await differential(model, m, states);
      if (!r.ok) throw new Error(r.errors[0].message);
      expect(r.value.comparisons).toBeGreaterThan(states.length * 10);
      expect(r.value.mismatches.slice(0, 3)).toEqual([]);
    }, 120_000);
  }
});
