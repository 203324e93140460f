/**
 * The Model IR: one typed, in-memory description of a protocol. Everything downstream
 * (emitters, engine, runtime, conformance) reads only this.
 *
 * Source positions are not threaded through the tree: they live in a side table
 * (`Model.sources`) keyed by a stable path such as `transition:Thread.A4`.
 */
import type { SourcePos } from '../errors.ts';

// ---------------------------------------------------------------- types

/**
 * A bound of an integer range: a literal, a constant name, or a constant expression (`K - 1`,
 * `2 * W`: literals and constants combined with add, sub, mul, div, mod).
 */
export type Bound = number | string | Expr;

/** Finite sets that index arrays and bind quantifiers: `1..<const>` ranges or a process type's ids. */
export type Domain =
  | { kind: 'range'; lo: Bound; hi: Bound } // bounds are literals, constant names or constant expressions
  | { kind: 'procs'; procType: string };

export type Type =
  | { kind: 'bool' }
  | { kind: 'int'; lo: Bound; hi: Bound }
  /** A pointer into a block domain, or NULL (0), or BUSY (-1). */
  | { kind: 'ptr'; blocks: string }
  | { kind: 'enum'; values: string[] }
  /** A process id of the given process type. */
  | { kind: 'proc'; procType: string }
  | { kind: 'set'; of: Type }
  | { kind: 'array'; index: Domain; of: Type };

export const NULL_PTR = 0;
export const BUSY_PTR = -1;

// ---------------------------------------------------------------- expressions

export type BinOp =
  | 'and' | 'or' | 'implies'
  | 'eq' | 'ne' | 'lt' | 'le' | 'gt' | 'ge'
  | 'add' | 'sub' | 'mul' | 'div' | 'mod'
  | 'in' | 'notin' | 'union' | 'minus' | 'intersect' | 'subseteq';

export type Expr =
  | { op: 'lit'; value: number | boolean | string; type: Type }
  | { op: 'const'; name: string }
  /** A shared or ghost variable. */
  | { op: 'var'; name: string }
  /** A process-local variable: of the acting process (`proc` absent) or of the given process. */
  | { op: 'local'; name: string; proc?: Expr }
  /** The control state (label) of a process, as a string; `procType` when the process's type is known. */
  | { op: 'pc'; proc: Expr; procType?: string }
  | { op: 'self' }
  /** A variable bound by a quantifier, a `choose` parameter of a transition, or a map. */
  | { op: 'bound'; name: string }
  | { op: 'not'; arg: Expr }
  | { op: 'bin'; fn: BinOp; a: Expr; b: Expr }
  | { op: 'ite'; cond: Expr; then: Expr; else: Expr }
  | { op: 'index'; arr: Expr; idx: Expr }
  /** `[arr EXCEPT ![idx] = value]` */
  | { op: 'except'; arr: Expr; idx: Expr; value: Expr }
  | { op: 'setOf'; elems: Expr[]; of?: Type }
  | { op: 'card'; arg: Expr }
  | { op: 'domain'; domain: Domain }
  | { op: 'quant'; q: 'forall' | 'exists'; v: string; over: Expr; body: Expr }
  /** `{v \in over : cond}` */
  | { op: 'filter'; v: string; over: Expr; cond: Expr }
  /** `[v \in domain |-> body]` */
  | { op: 'map'; v: string; domain: Domain; body: Expr }
  /**
   * The nodes of the linked list that starts at `start` and follows `link`, stopping at a non-block
   * value (NULL/BUSY) or after `bound` nodes. `acyclic` is the companion test that it ends within bound.
   */
  | { op: 'listNodes'; start: Expr; link: Expr; blocks: string }
  | { op: 'listAcyclic'; start: Expr; link: Expr; blocks: string };

// ---------------------------------------------------------------- declarations

export interface ConstantDecl {
  name: string;
  type: { kind: 'int' } | { kind: 'bool' };
  doc?: string;
}

export type VarRole = 'shared' | 'ghost';

export interface VarDecl {
  name: string;
  role: VarRole;
  type: Type;
  init: Expr;
  /** The variable's words live inside the blocks of this domain (e.g. the link word `next`). */
  inBlock?: boolean;
  doc?: string;
}

export interface LocalDecl {
  name: string;
  type: Type;
  init: Expr;
  doc?: string;
}

export type LValue =
  | { kind: 'var'; name: string; index?: Expr }
  | { kind: 'local'; name: string; index?: Expr };

export interface Assign {
  target: LValue;
  value: Expr;
}

export interface Param {
  name: string;
  /** A set-valued expression the parameter ranges over (nondeterministic choice). */
  over: Expr;
  /** The element type, filled in by validation (for rendering chosen values). */
  elemType?: Type;
}

export interface Transition {
  /** Unique within the process type: the label, or `label_branch` when a label has several. */
  name: string;
  from: string;
  to: string;
  params: Param[];
  guard: Expr;
  /** Simultaneous assignments, all right-hand sides read in the pre-state. */
  effects: Assign[];
  /** Coarser than one memory operation, on purpose (abstract specs). */
  atomic: boolean;
  /** Marks an entry transition of an API operation (e.g. `alloc`), for the runtime. */
  op?: string;
  doc?: string;
}

export interface Label {
  name: string;
  doc?: string;
  /**
   * A finished process rests here (`t.done()`, the label `Done`, as PlusCal's): no transition leaves
   * it, and a state where every process is at its terminal label is not a deadlock.
   */
  terminal?: boolean;
}

/** The name of the terminal label (PlusCal's). */
export const DONE_LABEL = 'Done';

export type Fairness = 'none' | 'weak' | 'strong';

export interface ProcType {
  name: string;
  /** Constant name or literal: how many processes of this type. */
  count: number | string;
  locals: LocalDecl[];
  labels: Label[];
  initial: string;
  transitions: Transition[];
  fairness: Fairness;
}

export interface Invariant {
  name: string;
  expr: Expr;
  doc?: string;
}

/** Temporal properties in the fragment TLC checks well. */
export type Temporal =
  | { kind: 'leadsTo'; v?: { name: string; procType: string }; from: Expr; to: Expr }
  | { kind: 'alwaysEventually'; v?: { name: string; procType: string }; expr: Expr };

export interface TemporalProperty {
  name: string;
  formula: Temporal;
  doc?: string;
}

export type Expectation =
  | { verdict: 'holds' }
  /** Violated, by one of these properties (the checker reports the first it finds). */
  | { verdict: 'violated'; oneOf: string[] };

export interface Config {
  name: string;
  constants: Record<string, number | boolean>;
  /** Which invariants and properties this configuration checks (default: all). */
  invariants: string[];
  properties: string[];
  checkDeadlock: boolean;
  /** State constraint: states outside it are not explored (e.g. bound an unbounded counter). */
  constraint?: Expr;
  expect: Expectation;
  doc?: string;
  /** Also (or only) checks the `Refines` property of the model's refinement mapping (see Refinement). */
  refines?: boolean;
  /** Checked only when asked for by name (`check --config NAME`): too heavy for the default run. */
  onlyOnRequest?: boolean;
  /**
   * Sets whose elements are interchangeable (a block set's name, e.g. `Blocks`, or a process type's id
   * set, e.g. `Threads`): TLC's SYMMETRY, and canonical states in the engine (src/dsl/symmetry.ts).
   */
  symmetry?: string[];
}

/**
 * An inductive invariant (`p.inductive`): a strengthening of the safety properties, as named conjuncts,
 * claimed to be inductive in the listed configurations (src/prove discharges it with Z3).
 */
export interface Inductive {
  name: string;
  conjuncts: { name: string; expr: Expr }[];
  /** Configurations it is claimed for (their constants other than the sizes are kept). */
  configs: string[];
  /** `fails`: a candidate kept to show why the spec is wrong (some obligation must fail with a CTI). */
  expect: 'proved' | 'fails';
  /** Constants `prove` uses unless --sizes says otherwise (e.g. T=3, N=3, beyond the configuration's). */
  sizes?: Record<string, number>;
  doc?: string;
}

/**
 * A refinement mapping (`p.refines`): each variable of the abstract model as an expression over this
 * model's state. The TLA+ emitter writes `INSTANCE <abstract> WITH ...` and `Refines`.
 */
export interface Refinement {
  /** The abstract model (e.g. AtomicPool), emitted next to this one. */
  abstract: Model;
  /** Abstract constant -> expression over this model's constants. */
  constants: Record<string, Expr>;
  /** Abstract variable (including `pc` and its locals) -> expression over this model's state. */
  vars: Record<string, Expr>;
}

export interface Model {
  name: string;
  doc?: string;
  /** Spec file path relative to the project root. */
  file: string;
  constants: ConstantDecl[];
  /** Named block domains: ptr types point into them; always `1..<const>`. */
  blockSets: { name: string; size: string }[];
  vars: VarDecl[];
  /** Pairs of shared variables that a DWCAS updates as one double word. */
  pairs: [string, string][];
  /**
   * Block memory: which blocks are mapped (belong to the process). `inBlock` variables live inside
   * these blocks; the runtime checks `mapped` before every access to them.
   */
  memory?: { blocks: string; v: string; mapped: Expr };
  procTypes: ProcType[];
  invariants: Invariant[];
  properties: TemporalProperty[];
  configs: Config[];
  /** Side table of source positions, keyed by `sourceKey(...)`. */
  sources: Record<string, SourcePos>;
  /** Inductive invariants (`p.inductive`). */
  inductive?: Inductive[];
  /** Where blocks can be, for the runtime's block accounting (`p.place`). */
  places?: Place[];
  /** Refinement mapping to an abstract model (`p.refines`). */
  refinement?: Refinement;
}

/** The runtime's accounting totals a place counts toward. */
export type PlaceKind = 'list' | 'cache' | 'hands' | 'transit';

/** A place blocks can be in: a set of blocks, or a map from a domain to sets (one place per element). */
export interface Place { name: string; kind: PlaceKind; blocks: Expr; acyclic?: Expr }

export const sourceKey = {
  model: () => 'model',
  constant: (n: string) => `constant:${n}`,
  variable: (n: string) => `var:${n}`,
  local: (p: string, n: string) => `local:${p}.${n}`,
  procType: (p: string) => `proc:${p}`,
  label: (p: string, l: string) => `label:${p}.${l}`,
  transition: (p: string, t: string) => `transition:${p}.${t}`,
  invariant: (n: string) => `invariant:${n}`,
  property: (n: string) => `property:${n}`,
  config: (n: string) => `config:${n}`,
};
