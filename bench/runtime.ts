/**
 * Benchmark (not a test): alloc+free pairs per second of the pools, in two parts.
 *
 *   npm run bench:runtime                          # 1 s per run, 3 runs per figure
 *   npm run bench:runtime -- --quick               # 0.3 s per run, 3 runs
 *   npm run bench:runtime -- --seconds 2 --runs 5 --json [--only speed|claim]
 *
 * 1. Speed: BusyPool at 64 B, 1 and 2 threads, in the interpreter (src/runtime/process.ts), in the
 *    compiled runtime (generated/runtime/BusyPool.ts) and as a hand-written JavaScript BusyPool
 *    (bench/handwritten-busy.ts, no model bookkeeping: the practical limit). Goals: compiled >= 20x
 *    the interpreter, within 2x of the hand-written pool.
 * 2. The seed's claim, on the compiled runtime: BUSY vs locked vs DWCAS vs no-cache at 64 B, 48 KiB
 *    and 2 MiB, 1 and 2 threads. The pools run with { freeKeep: 0, crowded: 0 } (every free goes through
 *    the shared push, nothing goes back to the OS, so the steady state recycles blocks through the list).
 *    The no-cache baseline (NoCachePool, { freeKeep: 0 }) takes every block from the OS and gives it
 *    back, and pays an OS-like cost there: a fresh ArrayBuffer of the block size with the first byte of
 *    every 4 KiB page written (first touch), kept until the block goes back, then left to the GC.
 *
 * A run: `threads` worker threads attach to one pool in shared memory (config `standard` with T =
 * threads, N = 2*threads+2 blocks), warm up (not counted), wait on a start gate, then do
 * `b = alloc(); if (b !== null) free(b)` until the deadline (the interpreter warms up for at least 2 s). Every figure is the median of `--runs`
 * runs, with the spread (min-max); the runs of all configurations are interleaved, so a burst of load
 * on a shared machine spreads over all of them instead of biasing one.
 */
import os from 'node:os';
import { parseArgs } from 'node:util';
import { Worker } from 'node:worker_threads';
import type { Model } from '../src/dsl/ir.ts';
import { loadSpec, resolveSpecs } from '../src/dsl/load.ts';
import { formatError } from '../src/errors.ts';
import { withConfig, type Policy } from '../src/runtime/pool.ts';
import { Shared } from '../src/runtime/shared.ts';
import { loadCompiled } from '../src/runtime/compiled/module.ts';
import { HandwrittenBusyPool } from './handwritten-busy.ts';
import type { AtomicOp, AtomicsWorkerOutput, BenchWorkerInput, BenchWorkerOutput, PoolWorkerOutput } from './runtime-worker.ts';

const ENTRY = new URL('../src/runtime/worker-entry.js', import.meta.url);
const WORKER = new URL('./runtime-worker.ts', import.meta.url).href;

const SIZES = [64, 49152, 2097152];
const THREADS = [1, 2];
const SPECS = ['BusyPool', 'LockedPool', 'DwcasPool', 'NoCachePool'] as const;
type Impl = 'interpreted' | 'compiled' | 'handwritten';
const CLAIM_2MB = 2.6;
const NOISE = 0.95;

interface Sample { pairsPerSecond: number; stepsPerPair: number; osMicrosPerPair: number; errors: string[]; warnings: string[] }
interface Figure { median: number; min: number; max: number; runs: number[] }
interface Cell { key: string; spec: string; impl: Impl; threads: number; blockSize: number; samples: Sample[] }

const sizeName = (n: number) => (n >= 1 << 20 ? `${n / (1 << 20)} MiB` : n >= 1024 ? `${n / 1024} KiB` : `${n} B`);
const int = (x: number) => Math.round(x).toLocaleString('en-US');
const ratio = (x: number) => (Number.isFinite(x) ? `${x.toFixed(2)}x` : '-');
const us = (x: number) => (x >= 100 ? x.toFixed(0) : x >= 1 ? x.toFixed(1) : x.toFixed(3));

function figure(xs: number[]): Figure {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return { median: s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2, min: s[0], max: s[s.length - 1], runs: xs };
}
const spread = (f: Figure) => `${int(f.median)} (${int(f.min)}-${int(f.max)})`;

async function loadModel(name: string): Promise<Model> {
  const files = resolveSpecs([name]);
  if (!files.ok) throw new Error(files.errors.map(formatError).join('\n'));
  const r = await loadSpec(files.value[0]);
  if (!r.ok) throw new Error(r.errors.map(formatError).join('\n'));
  return r.value;
}

/** Starts the workers, waits until each is parked on the gate, opens it, collects results. */
async function runWorkers(inputs: BenchWorkerInput[], gate: SharedArrayBuffer): Promise<BenchWorkerOutput[]> {
  const workers = inputs.map((workerData) => new Worker(ENTRY, { workerData }));
  try {
    let ready = 0;
    let open!: () => void;
    const allReady = new Promise<void>((r) => { open = r; });
    const results = workers.map((w) => new Promise<BenchWorkerOutput>((resolve, reject) => {
      w.on('message', (m: 'ready' | BenchWorkerOutput) => {
        if (m === 'ready') {
          ready += 1;
          if (ready === workers.length) open();
        } else resolve(m);
      });
      w.once('error', reject);
      w.once('exit', (code) => reject(new Error(`bench worker exited with code ${code} before reporting`)));
    }));
    for (const r of results) r.catch(() => undefined);
    await Promise.race([allReady, Promise.all(results)]);
    const g = new Int32Array(gate);
    Atomics.store(g, 0, 1);
    Atomics.notify(g, 0);
    return await Promise.all(results);
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
}

async function poolRun(model: Model, impl: Impl, threads: number, blockSize: number, seconds: number, warmup: number): Promise<Sample> {
  const gate = new SharedArrayBuffer(4);
  const blocks = 2 * threads + 2;
  let inputs: BenchWorkerInput[];
  if (impl === 'handwritten') {
    const { words, arena } = HandwrittenBusyPool.buffers(blocks, blockSize);
    inputs = Array.from({ length: threads }, (_, i) => ({ entry: WORKER, gate, seconds, warmup, job: 'handwritten', words, arena, blocks, blockSize, id: i + 1 }));
  } else {
    const nocache = model.name === 'NoCachePool';
    const m = withConfig(model, 'standard', 'bench', { T: threads, N: blocks });
    const shared = Shared.create(m, 'bench', blockSize);
    const excluded = nocache ? ['freeKeep'] : ['freeKeep', 'crowded'];
    const policy: Policy = { weights: Object.fromEntries(excluded.map((b) => [b, 0])), chaos: 0 };
    const compiled = impl === 'compiled' ? loadCompiled(m) : undefined;
    if (compiled && !compiled.ok) throw new Error(`${model.name}: the compiler refuses it (${compiled.reason})`);
    inputs = shared.procIds.map((id) => ({
      entry: WORKER, gate, seconds, warmup, job: 'pool', desc: shared.desc, id, seed: 0x5eed + id, policy,
      osCost: nocache ? 'fresh' : 'runtime', excluded, compiledJs: compiled?.ok ? compiled.module.js : undefined,
    }));
  }
  const outs = (await runWorkers(inputs, gate)) as PoolWorkerOutput[];
  const sum = (f: (o: PoolWorkerOutput) => number) => outs.reduce((a, o) => a + f(o), 0);
  const pairs = sum((o) => o.pairs);
  const wall = Math.max(...outs.map((o) => o.seconds));
  const warnings: string[] = [];
  const taken = outs.flatMap((o) => Object.keys(o.excludedTaken));
  if (taken.length) warnings.push(`branches weighted 0 were taken: ${[...new Set(taken)].join(', ')}`);
  if (sum((o) => o.faults) > 0) warnings.push(`${sum((o) => o.faults)} use-after-free faults`);
  if (sum((o) => o.failed) > 0) warnings.push(`${sum((o) => o.failed)} allocations failed`);
  return {
    pairsPerSecond: pairs / wall, stepsPerPair: pairs ? sum((o) => o.steps) / pairs : 0,
    osMicrosPerPair: pairs ? (sum((o) => o.fillSeconds + o.freshSeconds) / pairs) * 1e6 : 0,
    errors: outs.filter((o) => o.error).map((o) => `thread ${o.id}: ${o.error}`), warnings,
  };
}

async function atomicsRun(op: AtomicOp, threads: number, seconds: number): Promise<number> {
  const gate = new SharedArrayBuffer(4);
  const word = new SharedArrayBuffer(8);
  const inputs: BenchWorkerInput[] = Array.from({ length: threads }, () => ({ entry: WORKER, gate, seconds, warmup: 0, job: 'atomics', op, word }));
  const outs = (await runWorkers(inputs, gate)) as AtomicsWorkerOutput[];
  return outs.reduce((a, o) => a + o.ops, 0) / Math.max(...outs.map((o) => o.seconds));
}

/** Microseconds of one fresh allocation + first touch of a block of each size, measured in the main thread. */
function freshCost(size: number, seconds: number): number {
  const sink: Uint8Array[] = [];
  const f = () => {
    const b = new Uint8Array(new ArrayBuffer(size));
    for (let i = 0; i < size; i += 4096) b[i] = 1;
    sink[sink.length & 3] = b;
  };
  for (let i = 0; i < 20; i += 1) f();
  let n = 0;
  const t0 = performance.now();
  while (performance.now() - t0 < seconds * 1000) { f(); n += 1; }
  return ((performance.now() - t0) * 1000) / n;
}

function table(head: string[], rows: string[][]): string {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  return [line(head), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { seconds: { type: 'string' }, runs: { type: 'string' }, quick: { type: 'boolean' }, json: { type: 'boolean' }, only: { type: 'string' } },
    args: process.argv.slice(2),
  });
  const seconds = values.seconds !== undefined ? Number(values.seconds) : values.quick ? 0.3 : 1;
  const runs = values.runs !== undefined ? Number(values.runs) : 3;
  if (!(seconds > 0)) throw new Error(`--seconds must be a positive number, got ${values.seconds}`);
  if (!(Number.isInteger(runs) && runs >= 1)) throw new Error(`--runs must be a positive integer, got ${values.runs}`);
  if (values.only !== undefined && !['speed', 'claim'].includes(values.only)) throw new Error('--only must be speed or claim');
  const warmup = Math.min(1, Math.max(0.2, seconds / 2));
  const json = values.json === true;
  const log = (s = '') => { if (!json) console.log(s); };
  const progress = (s: string) => { if (!json) process.stderr.write(s); };
  const t0 = performance.now();

  const models = new Map<string, Model>();
  for (const name of SPECS) models.set(name, await loadModel(name));

  // The cells: speed (BusyPool 64 B in three implementations) and the claim (compiled, every spec and size).
  const cells: Cell[] = [];
  const add = (spec: string, impl: Impl, threads: number, blockSize: number) => {
    const key = `${spec}/${impl}/${threads}/${blockSize}`;
    if (!cells.some((c) => c.key === key)) cells.push({ key, spec, impl, threads, blockSize, samples: [] });
  };
  const speed = values.only !== 'claim';
  const claim = values.only !== 'speed';
  for (const threads of THREADS) {
    if (speed) for (const impl of ['interpreted', 'compiled', 'handwritten'] as const) add('BusyPool', impl, threads, 64);
    if (claim) for (const size of SIZES) for (const spec of SPECS) add(spec, 'compiled', threads, size);
  }
  log(`bench:runtime — node ${process.version}, ${os.cpus().length} cores, load average ${os.loadavg().map((x) => x.toFixed(1)).join(' ')}; `
    + `${runs} runs of ${seconds} s (after ${warmup} s of warm-up) per figure, interleaved; figures are medians (min-max)`);
  for (let rep = 1; rep <= runs; rep += 1) {
    for (const c of cells) {
      progress(`run ${rep}/${runs}: ${c.spec} ${c.impl} x${c.threads} ${sizeName(c.blockSize)}... `);
      // The interpreter's JIT takes seconds to settle (its first second runs several times slower).
      const s = await poolRun(models.get(c.spec)!, c.impl, c.threads, c.blockSize, seconds, c.impl === 'interpreted' ? Math.max(warmup, 2) : warmup);
      c.samples.push(s);
      progress(`${int(s.pairsPerSecond)} pairs/s\n`);
    }
  }
  const fig = (spec: string, impl: Impl, threads: number, size: number) => {
    const c = cells.find((x) => x.key === `${spec}/${impl}/${threads}/${size}`)!;
    return figure(c.samples.map((s) => s.pairsPerSecond));
  };

  const atomics: { op: AtomicOp; threads: number; opsPerSecond: number }[] = [];
  if (speed) {
    for (const op of ['xchg', 'cas', 'dwcas'] as const) {
      for (const threads of THREADS) {
        progress(`atomics ${op} x${threads}...\n`);
        atomics.push({ op, threads, opsPerSecond: await atomicsRun(op, threads, Math.min(0.5, seconds)) });
      }
    }
  }
  const fresh = claim ? SIZES.map((size) => ({ blockSize: size, micros: freshCost(size, Math.min(0.3, seconds)) })) : [];
  const problems = cells.flatMap((c) => c.samples.flatMap((s) => [...s.errors, ...s.warnings].map((w) => `${c.spec} ${c.impl} x${c.threads} ${sizeName(c.blockSize)}: ${w}`)));

  const speedRows = speed ? THREADS.map((threads) => {
    const i = fig('BusyPool', 'interpreted', threads, 64);
    const c = fig('BusyPool', 'compiled', threads, 64);
    const h = fig('BusyPool', 'handwritten', threads, 64);
    return { threads, interpreted: i, compiled: c, handwritten: h, compiledOverInterpreted: c.median / i.median, handwrittenOverCompiled: h.median / c.median };
  }) : [];
  const claimRows = claim ? THREADS.flatMap((threads) => SIZES.map((size) => {
    const r = Object.fromEntries(SPECS.map((s) => [s, fig(s, 'compiled', threads, size)])) as Record<(typeof SPECS)[number], Figure>;
    const b = r.BusyPool.median;
    return {
      threads, blockSize: size, figures: r,
      busyOverNoCache: b / r.NoCachePool.median, busyOverLocked: b / r.LockedPool.median, busyOverDwcas: b / r.DwcasPool.median,
    };
  })) : [];
  const verdicts = claimRows.filter((r) => r.blockSize >= 49152).map((r) => {
    const all = [r.busyOverNoCache, r.busyOverLocked, r.busyOverDwcas];
    const fastest = all.every((x) => x >= NOISE);
    const head = `${sizeName(r.blockSize).padStart(6)} x${r.threads}:`;
    const base = `"as fast or faster than all": ${fastest ? 'HOLDS' : 'DOES NOT HOLD'} (BUSY / no-cache ${ratio(r.busyOverNoCache)}, / locked ${ratio(r.busyOverLocked)}, / DWCAS ${ratio(r.busyOverDwcas)})`;
    if (r.blockSize < 2097152) return `${head} ${base}`;
    return `${head} "~${CLAIM_2MB}x faster than no-cache and locked": no-cache ${ratio(r.busyOverNoCache)}, locked ${ratio(r.busyOverLocked)}; ${base}`;
  });

  if (json) {
    console.log(JSON.stringify({
      node: process.version, cores: os.cpus().length, loadavg: os.loadavg(), secondsPerRun: seconds, runs, warmupSeconds: warmup,
      speed: speedRows, claim: claimRows, verdicts, atomics, freshAllocMicros: fresh,
      cells: cells.map((c) => ({ spec: c.spec, impl: c.impl, threads: c.threads, blockSize: c.blockSize, ...figure(c.samples.map((s) => s.pairsPerSecond)), stepsPerPair: c.samples[0]?.stepsPerPair })),
      problems, totalSeconds: Number(((performance.now() - t0) / 1000).toFixed(1)),
    }, null, 2));
    return;
  }

  if (speed) {
    log('\n1. Speed: BusyPool alloc+free pairs/s at 64 B (all threads together)\n');
    log(table(['threads', 'interpreted', 'compiled', 'hand-written JS', 'compiled / interpreted (goal >= 20x)', 'hand-written / compiled (goal <= 2x)'],
      speedRows.map((r) => [`x${r.threads}`, spread(r.interpreted), spread(r.compiled), spread(r.handwritten), ratio(r.compiledOverInterpreted), ratio(r.handwrittenOverCompiled)])));
    const steps = (impl: Impl) => cells.find((c) => c.key === `BusyPool/${impl}/1/64`)!.samples[0].stepsPerPair.toFixed(1);
    log(`steps per pair: interpreted ${steps('interpreted')}, compiled ${steps('compiled')} (the same transitions)`);
    log(table(['raw Atomics on one word', 'x1 ops/s', 'x2 ops/s'], (['xchg', 'cas', 'dwcas'] as const).map((op) => [
      op === 'xchg' ? 'Atomics.exchange (Int32)' : op === 'cas' ? 'Atomics.compareExchange (Int32)' : 'Atomics.compareExchange (BigInt64, DWCAS)',
      int(atomics.find((a) => a.op === op && a.threads === 1)!.opsPerSecond), int(atomics.find((a) => a.op === op && a.threads === 2)!.opsPerSecond),
    ])));
  }
  if (claim) {
    log('\n2. The seed\'s claim on the compiled runtime: alloc+free pairs/s, median (min-max)\n');
    const cols = THREADS.flatMap((t) => SIZES.map((s) => ({ t, s })));
    log(table(['spec', ...cols.map((c) => `${sizeName(c.s)} x${c.t}`)], [
      ...SPECS.map((s) => [s === 'NoCachePool' ? 'NoCachePool (fresh alloc + touch)' : s, ...cols.map((c) => spread(fig(s, 'compiled', c.t, c.s)))]),
      ...([['BUSY / no-cache', 'busyOverNoCache'], ['BUSY / locked', 'busyOverLocked'], ['BUSY / DWCAS', 'busyOverDwcas']] as const).map(([name, k]) =>
        [name, ...cols.map((c) => ratio(claimRows.find((r) => r.threads === c.t && r.blockSize === c.s)![k]))]),
    ]));
    log(`\nfresh allocation + first touch of one block (main thread): ${fresh.map((f) => `${sizeName(f.blockSize)} ${us(f.micros)} µs`).join(', ')}`);
    log(`\ncompared with the commit's claim (BUSY ~${CLAIM_2MB}x faster than no-cache and locked at 2 MB; as fast or faster than all at 48 KiB and above; "as fast" = ratio >= ${NOISE}):`);
    for (const v of verdicts) log(v);
  }
  for (const p of problems) log(`WARNING ${p}`);
  log(`\ntotal run time ${((performance.now() - t0) / 1000).toFixed(1)} s`);
}

main().catch((err: unknown) => {
  console.error(`bench:runtime: ${(err as Error).stack ?? (err as Error).message}`);
  process.exitCode = 1;
});
