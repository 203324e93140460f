/** The shared-memory layout and the atomic operations the runtime executes steps with. */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { extract, replace } from '../../src/runtime/memory.ts';
import { Instance, forced } from '../../src/runtime/instance.ts';
import { spec } from '../helpers.ts';

afterEach(() => vi.restoreAllMocks());

describe('memory layout', () => {
  it('packs a DWCAS pair into one 64-bit word, low half first, negative values included', async () => {
    const inst = new Instance(await spec('DwcasPool'), 'small');
    const head = inst.shared.layout.vars.get('head')!;
    const seq = inst.shared.layout.vars.get('seq')!;
    expect([head.where, seq.where, head.base, seq.base, head.half, seq.half]).toEqual(['pair', 'pair', 0, 0, 0, 1]);
    let raw = replace(head, 0n, -1);
    raw = replace(seq, raw, 7);
    expect(extract(head, raw)).toBe(-1);
    expect(extract(seq, raw)).toBe(7);
    expect(raw).toBe((7n << 32n) | 0xffffffffn);
  });

  it('keeps the link word inside each block, at its first word', async () => {
    const inst = new Instance(await spec('BusyPool'), 'small', { blockSize: 48 * 1024 });
    inst.shared.writeVar('next', [2, -1]);
    expect(inst.shared.memory.arena[0]).toBe(2);
    expect(inst.shared.memory.arena[(48 * 1024) / 4]).toBe(-1);
    expect(inst.shared.readVar('next')).toEqual([2, -1]);
  });
});

describe('steps use the hardware operation the spec describes', () => {
  it('BusyPool: XCHG is Atomics.exchange, the push CAS is Atomics.compareExchange', async () => {
    const inst = new Instance(await spec('BusyPool'), 'small');
    const t1 = inst.proc(1);
    // Put a block in the list: alloc from the OS, then free it to the shared list.
    for (const [tr, args] of [['idle_alloc', {}], ['D1', {}], ['D2_empty', {}], ['os_get', { b: 1 }], ['idle_freePush', { b: 1 }], ['E2_notCrowded', {}], ['E5_link', {}]] as const) {
      expect(t1.step(forced(tr, args)), tr).not.toBeNull();
    }
    const cas = vi.spyOn(Atomics, 'compareExchange');
    expect(t1.step(forced('E6_ok', {}))).not.toBeNull();
    expect(cas).toHaveBeenCalledTimes(1);
    expect(inst.shared.readVar('head')).toBe(1);
    for (const tr of ['idle_alloc', 'D1']) t1.step(forced(tr, {}));
    const xchg = vi.spyOn(Atomics, 'exchange');
    expect(t1.step(forced('D2_xchg', {}))).not.toBeNull();
    expect(xchg).toHaveBeenCalledTimes(1);
    expect(inst.shared.readVar('head')).toBe(-1); // BUSY
    expect(t1.locals.r).toBe(1);
  });

  it('DwcasPool: the pop is one 64-bit compareExchange on {head, seq}', async () => {
    const inst = new Instance(await spec('DwcasPool'), 'small');
    const t1 = inst.proc(1);
    for (const [tr, args] of [['idle_alloc', {}], ['A1', {}], ['A2', {}], ['A4_empty', {}], ['os_get', { b: 2 }], ['idle_freePush', { b: 2 }], ['B1', {}], ['B3_notCrowded', {}], ['B6', {}], ['B7_ok', {}], ['idle_alloc', {}], ['A1', {}], ['A2', {}], ['A4_deref', {}]] as const) {
      expect(t1.step(forced(tr, args)), tr).not.toBeNull();
    }
    const cas = vi.spyOn(Atomics, 'compareExchange');
    expect(t1.step(forced('A5_ok', {}))).not.toBeNull();
    expect(cas).toHaveBeenCalledTimes(1);
    expect(cas.mock.calls[0][0]).toBeInstanceOf(BigInt64Array);
    expect([inst.shared.readVar('head'), inst.shared.readVar('seq')]).toEqual([0, 1]);
  });
});

describe('the OS boundary', () => {
  it('a block given back to the OS is poisoned, one taken from the OS is zeroed', async () => {
    const inst = new Instance(await spec('BusyPool'), 'small', { blockSize: 64 });
    const t1 = inst.proc(1);
    const payload = (b: number) => [...inst.shared.memory.arena.subarray((b - 1) * 16 + 2, b * 16)];
    inst.shared.memory.arena.fill(7);
    for (const [tr, args] of [['idle_alloc', {}], ['D1', {}], ['D2_empty', {}], ['os_get', { b: 1 }]] as const) t1.step(forced(tr, args));
    expect(payload(1)).toEqual(new Array(14).fill(0));
    expect(payload(2)).toEqual(new Array(14).fill(7));
    for (const [tr, args] of [['idle_freePush', { b: 1 }], ['E2_crowded', {}]] as const) t1.step(forced(tr, args));
    expect(payload(1)).toEqual(new Array(14).fill(0xdededede | 0));
    expect(inst.shared.readVar('mapped')).toEqual([false, false]);
  });
});
