/**
 * Translating the emitted PlusCal with the real pcal.trans (from the pinned TLC jar): the module is
 * written to a private temp directory, translated in place there (pcal.trans rewrites its input),
 * and read back. Errors come back against the PlusCal label and the spec line, using the
 * `\* spec/<file>:<line>` comments the emitter writes beside every label and branch.
 *
 * pcal.trans 1.11 (TLC 2.18) writes bare `\* BEGIN TRANSLATION` / `\* END TRANSLATION` markers
 * (no checksums, no timestamps), and translating the same text twice gives the same bytes, so the
 * result is reproducible as is; `normaliseTranslation` still drops the checksums later versions
 * add to the BEGIN marker, should the jar ever change.
 */
import { withRefinement } from './refinement.ts';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Model } from '../dsl/ir.ts';
import { sourceKey } from '../dsl/ir.ts';
import { fail, ok, type PoolspecError, type Result } from '../errors.ts';
import { runPcalTrans } from '../tlc/pcal.ts';
import { stateVarNames } from './tla.ts';
import {
  BEGIN_TRANSLATION, END_TRANSLATION, checkPluscalModel, emitPluscal, pcalSourceAt, pluscalFileName,
} from './pluscal.ts';

/** Where generated files live, for messages. */
const GENERATED_DIR = 'generated';

/**
 * Re-targets an error pcal.trans reported against a line of the generated module to the spec:
 * `at` becomes the spec line of the nearest label/branch comment, and the message names the
 * PlusCal label (and branch) and the generated line.
 */
export function mapPcalError(err: PoolspecError, text: string, file: string): PoolspecError {
  if (!err.at || err.code !== 'PCAL_ERROR') return err;
  const src = pcalSourceAt(text, err.at.line);
  const genLine = `${file}:${err.at.line}${err.at.col !== undefined ? `:${err.at.col}` : ''}`;
  const where = [
    src.label ? `PlusCal label ${src.label}${src.process ? ` of ${src.process}` : ''}` : null,
    src.transition && src.transition !== src.label ? `branch ${src.transition}` : null,
    `${genLine}`,
  ].filter(Boolean).join(', ');
  const lineText = text.split('\n')[err.at.line - 1]?.trim();
  return {
    code: 'PCAL_ERROR',
    message: `${err.message} (${where})`,
    ...(src.spec ? { at: src.spec } : { at: { file, line: err.at.line, ...(err.at.col !== undefined ? { col: err.at.col } : {}) } }),
    ...(lineText ? { detail: `  ${err.at.line} | ${lineText}` } : {}),
  };
}

/** `\* Label lock of process Thread at line 27 col 3 changed to lock_` (and similar renames). */
const RENAMED = /^\\\* (Label|Process variable|Procedure variable|Variable|.*?) (\w+) (?:of (?:process|procedure) (\w+) )?at line (\d+) col (\d+) changed to (\w+)/;

/**
 * pcal.trans silently renames a label or variable that collides with another name: the pc values or
 * variable names then differ from the TLA+ module, so a rename is reported as an error too.
 */
export function renameErrors(translated: string, file: string): PoolspecError[] {
  const errors: PoolspecError[] = [];
  for (const l of translated.split('\n')) {
    const m = RENAMED.exec(l);
    if (!m) continue;
    const [, kind, name, proc, line, col, to] = m;
    // The position pcal.trans gives is the label's first statement; a label's own line names its spec line.
    const lines = translated.split('\n');
    const labelLine = kind === 'Label' ? lines.findIndex((x) => new RegExp(String.raw`^\s*${name}:\s*\\\*`).test(x)) : -1;
    const src = pcalSourceAt(translated, labelLine >= 0 ? labelLine + 1 : Number(line));
    errors.push({
      code: 'PCAL_ERROR',
      message: `pcal.trans renamed ${kind.toLowerCase()} ${name}${proc ? ` of ${proc}` : ''} to ${to} because the name collides with another one; the PlusCal module would then differ from the TLA+ one (pc values, variable names): rename it in the spec (${file}:${line}:${col})`,
      at: src.spec ?? { file, line: Number(line), col: Number(col) },
    });
  }
  return errors;
}

/** Drops what a translator may write that is not a function of the algorithm (checksums). */
export function normaliseTranslation(text: string): string {
  return text.replace(/^\\\* BEGIN TRANSLATION.*$/m, BEGIN_TRANSLATION);
}

/** The VARIABLES the translation declares, in order. */
export function translatedVariables(text: string): string[] {
  const begin = text.indexOf(BEGIN_TRANSLATION);
  const end = text.indexOf(END_TRANSLATION, begin);
  const part = begin < 0 ? '' : text.slice(begin, end < 0 ? undefined : end);
  return [...part.matchAll(/^VARIABLES? ([^\n]+)$/gm)].flatMap((m) => m[1].split(',').map((s) => s.trim()).filter(Boolean));
}

export interface TranslateOptions {
  /** Where errors say the file is (default `generated/<Name>_pcal.tla`). */
  displayFile?: string;
}

/** Translates a PlusCal module text with the jar's pcal.trans; returns the full translated module. */
export async function translatePluscalText(jar: string, fileName: string, text: string, opts: TranslateOptions = {}): Promise<Result<string>> {
  const display = opts.displayFile ?? `${GENERATED_DIR}/${fileName}`;
  const dir = await mkdtemp(join(tmpdir(), 'poolspec-pcal-'));
  try {
    const file = join(dir, fileName);
    await writeFile(file, text);
    const r = await runPcalTrans(jar, file);
    if (!r.ok) return fail(...r.errors.map((e) => mapPcalError(e, text, display)));
    const translated = normaliseTranslation(await readFile(file, 'utf8'));
    const renamed = renameErrors(translated, display);
    if (renamed.length) return fail(...renamed);
    return ok(translated);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * Emits and translates a model's PlusCal module. Checks first what PlusCal cannot express (errors at
 * the spec line), then runs pcal.trans, and finally checks that the translation declares exactly the
 * TLA+ module's state variables (so TLC explores the same states and no VIEW is needed).
 */
export async function translatePluscal(model: Model, jar: string, opts: TranslateOptions = {}): Promise<Result<string>> {
  const fileName = pluscalFileName(model);
  const display = opts.displayFile ?? `${GENERATED_DIR}/${fileName}`;
  const issues = checkPluscalModel(model);
  if (issues.length) return fail(...issues.map((i) => ({ code: 'PCAL_ERROR' as const, message: i.message, at: i.at })));
  const r = await translatePluscalText(jar, fileName, emitPluscal(model), { displayFile: display });
  if (!r.ok) return r;
  const want = [...stateVarNames(model)].sort();
  const got = translatedVariables(r.value).sort();
  if (want.join() !== got.join()) {
    return fail({
      code: 'PCAL_ERROR',
      message: `the translation of ${display} declares the variables ${got.join(', ')} but the TLA+ module has ${want.join(', ')}`,
      at: model.sources[sourceKey.model()] ?? { file: model.file, line: 1 },
    });
  }
  return ok(r.value);
}

/**
 * Everything `generated/` holds for a model's PlusCal backend, file name -> content, byte for byte
 * reproducible: `<Name>_pcal.tla` with the translation pcal.trans wrote into it. TLC runs it with
 * the TLA+ backend's `<Name>_<config>.cfg` files, which apply unchanged (same constants,
 * `Spec`, invariants and constraint names).
 */
export async function generatePluscal(model: Model, jar: string): Promise<Result<Map<string, string>>> {
  const r = await translatePluscal(model, jar);
  if (!r.ok) return r;
  return ok(new Map([[pluscalFileName(model), withRefinement(model, r.value)]]));
}
