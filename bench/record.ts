/**
 * Benchmark (not a test): what `stress --record` costs in operations per second, and how fast the
 * engine validates what it records.
 *
 *   npm run bench:record                                   # BusyPool, 2 threads, 1 s runs, 5 pairs of runs
 *   npm run bench:record -- --spec BusyPool --threads 2 --seconds 1 --runs 5 [--impl interpreted] [--validate]
 *
 * Runs with and without recording alternate (a burst of load on a shared machine hits both), with the
 * same seeds; the figure is the median ops/s of each and their ratio (the goal: at most 2x).
 * `--validate` also validates each recorded trace with the engine and prints events/s.
 */
import os from 'node:os';
import path from 'node:path';
import fs from 'node:fs';
import { parseArgs } from 'node:util';
import { loadSpec, resolveSpecs } from '../src/dsl/load.ts';
import { formatError } from '../src/errors.ts';
import { stress } from '../src/runtime/stress.ts';
import { readTrace } from '../src/conformance/validate/trace-read.ts';
import { validateWithEngine } from '../src/conformance/validate/engine.ts';

const { values } = parseArgs({
  options: {
    spec: { type: 'string', default: 'BusyPool' }, threads: { type: 'string', default: '2' }, seconds: { type: 'string', default: '1' },
    runs: { type: 'string', default: '5' }, impl: { type: 'string', default: 'compiled' }, validate: { type: 'boolean', default: false },
  },
});
const files = resolveSpecs([values.spec!]);
if (!files.ok) throw new Error(files.errors.map(formatError).join('\n'));
const loaded = await loadSpec(files.value[0]);
if (!loaded.ok) throw new Error(loaded.errors.map(formatError).join('\n'));
const model = loaded.value;
const impl = values.impl as 'compiled' | 'interpreted';
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'poolspec-bench-record-'));
const base = { threads: Number(values.threads), seconds: Number(values.seconds), blocks: 4, blockSize: 64, chaos: 0, impl, weights: { crowded: 0.5, notCrowded: 0.5 } };
const median = (xs: number[]) => { const s = [...xs].sort((a, b) => a - b); const m = Math.floor(s.length / 2); return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2; };
const int = (x: number) => Math.round(x).toLocaleString('en-US');

const plain: number[] = [];
const recorded: number[] = [];
const eventsPerOp: number[] = [];
const validation: { events: number; seconds: number; eps: number; accepted: boolean }[] = [];
try {
  for (let i = 0; i < Number(values.runs); i += 1) {
    const seed = 1000 + i;
    const a = await stress(model, { ...base, seed });
    const file = path.join(dir, `run${i}.ndjson`);
    const b = await stress(model, { ...base, seed, record: { file } });
    plain.push(a.opsPerSecond);
    recorded.push(b.opsPerSecond);
    eventsPerOp.push(b.record!.events / Math.max(1, b.ops));
    console.log(`run ${i + 1}: ${int(a.opsPerSecond)} ops/s plain, ${int(b.opsPerSecond)} ops/s recorded (${int(b.record!.events)} events, ${(b.record!.bytes / 1e6).toFixed(1)} MB, written in ${b.record!.writeSeconds} s)`);
    if (values.validate) {
      const t = readTrace(file, model);
      if (!t.ok) throw new Error(t.errors.map(formatError).join('\n'));
      const v = validateWithEngine(t.value);
      validation.push({ events: v.events, seconds: v.seconds, eps: v.eventsPerSecond, accepted: v.accepted });
      console.log(`        engine: ${v.accepted ? 'accepted' : 'REJECTED'} ${int(v.events)} events in ${v.seconds} s (${int(v.eventsPerSecond)} events/s, at most ${v.maxFrontier} configurations per step)`);
    }
    fs.rmSync(file, { force: true });
  }
} finally {
  fs.rmSync(dir, { recursive: true, force: true });
}
const p = median(plain);
const r = median(recorded);
console.log(`\n${values.spec} ${impl}, ${values.threads} threads, ${values.seconds} s runs, ${values.runs} pairs (load average ${os.loadavg()[0].toFixed(1)} on ${os.cpus().length} cores)`);
console.log(`median ops/s: plain ${int(p)}, recorded ${int(r)}: recording costs ${(p / r).toFixed(2)}x (goal: at most 2x); ${median(eventsPerOp).toFixed(2)} events per operation`);
if (validation.length) console.log(`engine validation: median ${int(median(validation.map((v) => v.eps)))} events/s; ${validation.filter((v) => v.accepted).length}/${validation.length} accepted`);
