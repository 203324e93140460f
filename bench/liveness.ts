/**
 * Benchmark (not a test): the engine's liveness checking on the pool specs, with three progress
 * properties added as IR (BusyReleased: head = BUSY ~> head # BUSY; StarvationFree: per thread,
 * pc # idle ~> pc = idle; IdleOften: per thread, []<>(pc = idle)). For each spec × configuration it
 * prints the safety-only search and then each property alone and all three together: verdict,
 * wall-clock seconds of the search, CPU seconds of the child (less sensitive to a loaded machine) and
 * peak memory, each run in a fresh child process so that its peak RSS is its own.
 *
 *   npx tsx bench/liveness.ts                       # BusyPool:small, LockedPool:small
 *   npx tsx bench/liveness.ts --models BusyPool:standard [--props BusyReleased]
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { Expr, Model, TemporalProperty } from '../src/dsl/ir.ts';
import { loadSpec, resolveSpecs } from '../src/dsl/load.ts';
import { explore } from '../src/engine/explore.ts';
import { machine } from '../src/engine/step.ts';
import { formatError } from '../src/errors.ts';

const SELF = fileURLToPath(import.meta.url);
const PROPS = ['BusyReleased', 'StarvationFree', 'IdleOften'];

function withProgress(model: Model): Model {
  const head: Expr = { op: 'var', name: 'head' };
  const BUSY: Expr = { op: 'lit', value: -1, type: { kind: 'ptr', blocks: 'Blocks' } };
  const pc: Expr = { op: 'pc', proc: { op: 'bound', name: 'th' } };
  const idle: Expr = { op: 'lit', value: 'idle', type: { kind: 'enum', values: ['idle'] } };
  const v = { name: 'th', procType: 'Thread' };
  const props: TemporalProperty[] = [
    { name: 'BusyReleased', formula: { kind: 'leadsTo', from: { op: 'bin', fn: 'eq', a: head, b: BUSY }, to: { op: 'bin', fn: 'ne', a: head, b: BUSY } } },
    { name: 'StarvationFree', formula: { kind: 'leadsTo', v, from: { op: 'bin', fn: 'ne', a: pc, b: idle }, to: { op: 'bin', fn: 'eq', a: pc, b: idle } } },
    { name: 'IdleOften', formula: { kind: 'alwaysEventually', v, expr: { op: 'bin', fn: 'eq', a: pc, b: idle } } },
  ];
  return { ...model, properties: [...model.properties.filter((p) => !PROPS.includes(p.name)), ...props] };
}

async function child(spec: string, config: string, props: string[]): Promise<void> {
  const files = resolveSpecs([spec]);
  if (!files.ok) throw new Error(files.errors.map(formatError).join('\n'));
  const r = await loadSpec(files.value[0]);
  if (!r.ok) throw new Error(r.errors.map(formatError).join('\n'));
  const base = withProgress(r.value);
  const model: Model = { ...base, configs: base.configs.map((c) => ({ ...c, properties: props })) };
  const cpu0 = process.cpuUsage();
  const res = explore(machine(model, config));
  const cpu = process.cpuUsage(cpu0);
  if (res.error) throw new Error(formatError(res.error));
  console.log(JSON.stringify({
    verdict: res.verdict, violated: res.violated, distinct: res.distinctStates, seconds: res.seconds,
    cpu: (cpu.user + cpu.system) / 1e6,
    lasso: res.trace && props.length ? `${res.trace.length} steps, ${res.stuttering ? 'stuttering' : `loop from ${res.loopStart}`}` : '-',
    peakMB: process.resourceUsage().maxRSS / 1024,
  }));
}

function run(args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, ['--import', 'tsx', SELF, ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    p.stdout.on('data', (d: Buffer) => { out += d.toString(); });
    p.on('error', reject);
    p.on('close', (code) => (code === 0 ? resolve(out) : reject(new Error(`child exited with ${code}`))));
  });
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { child: { type: 'string' }, models: { type: 'string' }, props: { type: 'string' } } });
  if (values.child) {
    const [spec, config, props] = values.child.split(':');
    return child(spec, config, props ? props.split(',') : []);
  }
  const models = (values.models ?? 'BusyPool:small,LockedPool:small').split(',');
  const sets = values.props ? values.props.split(';').map((x) => x.split(',')) : [...PROPS.map((p) => [p]), PROPS];
  const rows: string[][] = [['model', 'properties', 'verdict', 'violated', 'distinct', 'seconds', 'cpu s', 'peak MB', 'lasso']];
  for (const m of models) {
    for (const props of [[], ...sets]) {
      const f = JSON.parse(await run(['--child', `${m}:${props.join(',')}`]));
      rows.push([m, props.length ? props.join(',') : '(safety only)', f.verdict, f.violated ?? '-', f.distinct.toLocaleString('en-US'), f.seconds.toFixed(1), f.cpu.toFixed(1), f.peakMB.toFixed(0), f.lasso]);
      console.error(rows[rows.length - 1].join('  '));
    }
  }
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  console.log(rows.map((r) => r.map((c, i) => c.padEnd(widths[i])).join('  ').trimEnd()).join('\n'));
}

await main();
