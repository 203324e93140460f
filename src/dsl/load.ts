/**
 * Loading specs: import a spec module (TypeScript, through tsx or vitest), take its default export,
 * and return the validated Model or errors naming the spec file and line.
 */
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { fail, ok, type PoolspecError, type Result } from '../errors.ts';
import type { Model } from './ir.ts';
import { isProtocol } from './protocol.ts';
import { PROJECT_ROOT, relativeToRoot } from './source.ts';
import { validate } from './validate.ts';
import { checkTerminalLabels } from './terminal.ts';
import { checkDeclaredTypes } from '../engine/types.ts';

export const SPEC_DIR = path.join(PROJECT_ROOT, 'spec');
/** Small non-pool protocols with expected verdicts (checked by the tests; `check Mutex` by name). */
export const EXAMPLES_DIR = path.join(SPEC_DIR, 'examples');

/** The spec files of the project: `spec/*.ts` (helpers live in sub-folders). */
export function listSpecFiles(dir = SPEC_DIR): string[] {
  return fs.readdirSync(dir)
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'))
    .sort()
    .map((f) => path.join(dir, f));
}

/** Position of the first stack frame or message reference inside `file`. */
function positionIn(file: string, err: unknown): { line: number; col?: number } | undefined {
  const text = `${(err as Error)?.message ?? ''}\n${(err as Error)?.stack ?? ''}`;
  const base = path.basename(file).replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const m = new RegExp(`${base}:(\\d+)(?::(\\d+))?`).exec(text);
  return m ? { line: Number(m[1]), col: m[2] ? Number(m[2]) : undefined } : undefined;
}

/**
 * The reason a spec module failed to load, in one line. esbuild's "Transform failed with 1 error:"
 * says nothing by itself: the reason is the `file:line:col: ERROR: ...` line after it.
 */
export function loadFailureReason(err: unknown): string {
  const text = String((err as Error)?.message ?? err);
  const esbuild = /:\d+:\d+: ERROR: (.+)$/m.exec(text);
  if (esbuild) return `syntax error: ${esbuild[1].trim()}`;
  return text.split('\n').find((l) => l.trim() !== '')?.trim() ?? 'unknown error';
}

export async function loadSpec(file: string): Promise<Result<Model>> {
  const abs = path.resolve(file);
  const rel = relativeToRoot(abs);
  if (!fs.existsSync(abs)) return fail({ code: 'SPEC_LOAD', message: `spec file not found: ${rel}` });
  let mod: Record<string, unknown>;
  try {
    mod = await import(pathToFileURL(abs).href);
  } catch (err) {
    const pos = positionIn(abs, err);
    const first = loadFailureReason(err);
    return fail({ code: 'SPEC_LOAD', message: `cannot load spec: ${first}`, at: { file: rel, line: pos?.line ?? 1, col: pos?.col } });
  }
  const proto = mod.default;
  if (!isProtocol(proto)) {
    return fail({ code: 'SPEC_SHAPE', message: 'a spec file must `export default protocol(...)`', at: { file: rel, line: 1 } });
  }
  const errors: PoolspecError[] = [...proto.buildErrors];
  if (errors.length === 0) errors.push(...validate(proto.model), ...checkTerminalLabels(proto.model));
  if (errors.length === 0) errors.push(...checkDeclaredTypes(proto.model));
  return errors.length ? fail(...errors) : ok(proto.model);
}

/** Resolve spec names (`BusyPool`) or paths to files; all specs when none are named. */
export function resolveSpecs(names: string[], dir = SPEC_DIR): Result<string[]> {
  const files = listSpecFiles(dir);
  if (names.length === 0) return ok(files);
  // The examples (spec/examples) are found by name too, but are not part of "every spec".
  const examples = dir === SPEC_DIR && fs.existsSync(EXAMPLES_DIR) ? listSpecFiles(EXAMPLES_DIR) : [];
  const out: string[] = [];
  for (const n of names) {
    const byName = [...files, ...examples].find((f) => path.basename(f, '.ts') === n);
    if (byName) out.push(byName);
    else if (fs.existsSync(n)) out.push(path.resolve(n));
    else return fail({ code: 'USAGE', message: `unknown spec ${n}; specs: ${files.map((f) => path.basename(f, '.ts')).join(', ')}` });
  }
  return ok(out);
}
