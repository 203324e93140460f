/**
 * `poolspec check`: the main job. Regenerates generated/, checks every spec × configuration with the
 * chosen backends, prints the verdict table and each counterexample as a readable interleaving
 * (or one JSON document with --json).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { formatError, ok, type PoolspecError } from '../../errors.ts';
import type { Model } from '../../dsl/ir.ts';
import { generateAll, generateTla } from '../../codegen/generate.ts';
import { GENERATED_DIR, writeDir, writesGenerated } from '../../codegen/output-dir.ts';
import { checkWithEngine, checkWithTlc } from '../../check/check.ts';
import { describeExpectation, jsonTrace, noCounterexample, type Backend, type CheckResult } from '../../check/result.ts';
import { explainCounterexample } from '../../check/explain.ts';
import { machine } from '../../engine/step.ts';
import { locateJar, tlcVersion } from '../../tlc/index.ts';
import { formatTable } from '../../report/table.ts';
import { formatTrace } from '../../report/trace-text.ts';
import { EXIT, type Command } from '../command.ts';
import { loadModels } from '../load-models.ts';
import { count, parseCommand, seconds, usageError as usageErr } from '../args.ts';
import { report } from '../report.ts';
import { setLoadTimeout } from '../load-models.ts';
import { setToolTimeout } from '../../tlc/java.ts';
import { writableFile } from '../outputs.ts';
import { checkWorkers } from '../limits.ts';
import { runTask } from '../tasks.ts';
import type { Config } from '../../dsl/ir.ts';
import { resolveSpecs } from '../../dsl/load.ts';
import { typecheckSpecs } from '../../dsl/typecheck.ts';
import { pluscalBackend } from '../../check/pluscal-backend.ts';
import { formatItf, toItf } from '../../engine/itf.ts';
import { writeReport } from '../../report/html/index.ts';
import { ProgressLine, type ProgressStats } from '../../report/progress.ts';

const BACKENDS: Record<string, Backend[]> = {
  tla: ['tla'], pluscal: ['pluscal'], both: ['tla', 'pluscal'], engine: ['engine'], all: ['tla', 'pluscal', 'engine'],
};

const usage = `usage: poolspec check [SPEC...] [--config NAME] [--backend tla|pluscal|both|engine|all]
                      [--workers N] [--timeout SECONDS] [--json] [--no-gen] [--no-typecheck] [--out-itf FILE] [--html FILE]
                      [--distributed [--tlc-workers N] [--tlc-host ADDR]]`;

const usageError = (message: string) => usageErr('check', usage, message);

const command: Command = {
  name: 'check',
  summary: 'check every spec × configuration with TLC (or the engine) and print the verdict table',
  usage,
  async run(argv) {
    const args = parseCommand('check', usage, argv, {
          config: { type: 'string' }, backend: { type: 'string', default: 'tla' }, workers: { type: 'string' },
          timeout: { type: 'string' }, json: { type: 'boolean' }, 'no-gen': { type: 'boolean' },
          'out-itf': { type: 'string' }, html: { type: 'string' }, 'no-typecheck': { type: 'boolean' },
          distributed: { type: 'boolean' }, 'tlc-workers': { type: 'string' }, 'tlc-host': { type: 'string' },
    });
    if (typeof args === 'number') return args;
    const { values } = args;
    const backends = BACKENDS[values.backend ?? 'tla'];
    if (!backends) return usageError(`unknown backend ${values.backend}`);
    const workers = count(values.workers, os.cpus().length, '--workers');
    const timeout = seconds(values.timeout, 1800, '--timeout');
    if (typeof workers === 'string') return usageError(workers);
    if (typeof timeout === 'string') return usageError(timeout);
    // --distributed: TLC's distributed mode, a server and N local worker JVMs (src/check/distributed.ts).
    const tlcWorkers = count(values['tlc-workers'], 2, '--tlc-workers');
    if (typeof tlcWorkers === 'string') return usageError(tlcWorkers);
    if (!values.distributed && (values['tlc-workers'] !== undefined || values['tlc-host'] !== undefined)) return usageError('--tlc-workers and --tlc-host go with --distributed');
    if (values.distributed && backends.includes('engine')) return usageError('--distributed runs TLC: use --backend tla, pluscal or both');
    const distributed = values.distributed ? {
      tlcWorkers, host: values['tlc-host'],
      onServerReady: (cmd: string) => process.stderr.write(`TLC distributed server ready with ${tlcWorkers} local worker(s); to add a worker on another host (with --tlc-host set to this host's address): ${cmd}\n`),
    } : undefined;
    const tooMany = checkWorkers(workers);
    if (tooMany) return report({ code: 'RESOURCE_LIMIT', message: tooMany });

    if (values['out-itf'] !== undefined) {
      const w = writableFile(values['out-itf'], '--out-itf');
      if (w) return report(w);
    }
    // --timeout bounds everything: loading the specs, the Java tools, TLC, the engine.
    setLoadTimeout(timeout);
    setToolTimeout(timeout);
    // The TypeScript compiler first: a spec that does not type-check is not generated or checked.
    if (!values['no-typecheck']) {
      const files = resolveSpecs(args.positionals);
      const typeErrors = files.ok ? await typecheckSpecs(files.value) : [];
      if (typeErrors.length) return report(...typeErrors);
    }
    const models = await loadModels(args.positionals, { againstProject: !values['no-gen'], warnings: !values.json });
    if (!models) return EXIT.ERROR;
    if (values.config && !models.some((m) => m.configs.some((c) => c.name === values.config))) {
      return usageError(`no spec has a configuration named ${values.config}`);
    }

    // The jar is needed to run TLC, and to translate PlusCal when generated/ is written.
    const needsTlc = backends.some((b) => b !== 'engine');
    const jar = needsTlc || !values['no-gen'] ? await locateJar() : null;
    const toolErrors: PoolspecError[] = jar && !jar.ok ? [...jar.errors] : [];
    let version: string | null = null;
    if (jar?.ok && needsTlc) {
      const v = await tlcVersion(jar.value.path);
      if (v.ok) version = v.value;
      else toolErrors.push(...v.errors);
    }
    if (toolErrors.length) return report(...toolErrors);
    const jarPath = jar?.ok ? jar.value.path : '';

    // Every model is generated before generated/ is touched: a failure leaves it as it was.
    const generated = new Map<Model, Map<string, string>>();
    const toWrite = new Map<string, string>();
    for (const model of models) {
      // generated/ mirrors spec/ only; specs given by path elsewhere are checked without being written there.
      const writeGen = !values['no-gen'] && writesGenerated(model);
      // PlusCal is translated (a java run) only when it is checked or written; TLC needs the TLA+ files.
      const files = writeGen || backends.includes('pluscal') ? await generateAll(model, jarPath) : ok(generateTla(model));
      if (!files.ok) return report(...files.errors);
      generated.set(model, files.value);
      if (writeGen) for (const [k, v] of files.value) toWrite.set(k, v);
    }
    if (toWrite.size) {
      try {
        writeDir(GENERATED_DIR, toWrite);
      } catch (err) {
        return report({ code: 'OUTPUT_ERROR', message: `cannot write ${path.relative(process.cwd(), GENERATED_DIR) || '.'}/: ${(err as Error).message.split('\n')[0]}` });
      }
    }

    const results: CheckResult[] = [];
    const progress = ProgressLine.for(process.stderr, { json: values.json });
    for (const model of models) {
      const files = { value: generated.get(model)! };
      for (const config of model.configs) {
        if (values.config && config.name !== values.config) continue;
        if (!values.config && config.onlyOnRequest) continue; // heavy: only by name
        for (const backend of backends) {
          if (!values.json) process.stderr.write(`checking ${model.name} ${config.name} (${backend})...\n`);
          progress.start({ spec: model.name, config: config.name, backend });
          const onStats = (p: ProgressStats) => progress.update(p);
          const r = backend === 'engine'
            ? await engineWithin(model, config, timeout as number, onStats)
            : backend === 'pluscal'
              ? await checkWithTlc(model, config, { ...pluscalBackend(model, files.value), jar: jarPath, workers, timeoutSeconds: timeout, onStats, distributed })
              : await checkWithTlc(model, config, { jar: jarPath, workers, timeoutSeconds: timeout, files: files.value, onStats, distributed });
          progress.stop();
          results.push(r);
          if (!values.json) printResult(model, r);
        }
      }
    }

    if (values['out-itf']) {
      try {
        writeItfTraces(models, results, values['out-itf']);
      } catch (err) {
        return report({ code: 'OUTPUT_ERROR', message: `cannot write ${values['out-itf']}: ${(err as Error).message.split('\n')[0]}` });
      }
    }
    const tool = { tlc: version, jarSha256: jar?.ok ? jar.value.sha256 : null };
    const html = values.html ? writeReport(values.html, { origin: `poolspec check ${argv.join(' ')}`, tool, results, models }) : null;
    if (html && !html.ok) for (const e of html.errors) report(e);
    else if (html && !values.json) console.error(`wrote ${values.html}`);
    if (values.json) {
      const byName = new Map(models.map((m) => [m.name, m]));
      console.log(JSON.stringify({
        tool,
        results: results.map((r) => ({
          ...r,
          trace: r.trace ? jsonTrace(byName.get(r.spec)!, r.trace) : null,
          errors: r.errors.map((e) => ({ ...e, text: formatError(e) })),
        })),
      }, null, 2));
    } else {
      console.log(`\n${formatTable(results)}`);
      const bad = results.filter((r) => !r.matchesExpected);
      console.log(bad.length === 0
        ? `\nall ${results.length} results match their expectations (${version ?? 'engine'})`
        : `\n${bad.length} of ${results.length} results do not match their expectations`);
    }
    const failed = results.filter((r) => r.verdict === 'error');
    if (failed.length) {
      // The last word is one line per failed result, naming the spec and configuration.
      for (const r of failed) {
        for (const e of r.errors.length ? r.errors : [{ code: 'TLC_ERROR' as const, message: 'no result' }]) {
          report({ ...e, message: `${r.spec} ${r.config} (${r.backend}): ${e.message}` });
        }
      }
      return EXIT.ERROR;
    }
    if (html && !html.ok) return EXIT.ERROR;
    return results.every((r) => r.matchesExpected) ? EXIT.OK : EXIT.MISMATCH;
  },
};

/** The engine's check in the task worker, ended at --timeout (ENGINE_TIMEOUT naming spec and configuration). */
async function engineWithin(model: Model, config: Config, timeoutSeconds: number, onProgress?: (p: ProgressStats) => void): Promise<CheckResult> {
  const r = await runTask<CheckResult>('checkWithEngine', [model, config], timeoutSeconds * 1000, onProgress as (p: unknown) => void);
  if (r.ok) {
    // Explained here, where the spec's expressions still know the lines that built them.
    const v = r.value;
    return { ...v, ...explainCounterexample(machine(model, config.name), v.violated, v.trace, v.stuttering) };
  }
  return {
    spec: model.name, config: config.name, backend: 'engine', verdict: 'error', violated: null, expected: config.expect,
    matchesExpected: false, distinctStates: null, statesGenerated: null, depth: null, seconds: r.timedOut ? timeoutSeconds : 0, ...noCounterexample(),
    errors: [r.timedOut
      ? { code: 'ENGINE_TIMEOUT', message: `the engine did not finish within ${timeoutSeconds} s` }
      : { code: 'ENGINE_EVAL', message: r.message }],
  };
}

/** Counterexamples as ITF: FILE for a single trace, FILE with `.<spec>.<config>.<backend>` inserted for several. */
function writeItfTraces(models: Model[], results: CheckResult[], file: string): void {
  const withTrace = results.filter((r) => r.trace);
  for (const r of withTrace) {
    const model = models.find((m) => m.name === r.spec)!;
    const ext = path.extname(file);
    const out = withTrace.length === 1 ? file : `${file.slice(0, file.length - ext.length)}.${r.spec}.${r.config}.${r.backend}${ext}`;
    fs.writeFileSync(out, formatItf(toItf(model, r.trace!, { config: r.config, violated: r.violated, backend: r.backend, loopStart: r.loopStart, stuttering: r.stuttering })));
    console.error(`wrote ${out}`);
  }
}

function printResult(model: Model, r: CheckResult): void {
  const head = `${r.spec} ${r.config} (${r.backend}): ${r.verdict}${r.violated ? ` — ${r.violated}` : ''}; expected ${describeExpectation(r.expected)}${r.matchesExpected ? '' : '  <-- MISMATCH'}`;
  console.log(head);
  for (const e of r.errors) console.log(`  ${formatError(e).split('\n').join('\n  ')}`);
  if (r.trace) console.log(`${formatTrace(model, r.trace, r)}\n`);
}

export default command;
