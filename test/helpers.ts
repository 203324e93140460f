/** Shared by the suites: the specs, the jar, and checking a spec × configuration with real TLC. */
import path from 'node:path';
import { expect } from 'vitest';
import type { Model } from '../src/dsl/ir.ts';
import { eachSuccessor, initialState, keyOf, type Machine } from '../src/engine/step.ts';
import type { TraceStep } from '../src/engine/trace.ts';
import { loadSpec, SPEC_DIR } from '../src/dsl/load.ts';
import { locateJar } from '../src/tlc/index.ts';
import { formatError } from '../src/errors.ts';

export async function spec(name: string): Promise<Model> {
  const r = await loadSpec(path.join(SPEC_DIR, `${name}.ts`));
  if (!r.ok) throw new Error(r.errors.map(formatError).join('\n'));
  return r.value;
}

export async function fixtureSpec(file: string): Promise<Model> {
  const r = await loadSpec(path.join(import.meta.dirname, 'fixtures', file));
  if (!r.ok) throw new Error(r.errors.map(formatError).join('\n'));
  return r.value;
}

export async function jar(): Promise<string> {
  const r = await locateJar();
  if (!r.ok) throw new Error(r.errors.map(formatError).join('\n'));
  return r.value.path;
}

export const config = (m: Model, name: string) => {
  const c = m.configs.find((x) => x.name === name);
  if (!c) throw new Error(`${m.name} has no configuration ${name}`);
  return c;
};

export const POOL_SPECS = ['TreiberPool', 'DwcasPool', 'BusyPool', 'LockedPool'] as const;

/**
 * A trace is a behaviour of the machine: numbered 1..n, starting at the initial state, each step a
 * successor with the process, transition and choices it names.
 */
export function expectMachinePath(m: Machine, trace: TraceStep[]): void {
  expect(trace.map((s) => s.index)).toEqual(trace.map((_, i) => i + 1));
  expect(keyOf(m, trace[0].state), 'the first state is the initial state').toBe(keyOf(m, initialState(m)));
  for (let i = 1; i < trace.length; i += 1) {
    const via = trace[i].via!;
    const k = keyOf(m, trace[i].state);
    const args = JSON.stringify(via.args);
    expect([...eachSuccessor(m, trace[i - 1].state)].some((s) => s.proc === via.proc && s.transition.name === via.transition
      && JSON.stringify(s.args) === args && keyOf(m, s.next) === k), `step ${i + 1} (${via.transition}) is a step of the machine`).toBe(true);
  }
}
