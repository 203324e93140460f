/** Shared by the suites: the specs, the jar, and checking a spec × configuration with real TLC. */
import path from 'node:path';
import type { Model } from '../src/dsl/ir.ts';
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
