/**
 * The interface of a compiled runtime module (the generated Bind/Proc/Policy/Step types) and its
 * instantiation from JavaScript text. Kept apart from module.ts so worker threads do not load the
 * compiler (ts-morph) to run a module the main thread compiled.
 */

/** The interface of a bound module (see the generated Bind/Proc/Policy/Step types). */
export interface ProcState {
  id: number;
  pc: number;
  locals: Record<string, unknown>;
  opCount: number;
  g: number;
  s: number;
  st: Float64Array;
  cv: Int32Array;
  pst: Float64Array;
  pcv: BigInt64Array;
  ct: number[];
  ca: number[];
  /** Recording: the slot the step's atomic write touched (-1 none, -2 - k a pair) and the value written. */
  lw: number;
  lv: number;
  lvp: bigint;
}
export type PolicyFn = (p: ProcState, n: number) => number;
export type StepFn = (p: ProcState, pol: PolicyFn) => number;

export interface BindArgs {
  i32: Int32Array;
  i64: BigInt64Array;
  arena: Int32Array;
  consts: Record<string, number | boolean>;
  blockSize: number;
  fault(p: ProcState, transition: number, variable: string, block: number, access: 'read' | 'write'): void;
  refuse(p: ProcState, transition: number, variable: string, detail: string): void;
  constraintConsts: string[];
  fill?(block: number, byte: number): void;
}

export interface Bound {
  steps: StepFn[][];
  words: number;
  pairs: number;
  blockVars: number;
  blocks: number;
  layout: Record<string, [string, number]>;
  mapped(b: number): boolean;
}

export interface CompiledMeta {
  name: string;
  procTypes: {
    name: string;
    initial: number;
    labels: string[];
    transitions: { name: string; from: string; to: string; param: string | null; op: string | null; source: string }[];
  }[];
}

export interface CompiledModule {
  META: CompiledMeta;
  BLOCKED: number;
  RETRY: number;
  /** A step refused before writing anything: a write outside its variable's declared type. */
  REFUSED: number;
  bind(rt: BindArgs): Bound;
  /** The JavaScript the module was instantiated from (worker threads instantiate it again). */
  js: string;
}

/** Instantiates transpiled module text. */
export function instantiate(jsText: string): CompiledModule {
  const exports: Record<string, unknown> = {};
  // eslint-disable-next-line no-new-func
  new Function('exports', jsText)(exports);
  return { ...(exports as unknown as Omit<CompiledModule, 'js'>), js: jsText };
}

