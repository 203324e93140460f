/** Loading the specs a command names (all of spec/ by default), printing errors one per line. */
import path from 'node:path';
import type { PoolspecError, Result } from '../errors.ts';
import type { Model } from '../dsl/ir.ts';
import { listSpecFiles, resolveSpecs, SPEC_DIR } from '../dsl/load.ts';
import { relativeToRoot } from '../dsl/source.ts';
import { report } from './report.ts';
import { runTask } from './tasks.ts';
import { formatWarning, warningsOf } from '../dsl/warnings.ts';

/** Default bound on loading one spec module; a command's --timeout replaces it. */
let loadTimeoutSeconds = 120;
export function setLoadTimeout(seconds: number): void {
  // Loading is a stage of its own: a tight --timeout for the checking must not fail a normal load.
  loadTimeoutSeconds = Math.max(seconds, MIN_LOAD_SECONDS);
}
/** No spec load is cut shorter than this, whatever --timeout says. */
const MIN_LOAD_SECONDS = 5;

/**
 * Loads one spec in the task worker, so that a module that never finishes loading (a loop or an
 * await at its top level) ends as SPEC_TIMEOUT instead of hanging the command.
 */
async function loadSpec(file: string): Promise<Result<Model>> {
  const r = await runTask<Result<Model>>('loadSpec', [file], loadTimeoutSeconds * 1000);
  if (r.ok) return r.value;
  const at = { file: relativeToRoot(path.resolve(file)), line: 1 };
  return r.timedOut
    ? { ok: false, errors: [{ code: 'SPEC_TIMEOUT', message: `the spec module did not finish loading within ${loadTimeoutSeconds} s (a loop or a pending await at its top level?)`, at }] }
    : { ok: false, errors: [{ code: 'SPEC_LOAD', message: `cannot load spec: ${r.message}`, at }] };
}

/**
 * The models of the named specs, or null after printing why not. Two spec files may not declare the
 * same protocol name (their generated/ files would overwrite each other): the names are compared
 * among the specs loaded and, when `againstProject` (the command writes generated/), with every spec
 * of spec/ too. Names are compared ignoring case, as a case-insensitive file system would.
 */
export async function loadModels(names: string[], opts: { againstProject?: boolean; warnings?: boolean } = {}): Promise<Model[] | null> {
  const files = resolveSpecs(names);
  if (!files.ok) {
    report(...files.errors);
    return null;
  }
  const models: Model[] = [];
  const errors: PoolspecError[] = [];
  for (const f of files.value) {
    const r = await loadSpec(f);
    if (r.ok) {
      models.push(r.value);
      if (opts.warnings) for (const w of warningsOf(r.value)) console.error(formatWarning(w));
    }
    else errors.push(...r.errors);
  }
  if (errors.length) {
    report(...errors);
    return null;
  }
  const others: Model[] = [];
  if (opts.againstProject && names.length > 0) {
    const loaded = new Set(files.value.map((f) => path.resolve(f)));
    for (const f of listSpecFiles(SPEC_DIR)) {
      if (loaded.has(path.resolve(f))) continue;
      const r = await loadSpec(f);
      if (r.ok) others.push(r.value); // a broken spec elsewhere is not this command's business
    }
  }
  const dup = duplicateNames([...others, ...models], new Set(models));
  if (dup.length) {
    report(...dup);
    return null;
  }
  return models;
}

/** SPEC_DUPLICATE for every protocol name declared by two files, at the second one, naming both. */
export function duplicateNames(models: Model[], ours: Set<Model> = new Set(models)): PoolspecError[] {
  const byName = new Map<string, Model>();
  const errors: PoolspecError[] = [];
  for (const m of models) {
    const key = m.name.toLowerCase();
    const prev = byName.get(key);
    if (prev && relativeToRoot(prev.file) !== relativeToRoot(m.file) && (ours.has(m) || ours.has(prev))) {
      const at = m.sources['model'] ?? { file: m.file, line: 1 };
      const same = prev.name === m.name ? `protocol ${m.name}` : `protocols ${prev.name} and ${m.name} (the same file names on a case-insensitive file system)`;
      errors.push({ code: 'SPEC_DUPLICATE', message: `${same} declared in both ${prev.file} and ${m.file}: their generated files would overwrite each other; rename one`, at });
    } else if (!prev) byName.set(key, m);
  }
  return errors;
}
