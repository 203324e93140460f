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
import { explore } from '../engine/explore.ts';
import { machine } from '../engine/step.ts';
import { runTlc, type TlcRun } from '../tlc/index.ts';
import { matches, type Backend, type CheckResult } from './result.ts';
import { labelTlcTrace } from './tlc-trace.ts';
import { specLineFor } from './source-map.ts';

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
}

const base = (model: Model, config: Config, backend: Backend) => ({ spec: model.name, config: config.name, backend, expected: config.expect });

export function checkWithEngine(model: Model, config: Config): CheckResult {
  const res = explore(machine(model, config.name));
  return {
    ...base(model, config, 'engine'),
    verdict: res.verdict,
    violated: res.violated,
    matchesExpected: matches(config.expect, res.verdict, res.violated),
    distinctStates: res.distinctStates,
    statesGenerated: res.statesGenerated,
    depth: res.depth,
    seconds: res.seconds,
    trace: res.verdict === 'error' ? null : res.trace,
    errors: res.error ? [res.error] : [],
  };
}

export async function checkWithTlc(model: Model, config: Config, opts: CheckOptions): Promise<CheckResult> {
  const backend = opts.backend ?? 'tla';
  const files = opts.files ?? generateTla(model);
  const moduleFile = opts.moduleFile ?? tlaFileName(model);
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), `poolspec-${model.name}-${config.name}-`));
  const errorResult = (errors: PoolspecError[], seconds = 0): CheckResult => ({
    ...base(model, config, backend), verdict: 'error', violated: null, matchesExpected: false,
    distinctStates: null, statesGenerated: null, depth: null, seconds, trace: null, errors,
  });
  try {
    for (const [name, text] of files) await fs.writeFile(path.join(dir, name), text);
    const r = await runTlc({
      jar: opts.jar, dir, module: moduleFile, cfg: cfgFileName(model, config),
      workers: opts.workers, timeoutSeconds: opts.timeoutSeconds,
      onProgress: opts.onProgress && ((p) => opts.onProgress!(`${p.distinctStates} distinct states, ${p.statesGenerated} generated`)),
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
  // TLC does not name a violated temporal property; a refinement configuration checks only Refines.
  const refinesOnly = config.refines && !config.invariants.length && !config.properties.length;
  const violated = run.outcome === 'deadlock' ? 'Deadlock' : verdict === 'violated' ? run.violated ?? (refinesOnly ? 'Refines' : null) : null;
  let trace = null;
  if (run.trace && verdict === 'violated') {
    const labelled = labelTlcTrace(machine(model, config.name), run.trace);
    trace = labelled.trace;
    errors.push(...labelled.errors);
  }
  return {
    ...base(model, config, backend),
    verdict,
    violated,
    matchesExpected: matches(config.expect, verdict, violated),
    distinctStates: run.distinctStates,
    statesGenerated: run.statesGenerated,
    depth: run.depth,
    seconds: run.seconds,
    trace,
    errors,
  };
}
