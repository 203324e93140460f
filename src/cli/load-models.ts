/** Loading the specs a command names (all of spec/ by default), printing errors one per line. */
import { formatError } from '../errors.ts';
import type { Model } from '../dsl/ir.ts';
import { loadSpec, resolveSpecs } from '../dsl/load.ts';
import { formatWarning, warningsOf } from '../dsl/warnings.ts';

/** `warnings`: print the validation warnings (check, gen) on stderr; `gen --check` stays quiet. */
export async function loadModels(names: string[], opts: { warnings?: boolean } = {}): Promise<Model[] | null> {
  const files = resolveSpecs(names);
  if (!files.ok) {
    for (const e of files.errors) console.error(`poolspec: ${formatError(e)}`);
    return null;
  }
  const models: Model[] = [];
  let failed = false;
  for (const f of files.value) {
    const r = await loadSpec(f);
    if (r.ok) {
      models.push(r.value);
      if (opts.warnings) for (const w of warningsOf(r.value)) console.error(formatWarning(w));
    }
    else {
      failed = true;
      for (const e of r.errors) console.error(formatError(e));
    }
  }
  return failed ? null : models;
}
