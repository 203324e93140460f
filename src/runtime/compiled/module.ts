/**
 * Loading a compiled runtime module: the Model is emitted (src/codegen/runtime, the same text `gen`
 * writes to generated/runtime/<Name>.ts), transpiled to JavaScript once and instantiated with `new
 * Function`, so the main thread and worker threads run the same code whatever loader is active. A
 * model the compiler refuses gives the reason instead; callers fall back to the interpreter.
 */
import { ts } from 'ts-morph';
import type { Model } from '../../dsl/ir.ts';
import { compileRuntime } from '../../codegen/runtime/emit.ts';
import { instantiate, type CompiledModule } from './instantiate.ts';

export type { BindArgs, Bound, CompiledMeta, CompiledModule, PolicyFn, ProcState, StepFn } from './instantiate.ts';

export type Loaded = { ok: true; module: CompiledModule } | { ok: false; reason: string };

const cache = new WeakMap<Model, Loaded>();
/** The code does not depend on the configurations (constants are bound later): one compile per spec. */
const byShape = new Map<string, Loaded>();

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
