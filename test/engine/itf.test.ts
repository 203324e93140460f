/** ITF export and import: the value mapping, and a round trip of an engine counterexample. */
import { describe, expect, it } from 'vitest';
import { explore } from '../../src/engine/explore.ts';
import { formatItf, fromItf, fromItfValue, ITF_FORMAT_DESCRIPTION, toItf, toItfValue } from '../../src/engine/itf.ts';
import { machine } from '../../src/engine/step.ts';
import { mkSet } from '../../src/engine/value.ts';
import { spec } from '../helpers.ts';

describe('ITF values', () => {
  it('maps integers to #bigint, sets to #set, functions over 1..n to #map', () => {
    expect(toItfValue(-1)).toEqual({ '#bigint': '-1' });
    expect(toItfValue(true)).toBe(true);
    expect(toItfValue('os')).toBe('os');
    expect(toItfValue(mkSet([2, 1]))).toEqual({ '#set': [{ '#bigint': '1' }, { '#bigint': '2' }] });
    expect(toItfValue(['idle', 'D2'])).toEqual({ '#map': [[{ '#bigint': '1' }, 'idle'], [{ '#bigint': '2' }, 'D2']] });
    expect(toItfValue([mkSet([]), mkSet([1])])).toEqual({
      '#map': [[{ '#bigint': '1' }, { '#set': [] }], [{ '#bigint': '2' }, { '#set': [{ '#bigint': '1' }] }]],
    });
  });

  it('reads back what it writes, and what the ADR also allows', () => {
    const v = [mkSet([3, 1]), mkSet([]), mkSet([2])];
    expect(fromItfValue(JSON.parse(JSON.stringify(toItfValue(v))))).toEqual(v);
    expect(fromItfValue(5)).toBe(5);
    expect(fromItfValue({ '#map': [[{ '#bigint': '2' }, 'b'], [1, 'a']] })).toEqual(['a', 'b']);
    expect(fromItfValue(['x', 'y'])).toEqual(['x', 'y']);
    expect(fromItfValue({ '#tup': [1, true] })).toEqual([1, true]);
    expect(fromItfValue({ '#set': [2, 1, 2] })).toEqual(mkSet([1, 2]));
  });

  it('rejects values the engine cannot represent', () => {
    expect(() => fromItfValue({ a: 1 })).toThrow(/unsupported ITF value/);
    expect(() => fromItfValue({ '#map': [['k', 1]] })).toThrow(/functions over 1\.\.n/);
    expect(() => fromItfValue({ '#bigint': '123456789012345678901234' })).toThrow(/too large/);
    expect(() => fromItfValue(1.5)).toThrow(/not an integer/);
  });
});

describe('ITF traces', () => {
  it('round-trips an engine counterexample, with the transitions in each state\'s #meta', async () => {
    const model = await spec('DwcasPool');
    const r = explore(machine(model, 'small'));
    const itf = toItf(model, r.trace!, { config: 'small', violated: r.violated, backend: 'engine' });

    expect(itf['#meta']).toMatchObject({
      format: 'ITF', 'format-description': ITF_FORMAT_DESCRIPTION, source: 'spec/DwcasPool.ts',
      spec: 'DwcasPool', config: 'small', status: 'violation', violated: 'NoUseAfterFree', backend: 'engine',
      constants: { T: 2, N: 2, OsFree: true, MaxSeq: 4 },
    });
    expect(itf.vars).toContain('pc');
    expect(itf.states[0]['#meta']).toEqual({ index: 0 });
    const last = itf.states.at(-1)!['#meta'];
    expect(last).toMatchObject({ index: r.trace!.length - 1, action: r.trace!.at(-1)!.via!.transition, procType: 'Thread' });
    expect(last.source).toMatch(/^spec\/lib\/dwcas\.ts:\d+$/);

    const text = formatItf(itf);
    expect(text.split('\n').length).toBe(r.trace!.length + 7); // one state per line
    const back = fromItf(text);
    expect(back.ok).toBe(true);
    if (!back.ok) return;
    expect(back.value.trace).toEqual(r.trace);
    expect(back.value.vars).toEqual(itf.vars);
    expect(back.value.meta.violated).toBe('NoUseAfterFree');
  });

  it('keeps `choose` arguments', async () => {
    const model = await spec('TreiberPool');
    const r = explore(machine(model, 'small'));
    const withArgs = r.trace!.filter((s) => s.via && Object.keys(s.via.args).length > 0);
    expect(withArgs.length).toBeGreaterThan(0);
    const back = fromItf(toItf(model, r.trace!, { config: 'small' }));
    expect(back.ok && back.value.trace).toEqual(r.trace);
  });

  it('reports malformed documents as errors', () => {
    for (const bad of ['not json', '[]', '{"vars": ["x"], "states": [{}]}', '{"vars": ["x"], "states": [{"x": {"r": 1}}]}']) {
      const r = fromItf(bad);
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.errors[0].message).toMatch(/^not a readable ITF trace: /);
    }
  });
});
