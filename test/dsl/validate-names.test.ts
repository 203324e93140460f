/**
 * The protocol's name (src/dsl/validate-names.ts): every way it can clash, each with its own
 * message, on BusyPool renamed; the error points at the protocol's line.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { Model } from '../../src/dsl/ir.ts';
import { validateNames } from '../../src/dsl/validate-names.ts';
import { spec } from '../helpers.ts';

let busy: Model;
beforeAll(async () => { busy = await spec('BusyPool'); });

const messages = (name: string, m: Model = busy) => validateNames({ ...m, name }).map((e) => e.message);
const clash = (name: string, what: string) => `protocol name ${name} is also ${what} of the spec (the module would define its own name); choose another name`;

describe('validateNames', () => {
  it('accepts a name that clashes with nothing, including one with _pcal inside it', () => {
    expect(messages('BusyPool')).toEqual([]);
    expect(messages('My_pcalPool')).toEqual([]);
  });

  it('a TLA+ standard module, exactly or but for case', () => {
    expect(messages('Sequences')).toEqual(['protocol name Sequences is the TLA+ standard module Sequences; choose another name']);
    expect(messages('sequences')).toEqual(['protocol name sequences is on a case-insensitive file system the TLA+ standard module Sequences; choose another name']);
    // Also a name the emitted modules use: said once, as a standard module.
    expect(messages('Naturals')).toEqual(['protocol name Naturals is the TLA+ standard module Naturals; choose another name']);
  });

  it('a name the generated modules define', () => {
    expect(messages('Init')).toEqual(['protocol name Init is a name the generated TLA+/PlusCal modules define; choose another name']);
    expect(messages('TypeOK')).toEqual([
      'protocol name TypeOK is a name the generated TLA+/PlusCal modules define; choose another name', clash('TypeOK', 'an invariant'),
    ]);
  });

  it('a name ending in _pcal, in any case', () => {
    expect(messages('Pool_pcal')).toEqual(['protocol name Pool_pcal ends in _pcal: its module would be taken for the PlusCal module of Pool; choose another name']);
    expect(messages('Pool_PCAL')).toEqual(['protocol name Pool_PCAL ends in _pcal: its module would be taken for the PlusCal module of Pool; choose another name']);
  });

  it('a name the spec declares, saying what it is', () => {
    const cases: [string, string][] = [
      ['Warm', 'a constant'], ['Blocks', 'a block set'], ['head', 'a shared variable'], ['mapped', 'a ghost variable'],
      ['Thread', 'a process type'], ['Threads', 'the set of Thread ids in the generated module'], ['held', 'a local of Thread'],
      ['idle', 'a label of Thread'], ['D2_spin', 'a transition of Thread'], ['NoUseAfterFree', 'an invariant'],
      ['Progress', 'a property'], ['Constraint_small', 'the constraint of configuration small'],
    ];
    for (const [name, what] of cases) expect(messages(name), name).toEqual([clash(name, what)]);
  });

  it('a process type ending in s: its id set is <Name>Set', () => {
    const m = { ...busy, procTypes: busy.procTypes.map((pt) => ({ ...pt, name: 'Workers' })) };
    expect(messages('WorkersSet', m)).toEqual([clash('WorkersSet', 'the set of Workers ids in the generated module')]);
    expect(messages('Workerss', m)).toEqual([]);
  });

  it('points at the protocol line, or line 1 of the file when that is unknown', () => {
    const [e] = validateNames({ ...busy, name: 'Init' });
    expect(e.code).toBe('SPEC_NAME');
    expect(e.at).toMatchObject({ file: 'spec/BusyPool.ts' });
    expect(e.at!.line).toBeGreaterThan(1);
    const [f] = validateNames({ ...busy, name: 'Init', sources: {} });
    expect(f.at).toEqual({ file: 'spec/BusyPool.ts', line: 1 });
  });
});
