/** Output files are checked before any work is done: a run must not end by failing to save its result. */
import fs from 'node:fs';
import path from 'node:path';
import type { PoolspecError } from '../errors.ts';

/** Null when `file` can be written (its folder exists and is writable), else an OUTPUT_ERROR. */
export function writableFile(file: string, flag: string): PoolspecError | null {
  if (file === '') return { code: 'USAGE', message: `${flag} needs a file name` };
  const dir = path.dirname(path.resolve(file));
  if (!fs.existsSync(dir)) return { code: 'OUTPUT_ERROR', message: `${flag} ${file}: the folder ${dir} does not exist` };
  if (!fs.statSync(dir).isDirectory()) return { code: 'OUTPUT_ERROR', message: `${flag} ${file}: ${dir} is not a folder` };
  if (fs.existsSync(file) && fs.statSync(file).isDirectory()) return { code: 'OUTPUT_ERROR', message: `${flag} ${file} is a folder` };
  try {
    fs.accessSync(fs.existsSync(file) ? file : dir, fs.constants.W_OK);
  } catch {
    return { code: 'OUTPUT_ERROR', message: `${flag} ${file}: not writable` };
  }
  return null;
}
