/**
 * Loading a compiled runtime module: the Model is emitted (src/codegen/runtime, the same text `gen`
 * writes to generated/runtime/<Name>.ts), transpiled to JavaScript once and instantiated with `new
 * Function`, so the main thread and worker threads run the same code whatever loader is active. A
 * model the compiler refuses gives the reason instead; callers fall back to the interpreter.
 */
import { readFileSync } from 'node:fs';
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

/**
 * The hook of the runtime mutants (bench/mutants.ts): `POOLSPEC_RUNTIME_FILE` names a runtime module's
 * TypeScript (the shape of generated/runtime/<Name>.ts) that replaces the emitted module of the spec it
 * was generated from (its META.name); other specs ignore it. Not for production use.
 */
export const RUNTIME_FILE_ENV = 'POOLSPEC_RUNTIME_FILE';

function override(model: Model): { path: string; module: CompiledModule } | undefined {
  const path = process.env[RUNTIME_FILE_ENV];
  if (!path) return undefined;
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new Error(`${RUNTIME_FILE_ENV}=${path}: cannot read it (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
  const module = instantiate(transpile(text));
  if (module.META?.name === undefined) throw new Error(`${RUNTIME_FILE_ENV}=${path}: not a compiled runtime module (no META.name)`);
  return module.META.name === model.name ? { path, module } : undefined;
}

/** The compiled module of a model (cached per Model object), or why the compiler refuses it. */
export function loadCompiled(model: Model): Loaded {
  const o = override(model);
  if (o) return { ok: true, module: o.module };
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
