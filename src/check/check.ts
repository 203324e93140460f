/**
 * Checking one spec × configuration: emit the model, run TLC on it in a private directory (or
 * explore it with the engine), and return a typed CheckResult whose trace is labelled with threads,
 * transitions and spec lines.
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { PoolspecError } from '../errors.ts';
import type { Config, Model } from '../dsl/ir.ts';
import { cfgFileName, tlaFileName } from '../codegen/tla.ts';
import { generateTla } from '../codegen/generate.ts';
import type { ExploreOptions } from '../engine/explore.ts';
import { exploreFast } from '../engine/compiled/explore.ts';
import { machine, type Machine } from '../engine/step.ts';
import { propertiesViolatedByLasso } from '../engine/liveness.ts';
import { runTlc, type TlcProgress, type TlcRun } from '../tlc/index.ts';
import { matches, noCounterexample, type Backend, type CheckResult } from './result.ts';
import { labelTlcTrace, type LabelledTrace } from './tlc-trace.ts';
import { explainCounterexample } from './explain.ts';
import { specLineFor } from './source-map.ts';
import { symmetryErrors } from '../dsl/symmetry.ts';
import { runDistributed, type DistributedCheck } from './distributed.ts';

export interface CheckOptions {
  jar: string;
  workers?: number;
  timeoutSeconds?: number;
  /** Files to run TLC on (module + cfgs); defaults to the TLA+ emitter's output. */
  files?: Map<string, string>;
  /** Module file within `files` (default: <Name>.tla). */
  moduleFile?: string;
  backend?: Backend;
  onProgress?: (text: string) => void;
  /** TLC's progress reports, as parsed. */
  onStats?: (p: TlcProgress) => void;
  /** Safety by TLC's distributed mode, temporal properties by a local run (src/check/distributed.ts). */
  distributed?: DistributedCheck;
}

const base = (model: Model, config: Config, backend: Backend) => ({ spec: model.name, config: config.name, backend, expected: config.expect });

export function checkWithEngine(model: Model, config: Config, opts: { onProgress?: ExploreOptions['onProgress'] } = {}): CheckResult {
  const m = machine(model, config.name);
  const res = exploreFast(m, { onProgress: opts.onProgress }); // compiled, or interpreted where it must be
  const trace = res.verdict === 'error' ? null : res.trace;
  const { loopStart, stuttering } = res;
  return {
    ...base(model, config, 'engine'),
    verdict: res.verdict,
    violated: res.violated,
    matchesExpected: matches(config.expect, res.verdict, res.violated),
    distinctStates: res.distinctStates,
    statesGenerated: res.statesGenerated,
    depth: res.depth,
    seconds: res.seconds,
    trace,
    loopStart,
    stuttering,
    ...explainCounterexample(m, res.violated, trace, stuttering),
    errors: res.error ? [res.error] : [],
  };
}

export async function checkWithTlc(model: Model, config: Config, opts: CheckOptions): Promise<CheckResult> {
  const backend = opts.backend ?? 'tla';
  const files = opts.files ?? generateTla(model);
  const moduleFile = opts.moduleFile ?? tlaFileName(model);
  const errorResult = (errors: PoolspecError[], seconds = 0): CheckResult => ({
    ...base(model, config, backend), verdict: 'error', violated: null, matchesExpected: false,
    distinctStates: null, statesGenerated: null, depth: null, seconds, ...noCounterexample(), errors,
  });
  // Validation refuses these already; a Model built by hand must not reach TLC with them either.
  const refused = backend === 'pluscal' && config.symmetry?.length
    ? [{ code: 'SPEC_SYMMETRY' as const, message: `configuration ${config.name}: the PlusCal backend does not support symmetry: check it with the TLA+ backend or the engine`, at: model.sources[`config:${config.name}`] }]
    : symmetryErrors(model, config);
  if (refused.length) return errorResult(refused);
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), `poolspec-${model.name}-${config.name}-`));
  try {
    // TLC needs the modules and configurations only (generated/ also holds the runtime modules).
    for (const [name, text] of files) if (/\.(tla|cfg)$/.test(name)) await fs.writeFile(path.join(dir, name), text);
    if (opts.distributed) {
      const onProgress = (p: TlcProgress) => {
        opts.onStats?.(p);
        opts.onProgress?.(`${p.distinctStates} distinct states, ${p.statesGenerated} generated`);
      };
      const d = await runDistributed(model, config, dir, moduleFile, opts.distributed, { jar: opts.jar, timeoutSeconds: opts.timeoutSeconds, onProgress });
      if (!d.ok) return errorResult(d.errors.map((e) => mapToSpec(model, files.get(moduleFile) ?? '', e)));
      return { ...fromTlcRun(model, config, backend, d.run, files.get(moduleFile) ?? ''), distributed: d.info };
    }
    const r = await runTlc({
      jar: opts.jar, dir, module: moduleFile, cfg: cfgFileName(model, config),
      // TLC 2.18's liveness checking with several workers can miss a violation or print a lasso
      // that violates nothing (tlaplus/tlaplus#971, fixed after 2.18): temporal properties get one.
      workers: config.properties.length > 0 ? 1 : opts.workers, timeoutSeconds: opts.timeoutSeconds,
      onProgress: (p) => {
        opts.onStats?.(p);
        opts.onProgress?.(`${p.distinctStates} distinct states, ${p.statesGenerated} generated`);
      },
    });
    if (!r.ok) return errorResult(r.errors.map((e) => mapToSpec(model, files.get(moduleFile) ?? '', e)));
    return fromTlcRun(model, config, backend, r.value, files.get(moduleFile) ?? '');
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
}

/** Errors against a generated line also name the spec line of the definition they fall in. */
function mapToSpec(model: Model, moduleText: string, e: PoolspecError): PoolspecError {
  if (!e.at || !e.at.file.endsWith('.tla')) return e;
  // TLC ran on a private copy; name the file the user can open (generated/ holds the same text).
  const name = path.basename(e.at.file);
  const at = { ...e.at, file: model.file.startsWith('spec/') ? `generated/${name}` : name };
  const spec = specLineFor(moduleText, e.at.line);
  return { ...e, at, message: spec ? `${e.message} (generated from ${spec})` : e.message };
}

function fromTlcRun(model: Model, config: Config, backend: Backend, run: TlcRun, moduleText: string): CheckResult {
  const errors = run.errors.map((e) => mapToSpec(model, moduleText, e));
  const verdict = run.outcome === 'holds' ? 'holds' : run.outcome === 'error' || run.outcome === 'timeout' ? 'error' : 'violated';
  // TLC does not name a violated temporal property. It names violated invariants, so in a
  // refinement configuration with no temporal property of its own the unnamed one is Refines.
  const refinesOnly = config.refines && !config.properties.length;
  const violated = run.outcome === 'deadlock' ? 'Deadlock' : verdict === 'violated' ? run.violated ?? (refinesOnly ? 'Refines' : null) : null;
  const m = machine(model, config.name);
  let counterexample = noCounterexample();
  let named = violated;
  if (run.trace && verdict === 'violated') {
    const labelled = labelTlcTrace(m, run.trace);
    errors.push(...labelled.errors);
    // TLC 2.18 does not say which of several temporal properties a lasso violates: ask the engine.
    if (named === null && labelled.loopStart !== null) {
      named = nameViolatedProperty(m, labelled);
      if (named === null) {
        errors.push({ code: 'TLC_ERROR', message: `TLC reports a temporal property violated, but its lasso violates none of ${config.properties.join(', ')} according to the engine` });
      }
    }
    counterexample = {
      trace: labelled.trace, loopStart: labelled.loopStart, stuttering: labelled.stuttering,
      ...explainCounterexample(m, named, labelled.trace, labelled.stuttering),
    };
  }
  return {
    ...base(model, config, backend),
    verdict,
    violated: named,
    matchesExpected: matches(config.expect, verdict, named),
    distinctStates: run.distinctStates,
    statesGenerated: run.statesGenerated,
    depth: run.depth,
    seconds: run.seconds,
    ...counterexample,
    errors,
  };
}

/**
 * The temporal property a TLC lasso violates, when the configuration lists several (TLC 2.18 only
 * says "Temporal properties were violated"): the first, in configuration order, that the engine
 * finds violated on the lasso.
 */
function nameViolatedProperty(m: Machine, lasso: LabelledTrace): string | null {
  // The closing step repeats the loop's first state; propertiesViolatedByLasso takes it either way.
  const start = lasso.trace.findIndex((s) => s.index === lasso.loopStart);
  if (start < 0) return null;
  return propertiesViolatedByLasso(m, lasso.trace.map((s) => s.state), start, lasso.stuttering)[0] ?? null;
}
