/** Which generated files the PlusCal backend runs TLC on. */
import type { Model } from '../dsl/ir.ts';
import { pluscalFileName } from '../codegen/pluscal.ts';
import type { CheckOptions } from './check.ts';

export function pluscalBackend(model: Model, files: Map<string, string>): Pick<CheckOptions, 'files' | 'moduleFile' | 'backend'> {
  return { files, moduleFile: pluscalFileName(model), backend: 'pluscal' };
}
