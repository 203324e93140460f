/**
 * Runs the PlusCal translator (pcal.trans 1.11, shipped in TLC 2.18) on a .tla file. It
 * rewrites the file in place, replacing the text between the `\* BEGIN TRANSLATION` and
 * `\* END TRANSLATION` markers (appending them if missing). `-nocfg` stops it from writing a
 * .cfg next to the file.
 *
 * Errors look like this (exit code 255):
 *   Unrecoverable error:
 *    -- Expected ":=" but found ";"
 *       line 11, column 29.
 */
import { rm } from 'node:fs/promises';
import { exists, isFile, tail } from './files.ts';
import { basename, dirname, join, resolve } from 'node:path';
import { fail, ok, type Result } from '../errors.ts';
import { runJava } from './java.ts';
import { displayPath } from './sany.ts';

export interface PcalIssue {
  message: string;
  line?: number;
  col?: number;
}

/** Extracts the translator's error, if it reported one. */
export function parsePcalOutput(output: string): PcalIssue | null {
  const lines = output.split(/\r?\n/);
  const start = lines.findIndex((l) => l.trim() === 'Unrecoverable error:');
  if (start < 0) return null;
  const msg: string[] = [];
  let line: number | undefined;
  let col: number | undefined;
  for (const raw of lines.slice(start + 1)) {
    const l = raw.trim().replace(/^-- ?/, '');
    if (l === '') continue;
    // "line 11, column 29." on its own line, or "... at line 11, column 33." in the message
    const pos = /(?:^|\bat )line (\d+), column (\d+)\.?$/.exec(l);
    if (pos && line === undefined) {
      line = Number(pos[1]);
      col = Number(pos[2]);
      const rest = l.slice(0, pos.index).trim();
      if (rest) msg.push(rest);
      continue;
    }
    msg.push(l);
  }
  const message = msg.join(' ').replace(/\.\.$/, '.').trim() || 'PlusCal translation failed';
  return { message, ...(line !== undefined ? { line, col } : {}) };
}


export async function runPcalTrans(jar: string, file: string): Promise<Result<void>> {
  const abs = resolve(file);
  // Checked up front: a missing cwd makes spawn fail with the same ENOENT as a missing java.
  if (!(await isFile(abs))) return fail({ code: 'PCAL_ERROR', message: `${displayPath(abs)} does not exist` });
  // The translator keeps a backup `<name>.old`; we only remove one we caused to exist.
  const backup = join(dirname(abs), basename(abs).replace(/\.tla$/, '') + '.old');
  const hadBackup = await exists(backup);
  const r = await runJava(['-cp', jar, 'pcal.trans', '-nocfg', abs], { cwd: dirname(abs), timeout: 5 * 60_000 });
  if (!hadBackup) await rm(backup, { force: true });
  if (!r.ok) return r;

  const issue = parsePcalOutput(r.value.output);
  if (issue) {
    const where = displayPath(abs);
    return fail(
      issue.line !== undefined
        ? { code: 'PCAL_ERROR', message: issue.message, at: { file: where, line: issue.line, ...(issue.col !== undefined ? { col: issue.col } : {}) } }
        : { code: 'PCAL_ERROR', message: `${issue.message} (in ${where})` },
    );
  }
  if (r.value.exitCode !== 0) {
    return fail({
      code: 'PCAL_ERROR',
      message: `pcal.trans exited with code ${r.value.exitCode ?? 'unknown'} on ${displayPath(abs)}`,
      detail: tail(r.value.output),
    });
  }
  return ok(undefined);
}
