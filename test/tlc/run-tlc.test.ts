/**
 * runTlc against the real TLC 2.18 jar on small hand-written fixtures. Expected counts are
 * computed by hand in the comments (BFS with one worker is deterministic).
 */
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { formatError } from '../../src/errors.ts';
import { locateJar } from '../../src/tlc/jar.ts';
import { runTlc, type RunTlcOptions, type TlcProgress, type TlcRun } from '../../src/tlc/run-tlc.ts';

const dir = fileURLToPath(new URL('../fixtures/tla/', import.meta.url));
const T = 30_000;
let jar = '';

beforeAll(async () => {
  const r = await locateJar();
  if (!r.ok) throw new Error(r.errors.map(formatError).join('\n'));
  jar = r.value.path;
});

async function check(module: string, cfg = module, extra: Partial<RunTlcOptions> = {}): Promise<TlcRun> {
  const r = await runTlc({ jar, dir, module, cfg: `${cfg}.cfg`, workers: 1, timeoutSeconds: 60, ...extra });
  if (!r.ok) throw new Error(r.errors.map(formatError).join('\n'));
  return r.value;
}

const actionNames = (run: TlcRun) => run.trace?.map((s) => s.action?.name ?? null);

describe('runTlc', () => {
  it('passes the counter spec with exact counts', async () => {
    // x, y in 0..2: 9 distinct states. Generated = 1 initial + 6 IncX + 6 IncY + 1 Done = 14.
    // Longest shortest path (0,0) -> (2,2) has 5 states.
    const progress: TlcProgress[] = [];
    const run = await check('Counter', 'Counter', { onProgress: (p) => progress.push(p) });
    expect(run).toMatchObject({
      version: 'TLC2 Version 2.18 of 20 March 2023',
      outcome: 'holds',
      violated: null,
      statesGenerated: 14,
      distinctStates: 9,
      depth: 5,
      trace: null,
      errors: [],
    });
    expect(run.seconds).toBeGreaterThan(0);
    expect(run.output).toContain('@!@!@STARTMSG 2193:0 @!@!@');
    expect(progress.at(-1)).toEqual({ statesGenerated: 14, distinctStates: 9, queue: 0, depth: 5 });
  }, T);

  it('finds the invariant violation with the shortest trace', async () => {
    // BFS reaches x + y = 3 first as (2,1) via IncX, IncX, IncY: 8 states generated and 7
    // distinct when TLC stops ((0,0) (1,0) (0,1) (2,0) (1,1) (0,2) (2,1)).
    const run = await check('Counter', 'CounterInv');
    expect(run).toMatchObject({ outcome: 'invariant', violated: 'SumBelow3', statesGenerated: 8, distinctStates: 7, depth: 4, errors: [] });
    expect(actionNames(run)).toEqual([null, 'IncX', 'IncX', 'IncY']);
    expect(run.trace!.map((s) => s.index)).toEqual([1, 2, 3, 4]);
    expect(run.trace![3]!.vars).toEqual({ x: 2, y: 1 });
    expect(run.trace![1]!.action).toEqual({ name: 'IncX', module: 'Counter', line: 8, col: 9, endLine: 8, endCol: 42 });
  }, T);

  it('reports a deadlock, and none when deadlock checking is off', async () => {
    const run = await check('Deadlock');
    expect(run).toMatchObject({ outcome: 'deadlock', violated: null, statesGenerated: 4, distinctStates: 4, depth: 4 });
    expect(run.trace!.map((s) => s.vars.n)).toEqual([0, 1, 2, 3]);
    const off = await check('Deadlock', 'Deadlock', { checkDeadlock: false });
    expect(off).toMatchObject({ outcome: 'holds', distinctStates: 4, depth: 4 });
  }, T);

  it('reports a liveness violation as a lasso', async () => {
    const run = await check('Live');
    expect(run).toMatchObject({ outcome: 'property', violated: 'EventuallyStaysOn', statesGenerated: 3, distinctStates: 2, depth: 2 });
    expect(run.trace).toEqual([
      { index: 1, action: null, vars: { on: false } },
      { index: 2, action: { name: 'Flip', module: 'Live', line: 6, col: 9, endLine: 6, endCol: 17 }, vars: { on: true } },
      { index: 3, action: { name: 'Flip', module: 'Live', line: 6, col: 9, endLine: 6, endCol: 17 }, backToState: 1, vars: { on: false } },
    ]);
  }, T);

  it('reports a liveness violation that ends in stuttering', async () => {
    const run = await check('Stutter', 'Stutter', { checkDeadlock: false });
    expect(run).toMatchObject({ outcome: 'property', violated: 'Reach1' });
    expect(run.trace).toEqual([
      { index: 1, action: null, vars: { x: 0 } },
      { index: 2, action: null, stuttering: true, vars: { x: 0 } },
    ]);
  }, T);

  it('reports an action property violation by name', async () => {
    const run = await check('Props');
    expect(run).toMatchObject({ outcome: 'property', violated: 'Grows', distinctStates: 3 });
    expect(run.trace!.map((s) => s.vars.x)).toEqual([0, 1, 2, 0]);
  }, T);

  it('reports an invariant violated by an initial state', async () => {
    // TLC stops while computing Init and prints no counts: the one state shown is the lower bound.
    const run = await check('InitInv');
    expect(run).toMatchObject({ outcome: 'invariant', violated: 'Positive', statesGenerated: 1, distinctStates: 1, depth: 1 });
    expect(run.trace).toEqual([{ index: 1, action: null, vars: { v: 1 } }]);
  }, T);

  it('prints parameterised actions by operator name only, with rich values', async () => {
    const run = await check('Procs');
    expect(run).toMatchObject({ outcome: 'invariant', violated: 'NotAllDone', distinctStates: 4 });
    expect(actionNames(run)).toEqual([null, 'A', 'A']);
    expect(run.trace![1]!.action).toEqual({ name: 'A', module: 'Procs', line: 10, col: 12, endLine: 14, endCol: 73 });
    expect(run.trace![2]!.vars).toEqual({
      seen: { set: [{ modelValue: 'p1' }, { modelValue: 'p2' }] },
      pc: {
        fn: [
          [{ modelValue: 'p1' }, 'done'],
          [{ modelValue: 'p2' }, 'done'],
        ],
      },
      info: { record: { count: 2, last: 'p2' } },
      log: { seq: [{ modelValue: 'p1' }, { modelValue: 'p2' }] },
    });
  }, T);

  it('returns parse errors at the fixture file and line', async () => {
    const run = await check('ParseErr');
    expect(run.outcome).toBe('error');
    expect(run.errors).toHaveLength(1);
    const e = run.errors[0]!;
    expect(e.code).toBe('SANY_ERROR');
    expect(e.at).toEqual({ file: 'test/fixtures/tla/ParseErr.tla', line: 7, col: 1 });
    expect(formatError(e)).toMatch(/^test\/fixtures\/tla\/ParseErr\.tla:7:1: SANY_ERROR: Encountered "====" at line 7/);
  }, T);

  it('returns semantic errors at the offending operator', async () => {
    const run = await check('SemErr');
    expect(run.outcome).toBe('error');
    expect(run.errors).toEqual([
      { code: 'SANY_ERROR', message: "Unknown operator: `Undefined'.", at: { file: 'test/fixtures/tla/SemErr.tla', line: 6, col: 14 } },
    ]);
  }, T);

  it('returns evaluation errors with the failing expression and the trace leading there', async () => {
    const run = await check('EvalErr');
    expect(run.outcome).toBe('error');
    expect(run.errors).toHaveLength(1);
    expect(run.errors[0]).toMatchObject({ code: 'TLC_ERROR', at: { file: 'test/fixtures/tla/EvalErr.tla', line: 6, col: 37 } });
    expect(run.errors[0]!.message).toMatch(/^Attempted to compute the value of an expression of form CHOOSE/);
    expect(run.trace!.map((s) => s.vars.x)).toEqual([0, 1]);
    expect(run).toMatchObject({ statesGenerated: 2, distinctStates: 2 });
  }, T);

  it('returns an invariant that cannot be evaluated as an error, not a violation', async () => {
    const run = await check('CmpErr');
    expect(run.outcome).toBe('error');
    expect(run.violated).toBeNull();
    expect(run.errors.map((e) => e.message)).toEqual([
      'Evaluating invariant Inv failed. The first argument of < should be an integer, but instead it is: "a"',
    ]);
  }, T);

  it('fails cleanly for a missing directory or jar', async () => {
    const noDir = await runTlc({ jar, dir: `${dir}/missing`, module: 'Counter', cfg: 'Counter.cfg' });
    expect(!noDir.ok && noDir.errors[0]!.code).toBe('TLC_ERROR');
    expect(!noDir.ok && noDir.errors[0]!.message).toMatch(/missing does not exist$/);
    const noJar = await check('Counter', 'Counter', { jar: `${dir}/missing.jar` });
    expect(noJar.outcome).toBe('error');
    expect(noJar.errors[0]!.message).toMatch(/^TLC exited with code 1 without reporting a result/);
    expect(noJar.errors[0]!.detail).toMatch(/tlc2\.TLC/);
  }, T);

  it('explains a config naming an undefined operator', async () => {
    const run = await check('Counter', 'BadCfg');
    expect(run.outcome).toBe('error');
    expect(run.errors[0]).toMatchObject({ code: 'TLC_ERROR' });
    expect(run.errors.map((e) => e.message).join('\n')).toMatch(/not defined in the specification/);
  }, T);
});
