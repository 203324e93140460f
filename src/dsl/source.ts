/**
 * Source positions of DSL calls, taken from the call stack: the first frame outside src/dsl is the
 * user's spec line. tsx and vitest both map stack frames back to the TypeScript source.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { SourcePos } from '../errors.ts';

const DSL_DIR = path.dirname(fileURLToPath(import.meta.url));
export const PROJECT_ROOT = path.resolve(DSL_DIR, '..', '..');

const FRAME = /\(?((?:file:\/\/)?[^\s()]+?):(\d+):(\d+)\)?$/;

export function relativeToRoot(file: string): string {
  const abs = file.startsWith('file://') ? fileURLToPath(file) : file;
  const rel = path.relative(PROJECT_ROOT, abs);
  return rel.startsWith('..') ? abs : rel.split(path.sep).join('/');
}

/** The first frame of a stack trace outside the DSL implementation: the user's spec line. */
export function userFrame(stack: string | undefined): SourcePos | undefined {
  for (const frame of (stack ?? '').split('\n').slice(1)) {
    const m = FRAME.exec(frame.trim());
    if (!m) continue;
    const file = m[1].startsWith('file://') ? fileURLToPath(m[1]) : m[1];
    if (file.startsWith(DSL_DIR + path.sep) || file.startsWith('node:') || file.includes('node_modules')) continue;
    return { file: relativeToRoot(file), line: Number(m[2]), col: Number(m[3]) };
  }
  return undefined;
}

/** The position of the nearest caller outside the DSL implementation. */
export function callerPos(): SourcePos {
  return userFrame(new Error().stack) ?? { file: '<unknown>', line: 0 };
}
