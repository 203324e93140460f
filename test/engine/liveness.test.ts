/**
 * Liveness: the engine against the real TLC (one worker, on the emitted TLA+) on fixtures that each
 * separate one point of TLC's semantics: weak from strong fairness, a self-loop spin (a stuttering
 * step) from a blocked wait, system-wide and per-thread leads-to, []<>, no fairness at all, and a
 * state constraint. Each configuration lists one temporal property, so TLC names the violated one.
 * The engine's counterexample must be a real behaviour (a lasso of machine steps) that violates the
 * property; TLC's lasso must violate it too, by propertiesViolatedByLasso (TLC's loop markers are
 * read from the result when checkWithTlc provides them, else from a second run for three cases). POOLSPEC_LIVE=all adds two more cases that hold; POOLSPEC_LIVE=pools
 * compares BusyPool `small` with three progress properties (slow in TLC).
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkWithEngine, checkWithTlc } from '../../src/check/check.ts';
import { fromTla } from '../../src/check/tlc-trace.ts';
import { cfgFileName, emitTla, tlaFileName } from '../../src/codegen/tla.ts';
import { generateTla } from '../../src/codegen/generate.ts';
import type { Expr, Model, TemporalProperty } from '../../src/dsl/ir.ts';
import { loadSpec } from '../../src/dsl/load.ts';
import { explore, type ExploreResult } from '../../src/engine/explore.ts';
import { propertiesViolatedByLasso } from '../../src/engine/liveness.ts';
import { eachSuccessor, keyOf, machine, type Machine } from '../../src/engine/step.ts';
import type { State } from '../../src/engine/value.ts';
import { formatError } from '../../src/errors.ts';
import { runTlc } from '../../src/tlc/index.ts';
import { config, jar, spec } from '../helpers.ts';

const T = 120_000;
const ALL = process.env.POOLSPEC_LIVE === 'all';

async function live(name: string): Promise<Model> {
  const r = await loadSpec(path.join(import.meta.dirname, '..', 'fixtures', 'specs', 'live', `${name}.ts`));
  if (!r.ok) throw new Error(r.errors.map(formatError).join('\n'));
  return r.value;
}

/**
 * Fixture, configuration, the shape TLC's counterexample has (null: the property holds), and whether
 * to read TLC's lasso too.
 */
const CASES: [string, string, 'stuttering' | 'cycle' | null, ('lasso' | 'all')?][] = [
  ['LiveWeak', 'passes', 'cycle', 'lasso'],
  ['LiveStrong', 'passes', null],
  ['LiveLock', 'spinBug', 'stuttering', 'lasso'],
  ['LiveLock', 'blockedBug', 'stuttering'],
  ['LiveLock', 'spin', null],
  ['LiveLock', 'blocked', null, 'all'],
  ['LiveLock', 'acquires', 'cycle', 'lasso'],
  ['LiveSpinGo', 'finish', null],
  ['LiveNoFair', 'finish', 'stuttering'],
  ['LivePerThread', 'finish', 'stuttering'],
  ['LiveCycle', 'reset', null, 'all'],
  ['LiveCycle', 'stops', 'stuttering'],
  ['LiveCycle', 'loops', 'cycle'],
  ['LiveConstrained', 'cut', null],
  ['LiveConstrained', 'stops', 'stuttering'],
];

/** The engine's lasso is a behaviour of the machine: steps are successors, the loop closes. */
function expectRealLasso(m: Machine, r: ExploreResult): void {
  const trace = r.trace!;
  expect(trace.map((s) => s.index)).toEqual(trace.map((_, i) => i + 1));
  for (let i = 1; i < trace.length; i += 1) {
    const via = trace[i].via!;
    const k = keyOf(m, trace[i].state);
    const steps = [...eachSuccessor(m, trace[i - 1].state)]
      .filter((s) => s.proc === via.proc && s.transition.name === via.transition && keyOf(m, s.next) === k);
    expect(steps.length, `step ${i + 1} (${via.transition}) is a step of the machine`).toBeGreaterThan(0);
    expect(k, `step ${i + 1} is not a stuttering step`).not.toBe(keyOf(m, trace[i - 1].state));
  }
  const loopStart = r.loopStart!;
  if (r.stuttering) {
    expect(loopStart).toBe(trace.length);
  } else {
    expect(loopStart).toBeLessThan(trace.length);
    expect(trace[trace.length - 1].state).toEqual(trace[loopStart - 1].state);
  }
  expect(propertiesViolatedByLasso(m, trace.map((s) => s.state), loopStart - 1, r.stuttering)).toEqual([r.violated]);
}

/** TLC's own lasso for the configuration: states, 0-based loop start, stuttering. */
async function tlcLasso(model: Model, name: string, jarPath: string): Promise<{ states: State[]; loopStart: number; stuttering: boolean }> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'poolspec-live-'));
  try {
    for (const [f, text] of generateTla(model)) await fs.writeFile(path.join(dir, f), text);
    const r = await runTlc({ jar: jarPath, dir, module: tlaFileName(model), cfg: cfgFileName(model, config(model, name)), workers: 1, timeoutSeconds: 120 });
    if (!r.ok) throw new Error(r.errors.map(formatError).join('\n'));
    const steps = r.value.trace!;
    const m = machine(model, name);
    const states = steps.filter((s) => !s.stuttering && s.backToState === undefined)
      .map((s) => Object.fromEntries(m.varOrder.map((v) => [v, fromTla(s.vars[v])])) as State);
    const back = steps.find((s) => s.backToState !== undefined);
    const stuttering = steps.some((s) => s.stuttering);
    return { states, loopStart: stuttering ? states.length - 1 : back!.backToState! - 1, stuttering };
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
}

describe.concurrent('liveness: engine and TLC agree', async () => {
  const names = [...new Set(CASES.map((c) => c[0]))];
  const models = new Map(await Promise.all(names.map(async (n) => [n, await live(n)] as const)));
  const jarPath = await jar();
  for (const [fixture, name, shape, extra] of CASES) {
    if (extra === 'all' && !ALL) continue;
    it(`${fixture} ${name}`, async () => {
      const model = models.get(fixture)!;
      const cfg = config(model, name);
      expect(cfg.properties).toHaveLength(1);
      const tlcRun = checkWithTlc(model, cfg, { jar: jarPath, workers: 1, timeoutSeconds: 120 });
      const m = machine(model, name);
      const eng = explore(m);
      const tlc = await tlcRun;
      expect(tlc.errors.map(formatError)).toEqual([]);
      // TLC also checks liveness periodically while it explores (by the clock), so at a violation
      // its counts may stop short of the whole graph: they are compared when the property holds.
      const figures = (r: { verdict: string; violated: string | null; distinctStates: number | null; statesGenerated: number | null; depth: number | null }) =>
        (r.verdict === 'holds'
          ? { verdict: r.verdict, violated: r.violated, distinct: r.distinctStates, generated: r.statesGenerated, depth: r.depth }
          : { verdict: r.verdict, violated: r.violated });
      expect(figures(eng), `engine vs TLC on ${fixture} ${name}`).toEqual(figures(tlc));
      expect(tlc.verdict).toBe(shape ? 'violated' : 'holds');
      expect(tlc.matchesExpected).toBe(true);
      if (!shape) {
        expect([eng.trace, eng.loopStart, eng.stuttering]).toEqual([null, null, false]);
        return;
      }
      expectRealLasso(m, eng);
      // TLC's lasso: from the result when checkWithTlc reads TLC's loop markers, else from a second run.
      const theirs = tlc.loopStart !== null
        ? { states: tlc.trace!.map((st) => st.state), loopStart: tlc.loopStart - 1, stuttering: tlc.stuttering }
        : extra === 'lasso' ? await tlcLasso(model, name, jarPath) : null;
      if (!theirs) return;
      expect(theirs.stuttering).toBe(shape === 'stuttering');
      expect(propertiesViolatedByLasso(m, theirs.states, theirs.loopStart, theirs.stuttering)).toEqual([tlc.violated]);
    }, T);
  }
});

describe('liveness semantics', () => {
  it('emits the fairness of several process types as separate conjuncts', async () => {
    // Unparenthesised, the first \A would reach over the second and SANY rejects the module.
    expect(emitTla(await live('LiveStrong'))).toContain(
      'Spec == Init /\\ [][Next]_vars /\\ (\\A self \\in Togglers : WF_vars(Toggler(self))) /\\ (\\A self \\in Waiters : SF_vars(Waiter(self)))');
  });

  it('a spin that changes nothing is stuttering: the lock holder that stops is not rescued by it', async () => {
    const m = machine(await live('LiveLock'), 'spinBug');
    const r = explore(m);
    expect(r).toMatchObject({ verdict: 'violated', violated: 'LockReleased', stuttering: true });
    // It ends with one thread lost holding the lock and the other spinning at `try`.
    const last = r.trace![r.trace!.length - 1].state;
    expect(last.lock).toBe(true);
    expect([...(last.pc as string[])].sort()).toEqual(['lost', 'try']);
  });

  it('weak fairness lets an intermittently enabled step wait forever, with a cycle', async () => {
    const r = explore(machine(await live('LiveWeak'), 'passes'));
    expect(r).toMatchObject({ verdict: 'violated', violated: 'WaiterPasses', stuttering: false, loopStart: 1 });
    expect(r.trace!.map((s) => s.state.x)).toEqual([0, 1, 0]);
    expect(r.trace!.map((s) => s.via?.transition ?? null)).toEqual([null, 'run', 'run']);
  });

  it('names the per-thread instance that fails: thread 2 stuck in trap', async () => {
    const r = explore(machine(await live('LivePerThread'), 'finish'));
    const last = r.trace![r.trace!.length - 1].state;
    expect((last.pc as string[])[1]).toBe('trap');
  });

  it('checkWithEngine reports the lasso fields; safety results keep null and false', async () => {
    const model = await live('LiveCycle');
    const loops = checkWithEngine(model, config(model, 'loops'));
    expect(loops).toMatchObject({ verdict: 'violated', violated: 'ZeroOften', matchesExpected: true, loopStart: 2, stuttering: false });
    expect(loops.trace!.map((s) => s.state.x)).toEqual([0, 1, 2, 1]);
    const stops = checkWithEngine(model, config(model, 'stops'));
    expect(stops).toMatchObject({ verdict: 'violated', loopStart: 4, stuttering: true });
    const reset = checkWithEngine(model, config(model, 'reset'));
    expect(reset).toMatchObject({ verdict: 'holds', loopStart: null, stuttering: false, trace: null });
  });

  it('safety comes first: an invariant violation is reported before any temporal property', async () => {
    const model = await live('LiveCycle');
    const withInv: Model = {
      ...model,
      invariants: [{ name: 'BelowTwo', expr: { op: 'bin', fn: 'lt', a: { op: 'var', name: 'x' }, b: { op: 'lit', value: 2, type: { kind: 'int', lo: 2, hi: 2 } } } }],
      configs: model.configs.map((c) => ({ ...c, invariants: ['BelowTwo'] })),
    };
    const r = explore(machine(withInv, 'loops'));
    expect(r).toMatchObject({ verdict: 'violated', violated: 'BelowTwo', loopStart: null, stuttering: false });
  });
});

describe('propertiesViolatedByLasso', () => {
  const x = (v: number): State => ({ x: v, pc: ['run'] });

  it('[]<>: only the states of the loop recur', async () => {
    const m = machine(await live('LiveCycle'), 'loops');
    expect(propertiesViolatedByLasso(m, [x(0), x(1), x(2), x(1)], 1, false)).toEqual(['ZeroOften']);
    // The same lasso without the closing copy of the loop's first state.
    expect(propertiesViolatedByLasso(m, [x(0), x(1), x(2)], 1, false)).toEqual(['ZeroOften']);
    expect(propertiesViolatedByLasso(m, [x(0), x(1), x(2)], 0, false)).toEqual([]);
    expect(propertiesViolatedByLasso(m, [x(0), x(1), x(2), x(3)], 3, true)).toEqual(['ZeroOften']);
    expect(propertiesViolatedByLasso(m, [x(1), x(0)], 1, true)).toEqual([]);
  });

  it('~>: a P after the last Q, and no Q on the loop; quantified per thread', async () => {
    const m = machine(await live('LiveLock'), 'acquires');
    const s = (pc: string[], lock: boolean): State => ({ lock, pc, seen: [false, false] });
    // Thread 2 waits at try while thread 1 goes round idle -> try -> cs -> idle forever.
    const loop = [s(['idle', 'try'], false), s(['try', 'try'], false), s(['cs', 'try'], true), s(['idle', 'try'], false)];
    expect(propertiesViolatedByLasso(m, [s(['idle', 'idle'], false), ...loop], 1, false)).toEqual(['Acquires']);
    // Thread 2 gets the lock once on the loop: every try is followed by cs.
    const fair = [s(['idle', 'try'], false), s(['idle', 'cs'], true), s(['idle', 'idle'], false), s(['idle', 'try'], false)];
    expect(propertiesViolatedByLasso(m, fair, 0, false)).toEqual([]);
    // Stuttering after a try that was served before: the last try has no cs after it.
    expect(propertiesViolatedByLasso(m, [s(['try', 'idle'], false), s(['cs', 'idle'], true), s(['idle', 'idle'], false), s(['try', 'idle'], false)], 3, true)).toEqual(['Acquires']);
    expect(propertiesViolatedByLasso(m, [s(['try', 'idle'], false), s(['cs', 'idle'], true)], 1, true)).toEqual([]);
  });

  it('system-wide ~>: names every violated property of a configuration that lists several', async () => {
    const model = await live('LiveLock');
    const both: Model = { ...model, configs: model.configs.map((c) => ({ ...c, properties: ['Acquires', 'LockReleased'] })) };
    const m = machine(both, 'spinBug');
    const stuck: State = { lock: true, pc: ['lost', 'try'], seen: [false, true] };
    expect(propertiesViolatedByLasso(m, [{ lock: false, pc: ['idle', 'idle'], seen: [false, false] }, stuck], 1, true)).toEqual(['Acquires', 'LockReleased']);
  });
});

const POOLS = process.env.POOLSPEC_LIVE === 'pools';

/** Progress properties for a pool spec, as IR (the specs' own are the lead's). */
function withProgress(model: Model): Model {
  const head: Expr = { op: 'var', name: 'head' };
  const BUSY: Expr = { op: 'lit', value: -1, type: { kind: 'ptr', blocks: 'Blocks' } };
  const pc: Expr = { op: 'pc', proc: { op: 'bound', name: 'th' } };
  const idle: Expr = { op: 'lit', value: 'idle', type: { kind: 'enum', values: ['idle'] } };
  const v = { name: 'th', procType: 'Thread' };
  const props: TemporalProperty[] = [
    { name: 'BusyReleased', formula: { kind: 'leadsTo', from: { op: 'bin', fn: 'eq', a: head, b: BUSY }, to: { op: 'bin', fn: 'ne', a: head, b: BUSY } } },
    { name: 'StarvationFree', formula: { kind: 'leadsTo', v, from: { op: 'bin', fn: 'ne', a: pc, b: idle }, to: { op: 'bin', fn: 'eq', a: pc, b: idle } } },
    { name: 'IdleOften', formula: { kind: 'alwaysEventually', v, expr: { op: 'bin', fn: 'eq', a: pc, b: idle } } },
  ];
  return { ...model, properties: [...model.properties, ...props] };
}

describe.runIf(POOLS)('liveness on BusyPool small (POOLSPEC_LIVE=pools)', async () => {
  const base = withProgress(await spec('BusyPool'));
  const jarPath = await jar();
  for (const [prop, verdict] of [['BusyReleased', 'holds'], ['StarvationFree', 'violated'], ['IdleOften', 'violated']] as const) {
    it(prop, async () => {
      const model: Model = { ...base, configs: base.configs.map((c) => ({ ...c, properties: [prop] })) };
      const tlcRun = checkWithTlc(model, config(model, 'small'), { jar: jarPath, workers: 1, timeoutSeconds: 600 });
      const m = machine(model, 'small');
      const eng = explore(m);
      const tlc = await tlcRun;
      expect([eng.verdict, eng.violated]).toEqual([tlc.verdict, tlc.violated]);
      if (verdict === 'holds') expect([eng.distinctStates, eng.statesGenerated, eng.depth]).toEqual([tlc.distinctStates, tlc.statesGenerated, tlc.depth]);
      expect(eng.verdict).toBe(verdict);
      if (verdict === 'violated') expectRealLasso(m, eng);
    }, 900_000);
  }
});
