/**
 * Loading a compiled runtime module: the Model is emitted (src/codegen/runtime, the same text `gen`
 * writes to generated/runtime/<Name>.ts), transpiled to JavaScript once and instantiated with `new
 * Function`, so the main thread and worker threads run the same code whatever loader is active. A
 * model the compiler refuses gives the reason instead; callers fall back to the interpreter.
 */
import { ts } from 'ts-morph';
import type { Model } from '../../dsl/ir.ts';
import { compileRuntime } from '../../codegen/runtime/emit.ts';

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
  bind(rt: BindArgs): Bound;
  /** The JavaScript the module was instantiated from (worker threads instantiate it again). */
  js: string;
}

export type Loaded = { ok: true; module: CompiledModule } | { ok: false; reason: string };

const cache = new WeakMap<Model, Loaded>();
/** The code does not depend on the configurations (constants are bound later): one compile per spec. */
const byShape = new Map<string, Loaded>();

/** Instantiates transpiled module text. */
export function instantiate(jsText: string): CompiledModule {
  const exports: Record<string, unknown> = {};
  // eslint-disable-next-line no-new-func
  new Function('exports', jsText)(exports);
  return { ...(exports as unknown as Omit<CompiledModule, 'js'>), js: jsText };
}

export function transpile(tsText: string): string {
  return ts.transpileModule(tsText, {
    compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, removeComments: false },
  }).outputText;
}

/** The compiled module of a model (cached per Model object), or why the compiler refuses it. */
export function loadCompiled(model: Model): Loaded {
  let r = cache.get(model);
  if (!r) {
    const shape = JSON.stringify({ ...model, configs: [] });
    r = byShape.get(shape);
    if (!r) {
      const c = compileRuntime(model);
      r = c.ok ? { ok: true, module: instantiate(transpile(c.text)) } : { ok: false, reason: c.reason };
      byShape.set(shape, r);
    }
    cache.set(model, r);
  }
  return r;
}
