/**
 * The compiled engine's layout (src/engine/compiled/layout.ts) on small models made for it: the
 * string table (every label and enum value, in the interpreter's canonical order), the width of
 * every slot and how slots fill words, values at the very ends of their types, and each model or
 * value the layout declines (Unsupported, so that the interpreted engine runs the model instead).
 * test/engine/layout.test.ts round-trips the reachable states of the specs; this pins the edges.
 */
import { describe, expect, it } from 'vitest';
import { arrayOf, bool, enumOf, holds, int, mapOver, procId, protocol, setOf, setType, type Type } from '../../src/dsl/index.ts';
import type { Model } from '../../src/dsl/ir.ts';
import { buildLayout, decodeState, encodeState, Unsupported, width } from '../../src/engine/compiled/layout.ts';
import { compile } from '../../src/engine/compiled/program.ts';
import { initialState, machine, type Machine } from '../../src/engine/step.ts';
import type { State } from '../../src/engine/value.ts';

type P = Parameters<Parameters<typeof protocol>[1]>[0];

/** A protocol with two Workers (labels idle and busy) and the shared variables `vars` declares. */
function lay(vars: (p: P) => void, more?: (p: P) => void): Machine {
  const proto = protocol('Lay', (p) => {
    p.constant('N');
    vars(p);
    p.process('Worker', 2, {}, (t) => {
      t.label('idle');
      t.label('busy');
      t.step('idle', { to: 'busy' });
      t.step('busy', { to: 'idle' });
    });
    more?.(p);
    p.config('c', { constants: { N: 2 }, checkDeadlock: false, expect: holds() });
  });
  if (proto.buildErrors.length) throw new Error(JSON.stringify(proto.buildErrors));
  return machine(proto.model, 'c');
}

/** The same machine with one shared variable's declared type replaced (forms the DSL refuses). */
function withType(m: Machine, name: string, type: Type): Machine {
  const model: Model = { ...m.model, vars: m.model.vars.map((v) => (v.name === name ? { ...v, type } : v)) };
  return { ...m, model };
}

/** The message of the Unsupported that f throws; fails when f throws nothing or something else. */
function refusal(f: () => unknown): string {
  let thrown: unknown;
  try { f(); } catch (e) { thrown = e; }
  expect(thrown, 'expected the layout to decline').toBeInstanceOf(Unsupported);
  return (thrown as Error).message;
}

/** encode, pack, unpack, decode: the state must come back deep-equal, set order included. */
function roundTrip(m: Machine, s: State): State {
  const P = compile(m);
  const slots = encodeState(P.L, s);
  const A = new Int32Array(P.L.words);
  P.pack(slots, A, 0);
  const back = new Int32Array(P.L.slots);
  P.unpack(A, 0, back);
  expect([...back]).toEqual([...slots]);
  return decodeState(P.L, back);
}

describe('compiled layout: the string table', () => {
  const m = lay((p) => {
    p.shared('n', int(0, 7), 3);
    p.shared('e', enumOf('zeta', 'omega', 'alpha'), 'zeta');
    p.shared('es', setType(enumOf('zeta', 'omega', 'alpha')), setOf(['zeta', 'alpha']));
  });

  it('holds every label and enum value, and nothing else, in the canonical order of strings', () => {
    // 'omega' appears only in the enum types; 3 is a literal but not a string.
    expect(buildLayout(m).strings).toEqual(['alpha', 'busy', 'idle', 'omega', 'zeta']);
  });

  it('so a set of strings decodes in the interpreter\'s order, and an enum slot spans its values\' ids', () => {
    const s = { ...initialState(m), es: { set: ['alpha', 'omega', 'zeta'] }, e: 'omega' };
    expect(roundTrip(m, s)).toEqual(s);
    expect(roundTrip(m, initialState(m))).toEqual(initialState(m));
    const L = buildLayout(m);
    expect(L.ranges[L.cells.get('e')!.base]).toEqual({ min: 0, max: 4, set: false });
    expect(L.ranges[L.cells.get('es')!.base]).toEqual({ min: 1, max: 5, set: true });
  });
});

describe('compiled layout: slot widths and words', () => {
  it('gives each slot the bits of its range, and fills a word to exactly 32 bits', () => {
    const m = lay((p) => {
      p.shared('x', int(0, 65535), 0);
      p.shared('y', int(-32768, 32767), 0);
      p.shared('z', int(0, 65535), 0);
      p.shared('f', bool, false);
      p.shared('one', int(5, 5), 5);
      p.shared('s', setType(int(-1, 2)), setOf([]));
    });
    const L = buildLayout(m);
    expect(L.order).toEqual(['x', 'y', 'z', 'f', 'one', 's', 'pc']);
    // x, y: 16 bits each, one word; z 16, f 1, one 0 (a single value), s 4 bits (-1..2), pc 1 bit each.
    expect(L.ranges.map(width)).toEqual([16, 16, 16, 1, 0, 4, 1, 1]);
    expect(L.fields.map((f) => [f.word, f.shift])).toEqual([[0, 0], [0, 16], [1, 0], [1, 16], [1, 17], [1, 17], [1, 21], [1, 22]]);
    expect(L.words).toBe(2);
    for (const [x, y, z, f, s] of [[65535, -32768, 1, true, [-1, 2]], [0, 32767, 65535, false, [0, 1]]] as const) {
      const st = { ...initialState(m), x, y, z, f, s: { set: [...s] }, pc: ['busy', 'idle'] };
      expect(roundTrip(m, st)).toEqual(st);
    }
  });

  it('packs a model whose every slot holds one value into one word of its own', () => {
    const m = lay((p) => p.shared('one', int(5, 5), 5), (p) => {
      p.process('Reader', 1, {}, (t) => { t.label('r'); t.step('r', { to: 'r' }); });
    });
    // Only the Workers' pc has two labels: drop them to leave a single-label process.
    const only: Machine = { ...m, procs: m.procs.filter((x) => x.pt.name === 'Reader').map((x) => ({ ...x, id: 1 })) };
    const L = buildLayout(only);
    expect(L.ranges.map(width)).toEqual([0, 0]);
    expect(L.words).toBe(1);
    const P = compile({ ...only, model: { ...only.model, procTypes: only.model.procTypes.filter((x) => x.name === 'Reader'), invariants: [] }, config: { ...only.config, invariants: [] } });
    const A = new Int32Array(3).fill(-7);
    P.pack(P.init, A, 1);
    expect([...A]).toEqual([-7, 0, -7]);
  });

  it('starts a new word rather than split a slot', () => {
    const m = lay((p) => {
      p.shared('x', int(0, 65535), 0);
      p.shared('y', int(0, 131071), 0);
    });
    const L = buildLayout(m);
    expect(L.ranges.map(width)).toEqual([16, 17, 1, 1]);
    expect(L.words).toBe(2);
  });

  it('takes a 31-bit slot and declines a wider one', () => {
    const ok = lay((p) => p.shared('x', int(0, 2147483647), 0));
    expect(buildLayout(ok).ranges.map(width)).toEqual([31, 1, 1]);
    const st = { ...initialState(ok), x: 2147483647 };
    expect(roundTrip(ok, st)).toEqual(st);
    expect(refusal(() => buildLayout(lay((p) => p.shared('x', int(-2147483648, 2147483647), 0))))).toBe('a slot wider than 31 bits');
  });

  it('lays out an array-typed local as one run of slots per process', () => {
    const m = lay(() => undefined, (p) => {
      p.process('Reader', 2, {}, (t) => {
        t.local('la', arrayOf(p.range(1, 3), int(0, 3)), mapOver(p.range(1, 3), () => 0));
        t.label('r');
        t.step('r', { to: 'r' });
      });
    });
    const L = buildLayout(m);
    const c = L.cells.get('la')!;
    // One run of 3 slots for each of the 4 processes (Workers and Readers: locals span every process).
    expect([c.stride, L.slots - c.base]).toEqual([3, 12]);
    const s0 = initialState(m);
    const st = { ...s0, la: [[1, 2, 3], [3, 2, 1], [0, 1, 0], [2, 0, 3]] };
    expect(roundTrip(m, st)).toEqual(st);
  });

  it('gives a set of process ids the ids of its type as bits', () => {
    const m = lay((p) => p.shared('ws', setType(procId('Worker')), setOf([])));
    const L = buildLayout(m);
    expect(L.ranges[L.cells.get('ws')!.base]).toEqual({ min: 2, max: 3, set: true });
    const st = { ...initialState(m), ws: { set: [1, 2] } };
    expect(roundTrip(m, st)).toEqual(st);
  });

  it('gives a process-id variable the ids of its type', () => {
    const m = lay(() => undefined, (p) => {
      p.shared('owner', procId('Reader'), 3);
      p.process('Reader', 2, {}, (t) => { t.label('r'); t.step('r', { to: 'r' }); });
    });
    const L = buildLayout(m);
    // Readers are 3 and 4; the range starts at 1 either way.
    expect(L.ranges[L.cells.get('owner')!.base]).toEqual({ min: 1, max: 4, set: false });
    const st = { ...initialState(m), owner: 4 };
    expect(roundTrip(m, st)).toEqual(st);
  });
});

describe('compiled layout: sets as bitmasks', () => {
  it('takes elements -1..29 (bits 0..30), and declines a set type beyond them', () => {
    const m = lay((p) => p.shared('s', setType(int(-1, 29)), setOf([])));
    expect(buildLayout(m).ranges.map(width)).toEqual([31, 1, 1]);
    const st = { ...initialState(m), s: { set: [-1, 0, 28, 29] } };
    expect(roundTrip(m, st)).toEqual(st);
    expect(refusal(() => buildLayout(lay((p) => p.shared('s', setType(int(0, 30)), setOf([])))))).toBe('a set over 0..30');
    expect(refusal(() => buildLayout(lay((p) => p.shared('s', setType(int(-2, 3)), setOf([])))))).toBe('a set over -2..3');
  });

  it('declines a set element outside the bitmask when it encodes a state', () => {
    const m = lay((p) => p.shared('s', setType(int(-1, 3)), setOf([])));
    const L = buildLayout(m);
    const enc = (set: number[]) => encodeState(L, { ...initialState(m), s: { set } });
    expect(enc([-1, 29])[0]).toBe((1 << 0) | (1 << 30));
    expect(refusal(() => enc([30]))).toBe('set element 30 outside the bitmask');
    expect(refusal(() => enc([-2]))).toBe('set element -2 outside the bitmask');
  });
});

describe('compiled layout: what it declines', () => {
  const base = lay((p) => {
    p.shared('f', bool, false);
    p.shared('n', int(0, 3), 0);
    p.shared('e', enumOf('u', 'v'), 'u');
    p.shared('s', setType(int(0, 3)), setOf([]));
    p.shared('a', arrayOf(p.range(1, 2), int(0, 3)), mapOver(p.range(1, 2), () => 0));
  });

  it('a model without processes, or whose process ids are not 1..n', () => {
    expect(refusal(() => buildLayout({ ...base, procs: [] }))).toBe('no processes');
    expect(refusal(() => buildLayout({ ...base, procs: base.procs.map((p) => ({ ...p, id: p.id + 1 })) }))).toBe('process ids are not 1..n');
  });

  it('types it has no slots for', () => {
    expect(refusal(() => buildLayout(withType(base, 's', { kind: 'set', of: { kind: 'bool' } })))).toBe('a set of bool');
    const empty: Type = { kind: 'array', index: { kind: 'range', lo: 1, hi: 0 }, of: { kind: 'int', lo: 0, hi: 3 } };
    expect(refusal(() => buildLayout(withType(base, 'a', empty)))).toBe('an empty array domain');
    const nested: Type = { kind: 'array', index: { kind: 'range', lo: 1, hi: 2 }, of: { kind: 'array', index: { kind: 'range', lo: 1, hi: 2 }, of: { kind: 'bool' } } };
    expect(refusal(() => buildLayout(withType(base, 'a', nested)))).toBe('a: an array of arrays');
  });

  it('an array of arrays as a local, and one local name in two process types', () => {
    const twice = lay(() => undefined, (p) => {
      p.process('Reader', 1, {}, (t) => { t.local('k', int(0, 1), 0); t.label('r'); t.step('r', { to: 'r' }); });
      p.process('Writer', 1, {}, (t) => { t.local('k', int(0, 1), 0); t.label('w'); t.step('w', { to: 'w' }); });
    });
    expect(refusal(() => buildLayout(twice))).toBe('local k declared twice');
    const local = lay(() => undefined, (p) => {
      p.process('Reader', 1, {}, (t) => { t.local('la', arrayOf(p.range(1, 2), int(0, 1)), mapOver(p.range(1, 2), () => 0)); t.label('r'); t.step('r', { to: 'r' }); });
    });
    const pt = local.model.procTypes.find((x) => x.name === 'Reader')!;
    const nested: Type = { kind: 'array', index: { kind: 'range', lo: 1, hi: 2 }, of: { kind: 'array', index: { kind: 'range', lo: 1, hi: 2 }, of: { kind: 'bool' } } };
    const model: Model = {
      ...local.model,
      procTypes: local.model.procTypes.map((x) => (x === pt ? { ...x, locals: x.locals.map((l) => ({ ...l, type: nested })) } : x)),
    };
    expect(refusal(() => buildLayout({ ...local, model, procs: local.procs.map((p) => ({ ...p, pt: model.procTypes.find((x) => x.name === p.pt.name)! })) }))).toBe('la: an array of arrays');
  });

  it('a value of the wrong kind for its slot, naming the value', () => {
    const L = buildLayout(base);
    const s0 = initialState(base);
    const enc = (patch: Partial<State>) => encodeState(L, { ...s0, ...patch } as State);
    expect(() => enc({})).not.toThrow();
    expect(refusal(() => enc({ f: 1 }))).toBe('not a boolean: 1');
    expect(refusal(() => enc({ n: true }))).toBe('not a number: true');
    expect(refusal(() => enc({ e: 'w' }))).toBe('not a known string: "w"');
    expect(refusal(() => enc({ e: 2 }))).toBe('not a known string: 2');
    expect(refusal(() => enc({ s: [1] }))).toBe('not a set: [1]');
    expect(refusal(() => enc({ s: 1 }))).toBe('not a set: 1');
    expect(refusal(() => enc({ a: { set: [] } }))).toBe('not an array: {"set":[]}');
    expect(refusal(() => enc({ a: [[0], 0] }))).toBe('not a number: [0]');
  });
});
