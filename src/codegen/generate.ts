/** Everything `generated/` holds for one model, as file name -> content (byte-reproducible). */
import { ok, type Result } from '../errors.ts';
import type { Model } from '../dsl/ir.ts';
import { cfgFileName, emitCfg, emitTla, tlaFileName } from './tla.ts';
import { generatePluscal } from './pluscal-translate.ts';
import { compileRuntime, runtimeFileName } from './runtime/emit.ts';
import { abstractModuleFiles } from './refinement.ts';

export function generateTla(model: Model): Map<string, string> {
  const files = new Map<string, string>();
  files.set(tlaFileName(model), emitTla(model));
  for (const c of model.configs) files.set(cfgFileName(model, c), emitCfg(model, c));
  for (const [name, text] of abstractModuleFiles(model)) files.set(name, text);
  return files;
}

/** The TLA+ files and the translated PlusCal module (which needs pcal.trans from the jar). */
export async function generateAll(model: Model, jar: string): Promise<Result<Map<string, string>>> {
  const files = generateTla(model);
  const pcal = await generatePluscal(model, jar);
  if (!pcal.ok) return pcal;
  for (const [name, text] of pcal.value) files.set(name, text);
  // The compiled runtime (generated/runtime/<Name>.ts); a spec the compiler refuses runs interpreted.
  const rt = compileRuntime(model);
  if (rt.ok) files.set(runtimeFileName(model), rt.text);
  return ok(files);
}
