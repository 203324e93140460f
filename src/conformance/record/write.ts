/** The main-thread end of `stress --record`: the workers' logs merged and written as one NDJSON trace. */
import type { Model } from '../../dsl/ir.ts';
import type { Shared } from '../../runtime/shared.ts';
import type { ThreadLog } from './recorder.ts';
import { mergeLogs, TRACE_FORMAT, TRACE_VERSION, writeTrace, type TraceHeader } from './trace-file.ts';

/** What `stress --record` reports: the file, its events, what a cut dropped, and the cost of writing it. */
export interface Recording {
  file: string;
  events: number;
  /** Events before the cut (--record-last), not written. */
  dropped: number;
  bytes: number;
  /** Seconds spent merging and writing the trace (after the run, not counted in ops/s). */
  writeSeconds: number;
}

export interface RecordingRun {
  /** The spec as given and the model the run used (a configuration `stress` with threads and blocks set). */
  model: Model;
  m: Model;
  shared: Shared;
  impl: 'compiled' | 'interpreted';
  seed: number;
  threads: number;
  blocks: number;
  weights: Record<string, number>;
  base: string;
  /** hrtime (ns) when the workers were released: time 0 of the trace. */
  origin: bigint;
  logs: { id: number; log: ThreadLog }[];
}

export function writeRecording(opts: { file: string; lastK?: number }, run: RecordingRun): Recording {
  const t0 = performance.now();
  const { events, dropped } = mergeLogs(run.m, run.shared.layout, run.logs, run.origin, opts.lastK);
  const header: TraceHeader = {
    format: TRACE_FORMAT, version: TRACE_VERSION, spec: run.model.name, specFile: run.model.file,
    config: 'stress', baseConfig: run.base, constants: run.shared.consts, impl: run.impl,
    threads: run.threads, blocks: run.blocks, switches: run.weights, seed: run.seed,
    clock: 'CLOCK_MONOTONIC, ns from the start of the run; each window holds its step\'s atomic operations',
    events: events.length, cut: opts.lastK !== undefined ? { last: opts.lastK, dropped } : null,
  };
  const bytes = writeTrace(opts.file, header, events);
  return { file: opts.file, events: events.length, dropped, bytes, writeSeconds: Number(((performance.now() - t0) / 1000).toFixed(3)) };
}
