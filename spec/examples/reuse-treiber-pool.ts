/**
 * A new single-list pool variant in a few lines by calling the library: the Treiber pop, the shared
 * CAS push (spec/lib/cas-push.ts), a flush that detaches with XCHG(head, NULL), and crowded frees
 * switched apart from flushes (the `Crowded` constant of the `crowded` switch).
 */
import { NULL, ptr, protocol, violates } from '../../src/dsl/index.ts';
import { casPush } from '../lib/cas-push.ts';
import { poolConfigs, poolProtocol } from '../lib/pool.ts';

export default protocol('ReuseTreiberPool', (p) => {
  const { threads, labels } = poolProtocol(p, {
    declare: (c) => ({ h: c.t.local('h', ptr(c.Blocks), NULL), n: c.t.local('n', ptr(c.Blocks), NULL), fl: c.t.local('fl', ptr(c.Blocks), NULL) }),
    pop({ t, head, next, where, held, isBlock, deref, h, n }) {
      t.step('T1', { to: 'T3', do: [h.set(head)] });
      t.step('T3', { branch: 'empty', to: 'os', when: h.eq(NULL) });
      t.step('T3', { branch: 'deref', to: 'T4', when: isBlock(h), do: [n.set(next.at(h)), deref(h)] });
      t.step('T4', { branch: 'ok', to: 'idle', when: head.eq(h), do: [head.set(n), where.at(h).set('thread'), held.set(held.plus(h)), h.set(NULL), n.set(NULL)] });
      t.step('T4', { branch: 'fail', to: 'T3', when: head.ne(h), do: [h.set(head), n.set(NULL)] });
      return t.label('T1') && t.label('T3') && t.label('T4') && 'T1';
    },
    push: (c) => casPush(c),
    flush({ t, head, fw, detachAll }) {
      t.label('X1', 'n := XCHG(head, NULL)');
      t.step('X1', { to: 'walk', do: [head.set(NULL), fw.set(head), detachAll()] });
      return 'X1';
    },
  }, { crowded: true });
  p.invariant('PopEntry', threads.every((th) => threads.pc(th).ne(labels.walk).or(threads.pc(th).ne(labels.pop))), 'uses the handles');
  const broken = violates('NoUseAfterFree', 'FreeListIntact', 'NoDoubleAlloc');
  poolConfigs(p, {
    small: broken, standard: broken, flush: broken, noOsFree: violates('FreeListIntact', 'NoDoubleAlloc'),
    starvation: { expect: violates('StarvationFree'), why: 'as TreiberPool' },
  }, { constants: { Crowded: false } });
}, 'Treiber pop, CAS push, XCHG flush, crowded frees off');
