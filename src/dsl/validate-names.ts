/**
 * The protocol's name becomes the names of modules and files (generated/<Name>.tla, <Name>_pcal.tla,
 * <Name>_<config>.cfg): it must not be a TLA+ standard module (EXTENDS would load the wrong one or
 * SANY would refuse it), a name the emitted modules define, or a name the spec itself declares.
 */
import type { PoolspecError } from '../errors.ts';
import type { Model } from './ir.ts';
import { sourceKey } from './ir.ts';

/** The standard modules of TLA+ and those TLC and the community modules ship. */
export const STANDARD_MODULES = new Set([
  'Naturals', 'Integers', 'Reals', 'Sequences', 'FiniteSets', 'Bags', 'RealTime', 'TLC', 'TLCExt', 'Toolbox',
  'Randomization', 'Json', 'Apalache', 'Variants', 'Folds', 'Functions', 'SequencesExt', 'FiniteSetsExt',
  'BagsExt', 'Relation', 'Graphs', 'IOUtils', 'CSV', 'Bitwise', 'DyadicRationals', 'Combinatorics',
  'Statistics', 'UndirectedGraphs', 'TLAPS', 'ProtoReals', 'Peano', 'TLCGetSet', 'VectorClocks', 'ShiViz',
  'GraphViz', 'HTML', 'Strings', 'Real', 'Integer', 'Sequence', 'FiniteSet',
]);

/** Names the emitted TLA+ and PlusCal modules define, whatever the spec. */
const EMITTED = new Set([
  'Init', 'Next', 'Spec', 'vars', 'pc', 'self', 'stack', 'ProcSet', 'Termination', 'NULL', 'BUSY', 'TypeOK',
  'ListFrom', 'ListNodes', 'EndsWithin', 'ListAcyclic', 'Constraint', 'defaultInitValue', 'Done', 'Error',
  'Naturals', 'Integers', 'FiniteSets', 'Sequences', 'TLC',
]);

export function validateNames(model: Model): PoolspecError[] {
  const at = model.sources[sourceKey.model()] ?? { file: model.file, line: 1 };
  const n = model.name;
  const errors: PoolspecError[] = [];
  const err = (message: string) => errors.push({ code: 'SPEC_NAME', message: `protocol name ${n} ${message}; choose another name`, at });
  const lower = n.toLowerCase();
  const std = [...STANDARD_MODULES].find((m) => m.toLowerCase() === lower);
  if (std) err(`is ${std === n ? 'the' : 'on a case-insensitive file system the'} TLA+ standard module ${std}`);
  else if (EMITTED.has(n)) err('is a name the generated TLA+/PlusCal modules define');
  if (/_pcal$/i.test(n)) err(`ends in _pcal: its module would be taken for the PlusCal module of ${n.slice(0, -5)}`);
  const declared = new Map<string, string>();
  for (const c of model.constants) declared.set(c.name, 'a constant');
  for (const b of model.blockSets) declared.set(b.name, 'a block set');
  for (const v of model.vars) declared.set(v.name, `a ${v.role} variable`);
  for (const pt of model.procTypes) {
    declared.set(pt.name, 'a process type');
    declared.set(pt.name.endsWith('s') ? `${pt.name}Set` : `${pt.name}s`, `the set of ${pt.name} ids in the generated module`);
    for (const l of pt.locals) declared.set(l.name, `a local of ${pt.name}`);
    for (const l of pt.labels) declared.set(l.name, `a label of ${pt.name}`);
    for (const t of pt.transitions) declared.set(t.name, `a transition of ${pt.name}`);
  }
  for (const i of model.invariants) declared.set(i.name, 'an invariant');
  for (const p of model.properties) declared.set(p.name, 'a property');
  for (const c of model.configs) declared.set(`Constraint_${c.name}`, `the constraint of configuration ${c.name}`);
  const clash = declared.get(n);
  if (clash) err(`is also ${clash} of the spec (the module would define its own name)`);
  return errors;
}
