/**
 * `poolspec view TRACE --html FILE`: draws a counterexample written earlier (an ITF file from
 * `check --out-itf` or `simulate --out-itf`, or a `check --json` document) as the HTML report.
 * Without --html it prints the interleaving as `check` does.
 */
import fs from 'node:fs';
import path from 'node:path';
import { formatError, type PoolspecError } from '../../errors.ts';
import { stateVarNames } from '../../codegen/tla.ts';
import { attach, readTraceDoc, writeReport, type ReportResult } from '../../report/html/index.ts';
import { formatTrace } from '../../report/trace-text.ts';
import { PROJECT_ROOT } from '../../dsl/source.ts';
import type { Model } from '../../dsl/ir.ts';
import { matches, type Verdict } from '../../check/result.ts';
import { EXIT, type Command } from '../command.ts';
import { loadModels } from '../load-models.ts';
import { parseCommand, usageError as usageErr } from '../args.ts';

const usage = 'usage: poolspec view TRACE [--html FILE]     (TRACE: an ITF file or a `check --json` document)';
const usageError = (message: string) => usageErr('view', usage, message);

const command: Command = {
  name: 'view',
  summary: 'draw a saved counterexample (ITF or check --json) as a self-contained HTML page',
  usage,
  async run(argv) {
    const args = parseCommand('view', usage, argv, { html: { type: 'string' } });
    if (typeof args === 'number') return args;
    const { values, positionals } = args;
    if (positionals.length !== 1) return usageError(positionals.length ? `one trace file at a time, got ${positionals.join(' ')}` : 'name a trace file');
    if (values.html === '') return usageError('--html needs a file name');
    const file = positionals[0];
    let text: string;
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch (err) {
      return usageError(`cannot read ${file}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (err as Error).message}`);
    }
    const doc = readTraceDoc(text);
    if (!doc.ok) return report(file, doc.errors);
    // ITF names the spec by its file, relative to the project root.
    const specs = doc.value.specs.map((s) => (s.endsWith('.ts') && !fs.existsSync(s) ? path.join(PROJECT_ROOT, s) : s));
    const models = await loadModels(specs);
    if (!models) return EXIT.ERROR;
    const results = attach(doc.value, models);
    if (!results.ok) return report(file, results.errors);
    const bad = results.value.map((r) => stateMismatch(models, r)).find((x) => x !== null);
    if (bad) return report(file, [{ code: 'USAGE', message: bad }]);
    // An ITF trace does not say what its configuration expects; the spec does.
    for (const r of results.value) {
      const config = models.find((m) => m.name === r.spec)!.configs.find((c) => c.name === r.config)!;
      if (r.expected) continue;
      r.expected = config.expect;
      if (r.verdict === 'holds' || r.verdict === 'violated') r.matchesExpected = matches(config.expect, r.verdict as Verdict, r.violated);
    }

    if (values.html) {
      const w = writeReport(values.html, {
        title: `poolspec: ${results.value.map((r) => `${r.spec} ${r.config}`).join(', ')}`,
        origin: `poolspec view ${path.basename(file)}`,
        tool: doc.value.tool,
        results: results.value,
        models,
      });
      if (!w.ok) return report(file, w.errors);
      process.stderr.write(`wrote ${values.html}\n`);
      return EXIT.OK;
    }
    for (const r of results.value) {
      const model = models.find((m) => m.name === r.spec)!;
      console.log(`${r.spec} ${r.config} (${r.backend}): ${r.verdict}${r.violated ? ` — ${r.violated}` : ''}`);
      if (r.trace) console.log(`${formatTrace(model, r.trace, { violated: r.violated })}\n`);
    }
    return EXIT.OK;
  },
};

function report(file: string, errors: PoolspecError[]): number {
  for (const e of errors) console.error(`poolspec view: ${file}: ${formatError(e)}`);
  return EXIT.ERROR;
}

/** A trace of another version of the spec would be drawn wrongly: its states must have the model's variables. */
function stateMismatch(models: Model[], r: ReportResult): string | null {
  const model = models.find((m) => m.name === r.spec);
  if (!model) return `the trace is of spec ${r.spec}, which was not loaded`;
  if (!model.configs.some((c) => c.name === r.config)) return `${r.spec} has no configuration ${r.config}`;
  const vars = stateVarNames(model);
  for (const s of r.trace ?? []) {
    const missing = vars.filter((v) => !(v in s.state));
    if (missing.length) return `state ${s.index} has no ${missing.join(', ')}: the trace does not fit ${model.file} as it is now`;
  }
  return null;
}

export default command;
