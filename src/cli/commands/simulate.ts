/**
 * `poolspec simulate`: random behaviours of one spec × configuration with the engine, checking the
 * invariants on every state; a violation is printed as a readable interleaving with the seed that
 * replays it. Exit codes: 0 no violation found, 1 a violation found, 2 usage or evaluation error.
 */
import fs from 'node:fs';
import { formatError } from '../../errors.ts';
import type { Model } from '../../dsl/ir.ts';
import { jsonTrace } from '../../check/result.ts';
import { formatItf, toItf } from '../../engine/itf.ts';
import type { Seed } from '../../engine/random.ts';
import { count, oneSpec, parseCommand, seconds, seedArg, usageError as usageErr } from '../args.ts';
import { simulateWorkers, type PoolResult } from '../../engine/compiled/sim-pool.ts';
import { report } from '../report.ts';
import { setLoadTimeout } from '../load-models.ts';
import { checkTraceLength } from '../limits.ts';
import { writableFile } from '../outputs.ts';
import { initialStateBytes } from '../state-size.ts';
import { formatTrace } from '../../report/trace-text.ts';
import { EXIT, type Command } from '../command.ts';
import { parseSizes } from '../../prove/prove.ts';

const DEFAULT_RUNS = 100;
const DEFAULT_DEPTH = 100;
/** Worker threads beyond the cores only share them; the cap keeps a typo from starting thousands. */
const MAX_WORKERS = 64;

const usage = `usage: poolspec simulate SPEC [--config NAME] [--runs N] [--depth D] [--seed S] [--workers N] [--sizes T=..,N=..] [--timeout SECONDS] [--json] [--out-itf FILE]`;

const usageError = (message: string) => usageErr('simulate', usage, message);

const command: Command = {
  name: 'simulate',
  summary: 'run random behaviours of a spec with the engine, checking invariants (reproducible by seed)',
  usage,
  async run(argv) {
    const args = parseCommand('simulate', usage, argv, {
          config: { type: 'string' }, runs: { type: 'string' }, depth: { type: 'string' }, seed: { type: 'string' }, workers: { type: 'string' }, sizes: { type: 'string' },
          json: { type: 'boolean' }, 'out-itf': { type: 'string' }, timeout: { type: 'string' },
    });
    if (typeof args === 'number') return args;
    const { values, positionals } = args;
    const runs = count(values.runs, DEFAULT_RUNS, '--runs');
    const depth = count(values.depth, DEFAULT_DEPTH, '--depth');
    const seed = seedArg(values.seed);
    const timeout = seconds(values.timeout, 1800, '--timeout');
    const workers = count(values.workers, 1, '--workers');
    for (const x of [runs, depth, seed, timeout, workers]) if (typeof x === 'string') return usageError(x);
    if ((workers as number) > MAX_WORKERS) return usageError(`--workers must be at most ${MAX_WORKERS}, got ${workers}`);
    if (values['out-itf'] !== undefined) {
      const w = writableFile(values['out-itf'], '--out-itf');
      if (w) return report(w);
    }
    setLoadTimeout(timeout as number);

    const spec = await oneSpec('simulate', usage, positionals, values.config);
    if (typeof spec === 'number') return spec;
    const { config } = spec;
    const configName = config.name;
    // --sizes: the configuration with bigger (or smaller) integer constants, as prove's --sizes.
    const sizes = parseSizes(values.sizes, spec.model);
    if (!sizes.ok) return usageError(sizes.errors[0].message);
    const model = values.sizes === undefined ? spec.model
      : { ...spec.model, configs: spec.model.configs.map((c) => (c.name === configName ? { ...c, constants: { ...c.constants, ...sizes.value } } : c)) };
    // A run keeps its trace (up to --depth states): bounded by memory before it starts.
    const limit = checkTraceLength('--depth', depth as number, initialStateBytes(model, configName));
    if (limit) return report({ code: 'RESOURCE_LIMIT', message: limit });

    const opts = { runs: runs as number, depth: depth as number, seed: seed as Seed };
    if (!values.json) process.stderr.write(`simulating ${model.name} ${configName}: up to ${opts.runs} runs of up to ${opts.depth} steps, seed ${opts.seed}${workers === 1 ? '' : `, ${workers} workers`}\n`);
    // In worker threads (compiled engine), so --timeout ends them (the engine is synchronous).
    const task = await simulateWorkers(model, configName, opts, workers as number, (timeout as number) * 1000);
    if (!task.ok) {
      return report(task.timedOut
        ? { code: 'SIMULATE_TIMEOUT', message: `simulation of ${model.name} ${configName} did not finish within ${timeout} s` }
        : { code: 'ENGINE_EVAL', message: `${model.name} ${configName}: ${task.message}` });
    }
    const r = task.value;

    if (values['out-itf'] && r.trace) {
      const itf = toItf(model, r.trace, { config: configName, violated: r.violated, backend: 'simulate', seed: r.runSeed ?? opts.seed });
      try {
        fs.writeFileSync(values['out-itf'], formatItf(itf));
      } catch (err) {
        return report({ code: 'OUTPUT_ERROR', message: `cannot write ${values['out-itf']}: ${(err as Error).message}` });
      }
      if (!values.json) process.stderr.write(`wrote the ${r.violated ? 'failing' : 'last'} trace to ${values['out-itf']} (ITF)\n`);
    }

    // The replay hint names the spec the way the user did (a name, or the path given).
    const specArg = positionals[0] ?? model.name;
    if (values.json) printJson(model, configName, opts, r);
    else printText(model, configName, opts, r, specArg, values.sizes);
    if (r.verdict === 'error') return values.json ? EXIT.ERROR : report(r.error!);
    return r.verdict === 'violated' ? EXIT.MISMATCH : EXIT.OK;
  },
};

function printJson(model: Model, config: string, opts: { runs: number; depth: number; seed: Seed }, r: PoolResult): void {
  console.log(JSON.stringify({
    spec: model.name, config, backend: 'simulate', runs: opts.runs, depth: opts.depth, seed: opts.seed,
    verdict: r.verdict, violated: r.violated, run: r.run, runSeed: r.runSeed, runsDone: r.runsDone,
    trace: r.verdict !== 'holds' && r.trace ? jsonTrace(model, r.trace) : null,
    statesVisited: r.statesVisited, distinctStates: r.distinctStates, seconds: r.seconds,
    workers: r.workers, behavioursPerSecond: Math.round(r.behavioursPerSecond),
    errors: r.error ? [{ ...r.error, text: formatError(r.error) }] : [],
  }, null, 2));
}

function printText(model: Model, config: string, opts: { runs: number; depth: number; seed: Seed }, r: PoolResult, specArg: string, sizes?: string): void {
  const distinct = r.distinctStates === null ? '' : `, ${r.distinctStates} distinct`;
  const stats = `${r.statesVisited} states visited${distinct}, ${r.seconds.toFixed(2)} s, ${Math.round(r.behavioursPerSecond)} behaviours/s${r.workers > 1 ? ` on ${r.workers} workers` : ''}`;
  const replay = `poolspec simulate ${/\s/.test(specArg) ? JSON.stringify(specArg) : specArg} --config ${config}${sizes ? ` --sizes ${sizes.replace(/\s/g, '')}` : ''} --seed ${r.runSeed} --runs 1 --depth ${opts.depth}`;
  if (r.verdict === 'error') {
    console.log(`in run ${r.run} (seed ${r.runSeed}); replay: ${replay}`);
    return;
  }
  if (r.verdict === 'violated') {
    console.log(formatTrace(model, r.trace!, { violated: r.violated }));
    console.log(`\nfound by run ${r.run} of ${opts.runs}, seeded ${r.runSeed} (${stats})`);
    console.log(`replay: ${replay}`);
    return;
  }
  console.log(`no violation in ${opts.runs} runs of up to ${opts.depth} steps (${stats}); seed ${opts.seed}`);
}

export default command;
