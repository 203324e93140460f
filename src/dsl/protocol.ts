/**
 * The DSL surface: `protocol(name, p => { ... })` declares constants, variables, processes with labeled
 * state machines, properties and configurations, and returns the Model IR plus any errors found while
 * building. Every declaration records the spec file:line in the model's side table.
 */
import { z } from 'zod';
import type { PoolspecError, SourcePos } from '../errors.ts';
import { callerPos, userFrame } from './source.ts';
import { DomainRef, DslExprError, E, Ref, boundOf, exists, forall, lift, withBound, type Val } from './expr.ts';
import type {
  Assign, Config, ConstantDecl, Expectation, Expr, Fairness, Label, LocalDecl, Model, Param, PlaceKind,
  ProcType, Temporal, Transition, Type, VarDecl,
} from './ir.ts';
import { DONE_LABEL, sourceKey } from './ir.ts';
import { addTypeOk } from './typeok.ts';
import { formatZodIssue, identifier } from './schemas.ts';

export const PROTOCOL_TAG = Symbol.for('poolspec.protocol');

export interface Protocol {
  readonly [PROTOCOL_TAG]: true;
  readonly model: Model;
  /** Problems found while building (shape errors); semantic checks run in validate(). */
  readonly buildErrors: PoolspecError[];
}

export function isProtocol(x: unknown): x is Protocol {
  return typeof x === 'object' && x !== null && (x as Record<symbol, unknown>)[PROTOCOL_TAG] === true;
}

/** A local variable: of the acting process inside transitions, `.of(p)` of any process in properties. */
export class LocalRef extends Ref {
  constructor(readonly procType: string, readonly localName: string) {
    super({ op: 'local', name: localName }, { kind: 'local', name: localName });
  }
  of(proc: Val): E {
    return new E({ op: 'local', name: this.localName, proc: lift(proc) });
  }
}

export interface ProcHandle {
  name: string;
  /** The set of this type's process ids. */
  ids: DomainRef;
  /** The control state (label name) of process `p`; comparing it with a name that is not a label of this type is an error. */
  pc(p: Val): E;
  /** `\E p \in ids : body(p)`: some process of this type satisfies `body`. */
  some(body: (p: E) => Val): E;
  /** `\A p \in ids : body(p)`: every process of this type satisfies `body`. */
  every(body: (p: E) => Val): E;
  /** The transitions of this type, as built (for libraries that inspect what a variant does). */
  readonly transitions: readonly Transition[];
}

const isProcHandle = (x: unknown): x is ProcHandle =>
  typeof x === 'object' && x !== null && 'ids' in x && 'pc' in x && typeof (x as ProcHandle).pc === 'function';

export interface StepOpts {
  to: string;
  /** Distinguishes the transitions of a label that has several (the `either` branches). */
  branch?: string;
  when?: Val;
  do?: Assign[];
  /** Coarser than one memory operation, on purpose. */
  atomic?: boolean;
  /** This transition starts the API operation of that name (e.g. `alloc`), for the runtime. */
  op?: string;
  doc?: string;
}

export interface ConfigOpts {
  constants: Record<string, number | boolean>;
  invariants?: string[];
  properties?: string[];
  checkDeadlock?: boolean;
  constraint?: Val;
  expect: Expectation;
  doc?: string;
  /** Checked only by `check --config NAME`, not in the default run (a heavy configuration). */
  onlyOnRequest?: boolean;
  /** Interchangeable sets (`['Threads', 'Blocks']` or a subset): see Config.symmetry. Safety only. */
  symmetry?: string[];
}

export const holds = (): Expectation => ({ verdict: 'holds' });
export const violates = (...oneOf: string[]): Expectation => ({ verdict: 'violated', oneOf });

const configSchema = z.object({
  constants: z.record(z.union([z.number().int(), z.boolean()])),
  invariants: z.array(z.string()).optional(),
  properties: z.array(z.string()).optional(),
  checkDeadlock: z.boolean().optional(),
  constraint: z.any().optional(),
  expect: z.union([
    z.object({ verdict: z.literal('holds') }),
    z.object({ verdict: z.literal('violated'), oneOf: z.array(z.string()).min(1) }),
  ]),
  doc: z.string().optional(),
  onlyOnRequest: z.boolean().optional(),
  symmetry: z.array(z.string()).min(1).optional(),
}).strict();

const stepSchema = z.object({
  to: z.string().min(1),
  branch: identifier.optional(),
  when: z.any().optional(),
  do: z.array(z.object({ target: z.any(), value: z.any() })).optional(),
  atomic: z.boolean().optional(),
  op: identifier.optional(),
  doc: z.string().optional(),
}).strict();

class Builder {
  readonly errors: PoolspecError[] = [];
  readonly model: Model;

  constructor(name: string, file: string, doc?: string) {
    this.model = {
      name, doc, file, constants: [], blockSets: [], vars: [], pairs: [], procTypes: [],
      invariants: [], properties: [], configs: [], sources: {},
    };
  }

  err(at: SourcePos, code: PoolspecError['code'], message: string): void {
    this.errors.push({ code, message, at });
  }

  name(at: SourcePos, what: string, name: unknown): name is string {
    const r = identifier.safeParse(name);
    if (!r.success) this.err(at, 'SPEC_SHAPE', `${what} name ${JSON.stringify(name)}: ${formatZodIssue(r.error)}`);
    return r.success;
  }
}

export type ProtocolBuilder = ReturnType<typeof makeProtocolBuilder>;

function makeProtocolBuilder(b: Builder) {
  const m = b.model;
  const declareVar = (role: VarDecl['role']) =>
    (name: string, type: Type, init: Val, opts: { inBlock?: boolean; doc?: string } = {}): Ref => {
      const at = callerPos();
      if (b.name(at, 'variable', name)) {
        m.vars.push({ name, role, type, init: lift(init), inBlock: opts.inBlock, doc: opts.doc });
        m.sources[sourceKey.variable(name)] = at;
      }
      return new Ref({ op: 'var', name }, { kind: 'var', name });
    };

  return {
    /** A model constant; each configuration gives its value. */
    constant(name: string, kind: 'int' | 'bool' = 'int', doc?: string): E {
      const at = callerPos();
      if (b.name(at, 'constant', name)) {
        const decl: ConstantDecl = { name, type: { kind }, doc };
        m.constants.push(decl);
        m.sources[sourceKey.constant(name)] = at;
      }
      return new E({ op: 'const', name });
    },
    /** A block set `1..size`: the addresses pointers of type `ptr(set)` range over. */
    blocks(name: string, size: E): DomainRef {
      const at = callerPos();
      if (size.expr.op !== 'const') b.err(at, 'SPEC_SHAPE', `block set ${name}: its size must be a constant`);
      const sizeName = size.expr.op === 'const' ? size.expr.name : '?';
      if (b.name(at, 'block set', name)) {
        m.blockSets.push({ name, size: sizeName });
        m.sources[`blocks:${name}`] = at;
      }
      return new DomainRef({ kind: 'range', lo: 1, hi: sizeName }, name);
    },
    /** An integer range `lo..hi` usable as an array index or quantifier domain. */
    range(lo: number | E, hi: number | E): DomainRef {
      return new DomainRef({ kind: 'range', lo: boundOf(lo), hi: boundOf(hi) });
    },
    shared: declareVar('shared'),
    ghost: declareVar('ghost'),
    /** Declares which blocks of a block set are mapped; `inBlock` variables are checked against it. */
    blockMemory(blocks: DomainRef, mapped: (b: E) => Val): void {
      const at = callerPos();
      if (!blocks.blockSet) {
        b.err(at, 'SPEC_SHAPE', 'blockMemory() takes a block set declared with p.blocks()');
        return;
      }
      withBound('b', (x, v) => { m.memory = { blocks: blocks.blockSet!, v, mapped: lift(mapped(x)) }; });
      m.sources['memory'] = at;
    },
    /** Declares two shared scalars that one DWCAS reads and writes as a double word. */
    pair(a: Ref, c: Ref): void {
      const at = callerPos();
      if (a.lvalue.kind !== 'var' || c.lvalue.kind !== 'var') {
        b.err(at, 'SPEC_SHAPE', 'pair() takes two shared variables');
        return;
      }
      m.pairs.push([a.lvalue.name, c.lvalue.name]);
      m.sources[`pair:${a.lvalue.name}.${c.lvalue.name}`] = at;
    },
    /** A process type: `count` processes each running the state machine built by `build`. */
    process(name: string, count: number | E, opts: { fairness?: Fairness }, build: (t: ProcBuilder) => void): ProcHandle {
      const at = callerPos();
      b.name(at, 'process type', name);
      const countVal = count instanceof E ? (count.expr.op === 'const' ? count.expr.name : NaN) : count;
      if (typeof countVal === 'number' && !(Number.isInteger(countVal) && countVal > 0)) {
        b.err(at, 'SPEC_SHAPE', `process type ${name}: count must be a positive integer or a constant`);
      }
      const pt: ProcType = {
        name, count: countVal, locals: [], labels: [], initial: '', transitions: [], fairness: opts.fairness ?? 'none',
      };
      m.procTypes.push(pt);
      m.sources[sourceKey.procType(name)] = at;
      build(makeProcBuilder(b, pt));
      finishTransitions(b, pt);
      const ids = new DomainRef({ kind: 'procs', procType: name });
      const hint = name.slice(0, 1).toLowerCase() || 'p';
      return {
        name, ids,
        pc: (p: Val) => new E({ op: 'pc', proc: lift(p), procType: name }),
        some: (body) => exists(ids, body, hint),
        every: (body) => forall(ids, body, hint),
        transitions: pt.transitions,
      };
    },
    invariant(name: string, expr: Val, doc?: string): void {
      const at = callerPos();
      if (b.name(at, 'invariant', name)) {
        m.invariants.push({ name, expr: lift(expr), doc });
        m.sources[sourceKey.invariant(name)] = at;
      }
    },
    /**
     * A leads-to property, checked under the declared fairness:
     * - system-wide, `leadsTo(name, from, to)`: `from ~> to` (whenever `from` holds, `to` holds then or later);
     * - per process, `leadsTo(name, proc, p => from, p => to)`: `\A p \in proc: from(p) ~> to(p)`.
     */
    leadsTo(name: string, ...args: [from: Val, to: Val, doc?: string] | [proc: ProcHandle, from: (p: E) => Val, to: (p: E) => Val, doc?: string]): void {
      const at = callerPos();
      const addProperty = (formula: Temporal, doc: string | undefined) => {
        if (b.name(at, 'property', name)) {
          m.properties.push({ name, formula, doc });
          m.sources[sourceKey.property(name)] = at;
        }
      };
      try {
        if (isProcHandle(args[0])) {
          const [proc, from, to, doc] = args as [ProcHandle, (p: E) => Val, (p: E) => Val, string?];
          const v = `p_${name}`;
          const pv = new E({ op: 'bound', name: v });
          addProperty({ kind: 'leadsTo', v: { name: v, procType: proc.name }, from: lift(from(pv)), to: lift(to(pv)) }, doc);
        } else {
          const [from, to, doc] = args as [Val, Val, string?];
          addProperty({ kind: 'leadsTo', from: lift(from), to: lift(to) }, doc);
        }
      } catch (err) {
        b.err(at, 'SPEC_SHAPE', `property ${name}: ${(err as Error).message}`);
      }
    },
    /** `[]<>expr` system-wide, or `\A p \in proc: []<>expr(p)` with a process handle. */
    alwaysEventually(name: string, ...args: [expr: Val, doc?: string] | [proc: ProcHandle, expr: (p: E) => Val, doc?: string]): void {
      const at = callerPos();
      let formula: Temporal;
      let doc: string | undefined;
      try {
        if (isProcHandle(args[0])) {
          const [proc, expr, d] = args as [ProcHandle, (p: E) => Val, string?];
          const v = `p_${name}`;
          formula = { kind: 'alwaysEventually', v: { name: v, procType: proc.name }, expr: lift(expr(new E({ op: 'bound', name: v }))) };
          doc = d;
        } else {
          const [expr, d] = args as [Val, string?];
          formula = { kind: 'alwaysEventually', expr: lift(expr) };
          doc = d;
        }
      } catch (err) {
        b.err(at, 'SPEC_SHAPE', `property ${name}: ${(err as Error).message}`);
        return;
      }
      if (b.name(at, 'property', name)) {
        m.properties.push({ name, formula, doc });
        m.sources[sourceKey.property(name)] = at;
      }
    },
    /**
     * An inductive invariant: named conjuncts (or one expression) that may mention every process's
     * labels (`pc`) and locals (`.of`). `configs` names the configurations it is claimed for
     * (default: those expected to hold). Discharged by `poolspec prove`, checked by TLC as an invariant.
     */
    inductive(name: string, conjuncts: Val | Record<string, Val>, opts: { configs?: string[]; expect?: 'proved' | 'fails'; sizes?: Record<string, number>; doc?: string } = {}): void {
      const at = callerPos();
      if (!b.name(at, 'inductive invariant', name)) return;
      const named = conjuncts !== null && typeof conjuncts === 'object' && !(conjuncts instanceof E) && !('expr' in (conjuncts as object))
        ? Object.entries(conjuncts as Record<string, Val>).map(([n, x]) => ({ name: n, expr: lift(x) }))
        : [{ name, expr: lift(conjuncts as Val) }];
      // Not the symmetric configurations (`large`): they are sizes for exploring, not for proofs.
      const configs = opts.configs ?? m.configs.filter((c) => c.expect.verdict === 'holds' && !c.refines && !c.symmetry?.length).map((c) => c.name);
      (m.inductive ??= []).push({ name, conjuncts: named, configs, expect: opts.expect ?? 'proved', sizes: opts.sizes, doc: opts.doc });
      m.sources[`inductive:${name}`] = at;
    },
    /**
     * Where blocks can be, for the runtime's block accounting (`stress`, `replay`): `blocks` is a set
     * of blocks, or a map from a domain to sets (`mapOver(Threads, ...)`: one place per element, so a
     * block in two of them counts as duplicated). `kind` files it under the totals the runtime reports;
     * `acyclic`, for a list, is false when the list loops. Mapped blocks in no place are lost.
     */
    place(name: string, kind: PlaceKind, blocks: Val, opts: { acyclic?: Val } = {}): void {
      const at = callerPos();
      if (!b.name(at, 'place', name)) return;
      (m.places ??= []).push({ name, kind, blocks: lift(blocks), ...(opts.acyclic !== undefined ? { acyclic: lift(opts.acyclic) } : {}) });
      m.sources[`place:${name}`] = at;
    },
    /**
     * A refinement mapping to an abstract protocol: each abstract variable (its shared and ghost
     * variables, `pc` and its locals) as an expression of this protocol's state; abstract constants
     * default to this protocol's constants of the same name. For each named base configuration a
     * configuration `refines_<name>` checks the `Refines` property with TLC, with the given expectation.
     */
    /** `onlyOnRequest`: the refinement configurations checked only by name (`check --config refines_<base>`). */
    refines(target: Protocol, opts: { vars: Record<string, Val>; constants?: Record<string, Val>; configs: Record<string, Expectation>; onlyOnRequest?: string[] }): void {
      const at = callerPos();
      const abs = target.model;
      const constants: Record<string, Expr> = {};
      for (const c of abs.constants) constants[c.name] = opts.constants?.[c.name] !== undefined ? lift(opts.constants[c.name]) : { op: 'const', name: c.name };
      const vars: Record<string, Expr> = {};
      for (const [k, v] of Object.entries(opts.vars)) vars[k] = lift(v);
      const want = [...abs.vars.map((v) => v.name), 'pc', ...abs.procTypes.flatMap((pt) => pt.locals.map((l) => l.name))];
      const missing = want.filter((v) => !(v in vars));
      const extra = Object.keys(vars).filter((v) => !want.includes(v));
      if (missing.length || extra.length) {
        b.err(at, 'SPEC_SHAPE', `refinement to ${abs.name}: ${missing.length ? `no mapping for ${missing.join(', ')}` : ''}${missing.length && extra.length ? '; ' : ''}${extra.length ? `${extra.join(', ')} ${extra.length > 1 ? 'are' : 'is'} not a variable of ${abs.name}` : ''}`);
        return;
      }
      m.refinement = { abstract: abs, constants, vars };
      m.sources['refinement'] = at;
      for (const [base, expect] of Object.entries(opts.configs)) {
        const c = m.configs.find((x) => x.name === base);
        if (!c) {
          b.err(at, 'SPEC_CONFIG', `refinement to ${abs.name}: no configuration ${base}`);
          continue;
        }
        const name = `refines_${base}`;
        m.configs.push({
          ...c, name, invariants: [], properties: [], checkDeadlock: false, expect, refines: true,
          onlyOnRequest: c.onlyOnRequest || opts.onlyOnRequest?.includes(base) || undefined,
          doc: `${base}: refines ${abs.name} (safety: Init and every step, stuttering allowed)`,
        });
        m.sources[sourceKey.config(name)] = at;
      }
    },
    config(name: string, opts: ConfigOpts): void {
      const at = callerPos();
      if (!b.name(at, 'configuration', name)) return;
      const r = configSchema.safeParse(opts);
      if (!r.success) {
        b.err(at, 'SPEC_CONFIG', `configuration ${name}: ${formatZodIssue(r.error)}`);
        return;
      }
      const cfg: Config = {
        name,
        constants: opts.constants,
        invariants: opts.invariants ?? m.invariants.map((i) => i.name),
        properties: opts.properties ?? m.properties.map((p) => p.name),
        checkDeadlock: opts.checkDeadlock ?? true,
        constraint: opts.constraint === undefined ? undefined : lift(opts.constraint),
        expect: opts.expect,
        doc: opts.doc,
        ...(opts.onlyOnRequest ? { onlyOnRequest: true } : {}),
        ...(opts.symmetry ? { symmetry: opts.symmetry } : {}),
      };
      m.configs.push(cfg);
      m.sources[sourceKey.config(name)] = at;
    },
  };
}

export type ProcBuilder = ReturnType<typeof makeProcBuilder>;

interface PendingStep { t: Transition; branch?: string; at: SourcePos }
const pending = new WeakMap<ProcType, PendingStep[]>();

function makeProcBuilder(b: Builder, pt: ProcType) {
  const m = b.model;
  pending.set(pt, []);
  const addStep = (from: string, params: Param[], opts: StepOpts, at: SourcePos) => {
    const r = stepSchema.safeParse(opts);
    if (!r.success) {
      b.err(at, 'SPEC_SHAPE', `step from ${from}: ${formatZodIssue(r.error)}`);
      return;
    }
    const t: Transition = {
      name: from, from, to: opts.to, params,
      guard: opts.when === undefined ? lift(true) : lift(opts.when),
      effects: opts.do ?? [],
      atomic: opts.atomic ?? false,
      op: opts.op,
      doc: opts.doc,
    };
    pending.get(pt)!.push({ t, branch: opts.branch, at });
  };
  return {
    local(name: string, type: Type, init: Val, doc?: string): LocalRef {
      const at = callerPos();
      if (b.name(at, 'local variable', name)) {
        const decl: LocalDecl = { name, type, init: lift(init), doc };
        pt.locals.push(decl);
        m.sources[sourceKey.local(pt.name, name)] = at;
      }
      return new LocalRef(pt.name, name);
    },
    /** A control state. The first label declared is the initial one. */
    label(name: string, doc?: string): string {
      const at = callerPos();
      if (b.name(at, 'label', name)) {
        const l: Label = { name, doc };
        pt.labels.push(l);
        if (!pt.initial) pt.initial = name;
        m.sources[sourceKey.label(pt.name, name)] = at;
      }
      return name;
    },
    /**
     * The terminal label `Done` (PlusCal's): a process that goes there has finished. No transition
     * leaves it, and a state where every process has finished is not a deadlock. Returns `'Done'`,
     * for `to: t.done()`; calling it again returns the same label.
     */
    done(doc?: string): string {
      const at = callerPos();
      if (!pt.labels.some((l) => l.name === DONE_LABEL)) {
        pt.labels.push({ name: DONE_LABEL, doc: doc ?? 'finished', terminal: true });
        if (!pt.initial) pt.initial = DONE_LABEL;
        m.sources[sourceKey.label(pt.name, DONE_LABEL)] = at;
      }
      return DONE_LABEL;
    },
    /** One atomic transition from label `from`. */
    step(from: string, opts: StepOpts): void {
      addStep(from, [], opts, callerPos());
    },
    /** One atomic transition for some `x` in `over` (a nondeterministic choice, PlusCal's `with`). */
    choose(from: string, over: Val, body: (x: E) => StepOpts, hint = 'x'): void {
      const at = callerPos();
      withBound(hint, (x, name) => addStep(from, [{ name, over: lift(over) }], body(x), at));
    },
  };
}

/** Names transitions: the label alone, or `label_branch` when the label has several. */
function finishTransitions(b: Builder, pt: ProcType): void {
  const steps = pending.get(pt) ?? [];
  const byLabel = new Map<string, PendingStep[]>();
  for (const s of steps) byLabel.set(s.t.from, [...(byLabel.get(s.t.from) ?? []), s]);
  for (const [label, group] of byLabel) {
    for (const s of group) {
      if (group.length > 1 && !s.branch) {
        b.err(s.at, 'SPEC_SHAPE', `label ${label} of ${pt.name} has ${group.length} transitions: give each a distinct \`branch\``);
        continue;
      }
      s.t.name = group.length > 1 || s.branch ? `${label}_${s.branch ?? ''}`.replace(/_$/, '') : label;
      pt.transitions.push(s.t);
      b.model.sources[sourceKey.transition(pt.name, s.t.name)] = s.at;
    }
  }
}

/** Declares a protocol. Use as the default export of a file in spec/. */
export function protocol(name: string, build: (p: ProtocolBuilder) => void, doc?: string): Protocol {
  const at = callerPos();
  const b = new Builder(name, at.file, doc);
  b.name(at, 'protocol', name);
  b.model.sources[sourceKey.model()] = at;
  try {
    build(makeProtocolBuilder(b));
  } catch (err) {
    // A spec that throws while building is reported at the spec line that threw.
    const pos = userFrame((err as Error)?.stack) ?? at;
    if (err instanceof DslExprError) b.err(pos, 'SPEC_EXPR', (err as Error).message);
    else b.err(pos, 'SPEC_SHAPE', `building protocol ${name} failed: ${(err as Error).message}`);
  }
  if (b.errors.length === 0) addTypeOk(b.model);
  return { [PROTOCOL_TAG]: true, model: b.model, buildErrors: b.errors };
}

export type { Expr };
