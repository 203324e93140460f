/**
 * Reading what `poolspec view` draws: an ITF trace (`check --out-itf`, `simulate --out-itf`) or a
 * `check --json` document. Both name their spec; the caller loads it and calls `attach`.
 */
import { fail, ok, type Result } from '../../errors.ts';
import type { Model } from '../../dsl/ir.ts';
import { procIds } from '../../engine/eval.ts';
import { fromItf } from '../../engine/itf.ts';
import type { TraceStep } from '../../engine/trace.ts';
import type { State, Value } from '../../engine/value.ts';
import type { ReportResult } from './page.ts';

export interface JsonStep { index: number; proc: number | null; transition: string | null; args?: Record<string, Value>; state: State }

/** A document read, before its models are loaded: results whose JSON traces still lack process types. */
export interface TraceDoc {
  kind: 'itf' | 'json';
  /** Spec names or files to load (ITF: the spec file). */
  specs: string[];
  tool: { tlc: string | null; jarSha256?: string | null } | null;
  results: (Omit<ReportResult, 'trace'> & { trace: TraceStep[] | null; jsonTrace?: JsonStep[] })[];
}

const isObj = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);

export function readTraceDoc(text: string): Result<TraceDoc> {
  let d: unknown;
  try {
    d = JSON.parse(text);
  } catch (err) {
    return fail({ code: 'USAGE', message: `not JSON: ${(err as Error).message}` });
  }
  if (isObj(d) && Array.isArray(d.results)) return readCheckJson(d);
  if (isObj(d) && Array.isArray(d.states)) return readItf(d);
  return fail({ code: 'USAGE', message: 'neither an ITF trace (no "states") nor a `check --json` document (no "results")' });
}

function readItf(d: Record<string, unknown>): Result<TraceDoc> {
  const r = fromItf(d);
  if (!r.ok) return r;
  const m = r.value.meta;
  const spec = typeof m.source === 'string' ? m.source : typeof m.spec === 'string' ? m.spec : null;
  if (!spec || typeof m.config !== 'string') return fail({ code: 'USAGE', message: 'the ITF trace names no spec and configuration in its #meta (source/spec, config)' });
  // A lasso: poolspec's #meta.loopStart is a state `index` (1-based); ITF's own `loop` counts states from 0.
  const loopStart = typeof m.loopStart === 'number' ? m.loopStart : typeof d.loop === 'number' ? d.loop + 1 : null;
  return ok({
    kind: 'itf',
    specs: [spec],
    tool: null,
    results: [{
      spec: typeof m.spec === 'string' ? m.spec : spec,
      config: m.config,
      backend: typeof m.backend === 'string' ? m.backend : 'itf',
      // A simulation that found nothing has not shown that anything holds.
      verdict: m.status === 'violation' ? 'violated' : m.status === 'ok' ? (m.backend === 'simulate' ? 'no violation' : 'holds') : 'trace',
      violated: typeof m.violated === 'string' ? m.violated : null,
      trace: r.value.trace,
      loopStart,
      stuttering: m.stuttering === true,
    }],
  });
}

function readCheckJson(d: Record<string, unknown>): Result<TraceDoc> {
  const results: TraceDoc['results'] = [];
  for (const [i, x] of (d.results as unknown[]).entries()) {
    if (!isObj(x) || typeof x.spec !== 'string' || typeof x.config !== 'string') {
      return fail({ code: 'USAGE', message: `results[${i}] has no spec and config` });
    }
    const jsonTrace = Array.isArray(x.trace) ? x.trace as JsonStep[] : undefined;
    results.push({
      ...(x as unknown as ReportResult),
      loopStart: typeof x.loopStart === 'number' ? x.loopStart : null,
      stuttering: x.stuttering === true,
      trace: null,
      ...(jsonTrace ? { jsonTrace } : {}),
    });
  }
  const tool = isObj(d.tool) ? { tlc: typeof d.tool.tlc === 'string' ? d.tool.tlc : null } : null;
  return ok({ kind: 'json', specs: [...new Set(results.map((r) => r.spec))], tool, results });
}

/** JSON traces get their steps' process types from the loaded models. */
export function attach(doc: TraceDoc, models: Model[]): Result<ReportResult[]> {
  const out: ReportResult[] = [];
  for (const r of doc.results) {
    const { jsonTrace, ...rest } = r;
    if (!jsonTrace) {
      out.push(rest);
      continue;
    }
    const model = models.find((m) => m.name === r.spec);
    const config = model?.configs.find((c) => c.name === r.config);
    if (!model || !config) return fail({ code: 'USAGE', message: `${r.spec} has no configuration ${r.config}` });
    const typeOf = new Map(model.procTypes.flatMap((pt) => procIds(model, config.constants, pt.name).map((id) => [id, pt.name] as const)));
    const trace: TraceStep[] = [];
    for (const s of jsonTrace) {
      if (!isObj(s) || !isObj(s.state) || typeof s.index !== 'number') return fail({ code: 'USAGE', message: `${r.spec} ${r.config}: a trace step has no index or state` });
      if (s.proc === null || s.transition === null) {
        trace.push({ index: s.index, state: s.state });
        continue;
      }
      const procType = typeOf.get(s.proc);
      if (!procType) return fail({ code: 'USAGE', message: `${r.spec} ${r.config}: step ${s.index} names process ${s.proc}, which the configuration does not have` });
      trace.push({ index: s.index, via: { proc: s.proc, procType, transition: s.transition, args: s.args ?? {} }, state: s.state });
    }
    out.push({ ...rest, trace });
  }
  return ok(out);
}
