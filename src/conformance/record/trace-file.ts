/**
 * The recorded trace of a stress run as NDJSON: a header line (what ran: spec, configuration, the
 * constants actually used, runtime, clock, cut), then one line per event, sorted by the start of its
 * window (each thread's events stay in program order: a thread's windows follow each other).
 *
 *   {"format":"poolspec-trace","version":1,"spec":"BusyPool","config":"stress","constants":{...},...}
 *   {"th":1,"tr":"D2_xchg","args":{},"word":"head","read":1,"write":-1,"t":[10512,10873]}
 *
 * `word` is the word the step's atomic operation touched (`head`, `next[2]`, a pair `<head, seq>`),
 * `read`/`write` the values read and written there (spec values: pointers as numbers, NULL 0,
 * BUSY -1; a pair as [first, second]); a step that touched no shared word has neither. `t` is the
 * window [before, after] in ns of CLOCK_MONOTONIC from the run's start.
 */
import { closeSync, openSync, writeSync } from 'node:fs';
import type { Model } from '../../dsl/ir.ts';
import { decode, type Layout, type VarLayout } from '../../runtime/layout.ts';
import type { Value } from '../../engine/value.ts';
import { HAS_ARG, HAS_READ, HAS_WRITE, I, INTS, WK, type ThreadLog } from './recorder.ts';

export const TRACE_FORMAT = 'poolspec-trace';
export const TRACE_VERSION = 1;

export interface TraceHeader {
  format: typeof TRACE_FORMAT;
  version: number;
  spec: string;
  specFile: string;
  /** The configuration whose constants the run used (the base configuration with threads and blocks set). */
  config: string;
  baseConfig: string;
  constants: Record<string, number | boolean>;
  impl: 'compiled' | 'interpreted';
  threads: number;
  blocks: number;
  /** Branch weights of the run's policy (crowded / notCrowded). */
  switches: Record<string, number>;
  seed: number;
  clock: string;
  events: number;
  /** Set when the run was cut to its last K events: the state at the cut is unknown. */
  cut: { last: number; dropped: number } | null;
}

export interface TraceEvent {
  th: number;
  tr: string;
  args: Record<string, Value>;
  word?: string;
  read?: Value;
  write?: Value;
  t: [number, number];
}

/** Names and decoders of the words a worker log refers to. */
class WordNames {
  private readonly words = new Map<number, { v: VarLayout; name: string }>();
  private readonly blocks = new Map<number, VarLayout>();
  private readonly pairs = new Map<number, VarLayout[]>();

  constructor(l: Layout) {
    for (const v of l.vars.values()) {
      if (v.where === 'words') {
        if (!v.isArray) this.words.set(v.base, { v, name: v.decl.name });
        else for (let i = 1; i <= v.length; i += 1) this.words.set(v.base + i - 1, { v, name: `${v.decl.name}[${i}]` });
      } else if (v.where === 'block') this.blocks.set(v.base, v);
      else this.pairs.set(v.base, [...(this.pairs.get(v.base) ?? []), v].sort((a, b) => a.half! - b.half!));
    }
  }

  /** The word's name and its value from a raw (lo, hi). */
  describe(kind: number, wi: number): { name: string; value(lo: number, hi: number): Value } {
    if (kind === WK.WORD) {
      const w = this.words.get(wi)!;
      return { name: w.name, value: (lo) => decode(w.v.elem, lo) };
    }
    if (kind === WK.BLOCK) {
      const v = this.blocks.get(wi & 63)!;
      return { name: `${v.decl.name}[${wi >> 6}]`, value: (lo) => decode(v.elem, lo) };
    }
    const vs = this.pairs.get(wi)!;
    return { name: `<${vs.map((v) => v.decl.name).join(', ')}>`, value: (lo, hi) => vs.map((v) => decode(v.elem, v.half === 0 ? lo : hi)) };
  }
}

/**
 * The events of all threads, on the shared clock (ns from `origin`), merged by window start; with
 * `lastK`, only the last K of them (per-thread suffixes, since each thread's windows are ordered).
 */
export function mergeLogs(model: Model, l: Layout, logs: { id: number; log: ThreadLog }[], origin: bigint, lastK?: number): { events: TraceEvent[]; dropped: number } {
  const names = new WordNames(l);
  const pt = (id: number) => model.procTypes.find((t) => t.transitions.length > 0 && idsOf(model, l, t.name).includes(id))!;
  const all: { e: TraceEvent; seq: number }[] = [];
  let dropped = 0;
  for (const { id, log } of logs) {
    dropped += log.dropped;
    const ts = pt(id).transitions;
    const { h1, perfMs, h2 } = log.calib;
    // hrtime at perfMs lies in [h1, h2]: a window converted with h1 for its start and h2 for its end contains the true one.
    const base1 = Number(BigInt(h1) - origin);
    const base2 = Number(BigInt(h2) - origin);
    for (let k = 0; k < log.count; k += 1) {
      const o = k * INTS;
      const a = log.ints;
      const t = ts[a[o + I.TX]];
      const flags = a[o + I.FLAGS];
      const e: TraceEvent = {
        th: id, tr: t.name,
        args: flags & HAS_ARG ? { [t.params[0].name]: a[o + I.ARG] } : {},
        t: [Math.floor(base1 + (log.times[2 * k] - perfMs) * 1e6), Math.ceil(base2 + (log.times[2 * k + 1] - perfMs) * 1e6)],
      };
      const kind = flags & 3;
      if (kind !== WK.NONE) {
        const w = names.describe(kind, a[o + I.WI]);
        e.word = w.name;
        if (flags & HAS_READ) e.read = w.value(a[o + I.R], a[o + I.RH]);
        if (flags & HAS_WRITE) e.write = w.value(a[o + I.W], a[o + I.WH]);
      }
      all.push({ e, seq: k });
    }
  }
  all.sort((x, y) => x.e.t[0] - y.e.t[0] || x.e.th - y.e.th || x.seq - y.seq);
  let events = all.map((x) => x.e);
  // The last K by window start: a suffix of each thread (each thread's windows follow each other).
  if (lastK !== undefined && events.length > lastK) {
    dropped += events.length - lastK;
    events = events.slice(events.length - lastK);
  }
  return { events, dropped };
}

const idsCache = new WeakMap<Layout, Map<string, number[]>>();
function idsOf(model: Model, l: Layout, procType: string): number[] {
  let m = idsCache.get(l);
  if (!m) idsCache.set(l, (m = new Map()));
  let ids = m.get(procType);
  if (!ids) {
    ids = [];
    let next = 1;
    for (const pt of model.procTypes) {
      const n = typeof pt.count === 'number' ? pt.count : (l.consts[pt.count] as number);
      for (let i = 0; i < n; i += 1) if (pt.name === procType) ids.push(next + i);
      next += n;
    }
    m.set(procType, ids);
  }
  return ids;
}

/** Writes the header and the events as NDJSON (in chunks: a long run has millions of lines). */
export function writeTrace(file: string, header: TraceHeader, events: TraceEvent[]): number {
  const fd = openSync(file, 'w');
  let bytes = 0;
  try {
    const put = (s: string) => { bytes += writeSync(fd, s); };
    put(`${JSON.stringify(header)}\n`);
    const CHUNK = 20_000;
    for (let i = 0; i < events.length; i += CHUNK) {
      let s = '';
      for (const e of events.slice(i, i + CHUNK)) s += `${JSON.stringify(e)}\n`;
      put(s);
    }
  } finally {
    closeSync(fd);
  }
  return bytes;
}
