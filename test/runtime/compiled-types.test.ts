/**
 * Types are properties in both runtimes: a step that would write a value outside its variable's
 * declared type is refused before anything is written, and the compiled runtime reports the same
 * fault (kind, detail, spec line, step) as the interpreter, with the interpreter's exception (a
 * range bounded by a constant the state constraint reads is not enforced).
 */
import { describe, expect, it } from 'vitest';
import { runScheduled } from '../../src/runtime/scheduler.ts';
import { fixtureSpec } from '../helpers.ts';

const bytes = (b: SharedArrayBuffer) => Buffer.from(b).toString('hex');

describe('compiled runtime: a write outside its type is a refused step, as in the interpreter', () => {
  const cases = [
    { file: 'models/out-of-range.ts', config: 'small', step: 2, variable: 'x', detail: 'x = 2, outside int(1..1)', line: 8 },
    { file: 'models/typed-writes.ts', config: 'cells', step: 5, variable: 'a', detail: 'a[1] = 2, outside int(0..1)', line: 20 },
    { file: 'models/typed-writes.ts', config: 'plain', step: 8, variable: 'n', detail: 'n = 4, outside int(0..Max)', line: 19 },
    // The state constraint reads Max: n's range is not enforced, the local v's int(0..9) is.
    { file: 'models/typed-writes.ts', config: 'bounded', step: 20, variable: 'v', detail: 'v = 10, outside int(0..9)', line: 19 },
  ];
  for (const c of cases) {
    it(`${c.file} ${c.config}: ${c.detail}`, async () => {
      const m = await fixtureSpec(c.file);
      const opts = { schedule: { kind: 'roundrobin' } as const, seed: 1, steps: 40 };
      const a = runScheduled(m, c.config, opts);
      const b = runScheduled(m, c.config, { ...opts, impl: 'compiled' });
      expect(b.instance.impl).toBe('compiled');
      expect(b.stopped).toBe('fault');
      expect(b.faults).toHaveLength(1);
      expect(b.faults[0]).toMatchObject({
        kind: 'type', detail: c.detail, variable: c.variable, access: 'write', block: 0, step: c.step, source: `test/fixtures/${c.file}:${c.line}`,
      });
      expect(b.faults).toEqual(a.faults);
      expect(a.stopped).toBe('fault');
      expect(b.trace).toEqual(a.trace);
      // Nothing of the refused step was written.
      for (const k of ['words', 'pairs', 'arena'] as const) {
        expect(bytes(b.instance.shared.memory.buffers[k])).toBe(bytes(a.instance.shared.memory.buffers[k]));
      }
      expect(b.instance.state()).toEqual(b.trace[b.trace.length - 1].state);
    });
  }
});
