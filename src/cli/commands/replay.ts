/**
 * `poolspec replay`: drives the runtime through a counterexample step for step (TLC's, found by running
 * TLC when no trace file is given) and reports whether the runtime's state matched the trace at every
 * step, where it faulted, and where the blocks ended up.
 * Exit codes: 0 the runtime followed the trace, 1 it did not, 2 usage or tool error.
 */
import fs from 'node:fs';
import { formatError } from '../../errors.ts';
import type { Model } from '../../dsl/ir.ts';
import { checkWithTlc } from '../../check/check.ts';
import { replay } from '../../conformance/replay.ts';
import { fromItf } from '../../engine/itf.ts';
import type { TraceStep } from '../../engine/trace.ts';
import { locateJar } from '../../tlc/index.ts';
import { oneSpec, parseCommand, usageError as usageErr } from '../args.ts';
import { formatFault } from '../../report/faults.ts';
import { EXIT, type Command } from '../command.ts';

const usage = 'usage: poolspec replay SPEC [--config NAME] [--trace FILE] [--json]\n  FILE: an ITF trace (check/simulate --out-itf) or the JSON of `check --json` (its first trace)';

const usageError = (message: string) => usageErr('replay', usage, message);

/** A trace from an ITF file or from `check --json` output. */
function readTrace(file: string): TraceStep[] | string {
  let doc: unknown;
  try {
    doc = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (err) {
    return `${file}: ${(err as Error).message}`;
  }
  if (doc && typeof doc === 'object' && 'results' in doc) {
    const r = (doc as { results: { trace: { index: number; proc: number | null; transition: string | null; args: Record<string, never>; state: TraceStep['state'] }[] | null }[] }).results.find((x) => x.trace);
    if (!r?.trace) return `${file}: no result with a trace`;
    return r.trace.map((s) => ({ index: s.index, state: s.state, ...(s.proc !== null && s.transition ? { via: { proc: s.proc, procType: '', transition: s.transition, args: s.args } } : {}) }));
  }
  const itf = fromItf(doc);
  if (!itf.ok) return `${file}: ${itf.errors.map((e) => e.message).join('; ')}`;
  return itf.value.trace;
}

async function tlcTrace(model: Model, config: string): Promise<{ trace: TraceStep[]; violated: string | null } | string> {
  const jar = await locateJar();
  if (!jar.ok) return jar.errors.map(formatError).join('\n');
  const r = await checkWithTlc(model, model.configs.find((c) => c.name === config)!, { jar: jar.value.path, workers: 1 });
  if (r.verdict === 'error') return r.errors.map(formatError).join('\n');
  if (!r.trace) return `TLC finds no counterexample for ${model.name} ${config}: every property holds, there is nothing to replay`;
  return { trace: r.trace, violated: r.violated };
}

const command: Command = {
  name: 'replay',
  summary: 'drive the runtime through TLC\'s counterexample step for step, comparing states and catching faults',
  usage,
  async run(argv) {
    const args = parseCommand('replay', usage, argv, { config: { type: 'string' }, trace: { type: 'string' }, json: { type: 'boolean' } });
    if (typeof args === 'number') return args;
    const { values, positionals } = args;
    const spec = await oneSpec('replay', usage, positionals, values.config);
    if (typeof spec === 'number') return spec;
    const { model, config } = spec;

    let trace: TraceStep[];
    let violated: string | null = null;
    if (values.trace) {
      const t = readTrace(values.trace);
      if (typeof t === 'string') return usageError(t);
      trace = t;
    } else {
      if (!values.json) process.stderr.write(`running TLC on ${model.name} ${config.name} for a counterexample...\n`);
      const t = await tlcTrace(model, config.name);
      if (typeof t === 'string') {
        console.error(`poolspec replay: ${t}`);
        return EXIT.ERROR;
      }
      ({ trace, violated } = t);
    }
    const r = replay(model, config.name, trace);
    const lastStep = trace[trace.length - 1].index;
    const doc = {
      spec: r.spec, config: r.config, source: values.trace ?? 'tlc', violated, violatedAtStep: violated ? lastStep : null,
      steps: r.steps, executed: r.executed, matched: r.matched, mismatch: r.mismatch,
      faultStep: r.faultStep, faultAtViolation: violated !== null && r.faultStep === lastStep,
      faults: r.faults, accounting: r.accounting,
    };
    if (values.json) console.log(JSON.stringify(doc, null, 2));
    else {
      console.log(`${r.spec} ${r.config}: replayed ${r.executed} of ${r.steps} steps; ${r.matched ? 'the runtime matched the trace at every step' : `mismatch at step ${r.mismatch!.step}: ${r.mismatch!.reason}`}`);
      for (const d of r.mismatch?.differences ?? []) console.log(`  ${d.name}: trace ${d.trace}, runtime ${d.runtime}`);
      for (const f of r.faults) console.log(formatFault(model, f));
      if (violated) console.log(`TLC: ${violated} is violated at step ${lastStep}${doc.faultAtViolation ? ' — the same step where the runtime faulted' : ''}`);
      if (r.accounting) {
        const a = r.accounting;
        console.log(`blocks ${a.blocks}: list ${a.inList}, local caches ${a.inLocalCaches}, hands ${a.inHands}, in transit ${a.inTransit}, OS ${a.atOs}, lost ${a.lost}, duplicated ${a.duplicated}`);
      }
    }
    return r.matched ? EXIT.OK : EXIT.MISMATCH;
  },
};
export default command;
