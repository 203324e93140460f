/**
 * Trace validation (issue 11): recorded real-thread runs are accepted by the engine and by TLC;
 * hand-made traces that diverge from the spec (a written value the spec cannot produce, a read the
 * windows cannot order after its write) are rejected by both, at the named event; unreadable traces
 * are one-line errors naming the file and line.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Model } from '../../src/dsl/ir.ts';
import { stress } from '../../src/runtime/stress.ts';
import { readTrace, type Trace } from '../../src/conformance/validate/trace-read.ts';
import { validateWithEngine } from '../../src/conformance/validate/engine.ts';
import { validateWithTlc } from '../../src/conformance/validate/tlc.ts';
import { TRACE_FORMAT, type TraceEvent } from '../../src/conformance/record/trace-file.ts';
import { formatError } from '../../src/errors.ts';
import { spec } from '../helpers.ts';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'poolspec-trace-test-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function read(file: string, m: Model): Trace {
  const r = readTrace(file, m);
  if (!r.ok) throw new Error(r.errors.map(formatError).join('\n'));
  return r.value;
}

async function tlcAccepts(t: Trace, limit = t.events.length): Promise<boolean> {
  const r = await validateWithTlc(t, { limit, anyStart: t.header.cut !== null, timeoutSeconds: 120 });
  if (!r.ok) throw new Error(r.errors.map(formatError).join('\n'));
  expect(r.value.events).toBe(limit);
  return r.value.accepted;
}

const header = (constants: Record<string, number | boolean>) => ({
  format: TRACE_FORMAT, version: 1, spec: 'BusyPool', specFile: 'spec/BusyPool.ts', config: 'stress', baseConfig: 'small',
  constants, impl: 'compiled', threads: 2, blocks: 2, switches: {}, seed: 1, clock: 'test', events: 0, cut: null,
});
const SMALL = { T: 2, N: 2, OsFree: true, Flush: false, Warm: false };

/** Thread 1 allocates b1 from the OS and pushes it onto the shared list (head: NULL -> 1) in [70, 80]. */
const thread1: TraceEvent[] = [
  { th: 1, tr: 'idle_alloc', args: {}, t: [0, 10] },
  { th: 1, tr: 'D1', args: {}, word: 'head', read: 0, t: [10, 20] },
  { th: 1, tr: 'D2_empty', args: {}, t: [20, 30] },
  { th: 1, tr: 'os_get', args: { b: 1 }, word: 'mapped[1]', read: false, write: true, t: [30, 40] },
  { th: 1, tr: 'idle_freePush', args: { b: 1 }, t: [40, 50] },
  { th: 1, tr: 'E2_notCrowded', args: {}, word: 'head', read: 0, t: [50, 60] },
  { th: 1, tr: 'E5_link', args: {}, word: 'next[1]', write: 0, t: [60, 70] },
  { th: 1, tr: 'E6_ok', args: {}, word: 'head', read: 0, write: 1, t: [70, 80] },
];

function writeTrace(name: string, events: TraceEvent[], constants = SMALL): string {
  const file = path.join(dir, name);
  const sorted = [...events].sort((a, b) => a.t[0] - b.t[0] || a.th - b.th);
  fs.writeFileSync(file, [header(constants), ...sorted].map((x) => JSON.stringify(x)).join('\n') + '\n');
  return file;
}

describe.concurrent('trace validation: hand-made traces, both backends', () => {
  it('accepts a read of the pushed head whose window overlaps the push', async () => {
    const m = await spec('BusyPool');
    const file = writeTrace('ok.ndjson', [...thread1,
      { th: 2, tr: 'idle_alloc', args: {}, t: [0, 10] },
      { th: 2, tr: 'D1', args: {}, word: 'head', read: 1, t: [75, 90] }]);
    const t = read(file, m);
    const e = validateWithEngine(t);
    expect(e).toMatchObject({ accepted: true, events: 10, initialStates: 1 });
    expect(await tlcAccepts(t)).toBe(true);
  }, 120_000);

  it('rejects a read that the windows place before the write it saw, naming that event', async () => {
    const m = await spec('BusyPool');
    // Thread 2's read ended (65) before the push began (70): it must come first, when head was NULL.
    const file = writeTrace('window.ndjson', [...thread1,
      { th: 2, tr: 'idle_alloc', args: {}, t: [0, 10] },
      { th: 2, tr: 'D1', args: {}, word: 'head', read: 1, t: [5, 65] }]);
    const t = read(file, m);
    const idx = t.events.findIndex((x) => x.th === 2 && x.t.name === 'D1');
    expect(idx).toBe(2);
    const e = validateWithEngine(t);
    expect(e.accepted).toBe(false);
    expect(e.rejection).toMatchObject({ event: 2, line: 4, thread: 2, transition: 'D1' });
    expect(e.rejection!.reasons).toEqual(['it read head = 1, the spec has 0 there']);
    expect(e.rejection!.states[0].allowed).toEqual(['D1']);
    expect(await tlcAccepts(t)).toBe(false);
  }, 120_000);

  it('rejects a written value the spec cannot produce, naming the event and what the spec allowed', async () => {
    const m = await spec('BusyPool');
    const bad = thread1.map((x) => (x.tr === 'E6_ok' ? { ...x, write: 2 } : x));
    const file = writeTrace('value.ndjson', [...bad, { th: 2, tr: 'idle_alloc', args: {}, t: [0, 10] }]);
    const t = read(file, m);
    const e = validateWithEngine(t);
    expect(e.accepted).toBe(false);
    expect(e.rejection).toMatchObject({ event: 8, line: 10, thread: 1, transition: 'E6_ok', explained: 8 });
    expect(e.rejection!.reasons).toEqual(['it wrote head = 2, the spec makes it 1']);
    expect(e.rejection!.states).toHaveLength(1);
    expect(e.rejection!.states[0].allowed).toEqual(['E6_ok']);
    expect(e.rejection!.states[0].state).toMatchObject({ head: 0, blk: [1, 0], fl: [0, 0], pc: ['E6', 'D1'] });
    expect(await tlcAccepts(t)).toBe(false);
  }, 120_000);
});

describe('trace validation: unreadable traces', () => {
  it('names the file and line of a malformed event, and a trace of another spec', async () => {
    const m = await spec('BusyPool');
    const file = writeTrace('bad.ndjson', thread1);
    const lines = fs.readFileSync(file, 'utf8').split('\n');
    lines[3] = '{"th":1,"tr":"D9","args":{},"t":[1,2]}';
    fs.writeFileSync(file, lines.join('\n'));
    const r = readTrace(file, m);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(formatError(r.errors[0])).toBe(`${file}:4: TRACE_FORMAT: malformed event: "tr" must be a transition of Thread, got "D9"`);
    const other = readTrace(file, await spec('LockedPool'));
    expect(other.ok).toBe(false);
    if (!other.ok) expect(formatError(other.errors[0])).toBe(`${file}:1: TRACE_SPEC: the trace was recorded from BusyPool, not LockedPool`);
    const missing = readTrace(path.join(dir, 'none.ndjson'), m);
    expect(missing.ok).toBe(false);
    if (!missing.ok) expect(missing.errors[0]).toMatchObject({ code: 'TRACE_FILE' });
  });
});

describe.concurrent('trace validation: recorded real-thread runs', () => {
  for (const impl of ['compiled', 'interpreted'] as const) {
    it(`BusyPool ${impl}: the recorded run is accepted by the engine, and its start by TLC`, async () => {
      const m = await spec('BusyPool');
      const file = path.join(dir, `run-${impl}.ndjson`);
      const r = await stress(m, { threads: 2, seconds: 0.15, blocks: 2, blockSize: 64, chaos: 0, seed: 7, config: 'flush', impl, record: { file } });
      expect(r.errors).toEqual([]);
      expect(r.record!.events).toBeGreaterThan(50);
      const t = read(file, m);
      expect(t.header).toMatchObject({ spec: 'BusyPool', impl, threads: 2, blocks: 2, constants: { T: 2, N: 2, Flush: true } });
      expect(t.events.length).toBe(r.record!.events);
      const e = validateWithEngine(t);
      expect(e).toMatchObject({ accepted: true, events: r.record!.events });
      if (impl === 'compiled') expect(await tlcAccepts(t, Math.min(200, t.events.length))).toBe(true);
    }, 120_000);
  }

  it('a run cut to its last 100 events is validated from any reachable state', async () => {
    const m = await spec('BusyPool');
    const file = path.join(dir, 'cut.ndjson');
    const r = await stress(m, { threads: 2, seconds: 0.2, blocks: 2, blockSize: 64, chaos: 0, seed: 3, config: 'noOsFree', record: { file, lastK: 100 } });
    expect(r.record).toMatchObject({ events: 100 });
    expect(r.record!.dropped).toBeGreaterThan(0);
    const t = read(file, m);
    expect(t.header.cut).toEqual({ last: 100, dropped: r.record!.dropped });
    const e = validateWithEngine(t);
    // Every reachable state of BusyPool noOsFree (T = 2, N = 2) is a possible start: 3,632 (README's table).
    expect(e).toMatchObject({ accepted: true, events: 100, initialStates: 3632 });
    expect(await tlcAccepts(t)).toBe(true);
  }, 120_000);
});
