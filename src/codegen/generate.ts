/** Everything `generated/` holds for one model, as file name -> content (byte-reproducible). */
import { ok, type Result } from '../errors.ts';
import type { Model } from '../dsl/ir.ts';
import { cfgFileName, emitCfg, emitTla, tlaFileName } from './tla.ts';

export function generateTla(model: Model): Map<string, string> {
  const files = new Map<string, string>();
  files.set(tlaFileName(model), emitTla(model));
  for (const c of model.configs) files.set(cfgFileName(model, c), emitCfg(model, c));
  return files;
}

/** The TLA+ files and the translated PlusCal files (which need pcal.trans from the jar). */
export async function generateAll(model: Model, jar: string): Promise<Result<Map<string, string>>> {
  void jar; // PlusCal backend: wired in when src/codegen/pluscal-translate.ts lands
  return ok(generateTla(model));
}
