/**
 * `generated/` as a whole: write every model's files, or compare them with what is there (the
 * staleness check). Files in the directory that no spec produces count as stale too.
 */
import fs from 'node:fs';
import path from 'node:path';
import { PROJECT_ROOT } from '../dsl/source.ts';

export const GENERATED_DIR = path.join(PROJECT_ROOT, 'generated');

/**
 * Whether a model's files belong in generated/: only the project's own specs, `spec/<Name>.ts`.
 * A spec given by a path elsewhere (or an example in spec/examples) is checked from a temporary
 * directory and never written there.
 */
export function writesGenerated(model: { file: string }): boolean {
  return /^spec\/[^/]+\.ts$/.test(model.file);
}

export interface Drift { file: string; problem: 'missing' | 'differs' | 'extra' }

export function compareDir(dir: string, files: Map<string, string>, opts: { complete: boolean }): Drift[] {
  const drift: Drift[] = [];
  for (const [name, text] of files) {
    const p = path.join(dir, name);
    if (!fs.existsSync(p)) drift.push({ file: name, problem: 'missing' });
    else if (fs.readFileSync(p, 'utf8') !== text) drift.push({ file: name, problem: 'differs' });
  }
  if (opts.complete && fs.existsSync(dir)) {
    for (const name of listFiles(dir)) {
      if (!files.has(name)) drift.push({ file: name, problem: 'extra' });
    }
  }
  return drift;
}

/** Files under `dir`, as sorted paths relative to it with '/' (generated/runtime/ is a subdirectory). */
export function listFiles(dir: string, prefix = ''): string[] {
  const out: string[] = [];
  for (const name of fs.readdirSync(dir).sort()) {
    const p = path.join(dir, name);
    if (fs.statSync(p).isDirectory()) out.push(...listFiles(p, `${prefix}${name}/`));
    else out.push(`${prefix}${name}`);
  }
  return out;
}

export function writeDir(dir: string, files: Map<string, string>): string[] {
  fs.mkdirSync(dir, { recursive: true });
  const written: string[] = [];
  for (const [name, text] of files) {
    const p = path.join(dir, name);
    if (fs.existsSync(p) && fs.readFileSync(p, 'utf8') === text) continue;
    fs.mkdirSync(path.dirname(p), { recursive: true });
    fs.writeFileSync(p, text);
    written.push(name);
  }
  return written;
}
