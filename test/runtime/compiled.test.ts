/**
 * The compiled runtime against the interpreter (the reference): under the deterministic scheduler,
 * every pool spec runs the same steps with the same shared memory, ghost state, locals and fault
 * reports after every step, and the engine accepts every step of the compiled run. The emitted module
 * uses the interpreter's atomic operation at each linearization point, cites the spec lines, is
 * reproducible, and a spec the compiler does not know falls back to the interpreter.
 * POOLSPEC_DIFF_SEEDS=30 runs the full 30 seeds (default 3, to keep the suite fast).
 */
import { describe, expect, it } from 'vitest';
import { compileRuntime } from '../../src/codegen/runtime/emit.ts';
import { accept } from '../../src/conformance/accept.ts';
import type { Expr, Model } from '../../src/dsl/ir.ts';
import { Instance } from '../../src/runtime/instance.ts';
import { runScheduled } from '../../src/runtime/scheduler.ts';
import { stress } from '../../src/runtime/stress.ts';
import { spec } from '../helpers.ts';

const SPECS = ['BusyPool', 'DwcasPool', 'LockedPool', 'TreiberPool', 'NoCachePool'];
const SEEDS = Number(process.env.POOLSPEC_DIFF_SEEDS ?? 3);

const bytes = (b: SharedArrayBuffer) => Buffer.from(b).toString('hex');

describe('compiled = interpreted, step by step', () => {
  for (const name of SPECS) {
    it(name, async () => {
      const m = await spec(name);
      let steps = 0;
      for (let seed = 1; seed <= SEEDS; seed += 1) {
        for (const config of ['small', 'standard']) {
          const schedule = { kind: seed % 3 === 0 ? 'roundrobin' : 'random' } as const;
          const a = runScheduled(m, config, { schedule, seed, steps: 150 });
          const b = runScheduled(m, config, { schedule, seed, steps: 150, impl: 'compiled' });
          const at = `${name} ${config} seed ${seed}`;
          expect(b.instance.impl, at).toBe('compiled');
          expect(b.trace.length, at).toBe(a.trace.length);
          for (let i = 0; i < a.trace.length; i += 1) {
            // The projected state holds every shared and ghost variable, every local and pc.
            if (JSON.stringify(b.trace[i]) !== JSON.stringify(a.trace[i])) expect(b.trace[i], `${at} step ${i + 1}`).toEqual(a.trace[i]);
          }
          expect(b.faults, at).toEqual(a.faults);
          expect(b.stopped, at).toBe(a.stopped);
          // The raw memory too: payload poison and zero fills, the pair words.
          for (const k of ['words', 'pairs', 'arena'] as const) {
            expect(bytes(b.instance.shared.memory.buffers[k]), `${at} ${k}`).toBe(bytes(a.instance.shared.memory.buffers[k]));
          }
          expect(accept(m, config, b.trace), at).toEqual({ ok: true, steps: b.trace.length - 1 });
          steps += b.trace.length - 1;
        }
      }
      expect(steps).toBeGreaterThan(SEEDS * 2 * 100);
    });
  }

  it('the compiled runs see the faults (DwcasPool and TreiberPool fault in some seeded flush runs)', async () => {
    let faults = 0;
    for (const name of ['DwcasPool', 'TreiberPool']) {
      const m = await spec(name);
      for (let seed = 1; seed <= 20; seed += 1) {
        const a = runScheduled(m, 'flush', { schedule: { kind: 'random' }, seed, steps: 200 });
        const b = runScheduled(m, 'flush', { schedule: { kind: 'random' }, seed, steps: 200, impl: 'compiled' });
        expect(b.faults).toEqual(a.faults);
        faults += b.faults.length;
      }
    }
    expect(faults).toBeGreaterThan(0);
  });
});

describe('the emitted module', () => {
  it('uses the interpreter\'s atomic operation at each linearization point and cites the spec line', async () => {
    const busy = compileRuntime(await spec('BusyPool'));
    const dwcas = compileRuntime(await spec('DwcasPool'));
    if (!busy.ok || !dwcas.ok) throw new Error('refused');
    const caseOf = (text: string, t: string) => text.slice(text.indexOf(`// ${t} ->`), text.indexOf('return tx;', text.indexOf(`// ${t} ->`)));
    expect(caseOf(busy.text, 'D2_xchg')).toContain('xchg(p, W_head, s0);');
    expect(caseOf(busy.text, 'D2_xchg')).toMatch(/spec\/lib\/busy\.ts:\d+/);
    expect(caseOf(busy.text, 'E6_ok')).toContain('if (!casw(p, W_head, s0)) return RETRY;');
    expect(caseOf(busy.text, 'D7')).toContain('Atomics.store(i32, W_head, s0);');
    expect(caseOf(busy.text, 'E5_link')).toContain('Atomics.store(arena, bix(si0, W_next), s0);');
    expect(caseOf(busy.text, 'E5_link')).toContain("if (!mapped(p, si0)) rt.fault(p, tx, \"next\", si0, 'write');");
    expect(caseOf(busy.text, 'D6')).toContain('rdb(p, tx, W_next, "next", L.r)');
    expect(caseOf(dwcas.text, 'A5_ok')).toContain('Atomics.compareExchange(i64, 0, base, withHi(withLo(base, s0), s1)) !== base) return RETRY;');
    expect(caseOf(busy.text, 'os_get')).toContain('if (!gcas(p, gw0, 1)) return RETRY;');
  });

  it('is reproducible byte for byte', async () => {
    const a = compileRuntime(await spec('LockedPool'));
    const b = compileRuntime(await spec('LockedPool'));
    expect(a.ok && b.ok && a.text === b.text).toBe(true);
  });

  it('a spec the compiler does not know runs interpreted, with the reason', async () => {
    const m = await spec('BusyPool');
    const unknown = { op: 'bin', fn: 'mul', a: { op: 'const', name: 'N' }, b: { op: 'const', name: 'N' } } as unknown as Expr;
    const odd: Model = {
      ...m,
      procTypes: m.procTypes.map((pt) => ({
        ...pt, transitions: pt.transitions.map((t) => (t.name === 'D1' ? { ...t, guard: { op: 'bin', fn: 'gt', a: unknown, b: { op: 'lit', value: 0, type: { kind: 'int', lo: 0, hi: 0 } } } as Expr } : t)),
      })),
    };
    expect(compileRuntime(odd)).toEqual({ ok: false, reason: 'the operator mul' });
    const inst = new Instance(odd, 'small', { impl: 'compiled' });
    expect(inst.impl).toBe('interpreted');
    expect(inst.fallback).toBe('the operator mul');
  });
});

describe('compiled stress on real threads', () => {
  it('BusyPool: no fault, every block accounted for', async () => {
    const r = await stress(await spec('BusyPool'), { threads: 2, seconds: 1, blocks: 4, blockSize: 64, chaos: 0, seed: 7, weights: { crowded: 0.5, notCrowded: 0.5 } });
    expect(r.impl).toBe('compiled');
    expect(r.errors).toEqual([]);
    expect(r.faultCount).toBe(0);
    expect(r.accounting).toMatchObject({ blocks: 4, lost: 0, duplicated: 0, cyclic: false });
    const a = r.accounting!;
    expect(a.inList + a.inLocalCaches + a.inHands + a.inTransit + a.atOs).toBe(4);
  });
});
