/**
 * `prove` for one spec: pick the inductive invariant and configuration, apply --sizes, build the
 * obligations, run them on Z3, and return a typed result.
 */
import type { Config, Inductive, Model } from '../dsl/ir.ts';
import { fail, ok, type Result } from '../errors.ts';
import { UnsupportedError } from './encode.ts';
import { allTasks, runTasks, setup, type ObligationResult } from './obligations.ts';

export interface ProveResult {
  spec: string;
  config: string;
  inductive: string;
  constants: Record<string, number | boolean>;
  obligations: ObligationResult[];
  /** Every obligation proved. */
  proved: boolean;
  seconds: number;
}

/** The configuration `prove` uses: the one named, else `standard`, else the first IndInv is claimed for. */
export function proveConfig(model: Model, name?: string): Result<{ config: Config; inductive: Inductive }> {
  const ind = model.inductive?.[0];
  const at = model.sources['model'];
  if (!ind) return fail({ code: 'SPEC_CONFIG', message: `${model.name} declares no inductive invariant (p.inductive)`, at });
  if (!name && ind.configs.length === 0) return fail({ code: 'SPEC_CONFIG', message: `${model.name}: ${ind.name} is claimed for no configuration (declare it after the configurations, or pass configs)`, at: model.sources[`inductive:${ind.name}`] });
  const want = name ?? (ind.configs.includes('standard') ? 'standard' : ind.configs[0]);
  const config = model.configs.find((c) => c.name === want);
  if (!config) return fail({ code: 'USAGE', message: `${model.name} has no configuration ${want}; configurations: ${model.configs.filter((c) => !c.refines).map((c) => c.name).join(', ')}` });
  return ok({ config, inductive: ind });
}

/** Parses `T=3,N=4`. */
export function parseSizes(s: string | undefined, model: Model): Result<Record<string, number>> {
  if (!s) return ok({});
  const out: Record<string, number> = {};
  for (const part of s.split(',')) {
    const m = /^\s*([A-Za-z_]\w*)\s*=\s*(\d+)\s*$/.exec(part);
    if (!m || Number(m[2]) < 1) return fail({ code: 'USAGE', message: `--sizes takes NAME=positive integer pairs separated by commas, got ${JSON.stringify(part)}` });
    const c = model.constants.find((k) => k.name === m[1]);
    if (!c || c.type.kind !== 'int') return fail({ code: 'USAGE', message: `--sizes: ${m[1]} is not an integer constant of ${model.name} (${model.constants.filter((k) => k.type.kind === 'int').map((k) => k.name).join(', ')})` });
    out[m[1]] = Number(m[2]);
  }
  return ok(out);
}

export async function prove(model: Model, config: Config, inductive: Inductive, sizes: Record<string, number>,
  opts: { timeoutSeconds: number; parallel: number; onDone?: (r: ObligationResult) => void; only?: (obligation: string) => boolean }): Promise<Result<ProveResult>> {
  const t0 = performance.now();
  let tasks;
  const s = setup(model, config, inductive, { ...inductive.sizes, ...sizes }, opts.timeoutSeconds);
  try {
    tasks = allTasks(s).filter((t) => !opts.only || opts.only(t.name));
  } catch (err) {
    if (err instanceof UnsupportedError) {
      return fail({ code: 'PROVE_UNSUPPORTED', message: `cannot encode ${model.name} for Z3: ${err.message}`, at: model.sources[`inductive:${inductive.name}`] });
    }
    throw err;
  }
  const obligations = await runTasks(tasks, opts.timeoutSeconds, opts.parallel, opts.onDone);
  const bad = obligations.find((o) => o.result === 'error' && o.error?.code === 'Z3_MISSING');
  if (bad?.error) return fail(bad.error);
  return ok({
    spec: model.name, config: config.name, inductive: inductive.name, constants: s.consts, obligations,
    proved: obligations.every((o) => o.result === 'proved'),
    seconds: Math.round((performance.now() - t0) / 100) / 10,
  });
}
