/**
 * Benchmark (not a test): the engine's exhaustive exploration and TLC on the same models, in one run.
 * For each spec × configuration it prints distinct states, states per second and peak memory of both,
 * and whether the state counts agree.
 *
 *   npm run bench:engine                                   # the default models
 *   npm run bench:engine -- --models BusyPool:flush,LockedPool:standard --tlc-workers 2
 *   npm run bench:engine -- --quick | --no-tlc
 *
 * How it measures: each engine run is a fresh child process (`--child`), so its peak RSS
 * (resourceUsage().maxRSS) is its own; "explore" is the search alone, "wall" includes starting Node,
 * tsx and loading the spec. TLC runs as `java ... tlc2.TLC` on the generated module; its time is
 * wall-clock and includes starting the JVM and parsing (about a second); its peak memory is the JVM's
 * VmHWM read from /proc while it runs (Linux only; "n/a" elsewhere).
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
import { machine } from '../src/engine/step.ts';
import { formatError } from '../src/errors.ts';
import { locateJar } from '../src/tlc/index.ts';

const SELF = fileURLToPath(import.meta.url);
const DEFAULT_MODELS = ['BusyPool:small', 'BusyPool:flush', 'LockedPool:flush', 'DwcasPool:noOsFree', 'LockedPool:standard', 'BusyPool:standard'];
const QUICK_MODELS = ['BusyPool:small'];

interface EngineFigures { distinct: number; generated: number; verdict: string; explore: number; wall: number; peakMB: number }
interface TlcFigures { distinct: number; generated: number; wall: number; peakMB: number | null }

async function loadModel(name: string) {
  const files = resolveSpecs([name]);
  if (!files.ok) throw new Error(files.errors.map(formatError).join('\n'));
  const r = await loadSpec(files.value[0]);
  if (!r.ok) throw new Error(r.errors.map(formatError).join('\n'));
  return r.value;
}

/** Child mode: explore one model and print its figures as JSON. */
async function child(spec: string, config: string): Promise<void> {
  const model = await loadModel(spec);
  const r = explore(machine(model, config));
  if (r.error) throw new Error(formatError(r.error));
  console.log(JSON.stringify({
    distinct: r.distinctStates, generated: r.statesGenerated, verdict: r.verdict, explore: r.seconds,
    peakMB: process.resourceUsage().maxRSS / 1024,
  }));
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

async function benchEngine(spec: string, config: string): Promise<EngineFigures> {
  const r = await runChild(process.execPath, ['--import', 'tsx', SELF, '--child', spec, config]);
  if (r.code !== 0) throw new Error(`engine run of ${spec} ${config} failed:\n${r.err}`);
  const f = JSON.parse(r.out.trim().split('\n').pop()!) as Omit<EngineFigures, 'wall'>;
  return { ...f, wall: r.seconds };
}

async function benchTlc(spec: string, config: string, jar: string, workers: number): Promise<TlcFigures> {
  const model = await loadModel(spec);
  const cfg = model.configs.find((c) => c.name === config);
  if (!cfg) throw new Error(`${spec} has no configuration ${config}`);
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
    return { generated: num(m[1]), distinct: num(m[2]), wall: r.seconds, peakMB: r.peakMB };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const rate = (n: number, s: number) => (s > 0 ? Math.round(n / s).toLocaleString('en-US') : '-');
const mb = (x: number | null) => (x === null ? 'n/a' : x.toFixed(0));

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      child: { type: 'boolean' }, models: { type: 'string' }, quick: { type: 'boolean' },
      'no-tlc': { type: 'boolean' }, 'tlc-workers': { type: 'string', default: '1' },
    },
    allowPositionals: true,
    args: process.argv.slice(2),
  });
  if (values.child) {
    const [spec, config] = process.argv.slice(2).filter((a) => a !== '--child');
    return child(spec, config);
  }
  const models = values.models ? values.models.split(',') : values.quick ? QUICK_MODELS : DEFAULT_MODELS;
  const workers = Number(values['tlc-workers']);
  let jar: string | null = null;
  if (!values['no-tlc']) {
    const j = await locateJar();
    if (!j.ok) throw new Error(j.errors.map(formatError).join('\n'));
    jar = j.value.path;
  }

  const head = ['model', 'distinct', 'engine explore s', 'engine states/s', 'engine wall s', 'engine peak MB',
    'TLC distinct', 'TLC wall s', 'TLC states/s', 'TLC peak MB', 'same counts'];
  const rows: string[][] = [];
  console.log(`engine vs TLC (${jar ? `TLC -workers ${workers}` : 'TLC skipped'}), node ${process.version}, ${os.cpus().length} cores`);
  for (const id of models) {
    const [spec, config] = id.split(':');
    if (!spec || !config) throw new Error(`models are SPEC:CONFIG, got ${id}`);
    const e = await benchEngine(spec, config);
    const t = jar ? await benchTlc(spec, config, jar, workers) : null;
    rows.push([
      `${spec} ${config}`, e.distinct.toLocaleString('en-US'), e.explore.toFixed(2), rate(e.distinct, e.explore), e.wall.toFixed(2), mb(e.peakMB),
      t ? t.distinct.toLocaleString('en-US') : '-', t ? t.wall.toFixed(2) : '-', t ? rate(t.distinct, t.wall) : '-', t ? mb(t.peakMB) : '-',
      t ? (t.distinct === e.distinct && t.generated === e.generated ? 'yes' : `NO (generated ${e.generated} vs ${t.generated})`) : '-',
    ]);
    console.log(`  ${id}: engine ${e.distinct} states in ${e.explore.toFixed(2)} s${t ? `, TLC ${t.distinct} in ${t.wall.toFixed(2)} s` : ''}`);
  }
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  console.log(`\n${line(head)}\n${widths.map((w) => '-'.repeat(w)).join('  ')}\n${rows.map(line).join('\n')}`);
  console.log('\nstates/s = distinct states / seconds; engine: search time; TLC: wall time including JVM start-up and parsing.');
}

main().catch((err: unknown) => {
  console.error(`bench:engine: ${(err as Error).message}`);
  process.exitCode = 1;
});
