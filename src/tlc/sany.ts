/**
 * Runs the SANY parser/semantic checker on a generated module and turns its report into
 * SANY_ERROR values pointing at file:line:col. The same report appears (as plain text) in
 * TLC's output, so the parser here is shared with run-tlc.
 *
 * SANY 2.1 (inside TLC 2.18) exits 0 even when it reports semantic errors, so the verdict
 * comes from the text, not the exit code. Report shapes handled (all seen in real output):
 *   ***Parse Error***
 *   Encountered "====" at line 6, column 1 and token "1"
 *
 *   Lexical error at line 3, column 17.  Encountered: "\n" (10), after : "\"abc"
 *
 *   *** Errors: 2
 *
 *   line 4, col 13 to line 4, col 15 of module Multi
 *
 *   Unknown operator: `Foo'.
 *
 *   *** Abort messages: 1
 *
 *   Unknown location
 *
 *   Cannot find source file for module NoSuchMod imported in module Ext.
 */
import { isFile, tail } from './files.ts';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { fail, ok, type PoolspecError, type Result } from '../errors.ts';
import { runJava } from './java.ts';

export interface TlaRange {
  module: string;
  line: number;
  col: number;
  endLine: number;
  endCol: number;
}

export interface SanyIssue {
  message: string;
  /** Absolute path of the file the issue is in, when SANY says which. */
  file?: string;
  line?: number;
  col?: number;
}

/** A path for messages: relative to the working directory when inside it. */
export function displayPath(file: string): string {
  const abs = resolve(file);
  const rel = relative(process.cwd(), abs);
  return rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : abs;
}

const RANGE = /line (\d+), col (\d+) to line (\d+), col (\d+) of module ([A-Za-z0-9_]+)/;

/** "line 8, col 9 to line 8, col 42 of module Counter" → range (TLC and SANY both print this). */
export function parseTlaRange(text: string): TlaRange | null {
  const m = RANGE.exec(text);
  if (!m) return null;
  return { line: Number(m[1]), col: Number(m[2]), endLine: Number(m[3]), endCol: Number(m[4]), module: m[5]! };
}

/**
 * Module name → file, learned from SANY's "Parsing file /abs/Name.tla" lines; modules SANY never
 * announced are assumed to sit next to the root module.
 */
export class ModuleFiles {
  private readonly files = new Map<string, string>();
  constructor(private readonly dir: string) {}

  learn(text: string): void {
    for (const m of text.matchAll(/^Parsing file (.+\.tla)\s*$/gm)) {
      const file = m[1]!;
      this.files.set(file.replace(/^.*[\\/]/, '').replace(/\.tla$/, ''), file);
    }
  }
  fileOf(module: string): string {
    return this.files.get(module) ?? join(this.dir, `${module}.tla`);
  }
}

/** Extracts the errors from SANY's report (warnings are ignored). */
export function parseSanyReport(text: string, modules: ModuleFiles): SanyIssue[] {
  modules.learn(text);
  const lines = text.split(/\r?\n/);
  const issues: SanyIssue[] = [];
  let lastParsed: string | undefined;
  let fatalSeen = false;

  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const parsing = /^Parsing file (.+\.tla)\s*$/.exec(line);
    if (parsing) {
      lastParsed = parsing[1];
      continue;
    }
    if (line.startsWith('***Parse Error***')) {
      // The message runs until the blank line before "Residual stack trace follows:".
      const msg: string[] = [];
      for (i++; i < lines.length && lines[i]!.trim() !== ''; i++) msg.push(lines[i]!.trim());
      issues.push(positioned(msg.join(' ') || 'parse error', lastParsed, modules));
      fatalSeen = true;
      continue;
    }
    if (line.startsWith('Lexical error')) {
      issues.push(positioned(line.trim(), lastParsed, modules));
      fatalSeen = true;
      continue;
    }
    if (/^Cannot find the specified file /.test(line)) {
      issues.push({ message: line.trim() });
      fatalSeen = true;
      continue;
    }
    const header = /^\*\*\* (Errors|Abort messages|Warnings): \d+/.exec(line);
    if (!header) continue;
    const kind = header[1];
    const blocks = readBlocks(lines, i + 1);
    i = blocks.next - 1;
    if (kind === 'Warnings') continue;
    // Abort messages after a parse error only repeat "Could not parse module X".
    if (kind === 'Abort messages' && fatalSeen) continue;
    for (const b of blocks.items) {
      const range = b.where ? parseTlaRange(b.where) : null;
      const inModule = b.where ? /^In module ([A-Za-z0-9_]+)/.exec(b.where) : null;
      const file = range ? modules.fileOf(range.module) : inModule ? modules.fileOf(inModule[1]!) : undefined;
      issues.push({ message: b.message, file, ...(range ? { line: range.line, col: range.col } : {}) });
    }
  }
  return issues;
}

/** "… at line 6, column 1 …" (parse errors) or a "line L, col C to … of module M" range. */
function positioned(message: string, lastParsed: string | undefined, modules: ModuleFiles): SanyIssue {
  const range = parseTlaRange(message);
  if (range) return { message, file: modules.fileOf(range.module), line: range.line, col: range.col };
  const m = /line (\d+), column (\d+)/.exec(message);
  return { message, file: lastParsed, ...(m ? { line: Number(m[1]), col: Number(m[2]) } : {}) };
}

interface Block {
  where?: string;
  message: string;
}

/**
 * Reads the blocks after an "*** Errors: N" header: a location line ("line … of module M",
 * "Unknown location" or "In module M"), a blank line, then message lines. Stops at the next
 * section header or at text that is not part of the report (e.g. a TLC message marker).
 */
function readBlocks(lines: string[], from: number): { items: Block[]; next: number } {
  const items: Block[] = [];
  let cur: { where?: string; msg: string[] } | null = null;
  const flush = () => {
    if (cur && (cur.msg.length > 0 || cur.where)) items.push({ where: cur.where, message: cur.msg.join(' ').replace(/\s+/g, ' ').trim() });
    cur = null;
  };
  let i = from;
  for (; i < lines.length; i++) {
    const line = lines[i]!;
    const t = line.trim();
    if (/^\*\*\* /.test(t) || t.startsWith('@!@!@') || /^Parsing file |^Semantic processing of module /.test(t)) break;
    if ((t.startsWith('line ') && RANGE.test(t)) || t === 'Unknown location' || /^In module [A-Za-z0-9_]+$/.test(t)) {
      flush();
      cur = { where: t, msg: [] };
      continue;
    }
    if (t === '') continue;
    if (!cur) cur = { msg: [] };
    cur.msg.push(t);
  }
  flush();
  return { items, next: i };
}

/** Turns SANY issues into errors; positions are in the generated .tla file. */
export function sanyErrors(issues: SanyIssue[]): PoolspecError[] {
  return issues.map((s) => ({
    code: 'SANY_ERROR' as const,
    message: s.message,
    ...(s.file && s.line !== undefined ? { at: { file: displayPath(s.file), line: s.line, ...(s.col !== undefined ? { col: s.col } : {}) } } : {}),
  }));
}


/** Parses and semantically checks `tlaFile` (modules it EXTENDS are looked up next to it). */
export async function runSany(jar: string, tlaFile: string): Promise<Result<void>> {
  const abs = resolve(tlaFile);
  // Checked up front: a missing cwd makes spawn fail with the same ENOENT as a missing java.
  if (!(await isFile(abs))) return fail({ code: 'SANY_ERROR', message: `${displayPath(abs)} does not exist` });
  const r = await runJava(['-cp', jar, 'tla2sany.SANY', abs], { cwd: dirname(abs), timeout: 5 * 60_000 });
  if (!r.ok) return r;
  const issues = parseSanyReport(r.value.output, new ModuleFiles(dirname(abs)));
  if (issues.length > 0) return fail(...sanyErrors(issues));
  if (r.value.exitCode !== 0) {
    return fail({
      code: 'SANY_ERROR',
      message: `SANY exited with code ${r.value.exitCode ?? 'unknown'} on ${displayPath(abs)}`,
      detail: tail(r.value.output),
    });
  }
  return ok(undefined);
}
