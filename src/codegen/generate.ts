/** Everything `generated/` holds for one model, as file name -> content (byte-reproducible). */
import type { Model } from '../dsl/ir.ts';
import { cfgFileName, emitCfg, emitTla, tlaFileName } from './tla.ts';

export function generateTla(model: Model): Map<string, string> {
  const files = new Map<string, string>();
  files.set(tlaFileName(model), emitTla(model));
  for (const c of model.configs) files.set(cfgFileName(model, c), emitCfg(model, c));
  return files;
}
