/**
 * The compiled engine's expressions (src/engine/compiled/codegen.ts) against the interpreter's
 * (src/engine/eval.ts), expression by expression: every operator and form the IR has, evaluated by
 * both on a few hundred states of a small protocol that moves every kind of variable through its
 * values (reached by seeded random walks), must give the same value, or the same evaluation error.
 * The pool specs use only some of these forms; this test covers the rest.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import {
  BUSY, NULL, and, arrayOf, procId, bool, e, enumOf, exists, filter, forall, int, ite, listAcyclic, listNodes, mapOver, not, or,
  protocol, ptr, self, setOf, setType, holds, type E,
} from '../../src/dsl/index.ts';
import type { Expr, Model } from '../../src/dsl/ir.ts';
import { Gen, RUNTIME } from '../../src/engine/compiled/codegen.ts';
import { buildLayout, decodeAt, encodeState, Unsupported, type Layout } from '../../src/engine/compiled/layout.ts';
import { EvalError, evaluate, tlcBranches } from '../../src/engine/eval.ts';
import { initialState, machine, successors, type Machine } from '../../src/engine/step.ts';
import type { State, Value } from '../../src/engine/value.ts';

/** Values of every kind, each moved through its whole type by a step of its own. */
function exprsModel(exprs: (v: Vars) => Record<string, E>): Model {
  const proto = protocol('Exprs', (p) => {
    const N = p.constant('N');
    const B = p.blocks('Blocks', N);
    const M = p.constant('M');
    const C = p.blocks('Cells', M);
    const R = p.range(-2, 3);
    const R12 = p.range(1, 2);
    const vars = {
      N, B, C, R, E0: p.range(2, 1), R12, R22: p.range(2, 2), Huge: p.range(0, 1 << 21),
      x: p.shared('x', int(-2, 3), 0),
      y: p.shared('y', int(-2, 3), 1),
      f: p.shared('f', bool, false),
      s: p.shared('s', setType(ptr(B)), setOf([], ptr(B))),
      a: p.shared('a', arrayOf(B, ptr(B)), mapOver(B, () => NULL)),
      en: p.shared('en', enumOf('p', 'q', 'r'), 'p'),
      g: p.shared('g', arrayOf(R12, bool), mapOver(R12, () => false)),
      l: undefined as unknown as E & { of(p: unknown): E },
      la: undefined as unknown as E & { of(p: unknown): E },
      W: undefined as unknown as ReturnType<typeof p.process>,
      Z: undefined as unknown as ReturnType<typeof p.process>,
    };
    vars.W = p.process('Worker', 2, {}, (t) => {
      const l = t.local('l', int(0, 2), 0);
      const la = t.local('la', arrayOf(vars.R12, int(0, 1)), mapOver(vars.R12, () => 0));
      vars.l = l as never;
      vars.la = la as never;
      t.label('idle');
      t.label('busy');
      t.choose('idle', R, (k) => ({ branch: 'setX', to: 'busy', do: [vars.x.set(k)] }));
      t.choose('idle', R, (k) => ({ branch: 'setY', to: 'busy', do: [vars.y.set(k)] }));
      t.step('idle', { branch: 'flip', to: 'busy', do: [vars.f.set(not(vars.f))] });
      t.choose('idle', B, (b) => ({ branch: 'put', to: 'busy', do: [vars.s.set(vars.s.plus(b))] }));
      t.choose('idle', B, (b) => ({ branch: 'take', to: 'busy', do: [vars.s.set(vars.s.without(b))] }));
      t.choose('idle', B, (b) => ({ branch: 'link', to: 'busy', do: [vars.a.at(b).set(ite(vars.a.at(b).eq(N), BUSY, vars.a.at(b).add(1)))] }));
      t.step('idle', { branch: 'mark', to: 'busy', do: [vars.g.at(ite(vars.f, 1, 2)).set(not(vars.g.at(ite(vars.f, 1, 2))))] });
      t.step('idle', { branch: 'turn', to: 'busy', do: [vars.en.set(ite(vars.en.eq('p'), 'q', ite(vars.en.eq('q'), 'r', 'p')))] });
      t.step('busy', { to: 'idle', do: [l.set(ite(l.eq(2), 0, l.add(1))), la.at(ite(l.eq(1), 1, 2)).set(ite(vars.f, 1, 0))] });
    });
    // A process type with no processes: its ids are an empty domain.
    vars.Z = p.process('Spare', p.constant('Z0'), {}, (t) => { t.label('off'); });
    for (const [name, x] of Object.entries(exprs(vars))) p.invariant(`e_${name}`, x.eq(x));
    p.config('three', { constants: { N: 3, M: 2, Z0: 0 }, checkDeadlock: false, expect: holds() });
  });
  if (proto.buildErrors.length) throw new Error(JSON.stringify(proto.buildErrors));
  return proto.model;
}

interface Vars {
  N: E; B: E; C: E; R: E; E0: E; R12: E; R22: E; Huge: E; x: E; y: E; f: E; s: E; a: E; en: E; g: E; l: E & { of(p: unknown): E }; la: E & { of(p: unknown): E };
  W: { ids: E; pc(p: unknown): E }; Z: { ids: E };
}

/** Every form of the IR, bool-, int-, set-, enum- and array-valued. */
const FORMS = (v: Vars): Record<string, E> => {
  const { x, y, f, s, a, en, g, l, la, W, Z, B, C, N, E0, R } = v;
  return {
    // Arithmetic and comparison (div and mod by zero or a negative: errors in both).
    add: x.add(y), sub: x.sub(y), mul: x.mul(y), div: x.div(y), mod: x.mod(y), divConst: x.div(2), modConst: x.mod(3),
    lt: x.lt(y), le: x.le(y), gt: x.gt(y), ge: x.ge(y), eq: x.eq(y), ne: x.ne(y),
    // Logic, including short-circuits that hide an error.
    and: and(f, x.lt(1)), or: or(f, x.gt(1)), implies: f.implies(x.eq(0)), not: not(f),
    shortAnd: and(y.ne(0), x.div(y).eq(1)), shortOr: or(y.eq(0), x.mod(y).eq(0)), shortImplies: y.gt(0).implies(x.mod(y).eq(1)),
    ite: ite(f, x, y), iteSet: ite(f, s, setOf([1])), iteEnum: ite(f, en, 'q'),
    // An untyped empty set takes the element kind of the other branch or operand, or its declared type.
    iteEmptyThen: ite(f, setOf([]), setOf(['p', en])), iteEmptyElse: ite(f, setOf([en]), setOf([])),
    untypedBool: ite(f, setOf([]), setOf([x.gt(0)])), untypedBoolQ: exists(ite(f, setOf([]), setOf([x.gt(0)])), (q) => q.eq(false)),
    untypedUnion: setOf([]).union(setOf([x.gt(0)])), untypedNested: ite(f.and(y.gt(0)), ite(f, setOf([]), setOf([])).minus(setOf([f])), setOf([f])),
    untypedFilter: ite(f, filter(setOf([]), () => true), setOf([x.gt(0), f])),
    typedEnum: ite(f, setOf([], enumOf('p', 'q', 'r')), setOf([en])), typedBool: ite(f, setOf([], bool), setOf([x.gt(0)])),
    typedProc: ite(f, setOf([], procId('Worker')), setOf([l.of(1)])), typedPtr: ite(f, setOf([], ptr(B as never)), s),
    typedInt: ite(f, setOf([], int(0, 3)), setOf([x.add(2)])),
    // Sets of pointers, ints, enums and bools.
    card: s.size(), in: x.in(s), notIn: x.notIn(s), has: s.has(y),
    // Membership in a range by its ends (an empty range holds nothing).
    inRange: x.in(v.R12), notInRange: y.notIn(v.R12), inSum: x.add(y).in(R), inEmpty: or(x.in(E0), f), notInEmpty: and(y.notIn(E0), f),
    inOne: x.in(v.R22), inHuge: x.add(y).in(v.Huge), notInHuge: x.add(y).notIn(v.Huge), inIds: y.in(W.ids), inNoIds: or(y.in(Z.ids), f),
    noIds: or(exists(Z.ids, () => true), f), noIdsMap: mapOver(Z.ids as never, (i) => i).eq(mapOver(E0 as never, (i) => i)).and(f), noIdsSet: filter(Z.ids, () => true).size().add(x),
    union: s.union(setOf([x.add(2)])), minus: s.minus(setOf([1, 2])), intersect: s.intersect(setOf([2, 3])),
    subset: s.subsetOf(setOf([1, 2])), subsetOf: setOf([1]).subsetOf(s), empty: s.isEmpty(),
    enumSet: setOf([en, 'r']), enumIn: en.in(setOf(['p', 'r'])), boolSet: setOf([f, true]), boolIn: x.gt(0).in(setOf([f])),
    setEq: s.eq(s.intersect(setOf([1, 2]))), setNe: s.ne(setOf([])),
    // Quantifiers, filters and maps over domains and over sets.
    forallDom: forall(B, (b) => a.at(b).ne(2)), existsDom: exists(B, (b) => a.at(b).eq(b)),
    forallSet: forall(s, (b) => b.gt(1)), existsSet: exists(s, (b) => a.at(b).eq(NULL)),
    existsEmpty: or(exists(setOf([]), () => true), f), forallEnum: forall(setOf(['p', 'q']), (q) => q.ne(en)),
    forallBool: forall(setOf([true, false]), (q) => q.implies(f)),
    nested: forall(B, (i) => exists(B, (j) => a.at(i).eq(j).and(j.gt(1)).or(a.at(i).le(0)))),
    emptyDomain: or(exists(E0, () => true), f), emptyFilter: filter(E0, () => true).size().add(x),
    emptyMap: mapOver(E0 as never, (i) => i).eq(mapOver(E0 as never, (i) => i.add(1))).and(f),
    filter: filter(B, (b) => a.at(b).gt(0)), filterBool: filter(setOf([f, x.gt(0)]), (q) => q),
    existsBoolEq: exists(setOf([f, x.gt(0)]), (q) => q.eq(true)), forallWide: forall(R, (k) => k.ne(x).or(f)), filterSet: filter(s, (b) => b.ne(2)), filterEnum: filter(setOf(['p', 'q', 'r']), (q) => q.ne(en)),
    map: mapOver(B as never, (b) => a.at(b).add(1)), mapBool: mapOver(B as never, (b) => b.in(s)),
    mapEq: mapOver(B as never, (b) => ite(b.eq(1), NULL, a.at(b))).eq(a), mapNe: mapOver(B as never, () => NULL).ne(a),
    // Arrays: indexing (out of the domain: an error), EXCEPT (out of the domain: unchanged).
    at: a.at(1), atVar: a.at(x), atEl: a.at(a.at(1).add(1)),
    except: a.with(2, x), exceptOut: a.with(x.add(3), 1), exceptEq: a.with(1, NULL).eq(a),
    exceptAt: a.with(y, 3).at(2), mapAt: mapOver(B as never, (b) => b.mul(x)).at(y),
    // A whole array of booleans (stored as 0 and 1, read back as booleans).
    boolArr: g, boolArrEq: g.eq(mapOver(v.R12 as never, () => false)), boolArrWith: g.with(1, f).eq(g),
    // Control state and locals of other processes, by id (outside the domain: an error).
    // Array-valued locals (nested arrays in the layout).
    localArr: la.of(1), localArrAt: la.of(2).at(x), localArrEq: la.of(1).eq(la.of(2)), localArrWith: la.of(1).with(1, y),
    pc: W.pc(1), pcEq: W.pc(2).eq('busy'), pcOf: W.pc(x), local: l.of(1), localOf: l.of(y), localSum: l.of(1).add(l.of(2)),
    everyPc: forall(W.ids, (w) => W.pc(w).eq('idle').or(l.of(w).gt(0))),
    // Lists through the link array.
    nodes: listNodes(x, a, B as never), nodesFrom: listNodes(a.at(2), a, B as never), nodesVia: listNodes(y, a.with(1, 2), B as never),
    acyclicVia: listAcyclic(x, mapOver(B as never, (b) => ite(b.eq(3), 1, b.add(1))).with(y, NULL), B as never), acyclic: listAcyclic(y, a, B as never),
    acyclicEq: listAcyclic(y, a, B as never).eq(false), nodesCells: listNodes(x, a, C as never),
    constant: N.add(x), enumVal: en, enumNe: en.ne('r'),
  };
};

const model = exprsModel(FORMS);
const m: Machine = machine(model, 'three');
const L: Layout = buildLayout(m);
let states: State[];

/** States from seeded random walks (a small xorshift), each new state kept once. */
function walkStates(count: number, length: number): State[] {
  let seed = 0x2545f491;
  const rnd = (n: number) => { seed ^= seed << 13; seed ^= seed >>> 17; seed ^= seed << 5; return (seed >>> 0) % n; };
  const seen = new Map<string, State>();
  for (let w = 0; seen.size < count && w < count * 4; w += 1) {
    let s = initialState(m);
    for (let i = 0; i < length && seen.size < count; i += 1) {
      seen.set(JSON.stringify(s), s);
      const next = successors(m, s);
      if (next.length === 0) break;
      s = next[rnd(next.length)].next;
    }
  }
  return [...seen.values()];
}

beforeAll(() => { states = walkStates(400, 40); });

type Outcome = { value: Value } | { error: string };

function interpreted(x: Expr, s: State): Outcome {
  try {
    return { value: evaluate(x, { model, consts: m.consts, state: s, bound: new Map() }) };
  } catch (err) {
    if (err instanceof EvalError) return { error: normal(err.message) };
    throw err;
  }
}

/**
 * An error as both engines say it: the compiled one cannot name the domain of an array value built
 * on the fly (it says "of the function"), so that part is left out. -0 and 0 are one value.
 */
const normal = (message: string) => message.replace(/outside the domain .*/, 'outside the domain');
const same = (o: Outcome) => JSON.parse(JSON.stringify(o)) as Outcome;

/** Generated code `js` (with its helpers) as a function of the slot state, as compile() loads it. */
function load(g: Gen, js: string): (S: Int32Array) => unknown {
  return new Function('EvalError', 'Unsupported', [RUNTIME, ...g.helpers, `return function (S) { const self = 0; return ${js}; };`].join('\n'))(EvalError, Unsupported);
}

/** The expression compiled alone, as a function of the slot state, its result decoded as a Value. */
function compiled(x: Expr): (s: State) => Outcome {
  const g = new Gen(m, L);
  const code = g.expr(x, g.scope(false));
  const fn = load(g, code.js);
  const decode = (r: unknown): Value => {
    if (code.ct.k !== 'arr') return decodeAt(L, code.ct, Int32Array.of(Number(r)), 0);
    const el = code.ct.elem;
    return (r as unknown[]).map((y) => decodeAt(L, el, Int32Array.of(Number(y)), 0));
  };
  return (s) => {
    try {
      return { value: decode(fn(encodeState(L, s))) };
    } catch (err) {
      if (err instanceof EvalError) return { error: normal(err.message) };
      throw err;
    }
  };
}

describe('compiled expressions equal interpreted ones', () => {
  it('refuses what it cannot represent, so the engine runs interpreted instead', () => {
    const refused = (x: Expr) => { const g = new Gen(m, L); return () => g.expr(x, g.scope(false)); };
    expect(refused({ op: 'self' })).toThrow(new Unsupported('self outside a process'));
    expect(refused({ op: 'local', name: 'l' })).toThrow(new Unsupported('a local outside a process'));
    expect(refused({ op: 'domain', domain: { kind: 'range', lo: -2, hi: 3 } })).toThrow(new Unsupported('a domain outside the bitmask'));
    expect(refused({ op: 'domain', domain: { kind: 'range', lo: 0, hi: 30 } })).toThrow(new Unsupported('a domain outside the bitmask'));
    expect(refused({ op: 'domain', domain: { kind: 'range', lo: -1, hi: 29 } })).not.toThrow();
    expect(refused({ op: 'setOf', elems: [{ op: 'var', name: 'a' }] })).toThrow(Unsupported);
    expect(refused({ op: 'var', name: 'zz' })).toThrow(new Unsupported('unknown variable zz'));
    // Validation refuses pc(TRUE) (SPEC_TYPE); a model built without it still runs, interpreted.
    expect(refused({ op: 'pc', proc: { op: 'lit', value: true, type: { kind: 'bool' } } })).toThrow(new Unsupported('a process id that is not a number'));
    expect(refused({ op: 'bound', name: 'k' })).toThrow(new Unsupported('unbound k'));
    expect(refused({ op: 'lit', value: 'nope', type: { kind: 'enum', values: ['nope'] } })).toThrow(new Unsupported('unknown string nope'));
    // A list walk keeps its nodes in a bitmask: 29 blocks fit, 30 do not.
    const walk = (n: number) => { const g = new Gen({ ...m, consts: { ...m.consts, N: n } }, L); return () => g.expr({ op: 'listNodes', start: { op: 'var', name: 'x' }, link: { op: 'var', name: 'a' }, blocks: 'Blocks' }, g.scope(false)); };
    expect(walk(29)).not.toThrow();
    expect(walk(30)).toThrow(new Unsupported('too many blocks for a bitmask'));
  });

  it('counts the successors of a guard as TLC does (disjunctions and existentials)', () => {
    const x = { op: 'var', name: 'x' } as const;
    const f = { op: 'var', name: 'f' } as const;
    const lt = (k: number): Expr => ({ op: 'bin', fn: 'lt', a: x, b: { op: 'lit', value: k, type: { kind: 'int', lo: 'min', hi: 'max' } } });
    const or = (a: Expr, b: Expr): Expr => ({ op: 'bin', fn: 'or', a, b });
    const and = (a: Expr, b: Expr): Expr => ({ op: 'bin', fn: 'and', a, b });
    const domain: Expr = { op: 'domain', domain: { kind: 'range', lo: 1, hi: 3 } };
    const guards: Record<string, Expr> = {
      plain: lt(1), or: or(lt(1), lt(2)), orOfOr: or(or(lt(0), lt(1)), f), and: and(or(lt(1), f), or(lt(2), lt(3))),
      andPlain: and(lt(2), or(f, lt(3))), andZero: and(or(lt(0), lt(-1)), or(f, lt(3))),
      implies: { op: 'bin', fn: 'implies', a: f, b: or(lt(1), lt(2)) }, impliesPlain: { op: 'bin', fn: 'implies', a: lt(1), b: f },
      ite: { op: 'ite', cond: f, then: or(lt(1), lt(3)), else: lt(0) }, itePlain: { op: 'ite', cond: f, then: lt(1), else: lt(0) },
      exists: { op: 'quant', q: 'exists', v: 'k', over: domain, body: { op: 'bin', fn: 'le', a: { op: 'bound', name: 'k' }, b: x } },
      forallOr: { op: 'quant', q: 'forall', v: 'k', over: domain, body: or(f, { op: 'bin', fn: 'ge', a: { op: 'bound', name: 'k' }, b: x }) },
      forallPlain: { op: 'quant', q: 'forall', v: 'k', over: domain, body: { op: 'bin', fn: 'ge', a: { op: 'bound', name: 'k' }, b: x } },
      not: { op: 'not', arg: or(lt(1), lt(2)) },
    };
    for (const [name, guard] of Object.entries(guards)) {
      const g = new Gen(m, L);
      const js = g.branches(guard, g.scope(false));
      const fn = load(g, js) as (S: Int32Array) => number;
      const counts = new Set<number>();
      for (const s of states) {
        const want = tlcBranches(guard, { model, consts: m.consts, state: s, bound: new Map() });
        expect(fn(encodeState(L, s)), `${name} in ${JSON.stringify(s)}`).toBe(want);
        counts.add(want);
      }
      expect(counts.size, name).toBeGreaterThan(1);
    }
  });

  it('walks reach a varied set of states', () => {
    expect(states.length).toBe(400);
    // Every variable takes several values among them.
    for (const name of ['x', 'y', 'f', 's', 'a', 'en', 'g', 'l', 'pc']) {
      expect(new Set(states.map((s) => JSON.stringify(s[name]))).size, name).toBeGreaterThan(1);
    }
  });

  for (const inv of model.invariants.filter((i) => i.name.startsWith('e_'))) {
    const name = inv.name;
    it(name, () => {
      const x = (inv.expr as Extract<Expr, { op: 'bin' }>).a;
      const run = compiled(x);
      const outcomes = new Set<string>();
      for (const s of states) {
        const want = interpreted(x, s);
        expect(same(run(s)), `${name} in ${JSON.stringify(s)}`).toEqual(same(want));
        outcomes.add(JSON.stringify(want));
      }
      // A form that gives one value everywhere would test little.
      expect(outcomes.size, `${name}: outcomes ${[...outcomes].join(' ')}`).toBeGreaterThan(1);
    });
  }
});
