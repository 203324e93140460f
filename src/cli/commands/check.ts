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
import { GENERATED_DIR, writeDir } from '../../codegen/output-dir.ts';
import { checkWithEngine, checkWithTlc } from '../../check/check.ts';
import { describeExpectation, jsonTrace, type Backend, type CheckResult } from '../../check/result.ts';
import { locateJar, tlcVersion } from '../../tlc/index.ts';
import { formatTable } from '../../report/table.ts';
import { formatTrace } from '../../report/trace-text.ts';
import { EXIT, type Command } from '../command.ts';
import { loadModels } from '../load-models.ts';
import { count, parseCommand, usageError as usageErr } from '../args.ts';
import { pluscalBackend } from '../../check/pluscal-backend.ts';
import { formatItf, toItf } from '../../engine/itf.ts';

const BACKENDS: Record<string, Backend[]> = {
  tla: ['tla'], pluscal: ['pluscal'], both: ['tla', 'pluscal'], engine: ['engine'], all: ['tla', 'pluscal', 'engine'],
};

const usage = `usage: poolspec check [SPEC...] [--config NAME] [--backend tla|pluscal|both|engine|all]
                      [--workers N] [--timeout SECONDS] [--json] [--no-gen] [--out-itf FILE]`;

const usageError = (message: string) => usageErr('check', usage, message);

const command: Command = {
  name: 'check',
  summary: 'check every spec × configuration with TLC (or the engine) and print the verdict table',
  usage,
  async run(argv) {
    const args = parseCommand('check', usage, argv, {
          config: { type: 'string' }, backend: { type: 'string', default: 'tla' }, workers: { type: 'string' },
          timeout: { type: 'string' }, json: { type: 'boolean' }, 'no-gen': { type: 'boolean' },
          'out-itf': { type: 'string' },
    });
    if (typeof args === 'number') return args;
    const { values } = args;
    const backends = BACKENDS[values.backend ?? 'tla'];
    if (!backends) return usageError(`unknown backend ${values.backend}`);
    const workers = count(values.workers, os.cpus().length, '--workers');
    const timeout = count(values.timeout, 1800, '--timeout');
    if (typeof workers === 'string') return usageError(workers);
    if (typeof timeout === 'string') return usageError(timeout);

    const models = await loadModels(args.positionals, { warnings: !values.json });
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
    if (toolErrors.length) {
      for (const e of toolErrors) console.error(`poolspec check: ${formatError(e)}`);
      return EXIT.ERROR;
    }
    const jarPath = jar?.ok ? jar.value.path : '';

    const results: CheckResult[] = [];
    for (const model of models) {
      // generated/ mirrors spec/ only; specs given by path elsewhere are checked without being written there.
      const writeGen = !values['no-gen'] && model.file.startsWith('spec/');
      // PlusCal is translated (a java run) only when it is checked or written; TLC needs the TLA+ files.
      const files = writeGen || backends.includes('pluscal') ? await generateAll(model, jarPath) : ok(generateTla(model));
      if (!files.ok) {
        for (const e of files.errors) console.error(formatError(e));
        return EXIT.ERROR;
      }
      if (writeGen) writeDir(GENERATED_DIR, files.value);
      for (const config of model.configs) {
        if (values.config && config.name !== values.config) continue;
        if (!values.config && config.onlyOnRequest) continue; // heavy: only by name
        for (const backend of backends) {
          if (!values.json) process.stderr.write(`checking ${model.name} ${config.name} (${backend})...\n`);
          const r = backend === 'engine'
            ? checkWithEngine(model, config)
            : backend === 'pluscal'
              ? await checkWithTlc(model, config, { ...pluscalBackend(model, files.value), jar: jarPath, workers, timeoutSeconds: timeout })
              : await checkWithTlc(model, config, { jar: jarPath, workers, timeoutSeconds: timeout, files: files.value });
          results.push(r);
          if (!values.json) printResult(model, r);
        }
      }
    }

    if (values['out-itf']) writeItfTraces(models, results, values['out-itf']);
    const tool = { tlc: version, jarSha256: jar?.ok ? jar.value.sha256 : null };
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
    if (results.some((r) => r.verdict === 'error')) return EXIT.ERROR;
    return results.every((r) => r.matchesExpected) ? EXIT.OK : EXIT.MISMATCH;
  },
};

/** Counterexamples as ITF: FILE for a single trace, FILE with `.<spec>.<config>.<backend>` inserted for several. */
function writeItfTraces(models: Model[], results: CheckResult[], file: string): void {
  const withTrace = results.filter((r) => r.trace);
  for (const r of withTrace) {
    const model = models.find((m) => m.name === r.spec)!;
    const ext = path.extname(file);
    const out = withTrace.length === 1 ? file : `${file.slice(0, file.length - ext.length)}.${r.spec}.${r.config}.${r.backend}${ext}`;
    fs.writeFileSync(out, formatItf(toItf(model, r.trace!, { config: r.config, violated: r.violated, backend: r.backend })));
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
