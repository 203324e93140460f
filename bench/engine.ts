/**
 * Benchmark (not a test): the engine's exhaustive exploration and TLC on the same models, in one run,
 * measured alternately (engine, TLC, engine, TLC, ... for --rounds rounds, best round of each kept)
 * so that both see the same machine load; the load average is printed with every row.
 * For each spec × configuration it prints distinct states, states per second of both, their ratio,
 * peak memory (and per distinct state), and whether the state counts agree.
 *
 *   npm run bench:engine                                   # BusyPool standard and a 3-block configuration
 *   npm run bench:engine -- --models BusyPool:standard+N=3,LockedPool:standard --rounds 3
 *   npm run bench:engine -- --quick | --no-tlc | --interpreted
 *
 * A model is SPEC:CONFIG, optionally with constants overridden (`+NAME=VALUE`, as prove's --sizes):
 * `BusyPool:standard+T=2+N=3` is the `standard` configuration with 2 threads and 3 blocks (written as
 * a configuration `standard_T2N3` for TLC too). A configuration with temporal properties (`flush`,
 * `small`) runs on the interpreted engine, liveness included: the bench says which engine ran.
 *
 * How it measures: each engine run is a fresh child process (`--child`), so its peak RSS
 * (resourceUsage().maxRSS) is its own; "search" is the exploration alone (after compiling),
 * "wall" includes starting Node, tsx, loading the spec and compiling. TLC runs as
 * `java ... tlc2.TLC -workers 1` on the generated module; its search time is its own "Finished in"
 * (TLC's clock starts when TLC does: it includes parsing, not the JVM start), its wall time includes
 * the JVM; its peak memory is the JVM's VmHWM read from /proc while it runs (Linux only). The ratio
 * compares search rates: engine distinct states per search second over TLC's per "Finished in" second.
 * "store B/state" is the engine's state store (packed states, parent pointers, hash table) per state.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { generateTla } from '../src/codegen/generate.ts';
import { cfgFileName, tlaFileName } from '../src/codegen/tla.ts';
import { loadSpec, resolveSpecs } from '../src/dsl/load.ts';
import { explore } from '../src/engine/explore.ts';
import { exploreFast } from '../src/engine/compiled/explore.ts';
import type { Model } from '../src/dsl/ir.ts';
import { machine } from '../src/engine/step.ts';
import { formatError } from '../src/errors.ts';
import { locateJar } from '../src/tlc/index.ts';

const SELF = fileURLToPath(import.meta.url);
// standard: 3 threads, 2 blocks; standard+T=2+N=3: 2 threads, 3 blocks, with flush (safety only, as standard).
const DEFAULT_MODELS = ['BusyPool:standard', 'BusyPool:standard+T=2+N=3'];
const QUICK_MODELS = ['BusyPool:small'];

interface EngineFigures { distinct: number; generated: number; verdict: string; explore: number; wall: number; peakMB: number; compiled: boolean; storeBytes: number | null }
interface TlcFigures { distinct: number; generated: number; wall: number; search: number | null; peakMB: number | null }

async function loadModel(name: string) {
  const files = resolveSpecs([name]);
  if (!files.ok) throw new Error(files.errors.map(formatError).join('\n'));
  const r = await loadSpec(files.value[0]);
  if (!r.ok) throw new Error(r.errors.map(formatError).join('\n'));
  return r.value;
}

/**
 * `CONFIG` or `CONFIG+NAME=VALUE+...`: the configuration, or a copy of it with those constants
 * (added to the model as `CONFIG_NAMEVALUE...`), and its name.
 */
export function withSizes(model: Model, spec: string): string {
  const [base, ...sizes] = spec.split('+');
  const cfg = model.configs.find((c) => c.name === base);
  if (!cfg) throw new Error(`${model.name} has no configuration ${base}`);
  if (sizes.length === 0) return base;
  const constants = { ...cfg.constants };
  for (const kv of sizes) {
    const m = /^([A-Za-z_]\w*)=(\d+)$/.exec(kv);
    if (!m || typeof cfg.constants[m[1]] !== 'number') throw new Error(`${spec}: +${kv} is not NAME=integer for an integer constant of ${model.name}`);
    constants[m[1]] = Number(m[2]);
  }
  const name = `${base}_${sizes.map((kv) => kv.replace('=', '')).join('')}`;
  model.configs.push({ ...cfg, name, constants });
  return name;
}

/** Child mode: explore one model and print its figures as JSON. */
async function child(spec: string, config: string, interpreted: boolean): Promise<void> {
  const model = await loadModel(spec);
  const name = withSizes(model, config);
  const r = interpreted ? { ...explore(machine(model, name)), compiled: false, storeBytes: null } : exploreFast(machine(model, name));
  if (r.error) throw new Error(formatError(r.error));
  console.log(JSON.stringify({
    distinct: r.distinctStates, generated: r.statesGenerated, verdict: r.verdict, explore: r.seconds,
    peakMB: process.resourceUsage().maxRSS / 1024, compiled: r.compiled, storeBytes: 'storeBytes' in r ? r.storeBytes ?? null : null,
  }));
}

/** TLC's "Finished in 1min 02s at (...)" / "Finished in 636ms at": its own clock, in seconds. */
function tlcFinished(out: string): number | null {
  const m = /Finished in (.+?) at/.exec(out);
  if (!m) return null;
  let t = 0;
  for (const [, n, unit] of m[1].matchAll(/(\d+)\s*(h|min|ms|s)\b/g)) t += Number(n) * ({ h: 3600, min: 60, s: 1, ms: 0.001 } as Record<string, number>)[unit];
  return t;
}

function runChild(cmd: string, args: string[], opts: { cwd?: string; pollMemory?: boolean } = {}): Promise<{ out: string; err: string; code: number | null; seconds: number; peakMB: number | null }> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const p = spawn(cmd, args, { cwd: opts.cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    let peakKB: number | null = null;
    // VmHWM is the process's own high-water mark; polling only has to catch it before exit.
    const poll = opts.pollMemory ? setInterval(() => {
      try {
        const m = /VmHWM:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${p.pid}/status`, 'utf8'));
        if (m) peakKB = Math.max(peakKB ?? 0, Number(m[1]));
      } catch {
        // not Linux, or the process is gone
      }
    }, 20) : null;
    p.stdout.on('data', (d: Buffer) => { out += d.toString(); });
    p.stderr.on('data', (d: Buffer) => { err += d.toString(); });
    p.on('error', reject);
    p.on('close', (code) => {
      if (poll) clearInterval(poll);
      resolve({ out, err, code, seconds: (performance.now() - t0) / 1000, peakMB: peakKB === null ? null : peakKB / 1024 });
    });
  });
}

async function benchEngine(spec: string, config: string, interpreted: boolean): Promise<EngineFigures> {
  const r = await runChild(process.execPath, ['--import', 'tsx', SELF, '--child', spec, config, ...(interpreted ? ['--interpreted'] : [])]);
  if (r.code !== 0) throw new Error(`engine run of ${spec} ${config} failed:\n${r.err}`);
  const f = JSON.parse(r.out.trim().split('\n').pop()!) as Omit<EngineFigures, 'wall'>;
  return { ...f, wall: r.seconds };
}

async function benchTlc(spec: string, config: string, jar: string, workers: number): Promise<TlcFigures> {
  const model = await loadModel(spec);
  const name = withSizes(model, config);
  const cfg = model.configs.find((c) => c.name === name)!;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `poolspec-bench-${spec}-`));
  try {
    for (const [name, text] of generateTla(model)) fs.writeFileSync(path.join(dir, name), text);
    const r = await runChild('java', [
      '-XX:+UseParallelGC', `-Djava.io.tmpdir=${dir}`, '-cp', jar, 'tlc2.TLC', '-workers', String(workers),
      '-metadir', path.join(dir, 'states'), '-config', cfgFileName(model, cfg), tlaFileName(model).replace(/\.tla$/, ''),
    ], { cwd: dir, pollMemory: true });
    const m = /([\d,]+) states generated, ([\d,]+) distinct states found/.exec(r.out);
    if (!m) throw new Error(`TLC gave no state counts for ${spec} ${config}:\n${r.out.slice(-2000)}${r.err}`);
    const num = (s: string) => Number(s.replace(/,/g, ''));
    return { generated: num(m[1]), distinct: num(m[2]), wall: r.seconds, search: tlcFinished(r.out), peakMB: r.peakMB };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const rate = (n: number, s: number) => (s > 0 ? Math.round(n / s).toLocaleString('en-US') : '-');
const mb = (x: number | null) => (x === null ? 'n/a' : x.toFixed(0));
const perState = (bytes: number | null, n: number) => (bytes === null || n === 0 ? 'n/a' : Math.round(bytes / n).toLocaleString('en-US'));
const load = () => os.loadavg().map((x) => x.toFixed(2)).join(' ');

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      child: { type: 'boolean' }, models: { type: 'string' }, quick: { type: 'boolean' }, rounds: { type: 'string', default: '1' },
      'no-tlc': { type: 'boolean' }, 'tlc-workers': { type: 'string', default: '1' }, interpreted: { type: 'boolean' },
    },
    allowPositionals: true,
    args: process.argv.slice(2),
  });
  if (values.child) {
    const [spec, config] = process.argv.slice(2).filter((a) => !a.startsWith('--'));
    return child(spec, config, !!values.interpreted);
  }
  const models = values.models ? values.models.split(',') : values.quick ? QUICK_MODELS : DEFAULT_MODELS;
  const workers = Number(values['tlc-workers']);
  const rounds = Math.max(1, Number(values.rounds) || 1);
  let jar: string | null = null;
  if (!values['no-tlc']) {
    const j = await locateJar();
    if (!j.ok) throw new Error(j.errors.map(formatError).join('\n'));
    jar = j.value.path;
  }

  const head = ['model', 'distinct', 'engine search s', 'engine states/s', 'engine wall s', 'engine peak MB', 'engine peak B/state', 'store B/state',
    'TLC distinct', 'TLC search s', 'TLC states/s', 'TLC wall s', 'TLC peak MB', 'TLC peak B/state', 'ratio', 'same counts', 'load avg'];
  const rows: string[][] = [];
  console.log(`engine (${values.interpreted ? 'interpreted' : 'compiled'}) vs TLC (${jar ? `TLC -workers ${workers}` : 'TLC skipped'}), node ${process.version}, ${os.cpus().length} cores, ${rounds} round(s) alternating, load average at start ${load()}`);
  for (const id of models) {
    const [spec, config] = id.split(':');
    if (!spec || !config) throw new Error(`models are SPEC:CONFIG[+NAME=VALUE...], got ${id}`);
    let e: EngineFigures | null = null;
    let t: TlcFigures | null = null;
    const loads: string[] = [];
    for (let r = 0; r < rounds; r += 1) {
      // Alternately, so that both see the same load; the best (fastest) round of each is kept.
      const e1 = await benchEngine(spec, config, !!values.interpreted);
      if (!e || e1.explore < e.explore) e = e1;
      const t1 = jar ? await benchTlc(spec, config, jar, workers) : null;
      if (t1 && (!t || (t1.search ?? t1.wall) < (t.search ?? t.wall))) t = t1;
      loads.push(os.loadavg()[0].toFixed(1));
      console.log(`  ${id} round ${r + 1}: engine ${e1.distinct} states in ${e1.explore.toFixed(2)} s (${e1.compiled ? 'compiled' : 'interpreted'})${t1 ? `, TLC ${t1.distinct} in ${t1.search ?? '?'} s (wall ${t1.wall.toFixed(2)} s)` : ''}; load ${load()}`);
    }
    e = e!;
    const tSearch = t ? t.search ?? t.wall : 0;
    rows.push([
      `${spec} ${config}`, e.distinct.toLocaleString('en-US'), e.explore.toFixed(2), rate(e.distinct, e.explore), e.wall.toFixed(2), mb(e.peakMB),
      perState(e.peakMB * 1048576, e.distinct), perState(e.storeBytes, e.distinct),
      t ? t.distinct.toLocaleString('en-US') : '-', t ? tSearch.toFixed(2) : '-', t ? rate(t.distinct, tSearch) : '-', t ? t.wall.toFixed(2) : '-', t ? mb(t.peakMB) : '-',
      t ? perState(t.peakMB === null ? null : t.peakMB * 1048576, t.distinct) : '-',
      t && tSearch > 0 ? `${((e.distinct / e.explore) / (t.distinct / tSearch)).toFixed(1)}x` : '-',
      t ? (t.distinct === e.distinct && t.generated === e.generated ? 'yes' : `NO (generated ${e.generated} vs ${t.generated})`) : '-',
      loads.join('/'),
    ]);
  }
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  console.log(`\n${line(head)}\n${widths.map((w) => '-'.repeat(w)).join('  ')}\n${rows.map(line).join('\n')}`);
  console.log('\nstates/s = distinct states / search seconds (engine: exploration after compiling; TLC: its own "Finished in");');
  console.log('ratio = engine states/s over TLC states/s; peak B/state = peak RSS / distinct states (includes the runtime\'s baseline);');
  console.log(`load avg = 1-minute load average after each round (2 cores shared with other work); end ${load()}.`);
}

main().catch((err: unknown) => {
  console.error(`bench:engine: ${(err as Error).message}`);
  process.exitCode = 1;
});
