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
import { report } from '../report.ts';
import type { Config } from '../../dsl/ir.ts';
import type { PoolspecError } from '../../errors.ts';
import { stateVarNames } from '../../codegen/tla.ts';
import { fallbackNotice, implArg } from '../impl.ts';

const usage = 'usage: poolspec replay SPEC [--config NAME] [--trace FILE] [--json] [--impl compiled|interpreted]\n  FILE: an ITF trace (check/simulate --out-itf) or the JSON of `check --json` (its first trace)';

const usageError = (message: string) => usageErr('replay', usage, message);

interface TraceFile {
  trace: TraceStep[];
  /** What the file says it belongs to, where it says it. */
  spec?: string;
  config?: string;
  constants?: Record<string, unknown>;
  vars?: string[];
}

/** A trace from an ITF file or from `check --json` output. */
function readTrace(file: string): TraceFile | string {
  let doc: unknown;
  try {
    doc = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (err) {
    return `${file}: ${(err as Error).message.split('\n')[0]}`;
  }
  if (doc && typeof doc === 'object' && 'results' in doc) {
    const results = (doc as { results: unknown }).results;
    if (!Array.isArray(results)) return `${file}: results is not a list`;
    const r = (results as { spec?: string; config?: string; trace: { index: number; proc: number | null; transition: string | null; args: Record<string, never>; state: TraceStep['state'] }[] | null }[]).find((x) => x && Array.isArray(x.trace) && x.trace.length > 0);
    if (!r?.trace) return `${file}: no result with a trace`;
    const trace = r.trace.map((s) => ({ index: s.index, state: s.state, ...(s.proc !== null && s.transition ? { via: { proc: s.proc, procType: '', transition: s.transition, args: s.args } } : {}) }));
    return { trace, spec: r.spec, config: r.config, vars: Object.keys(r.trace[0].state ?? {}) };
  }
  const itf = fromItf(doc);
  if (!itf.ok) return `${file}: ${itf.errors.map((e) => e.message).join('; ')}`;
  const meta = itf.value.meta;
  return {
    trace: itf.value.trace,
    spec: typeof meta.spec === 'string' ? meta.spec : undefined,
    config: typeof meta.config === 'string' ? meta.config : undefined,
    constants: typeof meta.constants === 'object' && meta.constants ? meta.constants as Record<string, unknown> : undefined,
    vars: itf.value.vars,
  };
}

/** Null when the trace can belong to this spec and configuration, else why it cannot. */
function foreignTrace(file: string, t: TraceFile, model: Model, config: Config): string | null {
  if (t.trace.length === 0) return `${file} has no states`;
  if (t.spec !== undefined && t.spec !== model.name) return `${file} is a trace of ${t.spec}, not of ${model.name}`;
  if (t.config !== undefined && t.config !== config.name) return `${file} is a trace of configuration ${t.config}, not ${config.name} (use --config ${t.config})`;
  if (t.constants) {
    const diff = Object.entries(config.constants).filter(([k, v]) => k in t.constants! && t.constants![k] !== v).map(([k, v]) => `${k} = ${JSON.stringify(t.constants![k])} in the trace, ${JSON.stringify(v)} in ${config.name}`);
    if (diff.length) return `${file} was made with other constants: ${diff.join('; ')}`;
  }
  const want = stateVarNames(model);
  if (t.vars) {
    const missing = want.filter((v) => !t.vars!.includes(v));
    const extra = t.vars.filter((v) => !want.includes(v));
    if (missing.length || extra.length) {
      return `${file} does not have the variables of ${model.name}${missing.length ? `: missing ${missing.join(', ')}` : ''}${extra.length ? `${missing.length ? ';' : ':'} not in the spec ${extra.join(', ')}` : ''}`;
    }
  }
  return null;
}

async function tlcTrace(model: Model, config: string): Promise<{ trace: TraceStep[]; violated: string | null } | PoolspecError[] | string> {
  const jar = await locateJar();
  if (!jar.ok) return jar.errors;
  const r = await checkWithTlc(model, model.configs.find((c) => c.name === config)!, { jar: jar.value.path, workers: 1 });
  if (r.verdict === 'error') return r.errors;
  if (!r.trace) return `TLC finds no counterexample for ${model.name} ${config}: every property holds, there is nothing to replay`;
  return { trace: r.trace, violated: r.violated };
}

const command: Command = {
  name: 'replay',
  summary: 'drive the runtime through TLC\'s counterexample step for step, comparing states and catching faults',
  usage,
  async run(argv) {
    const args = parseCommand('replay', usage, argv, { config: { type: 'string' }, trace: { type: 'string' }, json: { type: 'boolean' }, impl: { type: 'string' } });
    if (typeof args === 'number') return args;
    const { values, positionals } = args;
    const impl = implArg(values.impl);
    if (impl !== 'compiled' && impl !== 'interpreted') return usageError(impl);
    const file = values.trace === undefined ? undefined : readTrace(values.trace);
    if (typeof file === 'string') return report({ code: 'REPLAY_TRACE', message: file });
    // With no --config, a trace that names its configuration replays in that one.
    const spec = await oneSpec('replay', usage, positionals, values.config ?? file?.config);
    if (typeof spec === 'number') return spec;
    const { model, config } = spec;

    let trace: TraceStep[];
    let violated: string | null = null;
    if (file) {
      const why = foreignTrace(values.trace!, file, model, config);
      if (why) return report({ code: 'REPLAY_TRACE', message: why });
      trace = file.trace;
    } else {
      if (!values.json) process.stderr.write(`running TLC on ${model.name} ${config.name} for a counterexample...\n`);
      const t = await tlcTrace(model, config.name);
      if (typeof t !== 'object' || !('trace' in t)) return report(...(typeof t === 'string' ? [{ code: 'REPLAY_TRACE' as const, message: t }] : t));
      ({ trace, violated } = t);
    }
    let r;
    try {
      r = replay(model, config.name, trace, { impl });
    } catch (err) {
      return report({ code: 'REPLAY_TRACE', message: `${values.trace ?? 'the trace'} cannot be replayed on ${model.name} ${config.name}: ${(err as Error).message.split('\n')[0]}` });
    }
    fallbackNotice('replay', model.name, r.fallback);
    const lastStep = trace[trace.length - 1].index;
    const doc = {
      spec: r.spec, config: r.config, impl: r.impl, source: values.trace ?? 'tlc', violated, violatedAtStep: violated ? lastStep : null,
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
