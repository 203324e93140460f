/**
 * The mutation score of conformance (not a test): each runtime mutant (bench/mutants/catalog.ts, a
 * small patch of an emitted runtime module) runs through `poolspec stress --record` for a fixed budget,
 * then its trace through `poolspec validate`; the table says which detector killed it and when.
 *
 *   npm run mutants                                   # every mutant, 1 s each, engine validation
 *   npm run mutants -- --seconds 5 --backend both     # TLC too
 *   npm run mutants -- --only busy-xchg-split,locked-lock-split --no-validate --json
 *
 * Detectors: `fault` (a use-after-free or a refused write reported by stress), `accounting` (a lost or
 * duplicated block, or a cycle, at the end of the run), `stall` (the stress watchdog: no operation
 * completed for --stall seconds), `invariant` (the final state, judged by stress when the run ends, violates an invariant of
 * the spec) and `trace` (validate rejects the recorded run). A detector the spec's own
 * configuration already trips (DwcasPool `standard` expects NoUseAfterFree violated, TreiberPool
 * expects FreeListIntact and NoDoubleAlloc violated) is not evidence there and is not counted. The
 * unmutated runtime of every spec and configuration runs first: if an enabled detector fires on it,
 * the harness is wrong and the run says so. A patch that no longer applies, a crash of a command or
 * an unexpected JSON shape is an error, reported as such, never a kill; the script then exits 1.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadSpec, resolveSpecs } from '../src/dsl/load.ts';
import type { Model } from '../src/dsl/ir.ts';
import { MUTANTS } from './mutants/catalog.ts';
import { applyMutant, type Mutant } from './mutants/patch.ts';
import { typecheckMutants } from './mutants/typecheck.ts';
import { hasValidation, runOnce, type Backend, type RunResult } from './mutants/run.ts';

type Detector = 'fault' | 'accounting' | 'stall' | 'invariant' | 'trace';
const DETECTORS: Detector[] = ['fault', 'accounting', 'stall', 'invariant', 'trace'];

interface Row {
  id: string;
  spec: string;
  config: string;
  what: string;
  /** killed | survived | error (patch, command or harness). */
  outcome: 'killed' | 'survived' | 'error';
  killedBy: Detector[];
  /** Seconds into the run at which each detector that fired saw the divergence. */
  at: Partial<Record<Detector, number>>;
  detail: string;
  /** Detectors not counted in this spec/configuration (the spec trips them itself). */
  ignored: Detector[];
  wall: number;
  explanation?: string;
}

const { values } = parseArgs({
  options: {
    // 1 s: on an idle machine a second already records 0.5-1.3 M events, which the engine validates in
    // 13-114 s; a longer run makes the whole set take hours. The stall threshold must stay below it.
    seconds: { type: 'string', default: '1' },
    stall: { type: 'string', default: '0.4' },
    seed: { type: 'string', default: '1' },
    threads: { type: 'string', default: '2' },
    only: { type: 'string' },
    backend: { type: 'string', default: 'engine' },
    'no-validate': { type: 'boolean', default: false },
    'record-last': { type: 'string', default: '0' },
    'tlc-events': { type: 'string', default: '2000' },
    json: { type: 'boolean', default: false },
    keep: { type: 'boolean', default: false },
  },
});
const seconds = Number(values.seconds);
const stall = Number(values.stall);
const seed = Number(values.seed);
const threads = Number(values.threads);
const recordLast = Number(values['record-last']);
const backend = values.backend as Backend;
const tlcEvents = Number(values['tlc-events']);
if (!['engine', 'tlc', 'both'].includes(backend)) throw new Error(`--backend engine|tlc|both, got ${backend}`);
const log = (s: string) => process.stderr.write(`${s}\n`);

const ROOT = path.resolve(new URL('..', import.meta.url).pathname);
const selected = values.only ? values.only.split(',').map((s) => s.trim()) : MUTANTS.map((m) => m.id);
const unknown = selected.filter((id) => !MUTANTS.some((m) => m.id === id));
if (unknown.length) throw new Error(`no mutant ${unknown.join(', ')} (known: ${MUTANTS.map((m) => m.id).join(', ')})`);
const mutants = MUTANTS.filter((m) => selected.includes(m.id));

/** Detectors the spec's configuration trips by itself: its expected violations. */
async function ignoredDetectors(spec: string, config: string): Promise<Detector[]> {
  const files = resolveSpecs([spec]);
  if (!files.ok) throw new Error(`spec ${spec}: ${files.errors[0].message}`);
  const r = await loadSpec(files.value[0]);
  if (!r.ok) throw new Error(`spec ${spec}: ${r.errors[0].message}`);
  const model: Model = r.value;
  const c = model.configs.find((x) => x.name === config);
  if (!c) throw new Error(`spec ${spec} has no configuration ${config}`);
  if (c.expect.verdict === 'holds') return [];
  // A configuration that expects a violation may end in a state that shows it.
  const out: Detector[] = ['invariant'];
  if (c.expect.oneOf.includes('NoUseAfterFree')) out.push('fault');
  if (c.expect.oneOf.some((p) => p === 'FreeListIntact' || p === 'NoDoubleAlloc')) out.push('accounting');
  return out;
}

function fired(r: Extract<RunResult, { ok: true }>): { by: Detector[]; at: Partial<Record<Detector, number>>; detail: string[] } {
  const s = r.stress;
  const by: Detector[] = [];
  const at: Partial<Record<Detector, number>> = {};
  const detail: string[] = [];
  if (s.faultCount > 0) { by.push('fault'); at.fault = s.firstFaultSeconds ?? s.seconds; detail.push(`${s.faultCount} faults, first: ${s.firstFault}`); }
  if (s.lost > 0 || s.duplicated > 0 || s.cyclic) { by.push('accounting'); at.accounting = s.seconds; detail.push(`lost ${s.lost}, duplicated ${s.duplicated}${s.cyclic ? ', cycle' : ''}`); }
  if (s.stalledAt !== null) { by.push('stall'); at.stall = s.stalledAt; detail.push(`stalled at ${s.stalledAt} s`); }
  if (s.violated.length) { by.push('invariant'); at.invariant = s.seconds; detail.push(`final state violates ${s.violated.join(', ')}`); }
  if (r.validate && !r.validate.accepted) {
    by.push('trace');
    at.trace = r.validate.rejectedAt ?? s.seconds;
    const b = r.validate.backends ?? {};
    const rej = Object.keys(b).filter((k) => b[k] === false);
    detail.push(`rejected ${r.validate.rejected} of ${r.validate.events} events${rej.length ? ` (by ${rej.join(' and ')})` : ''}`);
  }
  return { by, at, detail };
}

async function main(): Promise<number> {
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'poolspec-mutants-'));
  const validate = !values['no-validate'] && await hasValidation();
  if (!values['no-validate'] && !validate) log('note: this poolspec has no `stress --record` / `validate`: trace validation is off');
  log(`mutants: ${mutants.length}, ${seconds} s of stress each (${threads} threads, seed ${seed}, stall after ${stall} s)${validate ? `, validation by ${backend}${recordLast ? ` (last ${recordLast} events)` : ' (every event)'}` : ''}; files in ${tmp}`);
  let errors = 0;
  try {
    // Patches first: one that does not apply stops nothing else, and is reported.
    const files = new Map<string, string>();
    const rows: Row[] = [];
    for (const m of mutants) {
      const a = applyMutant(readFileSync(path.join(ROOT, 'generated/runtime', `${m.spec}.ts`), 'utf8'), m);
      if (!a.ok) {
        errors += 1;
        log(`PATCH FAILED: ${a.error}`);
        rows.push(row(m, 'error', [], {}, `patch does not apply: ${a.error}`, [], 0));
        continue;
      }
      const f = path.join(tmp, `${m.id}.ts`);
      writeFileSync(f, a.text);
      files.set(m.id, f);
    }

    // Then a type check of every mutated function (a patch naming what the emitter no longer has).
    const diags = typecheckMutants(mutants.filter((m) => files.has(m.id)), (spec) => readFileSync(path.join(ROOT, 'generated/runtime', `${spec}.ts`), 'utf8'));
    if (diags.length) {
      for (const d of diags) log(`TYPE ERROR in a mutated function: ${d}`);
      log('the patch set does not type-check against the generated runtime: fix bench/mutants/catalog.ts first');
      return 1;
    }
    log(`patches: ${files.size} of ${mutants.length} apply and type-check`);

    const run = (spec: string, config: string, tag: string, runtimeFile?: string) => runOnce({
      spec, config, runtimeFile, seconds, stall, seed, threads, backend,
      recordFile: validate ? path.join(tmp, `${tag}.ndjson`) : undefined, recordLast: validate && recordLast > 0 ? recordLast : undefined, tlcEvents,
    });

    // The unmutated runtime of every spec and configuration: enabled detectors must stay quiet.
    const ignored = new Map<string, Detector[]>();
    for (const key of [...new Set(mutants.filter((m) => files.has(m.id)).map((m) => `${m.spec}/${m.config}`))]) {
      const [spec, config] = key.split('/');
      ignored.set(key, await ignoredDetectors(spec, config));
      const r = await run(spec, config, `baseline-${spec}-${config}`);
      if (!r.ok) {
        errors += 1;
        log(`baseline ${key}: ERROR ${r.error}`);
        continue;
      }
      const f = fired(r);
      const wrong = f.by.filter((d) => !ignored.get(key)!.includes(d));
      const v = r.validate ? `, trace ${r.validate.accepted ? 'accepted' : 'REJECTED'} (${r.validate.events} events, ${r.validate.seconds} s)` : '';
      log(`baseline ${key}: ${r.stress.ops} ops in ${r.stress.seconds} s${f.by.length ? `; fired: ${f.by.join(', ')} (${f.detail.join('; ')})` : ''}${v} [${r.wall} s]`);
      if (wrong.length) {
        errors += 1;
        log(`baseline ${key}: ERROR the unmutated runtime trips ${wrong.join(', ')}: kills by it would mean nothing`);
      }
    }

    for (const m of mutants) {
      const file = files.get(m.id);
      if (!file) continue;
      const key = `${m.spec}/${m.config}`;
      const ign = ignored.get(key) ?? [];
      const r = await run(m.spec, m.config, m.id, file);
      if (!r.ok) {
        errors += 1;
        rows.push(row(m, 'error', [], {}, r.error, ign, r.wall));
        log(`${m.id}: ERROR ${r.error} [${r.wall} s]`);
        continue;
      }
      const f = fired(r);
      const by = f.by.filter((d) => !ign.includes(d));
      const x = row(m, by.length ? 'killed' : 'survived', by, f.at, f.detail.join('; ') || `${r.stress.ops} ops, nothing fired`, ign, r.wall);
      rows.push(x);
      log(`${m.id}: ${x.outcome}${by.length ? ` by ${by.join(', ')}` : ''} (${x.detail}) [${r.wall} s]`);
    }
    rows.sort((a, b) => mutants.indexOf(mutants.find((m) => m.id === a.id)!) - mutants.indexOf(mutants.find((m) => m.id === b.id)!));
    const killed = rows.filter((r) => r.outcome === 'killed').length;
    if (values.json) {
      console.log(JSON.stringify({ seconds, seed, threads, validation: validate ? backend : null, rows, killed, total: rows.length, errors }, null, 2));
    } else {
      printTable(rows, validate);
      const by = (ds: Detector[]) => rows.filter((r) => r.killedBy.some((d) => ds.includes(d))).length;
      console.log(`\nby detector: ${DETECTORS.map((d) => `${d} ${by([d])}`).join(', ')}; any but trace: ${by(['fault', 'accounting', 'stall', 'invariant'])}`);
      console.log(`score: ${killed} of ${rows.length} mutants killed (${((100 * killed) / Math.max(rows.length, 1)).toFixed(1)}%)${errors ? `; ${errors} errors (not kills)` : ''}`);
    }
  } finally {
    if (values.keep) log(`kept ${tmp}`);
    else rmSync(tmp, { recursive: true, force: true });
  }
  return errors ? 1 : 0;
}

function row(m: Mutant, outcome: Row['outcome'], killedBy: Detector[], at: Row['at'], detail: string, ignored: Detector[], wall: number): Row {
  return {
    id: m.id, spec: m.spec, config: m.config, what: m.what, outcome, killedBy, at, detail, ignored, wall,
    ...(outcome === 'survived' ? { explanation: m.equivalent ?? 'unexplained' } : {}),
  };
}

function printTable(rows: Row[], validate: boolean): void {
  const head = ['mutant', 'spec/config', 'killed by', 'time to kill', 'what fired'];
  const body = rows.map((r) => {
    const first = r.killedBy.length ? Math.min(...r.killedBy.map((d) => r.at[d] ?? Infinity)) : null;
    return [
      r.id, `${r.spec}/${r.config}`,
      r.outcome === 'killed' ? r.killedBy.join(', ') : r.outcome === 'error' ? 'ERROR' : 'not killed',
      first !== null && Number.isFinite(first) ? `${first.toFixed(2)} s` : '-',
      r.detail + (r.ignored.length ? ` [not counted here: ${r.ignored.join(', ')}]` : ''),
    ];
  });
  const w = head.map((h, i) => Math.max(h.length, ...body.map((b) => Math.min(b[i].length, i === 4 ? 90 : 40))));
  const line = (cells: string[]) => cells.map((c, i) => (i === 4 ? c : c.padEnd(w[i]))).join('  ');
  console.log(line(head));
  console.log(line(w.map((n) => '-'.repeat(n))));
  for (const b of body) console.log(line(b));
  const surv = rows.filter((r) => r.outcome === 'survived');
  if (surv.length) {
    console.log('\nsurvivors:');
    for (const r of surv) console.log(`  ${r.id}: ${r.explanation}`);
  }
  if (!validate) console.log(`\n(trace validation was off: detectors ${DETECTORS.filter((d) => d !== 'trace').join(', ')})`);
}

process.exitCode = await main();
