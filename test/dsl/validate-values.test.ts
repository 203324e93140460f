/**
 * Values every backend can represent (src/dsl/validate-values.ts), per configuration: constants,
 * process counts and block counts within 32 bits, no empty or out-of-range int types or index
 * ranges, initial values inside their types (every kind of type, shared and local), and assignments
 * whose arithmetic cannot leave 32 bits. Each message is asserted whole, at its line.
 */
import { describe, expect, it } from 'vitest';
import { arrayOf, holds, int, ite, mapOver, procId, protocol, ptr, setOf, setType, bool } from '../../src/dsl/index.ts';
import type { Model } from '../../src/dsl/ir.ts';
import { sourceKey } from '../../src/dsl/ir.ts';
import { INT32_MAX, INT32_MIN, validateValues } from '../../src/dsl/validate-values.ts';

const MAX = INT32_MAX;
const MIN = INT32_MIN;
const msgs = (m: Model) => validateValues(m).map((e) => e.message);

/** The model a protocol builds, which must build without errors. */
function built(proto: ReturnType<typeof protocol>): Model {
  expect(proto.buildErrors).toEqual([]);
  return proto.model;
}

/** One shared int(0, K), one Worker process type of P processes over N blocks; K, P, N per configuration. */
function base(configs: Record<string, { K?: number; P?: number; N?: number }>): Model {
  return built(protocol('Values', (p) => {
    const K = p.constant('K');
    const P = p.constant('P');
    const N = p.constant('N');
    p.blocks('Blocks', N);
    p.shared('x', int(0, K), 0);
    p.process('Worker', P, {}, (t) => {
      t.label('idle');
    });
    for (const [name, c] of Object.entries(configs)) p.config(name, { constants: { K: 3, P: 2, N: 2, ...c }, expect: holds() });
  }));
}

describe('validateValues: constants, counts and sizes', () => {
  it('accepts the 32-bit extremes', () => {
    expect(msgs(base({ a: { K: MAX }, b: { P: 0, N: 0 }, c: { N: MAX - 1 } }))).toEqual([]);
  });

  it('a constant beyond 32 bits, and nothing else of that configuration', () => {
    const m = base({ big: { K: MAX + 1 }, low: { K: MIN - 1 }, ok: {} });
    expect(msgs(m)).toEqual([
      `configuration big: constant K = 2147483648 is not a 32-bit integer (TLC and the runtime's words hold ${MIN}..${MAX})`,
      `configuration low: constant K = -2147483649 is not a 32-bit integer (TLC and the runtime's words hold ${MIN}..${MAX})`,
    ]);
    const [e] = validateValues(m);
    expect(e.code).toBe('SPEC_VALUE');
    expect(e.at).toEqual(m.sources[sourceKey.config('big')]);
  });

  it('a negative process count, at the process type', () => {
    // K = -1 would make int(0, K) empty: not reported, the configuration's other checks are skipped.
    const m = base({ neg: { P: -1, K: -1 }, none: { P: 0 } });
    const errs = validateValues(m);
    expect(errs.map((e) => e.message)).toEqual(['configuration neg: process type Worker has -1 processes; a count is at least 0']);
    expect(errs[0].at).toEqual(m.sources[sourceKey.procType('Worker')]);
  });

  it('a block count below 0 or above 2^31 - 2, at the block set, and nothing else of that configuration', () => {
    const m = base({ neg: { N: -1, K: -1 }, big: { N: MAX } });
    const errs = validateValues(m);
    expect(errs.map((e) => e.message)).toEqual([
      `configuration neg: block set Blocks has -1 blocks; it needs 0..${MAX - 1} (block addresses are 32-bit words)`,
      `configuration big: block set Blocks has ${MAX} blocks; it needs 0..${MAX - 1} (block addresses are 32-bit words)`,
    ]);
    expect(errs[0].at).toEqual(m.sources['blocks:Blocks']);
  });
});

describe('validateValues: types', () => {
  it('an empty int range, and one beyond 32 bits through a constant expression', () => {
    const m = built(protocol('Values', (p) => {
      const K = p.constant('K');
      p.shared('x', int(2, K), 2);
      p.shared('y', int(0, K.add(1)), 0);
      p.shared('s', setType(int(3, K)), setOf([], int(3, K)));
      p.shared('a', arrayOf({ kind: 'range', lo: 0, hi: K.add(1).expr }, int(0, 1)), mapOver({ kind: 'range', lo: 0, hi: K.add(1).expr } as never, () => 0));
      p.process('Worker', 1, {}, (t) => { t.label('idle'); });
      p.config('one', { constants: { K: 1 }, expect: holds() });
      p.config('max', { constants: { K: MAX }, expect: holds() });
      // int(3, 3) holds one value: not empty.
      p.config('three', { constants: { K: 3 }, expect: holds() });
    }));
    expect(msgs(m)).toEqual([
      'variable x: int(2, K) is the empty range 2..1 in configuration one',
      'variable s: int(3, K) is the empty range 3..1 in configuration one',
      `variable y: int(0, (K + 1)) is 0..2147483648 in configuration max, beyond the 32-bit integers of TLC and the runtime (${MIN}..${MAX})`,
      'variable a: in configuration max the index range 0..2147483648 is not within 32-bit integers',
    ]);
  });
});

describe('validateValues: initial values inside their types', () => {
  it('every kind of type, shared and local, with what is outside and why', () => {
    const m = built(protocol('Values', (p) => {
      const K = p.constant('K');
      const N = p.constant('N');
      const Blocks = p.blocks('Blocks', N);
      const R = p.range(1, 2);
      p.shared('i', int(0, 3), K);
      p.shared('q', ptr(Blocks), K);
      p.shared('w', procId('Worker'), K);
      p.shared('s', setType(int(0, 3)), setOf([1, K], int(0, 9)));
      p.shared('a', arrayOf(R, int(0, 3)), mapOver(R, () => K));
      p.shared('ok', arrayOf(R, bool), mapOver(R, () => true));
      p.shared('a2', arrayOf(R, int(0, 3)), mapOver(R, (r) => ite(r.eq(1), 0, K)));
      p.process('Worker', 2, {}, (t) => {
        t.local('v', int(0, 3), K);
        t.label('idle');
      });
      p.config('inside', { constants: { K: 2, N: 2 }, expect: holds() });
      p.config('outside', { constants: { K: 7, N: 2 }, expect: holds() });
      p.config('edge', { constants: { K: -1, N: 2 }, expect: holds() });
      p.config('belowBusy', { constants: { K: -2, N: 2 }, expect: holds() });
    }));
    const errs = validateValues(m);
    expect(errs.map((e) => e.message)).toEqual([
      'variable i: its initial value in configuration outside is outside its type: 7 is outside int(0, 3) = 0..3',
      'variable q: its initial value in configuration outside is outside its type: 7 is not NULL, BUSY or a block of Blocks (1..2)',
      'variable w: its initial value in configuration outside is outside its type: 7 is not a Worker id',
      'variable s: its initial value in configuration outside is outside its type: 7 is outside int(0, 3) = 0..3',
      'variable a: its initial value in configuration outside is outside its type: 7 is outside int(0, 3) = 0..3',
      'variable a2: its initial value in configuration outside is outside its type: 7 is outside int(0, 3) = 0..3',
      'local v of Worker: its initial value in configuration outside is outside its type: 7 is outside int(0, 3) = 0..3',
      // -1 is BUSY, a pointer; not an int of 0..3, nor a process id.
      'variable i: its initial value in configuration edge is outside its type: -1 is outside int(0, 3) = 0..3',
      'variable w: its initial value in configuration edge is outside its type: -1 is not a Worker id',
      'variable s: its initial value in configuration edge is outside its type: -1 is outside int(0, 3) = 0..3',
      'variable a: its initial value in configuration edge is outside its type: -1 is outside int(0, 3) = 0..3',
      'variable a2: its initial value in configuration edge is outside its type: -1 is outside int(0, 3) = 0..3',
      'local v of Worker: its initial value in configuration edge is outside its type: -1 is outside int(0, 3) = 0..3',
      'variable i: its initial value in configuration belowBusy is outside its type: -2 is outside int(0, 3) = 0..3',
      'variable q: its initial value in configuration belowBusy is outside its type: -2 is not NULL, BUSY or a block of Blocks (1..2)',
      'variable w: its initial value in configuration belowBusy is outside its type: -2 is not a Worker id',
      'variable s: its initial value in configuration belowBusy is outside its type: -2 is outside int(0, 3) = 0..3',
      'variable a: its initial value in configuration belowBusy is outside its type: -2 is outside int(0, 3) = 0..3',
      'variable a2: its initial value in configuration belowBusy is outside its type: -2 is outside int(0, 3) = 0..3',
      'local v of Worker: its initial value in configuration belowBusy is outside its type: -2 is outside int(0, 3) = 0..3',
    ]);
    expect(errs[0].at).toEqual(m.sources[sourceKey.variable('i')]);
    expect(errs[6].at).toEqual(m.sources[sourceKey.local('Worker', 'v')]);
  });

  it('a local whose type is wrong is reported for its type only', () => {
    const m = built(protocol('Values', (p) => {
      const K = p.constant('K');
      p.process('Worker', 1, {}, (t) => {
        t.local('v', int(2, K), 0);
        t.label('idle');
      });
      p.config('one', { constants: { K: 1 }, expect: holds() });
    }));
    expect(msgs(m)).toEqual(['local v of Worker: int(2, K) is the empty range 2..1 in configuration one']);
    // No process of the type: its local's initial value (outside its type here) is never made.
    const none = built(protocol('Values', (p) => {
      const P = p.constant('P');
      p.process('Worker', P, {}, (t) => {
        t.local('v', int(0, 3), 9);
        t.label('idle');
      });
      p.config('none', { constants: { P: 0 }, expect: holds() });
      p.config('one', { constants: { P: 1 }, expect: holds() });
    }));
    expect(msgs(none)).toEqual(['local v of Worker: its initial value in configuration one is outside its type: 9 is outside int(0, 3) = 0..3']);
  });
});

describe('validateValues: arithmetic within 32 bits', () => {
  it('sums and differences of literals, constants, variables, locals, array elements and IF-THEN-ELSE', () => {
    const m = built(protocol('Values', (p) => {
      const K = p.constant('K');
      const L = p.constant('L');
      const R = p.range(1, 2);
      const x = p.shared('x', int(0, K), 0);
      const y = p.shared('y', int(L, 0), 0);
      const a = p.shared('a', arrayOf(R, int(0, K)), mapOver(R, () => 0));
      const c = p.shared('c', bool, false);
      const small = p.shared('small', arrayOf(R, int(0, 3)), mapOver(R, () => 0));
      p.process('Worker', 1, {}, (t) => {
        const v = t.local('v', int(0, K), 0);
        t.label('idle');
        t.step('idle', { branch: 'incX', to: 'idle', do: [x.set(x.add(1))] });
        t.step('idle', { branch: 'decY', to: 'idle', do: [y.set(y.sub(1))] });
        t.step('idle', { branch: 'incV', to: 'idle', do: [v.set(v.add(1))] });
        // Two elements of one array: the same message once.
        t.step('idle', { branch: 'incA', to: 'idle', do: [a.at(1).set(a.at(1).add(1)), a.at(2).set(a.at(2).add(1))] });
        t.step('idle', { branch: 'ite', to: 'idle', do: [x.set(ite(c, x.add(K), 0))] });
        t.step('idle', { branch: 'lit', to: 'idle', do: [x.set(ite(c, 0, 1))] });
        t.step('idle', { branch: 'diff', to: 'idle', do: [x.set(x.sub(y))] });
        // An array element is bounded by its own array's type (small's 0..3), not another variable's.
        t.step('idle', { branch: 'incSmall', to: 'idle', do: [small.at(1).set(small.at(1).add(1))] });
        t.step('idle', { branch: 'low', to: 'idle', do: [y.set(ite(c, y.sub(1), 0))] });
        t.step('idle', { branch: 'diff2', to: 'idle', do: [y.set(y.sub(x))] });
        t.step('idle', { branch: 'addNeg', to: 'idle', do: [y.set(y.add(-1))] });
        // Both ends beyond: the message names the high end when the low end is exactly the minimum.
        t.step('idle', { branch: 'wide', to: 'idle', do: [x.set(ite(c, y, x.add(1)))] });
      });
      // Another process type with a local of the same name and a narrower type.
      p.process('Other', 1, {}, (t) => {
        t.local('w', int(0, K), 0);
        const v = t.local('v', int(0, 3), 0);
        t.label('run');
        t.step('run', { to: 'run', do: [v.set(v.add(1))] });
      });
      p.config('small', { constants: { K: 3, L: -3 }, expect: holds() });
      p.config('max', { constants: { K: MAX, L: MIN }, expect: holds() });
      // Sums and differences that reach exactly the 32-bit limits, and not beyond.
      p.config('limits', { constants: { K: MAX - 1, L: MIN + 1 }, expect: holds() });
    }));
    const errs = validateValues(m);
    expect(errs.map((e) => e.message)).toEqual([
      'configuration max: transition idle_incX assigns x a value that can reach 2147483648, beyond the 32-bit integers of TLC and the runtime',
      'configuration max: transition idle_decY assigns y a value that can reach -2147483649, beyond the 32-bit integers of TLC and the runtime',
      'configuration max: transition idle_incV assigns v a value that can reach 2147483648, beyond the 32-bit integers of TLC and the runtime',
      'configuration max: transition idle_incA assigns a a value that can reach 2147483648, beyond the 32-bit integers of TLC and the runtime',
      'configuration max: transition idle_ite assigns x a value that can reach 4294967294, beyond the 32-bit integers of TLC and the runtime',
      'configuration max: transition idle_diff assigns x a value that can reach 4294967295, beyond the 32-bit integers of TLC and the runtime',
      'configuration max: transition idle_low assigns y a value that can reach -2147483649, beyond the 32-bit integers of TLC and the runtime',
      'configuration max: transition idle_diff2 assigns y a value that can reach -4294967295, beyond the 32-bit integers of TLC and the runtime',
      'configuration max: transition idle_addNeg assigns y a value that can reach -2147483649, beyond the 32-bit integers of TLC and the runtime',
      'configuration max: transition idle_wide assigns x a value that can reach 2147483648, beyond the 32-bit integers of TLC and the runtime',
      'configuration limits: transition idle_ite assigns x a value that can reach 4294967292, beyond the 32-bit integers of TLC and the runtime',
      'configuration limits: transition idle_diff assigns x a value that can reach 4294967293, beyond the 32-bit integers of TLC and the runtime',
      'configuration limits: transition idle_diff2 assigns y a value that can reach -4294967293, beyond the 32-bit integers of TLC and the runtime',
    ]);
    expect(errs[0].at).toEqual(m.sources[sourceKey.transition('Worker', 'idle_incX')]);
  });

  it('products at the ends of both ranges, signs included; quotients, of which only MIN \\div -1 leaves 32 bits', () => {
    const m = built(protocol('Values', (p) => {
      const K = p.constant('K');
      const L = p.constant('L');
      const x = p.shared('x', int(0, K), 0);
      const y = p.shared('y', int(L, 0), 0);
      const d = p.shared('d', int(L, -1), -1);
      const q = p.shared('q', int(2, K), 2);
      p.process('Worker', 1, {}, (t) => {
        t.label('idle');
        t.step('idle', { branch: 'square', to: 'idle', do: [x.set(x.mul(x))] });
        t.step('idle', { branch: 'negProduct', to: 'idle', do: [y.set(x.mul(y))] });
        t.step('idle', { branch: 'negSquare', to: 'idle', do: [x.set(y.mul(y))] });
        t.step('idle', { branch: 'half', to: 'idle', do: [x.set(x.div(q))] });
        t.step('idle', { branch: 'byNeg', to: 'idle', do: [y.set(y.div(d))] });
        t.step('idle', { branch: 'mod', to: 'idle', do: [x.set(x.mod(q))] });
      });
      p.config('small', { constants: { K: 3, L: -3 }, expect: holds() });
      // 46340² and 46341 · -46340 fit in 32 bits; 46341² does not.
      p.config('edge', { constants: { K: 46340, L: -46340 }, expect: holds() });
      p.config('over', { constants: { K: 46341, L: -46340 }, expect: holds() });
      p.config('min', { constants: { K: 3, L: MIN }, expect: holds() });
    }));
    expect(msgs(m)).toEqual([
      'configuration over: transition idle_square assigns x a value that can reach 2147488281, beyond the 32-bit integers of TLC and the runtime',
      'configuration min: transition idle_negProduct assigns y a value that can reach -6442450944, beyond the 32-bit integers of TLC and the runtime',
      'configuration min: transition idle_negSquare assigns x a value that can reach 4611686018427388000, beyond the 32-bit integers of TLC and the runtime',
      'configuration min: transition idle_byNeg assigns y a value that can reach 2147483648, beyond the 32-bit integers of TLC and the runtime',
    ]);
  });

  it('a quotient\'s divisors: the range\'s ends and -1 and 1 when inside it, never 0', () => {
    const m = built(protocol('Values', (p) => {
      const K = p.constant('K');
      const L = p.constant('L');
      const y = p.shared('y', int(L, 0), 0);
      const q = p.shared('q', int(2, K), 2);
      const z = p.shared('z', int(0, K), 0); // 0 at an end: left out, so q \div z stays within q
      const w = p.shared('w', int(L, 3), 0); // -1 strictly inside: MIN \div -1 leaves 32 bits
      const e = p.shared('e', int(L, -2), -2); // every divisor below -1: MIN \div -2 fits
      p.process('Worker', 1, {}, (t) => {
        t.label('idle');
        t.step('idle', { branch: 'byZeroEnd', to: 'idle', do: [q.set(q.div(z))] });
        t.step('idle', { branch: 'noMinusOne', to: 'idle', do: [y.set(y.div(z))] });
        t.step('idle', { branch: 'minusInside', to: 'idle', do: [y.set(y.div(w))] });
        t.step('idle', { branch: 'belowMinusOne', to: 'idle', do: [y.set(y.div(e))] });
      });
      p.config('min', { constants: { K: 3, L: MIN }, expect: holds() });
    }));
    expect(msgs(m)).toEqual([
      'configuration min: transition idle_minusInside assigns y a value that can reach 2147483648, beyond the 32-bit integers of TLC and the runtime',
    ]);
  });

  it('an error without a source line points at the protocol, or line 1 of its file', () => {
    const m = base({ big: { K: MAX + 1 } });
    expect(validateValues({ ...m, sources: { [sourceKey.model()]: { file: 'x.ts', line: 9 } } })[0].at).toEqual({ file: 'x.ts', line: 9 });
    expect(validateValues({ ...m, sources: {} })[0].at).toEqual({ file: m.file, line: 1 });
  });
});
