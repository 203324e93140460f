/**
 * `npm run mutation [-- --mutate FILE[,FILE...]] [--concurrency N] [--force] [--tests T[,T...]] [--live] [--baselines]`: Stryker on the core modules,
 * one module at a time, each against its own fast tests (vitest.mutation.config.ts, chosen by
 * POOLSPEC_MUTATE), then one line per module: killed, survived, no coverage, timeouts, score.
 * Each module's report is reports/mutation/<module>.json (and .html).
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { MUTATION_TESTS } from '../vitest.mutation.config.ts';

const { values } = parseArgs({ options: {
  mutate: { type: 'string', multiple: true }, concurrency: { type: 'string', default: '1' }, force: { type: 'boolean', default: false },
  tests: { type: 'string' }, live: { type: 'boolean', default: false }, baselines: { type: 'boolean', default: false },
} });
// --tests a.test.ts,b.test.ts: a narrowed run (e.g. only the tests written against a module's
// survivors), reported beside the module's full report as <module>.narrowed.json; the score printed
// counts a mutant as detected when the full run or the narrowed run detected it.
// --live: only the mutants still alive (survived or not covered) after the full run and the partial
// runs before, each given to Stryker by its exact position. Partial runs accumulate: <module>.narrowed.json
// is rewritten as the full report with every mutant any run detected marked detected.
const narrowed = values.tests;
const partial = narrowed !== undefined || values.live;
const modules = values.mutate?.flatMap((m) => m.split(',')) ?? Object.keys(MUTATION_TESTS);
for (const m of modules) {
  if (!MUTATION_TESTS[m]) {
    console.error(`poolspec mutation: ${m} is not a core module (vitest.mutation.config.ts lists them)`);
    process.exit(2);
  }
}

interface Mutant { status: string; mutatorName: string; replacement?: string; location: { start: { line: number; column: number }; end: { line: number; column: number } } }
interface Score { module: string; killed: number; survived: number; noCoverage: number; timeout: number; errors: number; score: number; minutes: number }
const scores: Score[] = [];
const live: string[] = [];
const stale: string[] = [];
const bin = path.join('node_modules', '.bin', 'stryker');
for (const module of modules) {
  const t0 = performance.now();
  // --baselines: the scores the committed baselines record, which a fresh run reuses where nothing changed; no Stryker run.
  if (values.baselines) {
    if (!fs.existsSync(baseline(module))) {
      stale.push(`${module}: no baseline yet (${baseline(module)})`);
      continue;
    }
    const report = JSON.parse(fs.readFileSync(baseline(module), 'utf8')) as Report;
    tally(module, mutantsOf(report), t0);
    const changed = staleFiles(report);
    if (changed.length) stale.push(`${module}: ${changed.join(', ')}`);
    continue;
  }
  const full = path.join('reports', 'mutation', stem(module));
  const base = partial ? `${full}.narrowed` : full;
  if (partial && !fs.existsSync(`${full}.json`)) {
    console.error(`poolspec mutation: ${values.live ? '--live' : '--tests'} needs a full run of ${module} first (${full}.json)`);
    process.exit(2);
  }
  // Partial runs only: the full run's mutants, with what the partial runs before detected.
  const known = partial ? union(read(`${full}.json`), fs.existsSync(`${base}.json`) ? read(`${base}.json`) : []) : [];
  const targets = values.live ? known.filter(isLive).map((m) => `${module}:${at(m)}`) : [module];
  if (targets.length === 0) {
    console.log(`${module}: no live mutant left (${full}.json and ${base}.json)`);
    continue;
  }
  // A configuration of its own per module (report files, sandbox directory), so two modules may run at once.
  const own = `${base}.stryker.mjs`;
  fs.mkdirSync(path.dirname(own), { recursive: true });
  fs.writeFileSync(own, `import base from '../../stryker.config.mjs';
export default { ...base, tempDirName: '.stryker-tmp-${path.basename(base)}',
  jsonReporter: { fileName: '${base}.json' }, htmlReporter: { fileName: '${base}.html' },
  // A rerun tests again only the mutants whose code or covering tests changed (--force: all of them).
  incremental: ${!partial}, incrementalFile: '${partial ? `${base}.incremental.json` : baseline(module)}' };
`);
  const r = spawnSync(bin, ['run', own, '--mutate', targets.join(','), '--concurrency', values.concurrency!, ...(values.force ? ['--force'] : [])], {
    stdio: 'inherit', env: { ...process.env, POOLSPEC_MUTATE: module, ...(narrowed ? { POOLSPEC_MUTATION_TESTS: narrowed } : {}) },
  });
  if (r.status !== 0) {
    console.error(`poolspec mutation: stryker failed on ${module} (exit ${r.status ?? r.signal})`);
    process.exit(2);
  }
  const mutants = partial ? union(known, read(`${base}.json`)) : read(`${base}.json`);
  if (partial) writeMerged(`${full}.json`, `${base}.json`, mutants);
  tally(module, mutants, t0);
}

/** One module's line of the summary, and its live mutants. */
function tally(module: string, mutants: Mutant[], t0: number): void {
  const count = (s: string) => mutants.filter((x) => x.status === s).length;
  const [killed, survived, noCoverage, timeout] = ['Killed', 'Survived', 'NoCoverage', 'Timeout'].map(count);
  const errors = count('RuntimeError') + count('CompileError');
  // Stryker's mutation score: detected (killed or timed out) over valid mutants.
  const score = (100 * (killed + timeout)) / Math.max(1, killed + timeout + survived + noCoverage);
  scores.push({ module, killed, survived, noCoverage, timeout, errors, score, minutes: (performance.now() - t0) / 60_000 });
  // Each live mutant, where it is and what it does: docs/mutation.md explains or kills every one in the engine.
  live.push(...mutants.filter(isLive)
    .map((x) => `${module}:${x.location.start.line}:${x.location.start.column}  ${x.status === 'Survived' ? 'survived' : 'no coverage'}  ${x.mutatorName}  ${JSON.stringify(x.replacement ?? '').slice(0, 90)}`));
}

console.log('\nmodule                           killed  survived  no coverage  timeout  score   minutes');
for (const s of scores) {
  console.log(`${s.module.padEnd(31)}  ${String(s.killed).padStart(6)}  ${String(s.survived).padStart(8)}  ${String(s.noCoverage).padStart(11)}  ${String(s.timeout).padStart(7)}  ${s.score.toFixed(1).padStart(5)}%  ${s.minutes.toFixed(1).padStart(7)}`);
}
if (live.length) console.log(`\nlive mutants (${live.length}):\n${live.join('\n')}`);
if (values.baselines) {
  console.log(stale.length
    ? `\nbaselines a run would test again, in part or whole (module or test files changed since they were written, or no baseline yet):\n${stale.join('\n')}`
    : '\nevery baseline matches its module and tests: a run reuses every result');
}
const low = scores.filter((s) => s.score < 80);
console.log(low.length ? `\nbelow the 80% goal: ${low.map((s) => s.module).join(', ')}` : '\nevery module at or above the 80% goal');

/**
 * The full run's incremental file, kept in the repository (mutation/incremental/): a run on a fresh
 * clone tests again only the mutants whose code or covering tests changed since it was written, and
 * reads the others' results from it, so a rerun where little changed takes minutes, not hours.
 */
function baseline(module: string): string {
  return path.join('mutation', 'incremental', `${stem(module)}.json`);
}

/** src/engine/step.ts -> engine_step_ts: a module's name in report and baseline file names. */
function stem(module: string): string {
  return module.replace(/^src\//, '').replace(/[/.]/g, '_');
}

type Report = { files: Record<string, { mutants: Mutant[]; source?: string }>; testFiles?: Record<string, { source?: string }> };

/**
 * The module and test files that changed since the module's baseline was written (a baseline records
 * only the test files whose tests cover a mutant, so a covering test file new to the module's list
 * is seen by a run, not here; so is a test that a fixture file adds, e.g. a new malformed spec).
 */
function staleFiles(r: Report): string[] {
  const differs = ([file, x]: [string, { source?: string }]) => !fs.existsSync(file) || fs.readFileSync(file, 'utf8') !== x.source;
  return [...Object.entries(r.files), ...Object.entries(r.testFiles ?? {})].filter(differs).map(([file]) => file);
}

function read(file: string): Mutant[] {
  return mutantsOf(JSON.parse(fs.readFileSync(file, 'utf8')) as Report);
}

function mutantsOf(r: Report): Mutant[] {
  return Object.values(r.files).flatMap((x) => x.mutants);
}

/** The full report with the statuses of `merged` (the full run's mutants, in its order), written to `out`. */
function writeMerged(fullFile: string, out: string, merged: Mutant[]): void {
  const report = JSON.parse(fs.readFileSync(fullFile, 'utf8')) as Report;
  let i = 0;
  for (const f of Object.values(report.files)) f.mutants = f.mutants.map((m) => ({ ...m, status: merged[i++].status }));
  fs.writeFileSync(out, JSON.stringify(report));
}

function isLive(m: Mutant): boolean {
  return m.status === 'Survived' || m.status === 'NoCoverage';
}

/** Stryker's mutation range for exactly one mutant: line:column-line:column (Stryker's columns are 0-based there, 1-based in reports). */
function at(m: Mutant): string {
  const { start, end } = m.location;
  return `${start.line}:${start.column - 1}-${end.line}:${end.column - 1}`;
}

/** The full run's mutants, each detected when either run detected it (matched by place, mutator and replacement). */
function union(full: Mutant[], narrow: Mutant[]): Mutant[] {
  const id = (m: Mutant) => `${JSON.stringify(m.location)} ${m.mutatorName} ${m.replacement ?? ''}`;
  const byId = new Map(narrow.map((m) => [id(m), m.status]));
  return full.map((m) => {
    const n = byId.get(id(m));
    return isLive(m) && (n === 'Killed' || n === 'Timeout') ? { ...m, status: n } : m;
  });
}
