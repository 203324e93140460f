/** The memory picture of a state: blocks lost or duplicated, and the link words a step touched. */
import { describe, expect, it } from 'vitest';
import { checkWithEngine } from '../../src/check/check.ts';
import { memoryShape, memoryView } from '../../src/report/html/memory.ts';
import { cxView } from '../../src/report/html/steps.ts';
import { config, spec } from '../helpers.ts';

describe('memory view', () => {
  it('finds the link array, the roots and the per-thread pointers and sets from the declarations', async () => {
    const busy = await spec('BusyPool');
    expect(memoryShape(busy, config(busy, 'small').constants)).toMatchObject({
      blocks: 'Blocks', size: 2, link: 'next', param: expect.any(String),
      roots: [{ name: 'head', ghost: false }, { name: 'lhead', ghost: true }],
      ptrLocals: ['blk', 'fw', 'r', 'nx', 'fl'], setLocals: ['held', 'cache'], tags: ['where'],
    });
  });

  it('TreiberPool noOsFree (ABA): at the last step b2 is lost, and FreeListIntact breaks on the list conjunct', async () => {
    const model = await spec('TreiberPool');
    const cfg = config(model, 'noOsFree');
    const r = checkWithEngine(model, cfg);
    expect(r.violated).toBe('FreeListIntact');
    const v = cxView(model, cfg, r.trace!, { violated: r.violated });
    const last = v.steps[v.steps.length - 1];
    expect(v.focus).toBe(v.steps.length - 1);
    expect(last.breaks).toEqual(['FreeListIntact']);
    expect(last.memory!.lost).toEqual([2]);
    expect(last.memory!.blocks[1]).toMatchObject({ mapped: true, place: { kind: 'lost' }, tags: [{ name: 'where', value: 'list' }] });
    const fli = last.props.find((p) => p.name === 'FreeListIntact')!;
    expect(fli.conjuncts.filter((c) => c.holds === false).map((c) => c.text)).toEqual(['(listNodes(head, next) == {b in 1..N : (where[b] == "list")})']);
    expect(v.steps.slice(0, -1).every((s) => s.memory!.lost.length === 0)).toBe(true);
  });

  it('a block in the list and in a thread\'s hands is duplicated', async () => {
    const model = await spec('TreiberPool');
    const cfg = config(model, 'noOsFree');
    const shape = memoryShape(model, cfg.constants)!;
    const state = checkWithEngine(model, cfg).trace!.at(-1)!.state;
    // b1 in thread1's hands; put it in the list as well
    const s = { ...state, head: 1, next: [0, 0], held: [{ set: [1] }, { set: [] }], mapped: [true, true] };
    const m = memoryView(model, shape, cfg.constants, s, [1, 2], new Map(), []);
    expect(m.duplicated).toEqual([1]);
    expect(m.blocks[0].claims).toEqual([{ kind: 'list', root: 'head' }, { kind: 'set', proc: 1, local: 'held' }]);
  });
});
