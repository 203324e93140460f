/**
 * The README's verdict table, as data: it is written by `npm run readme:table` from a fresh run of
 * the main job (`check --no-gen --workers 1 --json`) between two markers, and read back by
 * test/docs/readme-table.test.ts, which compares it with another fresh run. One TLC worker makes
 * every count repeatable, so every column but `seconds` must match exactly.
 */
import { execa } from 'execa';
import path from 'node:path';
import type { CheckResult } from '../check/result.ts';
import { PROJECT_ROOT } from '../dsl/source.ts';
import { formatTable } from './table.ts';

export const BEGIN = '<!-- verdict-table:begin (written by `npm run readme:table`; do not edit by hand) -->';
export const END = '<!-- verdict-table:end -->';
/** The command the table comes from, as the README names it. */
export const CHECK_ARGS = ['check', '--no-gen', '--workers', '1', '--json'] as const;

/** One row of the table, every column as printed. */
export type Row = Record<(typeof COLUMNS)[number], string>;
export const COLUMNS = ['spec', 'config', 'backend', 'verdict', 'violated', 'distinct', 'generated', 'depth', 'seconds', 'expected', 'ok'] as const;

export function formatWall(seconds: number): string {
  const s = Math.round(seconds);
  return s < 60 ? `${s} s` : `${Math.floor(s / 60)} min ${s % 60} s`;
}

/** The block between the markers: the header sentence (wall time, workers, result count) and the table. */
export function renderBlock(results: CheckResult[], wallSeconds: number): string {
  const bad = results.filter((r) => !r.matchesExpected).length;
  const outcome = bad === 0 ? `All ${results.length} results matched` : `${bad} of ${results.length} results did not match`;
  return [
    BEGIN,
    `This table comes from \`npx poolspec ${CHECK_ARGS.filter((a) => a !== '--json').join(' ')}\` on the 2-core development`,
    `machine (\`npm run readme:table\` runs it and rewrites this block; one`,
    `TLC worker makes every count repeatable). ${outcome}, in ${formatWall(wallSeconds)} wall clock. The`,
    'configurations marked `onlyOnRequest` (BucketPool\'s heavy ones, the `refines_standard` refinement',
    'checks) run only when named with `--config`.',
    '',
    '```',
    formatTable(results),
    '```',
    END,
  ].join('\n');
}

/** `readme` with the block between the markers replaced; an error when the markers are missing or repeated. */
export function replaceBlock(readme: string, block: string): string {
  const [b, e] = [readme.indexOf(BEGIN), readme.indexOf(END)];
  if (b < 0 || e < b || readme.indexOf(BEGIN, b + 1) >= 0) throw new Error(`README.md must hold the markers ${BEGIN} ... ${END} once`);
  return readme.slice(0, b) + block + readme.slice(e + END.length);
}

/** The rows of the README's table, and the header sentence above it. */
export function readBlock(readme: string): { sentence: string; rows: Row[] } {
  const [b, e] = [readme.indexOf(BEGIN), readme.indexOf(END)];
  if (b < 0 || e < b) throw new Error(`README.md has no verdict table between ${BEGIN} and ${END}`);
  const block = readme.slice(b + BEGIN.length, e);
  const fence = block.indexOf('```');
  const sentence = block.slice(0, fence).trim().replace(/\s+/g, ' ');
  const lines = block.slice(fence + 3, block.lastIndexOf('```')).split('\n').filter((l) => l.trim() !== '');
  const header = lines[0].trim().split(/\s{2,}/);
  if (header.join(',') !== COLUMNS.join(',')) throw new Error(`unexpected table header: ${lines[0]}`);
  return { sentence, rows: lines.slice(2).map((l) => parseRow(l)) };
}

/** A printed row split on runs of 2+ spaces (no cell holds two spaces in a row). */
export function parseRow(line: string): Row {
  const cells = line.trim().split(/\s{2,}/);
  if (cells.length !== COLUMNS.length) throw new Error(`a table row has ${cells.length} cells, not ${COLUMNS.length}: ${line}`);
  return Object.fromEntries(COLUMNS.map((c, i) => [c, cells[i]])) as Row;
}

/** The rows a set of results prints as (the same formatter as `check`). */
export function rowsOf(results: CheckResult[]): Row[] {
  return formatTable(results).split('\n').slice(2).map(parseRow);
}

/** A row without its `seconds`, the one column that may differ between two runs. */
export function withoutSeconds(r: Row): Omit<Row, 'seconds'> {
  const { seconds: _, ...rest } = r;
  return rest;
}

/**
 * Runs the main job in a child process as a user would, timed by the wall clock. Exit 0 or 1 (every
 * result matched, or some did not) gives the results; anything else is an error naming the exit.
 */
export async function runMainJob(): Promise<{ results: CheckResult[]; wallSeconds: number }> {
  const t0 = performance.now();
  // Asynchronous: a test waits minutes for it, and a blocked event loop breaks vitest's worker RPC.
  const r = await execa(process.execPath, [path.join(PROJECT_ROOT, 'bin', 'poolspec.js'), ...CHECK_ARGS], {
    cwd: PROJECT_ROOT, reject: false, stdin: 'ignore', maxBuffer: 1 << 30,
  });
  const wallSeconds = (performance.now() - t0) / 1000;
  if (r.exitCode !== 0 && r.exitCode !== 1) {
    throw new Error(`poolspec ${CHECK_ARGS.join(' ')} exited ${r.exitCode ?? r.signal}: ${r.stderr.trim().split('\n').slice(-3).join(' | ')}`);
  }
  return { results: (JSON.parse(r.stdout) as { results: CheckResult[] }).results, wallSeconds };
}
