/**
 * The semantic checks of src/dsl/validate.ts, one at a time, on a small model written directly in the
 * IR: each mistake a spec can make gives its code, its whole message and the line of the declaration
 * it is in; what is right gives no error. The model is built by hand (not through the DSL) so that
 * a check the builder would also catch is still exercised here.
 */
import { describe, expect, it } from 'vitest';
import type { Domain, Expr, Model, ProcType, Transition, Type } from '../../src/dsl/ir.ts';
import { validate } from '../../src/dsl/validate.ts';

// ------------------------------------------------------------------ IR helpers
const INT = (lo: number | string = 0, hi: number | string = 'N'): Type => ({ kind: 'int', lo, hi });
const BOOL: Type = { kind: 'bool' };
const PTR: Type = { kind: 'ptr', blocks: 'Blocks' };
const ENUM = (...values: string[]): Type => ({ kind: 'enum', values });
const SET = (of: Type): Type => ({ kind: 'set', of });
const RANGE = (lo: number | string, hi: number | string): Domain => ({ kind: 'range', lo, hi });
const ARRAY = (of: Type, index: Domain = RANGE(1, 'N')): Type => ({ kind: 'array', index, of });
const num = (v: number, type: Type = INT()): Expr => ({ op: 'lit', value: v, type });
const bool = (v: boolean): Expr => ({ op: 'lit', value: v, type: BOOL });
const str = (v: string): Expr => ({ op: 'lit', value: v, type: ENUM(v) });
const v = (name: string): Expr => ({ op: 'var', name });
const c = (name: string): Expr => ({ op: 'const', name });
const loc = (name: string, proc?: Expr): Expr => (proc ? { op: 'local', name, proc } : { op: 'local', name });
const b = (name: string): Expr => ({ op: 'bound', name });
const SELF: Expr = { op: 'self' };
const bin = (fn: Extract<Expr, { op: 'bin' }>['fn'], a: Expr, x: Expr): Expr => ({ op: 'bin', fn, a, b: x });
const not = (arg: Expr): Expr => ({ op: 'not', arg });
const pc = (proc: Expr, procType?: string): Expr => (procType ? { op: 'pc', proc, procType } : { op: 'pc', proc });
const setOf = (elems: Expr[], of?: Type): Expr => (of ? { op: 'setOf', elems, of } : { op: 'setOf', elems });
const dom = (domain: Domain): Expr => ({ op: 'domain', domain });
const at = (arr: Expr, idx: Expr): Expr => ({ op: 'index', arr, idx });
const forall = (x: string, over: Expr, body: Expr): Expr => ({ op: 'quant', q: 'forall', v: x, over, body });

const FILE = 'spec/Mini.ts';
const line = (n: number) => ({ file: FILE, line: n });

/**
 * Constants N (int) and Flag (bool); blocks Blocks of size N; shared x: int(0..N), y: int(0..N),
 * link: array<1..N, ptr(Blocks)>; ghost g: bool; process type P (count 2) with local t: int(0..N) and
 * labels a, b; transition P.go a -> b setting x to 1; invariant Inv; property Live; configuration small.
 * Each declaration has its own line, so an error's line says which declaration it is in.
 */
function mini(): Model {
  const proc: ProcType = {
    name: 'P', count: 2, fairness: 'weak', initial: 'a',
    locals: [{ name: 't', type: INT(), init: num(0) }],
    labels: [{ name: 'a' }, { name: 'b' }],
    transitions: [{ name: 'go', from: 'a', to: 'b', params: [], guard: bool(true), effects: [{ target: { kind: 'var', name: 'x' }, value: num(1) }], atomic: false }],
  };
  return {
    name: 'Mini', file: FILE,
    constants: [{ name: 'N', type: { kind: 'int' } }, { name: 'Flag', type: { kind: 'bool' } }],
    blockSets: [{ name: 'Blocks', size: 'N' }],
    vars: [
      { name: 'x', role: 'shared', type: INT(), init: num(0) },
      { name: 'y', role: 'shared', type: INT(), init: num(0) },
      { name: 'link', role: 'shared', type: ARRAY(PTR), init: { op: 'map', v: 'i', domain: RANGE(1, 'N'), body: num(0, PTR) } },
      { name: 'g', role: 'ghost', type: BOOL, init: bool(false) },
    ],
    pairs: [],
    procTypes: [proc],
    invariants: [{ name: 'Inv', expr: bin('le', v('x'), c('N')) }],
    properties: [{ name: 'Live', formula: { kind: 'alwaysEventually', expr: bin('eq', v('x'), num(1)) } }],
    configs: [{ name: 'small', constants: { N: 2, Flag: true }, invariants: ['Inv'], properties: ['Live'], checkDeadlock: false, expect: { verdict: 'holds' } }],
    sources: {
      model: line(1), 'constant:N': line(2), 'constant:Flag': line(3), 'blocks:Blocks': line(4),
      'var:x': line(5), 'var:y': line(6), 'var:link': line(7), 'var:g': line(8),
      'proc:P': line(10), 'local:P.t': line(11), 'label:P.a': line(12), 'label:P.b': line(13), 'transition:P.go': line(14),
      'invariant:Inv': line(20), 'property:Live': line(21), 'config:small': line(30), memory: line(9),
    },
  };
}

type Edit = (m: Model) => void;
/** The errors of the edited model, each as [code, line, message]. */
function errors(...edits: Edit[]): [string, number, string][] {
  const m = mini();
  for (const e of edits) e(m);
  return validate(m).map((x) => [x.code, x.at?.line ?? -1, x.message]);
}
const P = (m: Model) => m.procTypes[0];
const go = (m: Model) => P(m).transitions[0];
/** P.go marked atomic: for expressions that read several shared words (the atomicity rule has its own tests). */
const atomic: Edit = (m) => { go(m).atomic = true; };
const guard = (g: Expr): Edit => (m) => { go(m).guard = g; };
const inv = (expr: Expr): Edit => (m) => { m.invariants[0].expr = expr; };
const transition = (t: Partial<Transition>): Edit => (m) => { P(m).transitions.push({ name: 'go2', from: 'a', to: 'b', params: [], guard: bool(true), effects: [], atomic: false, ...t }); };
/** One SPEC_TYPE error in the guard of P.go. */
const guardError = (message: string): [string, number, string][] => [['SPEC_TYPE', 14, message]];

describe('validate: the model as written is accepted', () => {
  it('gives no error for the small model', () => {
    expect(errors()).toEqual([]);
  });
});

describe('validate: names', () => {
  it('a name declared twice says what both declarations are', () => {
    expect(errors((m) => { m.blockSets.push({ name: 'N', size: 'N' }); m.sources['blocks:N'] = line(40); }))
      .toEqual([['SPEC_DUPLICATE', 40, 'duplicate name N: declared as a constant and as a block set']]);
    expect(errors((m) => { m.vars[1].name = 'Blocks'; m.sources['var:Blocks'] = line(41); }))
      .toEqual([['SPEC_DUPLICATE', 41, 'duplicate name Blocks: declared as a block set and as a shared variable']]);
    expect(errors((m) => { m.vars[3].name = 'y'; }))
      .toEqual([['SPEC_DUPLICATE', 6, 'duplicate name y: declared as a shared variable and as a ghost variable']]);
    expect(errors((m) => { P(m).name = 'g'; m.sources['proc:g'] = line(42); m.sources['transition:g.go'] = line(14); m.sources['local:g.t'] = line(11); }))
      .toEqual([['SPEC_DUPLICATE', 42, 'duplicate name g: declared as a ghost variable and as a process type']]);
    expect(errors((m) => { P(m).locals[0].name = 'y'; m.sources['local:P.y'] = line(43); }))
      .toEqual([['SPEC_DUPLICATE', 43, 'duplicate name y: declared as a shared variable and as a local of P']]);
    expect(errors((m) => { go(m).name = 'Inv'; m.sources['transition:P.Inv'] = line(44); }))
      .toEqual([['SPEC_DUPLICATE', 20, 'duplicate name Inv: declared as a transition of P and as an invariant']]);
    expect(errors((m) => { m.properties[0].name = 'Inv'; m.configs[0].properties = ['Inv']; m.sources['property:Inv'] = line(45); }))
      .toEqual([['SPEC_DUPLICATE', 45, 'duplicate name Inv: declared as an invariant and as a property']]);
  });

  it('a duplicate label, configuration, or a label named like a variable; a label may share a transition\'s name', () => {
    expect(errors((m) => { P(m).labels.push({ name: 'a' }); }))
      .toEqual([['SPEC_DUPLICATE', 12, 'duplicate label a in P']]);
    expect(errors((m) => { P(m).labels.push({ name: 'x' }); m.sources['label:P.x'] = line(15); }))
      .toEqual([['SPEC_DUPLICATE', 15, 'label x of P has the name of a shared variable']]);
    expect(errors((m) => { P(m).labels.push({ name: 'go' }); m.sources['label:P.go'] = line(15); })).toEqual([]);
    expect(errors((m) => { m.configs.push({ ...m.configs[0] }); }))
      .toEqual([['SPEC_DUPLICATE', 30, 'duplicate configuration small']]);
  });

  it('no process type, no configuration: at the protocol line, or line 0 of the file when it is unknown', () => {
    expect(errors((m) => { m.procTypes = []; m.properties = []; m.configs[0].properties = []; }))
      .toEqual([['SPEC_SHAPE', 1, 'protocol Mini declares no process type']]);
    expect(errors((m) => { m.configs = []; })).toEqual([['SPEC_CONFIG', 1, 'protocol Mini declares no configuration']]);
    const m = mini();
    m.configs = [];
    delete m.sources.model;
    expect(validate(m)).toEqual([{ code: 'SPEC_CONFIG', message: 'protocol Mini declares no configuration', at: { file: FILE, line: 0 } }]);
  });

  it('a choice variable may not shadow a declared name', () => {
    expect(errors((m) => { go(m).params = [{ name: 'x', over: dom(RANGE(1, 'N')) }]; }))
      .toEqual([['SPEC_DUPLICATE', 14, 'transition P.go: choice variable x shadows a shared variable']]);
  });
});

describe('validate: declarations and their types', () => {
  it('int bounds, range bounds and counts must be integer constants, also inside a bound expression', () => {
    expect(errors((m) => { m.vars[0].type = INT(0, 'Flag'); m.vars[0].init = num(0, INT(0, 'Flag')); }))
      .toEqual([['SPEC_UNDECLARED', 5, 'int bound: Flag is not an integer constant']]);
    expect(errors((m) => { m.vars[0].type = INT('Zed', 3); }))
      .toEqual([['SPEC_UNDECLARED', 5, 'int bound: Zed is not an integer constant']]);
    expect(errors((m) => { m.vars[0].type = { kind: 'int', lo: 0, hi: bin('add', c('N'), num(1)) }; })).toEqual([]);
    expect(errors((m) => { m.vars[0].type = { kind: 'int', lo: 0, hi: bin('add', c('Flag'), num(1)) }; }))
      .toEqual([['SPEC_UNDECLARED', 5, 'int bound: Flag is not an integer constant']]);
    expect(errors((m) => { m.vars[2].type = ARRAY(PTR, RANGE('Flag', 'Q')); }))
      .toEqual([
        ['SPEC_UNDECLARED', 7, 'range bound: Flag is not an integer constant'],
        ['SPEC_UNDECLARED', 7, 'range bound: Q is not an integer constant'],
      ]);
    expect(errors((m) => { P(m).count = 'Flag'; }))
      .toEqual([['SPEC_UNDECLARED', 10, 'process type P: count Flag is not an integer constant']]);
    expect(errors((m) => { P(m).count = 'N'; })).toEqual([]);
  });

  it('pointer types name a declared block set, array domains a declared process type, inside sets and arrays too', () => {
    expect(errors((m) => { m.vars[0].type = { kind: 'ptr', blocks: 'Blokcs' }; }))
      .toEqual([['SPEC_UNDECLARED', 5, 'ptr type names unknown block set Blokcs']]);
    expect(errors((m) => { P(m).locals[0].type = SET({ kind: 'ptr', blocks: 'Q' }); P(m).locals[0].init = setOf([]); }))
      .toEqual([['SPEC_UNDECLARED', 11, 'ptr type names unknown block set Q']]);
    expect(errors((m) => { m.vars[2].type = ARRAY({ kind: 'ptr', blocks: 'Q' }); }))
      .toEqual([['SPEC_UNDECLARED', 7, 'ptr type names unknown block set Q']]);
    expect(errors((m) => { m.vars[2].type = ARRAY(PTR, { kind: 'procs', procType: 'Q' }); }))
      .toEqual([['SPEC_UNDECLARED', 7, 'unknown process type Q']]);
  });

  it('a variable without a source line is not checked again (it is a generated one)', () => {
    expect(errors((m) => { m.vars[0].type = { kind: 'ptr', blocks: 'Q' }; delete m.sources['var:x']; })).toEqual([]);
  });

  it('initial values must fit their variable', () => {
    expect(errors((m) => { m.vars[3].init = num(0); }))
      .toEqual([['SPEC_TYPE', 8, 'type mismatch in the initial value of g: g is bool but the value 0 is int(0..N)']]);
    expect(errors((m) => { P(m).locals[0].init = bool(true); }))
      .toEqual([['SPEC_TYPE', 11, 'type mismatch in the initial value of t: t is int(0..N) but the value true is bool']]);
  });

  it('a local\'s initial value may use self (a bound name there), and reads locals of its own process type', () => {
    expect(errors((m) => { P(m).locals.push({ name: 'me', type: { kind: 'proc', procType: 'P' }, init: b('self') }); m.sources['local:P.me'] = line(16); })).toEqual([]);
  });

  it('a process type declares at least one label; transitions go between its labels', () => {
    expect(errors((m) => { P(m).labels = []; P(m).transitions = []; }))
      .toEqual([['SPEC_SHAPE', 10, 'process type P declares no label']]);
    expect(errors((m) => { go(m).from = 'A'; go(m).to = 'c'; }))
      .toEqual([
        ['SPEC_UNKNOWN_LABEL', 14, 'transition P.go: unknown label A (labels of P: a, b)'],
        ['SPEC_UNKNOWN_LABEL', 14, 'transition P.go: goes to unknown label c (labels of P: a, b)'],
      ]);
  });
});

describe('validate: expressions', () => {
  it('every operator wants operands of its kind, and the message names the operand', () => {
    expect(errors(guard(not(v('x'))))).toEqual(guardError('type mismatch in transition P.go: operand x is int(0..N), expected bool'));
    expect(errors(guard(bin('and', bool(true), v('x'))))).toEqual(guardError('type mismatch in transition P.go: operand x is int(0..N), expected bool'));
    expect(errors(guard(bin('implies', v('x'), bool(true))))).toEqual(guardError('type mismatch in transition P.go: operand x is int(0..N), expected bool'));
    expect(errors(guard(bin('lt', v('g'), num(1))))).toEqual(guardError('type mismatch in transition P.go: operand g is bool, expected a number'));
    expect(errors(guard(bin('ge', num(1), v('g'))))).toEqual(guardError('type mismatch in transition P.go: operand g is bool, expected a number'));
    expect(errors(guard(bin('eq', bin('mod', v('g'), num(2)), num(1))))).toEqual(guardError('type mismatch in transition P.go: operand g is bool, expected a number'));
    expect(errors(guard(bin('eq', bin('add', num(1), v('g')), num(1))))).toEqual(guardError('type mismatch in transition P.go: operand g is bool, expected a number'));
    expect(errors(guard(bin('in', v('x'), v('x'))))).toEqual(guardError('type mismatch in transition P.go: right operand of in x is int(0..N), expected set'));
    expect(errors(guard(bin('subseteq', v('x'), setOf([]))))).toEqual(guardError('type mismatch in transition P.go: operand x is int(0..N), expected set'));
    expect(errors(guard(bin('subseteq', setOf([]), v('x'))))).toEqual(guardError('type mismatch in transition P.go: operand x is int(0..N), expected set'));
    expect(errors(guard(bin('eq', { op: 'card', arg: bin('intersect', v('g'), setOf([])) }, num(0)))))
      .toEqual([...guardError('type mismatch in transition P.go: operand g is bool, expected set'),
        ...guardError('type mismatch in transition P.go: operand of size() (g ∩ {}) is bool, expected set')]);
    expect(errors(guard(bin('eq', { op: 'card', arg: bin('union', setOf([]), v('g')) }, num(0)))))
      .toEqual(guardError('type mismatch in transition P.go: operand g is bool, expected set'));
    expect(errors(guard(bin('eq', { op: 'card', arg: v('x') }, num(0))))).toEqual(guardError('type mismatch in transition P.go: operand of size() x is int(0..N), expected set'));
    expect(errors(guard({ op: 'ite', cond: v('x'), then: bool(true), else: bool(false) }))).toEqual(guardError('type mismatch in transition P.go: condition x is int(0..N), expected bool'));
    expect(errors(guard(bin('eq', at(loc('t'), num(1)), num(0))))).toEqual(guardError('type mismatch in transition P.go: indexed value t is int(0..N), expected array'));
    expect(errors(guard(bin('eq', { op: 'except', arr: v('g'), idx: num(1), value: num(0) }, v('g')))))
      .toEqual(guardError('type mismatch in transition P.go: updated value g is bool, expected array'));
    expect(errors(guard(forall('i', v('x'), bool(true))))).toEqual(guardError('type mismatch in transition P.go: quantifier domain x is int(0..N), expected set'));
  });

  it('equal and unequal sides, branches, bodies, conditions and updated elements must agree', () => {
    expect(errors(guard(bin('ne', v('x'), v('g'))))).toEqual(guardError('type mismatch in transition P.go: x is int(0..N) but g is bool'));
    expect(errors(guard(bin('eq', v('x'), str('a'))))).toEqual(guardError('type mismatch in transition P.go: x is int(0..N) but "a" is "a"'));
    expect(errors(guard(bin('eq', { op: 'ite', cond: bool(true), then: v('x'), else: v('g') }, num(0)))))
      .toEqual(guardError('type mismatch in transition P.go: the branches of (true ? x : g) are int(0..N) and bool'));
    expect(errors(guard(forall('i', dom(RANGE(1, 'N')), b('i'))))).toEqual(guardError('type mismatch in transition P.go: quantifier body i is ptr(Blocks), expected bool'));
    expect(errors(guard(bin('eq', { op: 'card', arg: { op: 'filter', v: 'i', over: dom(RANGE(0, 'N')), cond: b('i') } }, num(0)))))
      .toEqual(guardError('type mismatch in transition P.go: filter condition is int(min..max), expected bool'));
    expect(errors(atomic, guard(bin('eq', { op: 'except', arr: v('link'), idx: num(1), value: v('g') }, v('link')))))
      .toEqual(guardError('type mismatch in transition P.go: element of link is ptr(Blocks), value g is bool'));
    expect(errors(atomic, guard(bin('eq', { op: 'except', arr: v('link'), idx: num(1), value: v('x') }, v('link'))))).toEqual([]);
  });

  it('sets meet element by element, and an untyped {} takes the element type of what it meets', () => {
    const setVar = (of: Type, init: Expr = setOf([])): Edit => (m) => { m.vars.push({ name: 's', role: 'ghost', type: SET(of), init }); m.sources['var:s'] = line(15); };
    const bools = setOf([bin('gt', v('x'), num(0))]);
    const either = { op: 'ite', cond: v('g'), then: setOf([]), else: bools } as Expr;
    // {} fits a set of any element type; a set of booleans does not fit a set of integers.
    expect(errors(setVar(BOOL))).toEqual([]);
    expect(errors(setVar(INT(), either)))
      .toEqual([['SPEC_TYPE', 15, 'type mismatch in the initial value of s: s is set<int(0..N)> but the value (g ? {} : {(x > 0)}) is set<bool>']]);
    expect(errors(setVar(BOOL, either))).toEqual([]);
    expect(errors(setVar(INT(), bin('union', setOf([]), bools))))
      .toEqual([['SPEC_TYPE', 15, 'type mismatch in the initial value of s: s is set<int(0..N)> but the value ({} ∪ {(x > 0)}) is set<bool>']]);
    // Compared sets, branches, operands and elements of one set agree on their element type.
    expect(errors(guard(bin('eq', either, setOf([num(1)])))))
      .toEqual(guardError('type mismatch in transition P.go: (g ? {} : {(x > 0)}) is set<bool> but {1} is set<int(0..N)>'));
    expect(errors(guard(bin('eq', { op: 'ite', cond: v('g'), then: setOf([num(1)]), else: bools }, setOf([])))))
      .toEqual(guardError('type mismatch in transition P.go: the branches of (g ? {1} : {(x > 0)}) are set<int(0..N)> and set<bool>'));
    expect(errors(guard(bin('subseteq', setOf([num(1)]), setOf([str('a')])))))
      .toEqual(guardError('type mismatch in transition P.go: {1} is set<int(0..N)> but {"a"} is set<"a">'));
    expect(errors(guard(bin('in', num(1), bools))))
      .toEqual(guardError('type mismatch in transition P.go: 1 is int(0..N) but the elements of {(x > 0)} are bool'));
    expect(errors(guard(bin('eq', setOf([num(1), v('g')]), setOf([])))))
      .toEqual(guardError('type mismatch in transition P.go: the elements of {1, g} are int(0..N), but g is bool'));
    expect(errors(guard(bin('eq', setOf([v('g')], INT()), setOf([])))))
      .toEqual(guardError('type mismatch in transition P.go: the elements of {g} are int(0..N), but g is bool'));
    // What agrees is accepted, {} on either side.
    expect(errors(guard(bin('eq', either, setOf([v('g')]))), guard(bin('in', v('g'), bin('minus', setOf([]), bools))))).toEqual([]);
    expect(errors(guard(bin('and', bin('in', v('g'), setOf([])), bin('eq', setOf([]), { op: 'ite', cond: v('g'), then: bools, else: setOf([]) }))))).toEqual([]);
  });

  it('the guard, invariants, the mapped predicate, constraints and properties must be bool', () => {
    expect(errors(guard(v('x')))).toEqual(guardError('type mismatch: the guard of transition P.go x is int(0..N), expected bool'));
    expect(errors(inv(v('x')))).toEqual([['SPEC_TYPE', 20, 'type mismatch: invariant Inv x is int(0..N), expected bool']]);
    expect(errors((m) => { m.memory = { blocks: 'Blocks', v: 'blk', mapped: b('blk') }; }))
      .toEqual([['SPEC_TYPE', 9, 'type mismatch: the mapped predicate blk is ptr(Blocks), expected bool']]);
    expect(errors((m) => { m.memory = { blocks: 'Blocks', v: 'blk', mapped: bin('ne', b('blk'), num(0, PTR)) }; })).toEqual([]);
    expect(errors((m) => { m.memory = { blocks: 'Blocks', v: 'blk', mapped: not(v('x')) }; }))
      .toEqual([['SPEC_TYPE', 9, 'type mismatch in blockMemory: operand x is int(0..N), expected bool']]);
    expect(errors((m) => { m.memory = { blocks: 'Q', v: 'blk', mapped: bool(true) }; }))
      .toEqual([['SPEC_UNDECLARED', 9, 'blockMemory names unknown block set Q']]);
    expect(errors((m) => { m.configs[0].constraint = v('y'); }))
      .toEqual([['SPEC_TYPE', 30, 'type mismatch: constraint y is int(0..N), expected bool']]);
    expect(errors((m) => { m.configs[0].constraint = not(v('y')); }))
      .toEqual([['SPEC_TYPE', 30, 'type mismatch in the constraint of configuration small: operand y is int(0..N), expected bool']]);
    expect(errors((m) => { m.properties[0].formula = { kind: 'alwaysEventually', expr: v('x') }; }))
      .toEqual([['SPEC_TYPE', 21, 'type mismatch: formula x is int(0..N), expected bool']]);
    expect(errors((m) => { m.properties[0].formula = { kind: 'leadsTo', from: v('x'), to: v('y') }; }))
      .toEqual([
        ['SPEC_TYPE', 21, 'type mismatch: left side x is int(0..N), expected bool'],
        ['SPEC_TYPE', 21, 'type mismatch: right side y is int(0..N), expected bool'],
      ]);
  });

  it('a property\'s variable is a process of its type', () => {
    const live = (formula: Model['properties'][0]['formula']): Edit => (m) => { m.properties[0].formula = formula; };
    expect(errors(live({ kind: 'leadsTo', v: { name: 'q', procType: 'P' }, from: bin('eq', pc(b('q')), str('a')), to: bin('eq', pc(b('q')), str('b')) }))).toEqual([]);
    expect(errors(live({ kind: 'alwaysEventually', v: { name: 'q', procType: 'P' }, expr: bin('eq', pc(b('q')), str('c')) })))
      .toEqual([['SPEC_UNKNOWN_LABEL', 21, 'property Live compares pc(q) with "c", which is not a label of P (labels: a, b)']]);
  });

  it('names must be declared and used where they exist', () => {
    expect(errors(inv(bin('le', v('x'), c('M'))))).toEqual([['SPEC_UNDECLARED', 20, 'undeclared constant M in invariant Inv']]);
    expect(errors(inv(bin('le', v('z'), c('N'))))).toEqual([['SPEC_UNDECLARED', 20, 'undeclared variable z in invariant Inv']]);
    expect(errors(inv(bin('le', loc('t'), c('N')))))
      .toEqual([['SPEC_UNDECLARED', 20, 'local variable t used in invariant Inv, outside a transition: write t.of(p) for a process p']]);
    expect(errors(guard(bin('le', loc('u'), c('N'))))).toEqual(guardError('undeclared variable u in transition P.go: P has no local of that name').map(([, l, msg]) => ['SPEC_UNDECLARED', l, msg] as [string, number, string]));
    expect(errors(inv(bin('eq', loc('u', num(1)), num(0))))).toEqual([['SPEC_UNDECLARED', 20, 'undeclared local variable u in invariant Inv']]);
    expect(errors(inv(bin('eq', pc(SELF), str('a'))))).toEqual([['SPEC_UNDECLARED', 20, 'self used in invariant Inv, outside a transition']]);
    expect(errors(inv(bin('eq', b('q'), num(0))))).toEqual([['SPEC_UNDECLARED', 20, 'unbound name q in invariant Inv']]);
    expect(errors(inv(bin('eq', c('Flag'), bool(true))))).toEqual([]);
  });

  it('a local of another process reads its declared type', () => {
    const q = { kind: 'procs', procType: 'P' } as const;
    expect(errors(inv(forall('q', dom(q), bin('le', loc('t', b('q')), c('N')))))).toEqual([]);
    expect(errors(inv(forall('q', dom(q), not(loc('t', b('q')))))))
      .toEqual([['SPEC_TYPE', 20, 'type mismatch in invariant Inv: operand t.of(q) is int(0..N), expected bool']]);
    expect(errors(inv(forall('q', dom(q), not(loc('t', b('r')))))))
      .toEqual([['SPEC_UNDECLARED', 20, 'unbound name r in invariant Inv'], ['SPEC_TYPE', 20, 'type mismatch in invariant Inv: operand t.of(r) is int(0..N), expected bool']]);
  });

  it('a process named by pc(p) or l.of(p) is a number', () => {
    expect(errors(inv(bin('eq', loc('t', num(1)), num(0))))).toEqual([]);
    expect(errors(inv(bin('eq', loc('t', bool(true)), num(0)))))
      .toEqual([['SPEC_TYPE', 20, 'type mismatch in invariant Inv: process true is bool, expected a number']]);
    expect(errors(inv(bin('eq', pc(v('g')), str('a')))))
      .toEqual([['SPEC_TYPE', 20, 'type mismatch in invariant Inv: process g is bool, expected a number']]);
  });

  it('list predicates: a declared block set, a number to start from, an array of links', () => {
    const list = (op: 'listNodes' | 'listAcyclic', start: Expr, link: Expr, blocks = 'Blocks'): Expr => ({ op, start, link, blocks });
    expect(errors(inv(list('listAcyclic', num(0, PTR), v('link'))))).toEqual([]);
    expect(errors(inv(bin('eq', { op: 'card', arg: list('listNodes', num(0, PTR), v('link')) }, num(0))))).toEqual([]);
    expect(errors(inv(list('listNodes', num(0, PTR), v('link')))))
      .toEqual([['SPEC_TYPE', 20, 'type mismatch: invariant Inv listNodes(NULL, link) is set<int(min..max)>, expected bool']]);
    expect(errors(inv(list('listAcyclic', v('g'), v('x'), 'Q'))))
      .toEqual([
        ['SPEC_UNDECLARED', 20, 'unknown block set Q in invariant Inv'],
        ['SPEC_TYPE', 20, 'type mismatch in invariant Inv: list start g is bool, expected a number'],
        ['SPEC_TYPE', 20, 'type mismatch in invariant Inv: link array x is int(0..N), expected array'],
      ]);
  });
});

describe('validate: what an expression\'s type is (seen in messages and in choice variables)', () => {
  /** The element type the checker gives P.go's one choice variable, chosen over `over`. */
  const choiceType = (over: Expr): Type | undefined => {
    const m = mini();
    go(m).params = [{ name: 'k', over }];
    expect(validate(m)).toEqual([]);
    return go(m).params[0].elemType;
  };

  it('a set literal whose first element has no type takes the next element\'s', () => {
    expect(errors(inv(not(setOf([b('nope'), v('g')])))))
      .toEqual([['SPEC_UNDECLARED', 20, 'unbound name nope in invariant Inv'], ['SPEC_TYPE', 20, 'type mismatch in invariant Inv: operand {nope, g} is set<bool>, expected bool']]);
  });

  it('1..size of a block set is a pointer; another range is an int', () => {
    expect(choiceType(dom(RANGE(1, 'N')))).toEqual(PTR);
    expect(choiceType(dom(RANGE(0, 'N')))).toEqual({ kind: 'int', lo: 'min', hi: 'max' });
    expect(choiceType(dom(RANGE(1, 2)))).toEqual({ kind: 'int', lo: 'min', hi: 'max' });
    expect(choiceType(dom({ kind: 'procs', procType: 'P' }))).toEqual({ kind: 'proc', procType: 'P' });
  });

  it('a set literal has its declared element type, else its first element\'s, else int', () => {
    expect(choiceType(setOf([v('x')], PTR))).toEqual(PTR);
    expect(choiceType(setOf([v('g'), bool(true)]))).toEqual(BOOL);
    expect(choiceType(setOf([]))).toEqual({ kind: 'int', lo: 'min', hi: 'max' });
  });

  it('a set operator or an ite has the type of its typed side (an untyped {} has none); a filter its domain\'s', () => {
    expect(choiceType(bin('union', setOf([]), setOf([v('g')])))).toEqual(BOOL);
    expect(choiceType(bin('minus', setOf([v('x')]), setOf([])))).toEqual(INT());
    expect(choiceType(bin('intersect', setOf([v('x')]), setOf([num(1, PTR)])))).toEqual(INT());
    expect(choiceType({ op: 'ite', cond: bool(true), then: setOf([]), else: setOf([v('g')]) })).toEqual(BOOL);
    expect(choiceType({ op: 'ite', cond: bool(true), then: setOf([v('x')]), else: setOf([]) })).toEqual(INT());
    expect(choiceType({ op: 'filter', v: 'i', over: dom(RANGE(1, 'N')), cond: bool(true) })).toEqual(PTR);
  });

  it('a map over 1..N of pointers is an array of pointers (its element type shows in a message)', () => {
    expect(errors(guard(not({ op: 'map', v: 'i', domain: RANGE(1, 'N'), body: b('i') }))))
      .toEqual(guardError('type mismatch in transition P.go: operand [i in 1..N -> i] is array<1..N, ptr(Blocks)>, expected bool'));
  });

  it('choose over something that is not a set', () => {
    expect(errors((m) => { go(m).params = [{ name: 'k', over: v('x') }]; }))
      .toEqual(guardError('type mismatch in transition P.go: choose over x, which is int(0..N), not a set'));
  });
});

describe('validate: labels are typed', () => {
  it('pc compared with a label of no process type, or not of the process\'s type', () => {
    expect(errors(guard(bin('eq', pc(SELF), str('a'))))).toEqual([]);
    expect(errors(guard(bin('eq', pc(SELF), str('A')))))
      .toEqual([['SPEC_UNKNOWN_LABEL', 14, 'transition P.go compares pc(self) with "A", which is not a label of P (labels: a, b)']]);
    expect(errors(guard(bin('ne', str('A'), pc(SELF, 'P')))))
      .toEqual([['SPEC_UNKNOWN_LABEL', 14, 'transition P.go compares pc(self) with "A", which is not a label of P (labels: a, b)']]);
    expect(errors(guard(bin('in', pc(SELF), setOf([str('a'), str('zz')])))))
      .toEqual([['SPEC_UNKNOWN_LABEL', 14, 'transition P.go compares pc(self) with "zz", which is not a label of P (labels: a, b)']]);
  });

  it('pc of a process of unknown type may be any process type\'s label', () => {
    const two: Edit = (m) => {
      m.procTypes.push({ ...P(m), name: 'Q', locals: [], labels: [{ name: 'q1' }], initial: 'q1', transitions: [] });
      m.sources['proc:Q'] = line(50);
    };
    expect(errors(two, inv(forall('i', dom(RANGE(0, 3)), bin('ne', pc(b('i')), str('q1')))))).toEqual([]);
    expect(errors(two, inv(forall('i', dom(RANGE(0, 3)), bin('ne', pc(b('i')), str('q2'))))))
      .toEqual([['SPEC_UNKNOWN_LABEL', 20, 'invariant Inv compares pc(i) with "q2", which is not a label of any process type (labels: a, b, q1)']]);
    // Ids of the second process type are a domain like the first's.
    expect(errors(two, inv(forall('i', dom({ kind: 'procs', procType: 'Q' }), bool(true))))).toEqual([]);
    // pc of an unbound name: only that error, not a crash.
    expect(errors(inv(bin('ne', pc(b('zz')), str('a'))))).toEqual([['SPEC_UNDECLARED', 20, 'unbound name zz in invariant Inv']]);
  });

  it('an enum is not a number, and an enum value fits only an enum that has it', () => {
    const e: Edit = (m) => { m.vars[3] = { name: 'g', role: 'ghost', type: ENUM('p', 'q'), init: str('p') }; };
    expect(errors(e, (m) => { go(m).effects.push({ target: { kind: 'var', name: 'g' }, value: str('q') }); })).toEqual([]);
    expect(errors(e, (m) => { go(m).effects.push({ target: { kind: 'var', name: 'g' }, value: { op: 'lit', value: 'q', type: ENUM('q', 'z') } }); }))
      .toEqual(guardError('type mismatch in transition P.go: g is "p"|"q" but the value "q" is "q"|"z"'));
  });
});

describe('validate: assignments', () => {
  const effects = (...es: [string, Expr | undefined, Expr][]): Edit => (m) => {
    atomic(m);
    go(m).effects = es.map(([name, index, value]) => ({ target: name === 't' ? { kind: 'local', name, index } : { kind: 'var', name, index }, value }));
  };
  it('a word assigned twice in one step', () => {
    expect(errors(effects(['x', undefined, num(1)], ['x', undefined, num(2)]))).toEqual([['SPEC_SHAPE', 14, 'transition P.go assigns x twice']]);
    expect(errors(effects(['g', undefined, bool(true)], ['link', num(1), num(0, PTR)], ['link', num(1), num(0, PTR)])))
      .toEqual([['SPEC_SHAPE', 14, 'transition P.go assigns link[1] twice']]);
    expect(errors(effects(['link', num(1), num(0, PTR)], ['link', undefined, v('link')]))).toEqual([['SPEC_SHAPE', 14, 'transition P.go assigns link twice']]);
    expect(errors(effects(['link', undefined, v('link')], ['link', num(1), num(0, PTR)]))).toEqual([['SPEC_SHAPE', 14, 'transition P.go assigns link[1] twice']]);
    // Two elements of one array, and a variable whose name starts like another's: not twice.
    expect(errors(effects(['link', num(1), num(0, PTR)], ['link', num(2), num(0, PTR)]))).toEqual([]);
    expect(errors((m) => { m.vars[1].name = 'link2'; m.sources['var:link2'] = line(6); },
      effects(['link', num(1), num(0, PTR)], ['link2', undefined, num(0)]))).toEqual([]);
  });

  it('assignments to what is not declared, not an array, or of the wrong type', () => {
    expect(errors(effects(['z', undefined, num(1)]))).toEqual([['SPEC_UNDECLARED', 14, 'transition P.go assigns undeclared variable z']]);
    expect(errors((m) => { go(m).effects = [{ target: { kind: 'local', name: 'u' }, value: num(1) }]; }))
      .toEqual([['SPEC_UNDECLARED', 14, 'transition P.go assigns undeclared variable u: P has no local of that name']]);
    expect(errors(effects(['x', num(1), num(1)]))).toEqual(guardError('type mismatch in transition P.go: x is int(0..N), not an array'));
    expect(errors(effects(['t', undefined, bool(true)]))).toEqual(guardError('type mismatch in transition P.go: t is int(0..N) but the value true is bool'));
    expect(errors(effects(['link', num(1), v('g')]))).toEqual(guardError('type mismatch in transition P.go: link[1] is ptr(Blocks) but the value g is bool'));
    // The index is checked too.
    expect(errors(effects(['link', b('nope'), num(0, PTR)]))).toEqual([['SPEC_UNDECLARED', 14, 'unbound name nope in transition P.go']]);
  });
});

describe('validate: the atomicity rule', () => {
  const atomicity = (words: string) => [['SPEC_ATOMICITY', 14,
    `transition P.go touches ${words.split(', ').length} shared words (${words}); one step may touch one shared word or both words of a declared pair (DWCAS). Split the step, declare the pair with p.pair(), or mark it atomic: true if it is coarser on purpose`]];

  it('reading one word and writing another in one step', () => {
    expect(errors(guard(bin('eq', v('y'), num(0))))).toEqual(atomicity('y, x'));
    expect(errors(guard(bin('eq', v('x'), num(0))))).toEqual([]);
    expect(errors(guard(bin('eq', v('y'), num(0))), atomic)).toEqual([]);
    expect(errors(guard(bin('eq', v('y'), num(0))), (m) => { m.pairs = [['x', 'y']]; })).toEqual([]);
    expect(errors(guard(bin('eq', v('y'), num(0))), (m) => { m.pairs = [['y', 'x']]; })).toEqual([]);
    expect(errors(guard(bin('eq', v('y'), num(0))), (m) => { m.pairs = [['x', 'link']]; })).toEqual(atomicity('y, x'));
    // A pair covers two words, not a third beside them.
    expect(errors(guard(bin('eq', at(v('link'), num(1)), num(0, PTR))), (m) => { m.pairs = [['x', 'y']]; go(m).effects.push({ target: { kind: 'var', name: 'y' }, value: num(0) }); }))
      .toEqual(atomicity('link[1], x, y'));
  });

  it('elements of an array are words of their own; a whole-array update is one word', () => {
    expect(errors((m) => { go(m).effects = [{ target: { kind: 'var', name: 'link', index: num(1) }, value: at(v('link'), num(1)) }]; })).toEqual([]);
    expect(errors((m) => { go(m).effects = [{ target: { kind: 'var', name: 'link', index: num(1) }, value: at(v('link'), num(2)) }]; }))
      .toEqual(atomicity('link[2], link[1]'));
    expect(errors((m) => { go(m).effects = [{ target: { kind: 'var', name: 'link' }, value: { op: 'except', arr: v('link'), idx: num(1), value: num(0, PTR) } }]; }))
      .toEqual(atomicity('link[*], link'));
    expect(errors(guard(bin('eq', at(v('link'), v('y')), num(0, PTR))), (m) => { go(m).effects = []; })).toEqual(atomicity('link[y], y'));
    // A variable read as the new value of an EXCEPT is a word of its own, not a whole array.
    expect(errors((m) => { go(m).effects = [{ target: { kind: 'var', name: 'link' }, value: { op: 'except', arr: v('link'), idx: num(1), value: v('y') } }]; }))
      .toEqual(atomicity('link[*], y, link'));
  });

  it('choice domains and assignment indexes are read; ghost assignments and locals are not memory', () => {
    expect(errors((m) => { go(m).params = [{ name: 'k', over: setOf([v('y')]) }]; })).toEqual(atomicity('y, x'));
    expect(errors((m) => { go(m).effects.push({ target: { kind: 'var', name: 'link', index: v('y') }, value: num(0, PTR) }); }))
      .toEqual(atomicity('x, y, link[y]'));
    expect(errors((m) => { go(m).effects.push({ target: { kind: 'var', name: 'g' }, value: bin('eq', v('y'), num(0)) }); })).toEqual([]);
    expect(errors((m) => { go(m).effects.push({ target: { kind: 'local', name: 't' }, value: v('y') }); })).toEqual(atomicity('x, y'));
  });
});

describe('validate: configurations', () => {
  it('every constant gets a value of its type, and only declared constants', () => {
    expect(errors((m) => { m.configs[0].constants = { N: 2 }; }))
      .toEqual([['SPEC_CONFIG', 30, 'configuration small gives no value for constant Flag']]);
    expect(errors((m) => { m.configs[0].constants = { N: true, Flag: 1 }; }))
      .toEqual([
        ['SPEC_CONFIG', 30, 'configuration small: constant N is int but is given true'],
        ['SPEC_CONFIG', 30, 'configuration small: constant Flag is bool but is given 1'],
      ]);
    expect(errors((m) => { m.configs[0].constants = { N: 2, Flag: false, M: 3 }; }))
      .toEqual([['SPEC_CONFIG', 30, 'configuration small sets M, which is not a declared constant']]);
  });

  it('checks and expects only what the spec declares; Deadlock always, Refines with a refinement', () => {
    expect(errors((m) => { m.configs[0].invariants = ['Inv', 'Invv']; m.configs[0].properties = ['Lvie']; }))
      .toEqual([
        ['SPEC_CONFIG', 30, 'configuration small checks unknown invariant Invv'],
        ['SPEC_CONFIG', 30, 'configuration small checks unknown property Lvie'],
      ]);
    const expectViolated = (...oneOf: string[]): Edit => (m) => { m.configs[0].expect = { verdict: 'violated', oneOf }; };
    expect(errors(expectViolated('Inv', 'Live', 'Deadlock'))).toEqual([]);
    expect(errors(expectViolated('Refines')))
      .toEqual([['SPEC_CONFIG', 30, 'configuration small expects a violation of unknown property Refines']]);
    expect(errors(expectViolated('Refines'), (m) => { m.refinement = { abstract: mini(), constants: {}, vars: {} }; })).toEqual([]);
    expect(errors(expectViolated('Nope')))
      .toEqual([['SPEC_CONFIG', 30, 'configuration small expects a violation of unknown property Nope']]);
  });
});

describe('validate: later stages run only on a model without errors', () => {
  it('the protocol\'s name is judged only when nothing else is wrong', () => {
    expect(errors((m) => { m.name = 'Init'; }))
      .toEqual([['SPEC_NAME', 1, 'protocol name Init is a name the generated TLA+/PlusCal modules define; choose another name']]);
    expect(errors((m) => { m.name = 'Init'; m.configs[0].constants = { N: 2 }; }))
      .toEqual([['SPEC_CONFIG', 30, 'configuration small gives no value for constant Flag']]);
  });

  it('symmetry is judged only when names and values are right', () => {
    const sym: Edit = (m) => { m.configs[0].symmetry = ['Q']; };
    expect(errors(sym)).toEqual([['SPEC_SYMMETRY', 30, 'configuration small: symmetry names Q, which is not a block set or process-id set (Blocks, Ps)']]);
    expect(errors(sym, (m) => { m.name = 'Init'; }).map(([code]) => code)).toEqual(['SPEC_NAME']); // the name's error alone
  });
});
