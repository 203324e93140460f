import { fail, type Result } from '../errors.ts';
import type { Model } from '../dsl/ir.ts';
import type { ProveResult } from './prove.ts';
export async function writeRecord(_m: Model, _r: ProveResult, _z3: string, _o: { log?: (s: string) => void }): Promise<Result<string[]>> {
  return fail({ code: 'USAGE', message: 'not yet' });
}
