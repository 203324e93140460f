/**
 * The textbook lock-free stack (Treiber 1986) as a pool free list: single-word CAS on the head, no
 * sequence counter. Not HAProxy's pop, but its precursor (ALGORITHMS.md section D): it suffers both
 * the use-after-free of the seed commit and the classic ABA. pool_flush detaches the list with a
 * single-word CAS, as HAProxy did until b6fa08bc7.
 */
import { BUSY, NULL, and, ptr, protocol, violates } from '../src/dsl/index.ts';
import { casPush } from './lib/cas-push.ts';
import { poolConfigs, poolProtocol } from './lib/pool.ts';
import { at, forallThreads, isBlock, local, poolInductive, refinesAtomicPool, v } from './lib/proofs.ts';

export default protocol('TreiberPool', (p) => {
  poolProtocol(p, {
    declare: (c) => ({
      h: c.t.local('h', ptr(c.Blocks), NULL, 'pop: the head read'),
      n: c.t.local('n', ptr(c.Blocks), NULL, 'pop: its successor'),
      fl: c.t.local('fl', ptr(c.Blocks), NULL, 'push: the head the new block is linked to; flush: the list taken'),
    }),
    pop({ t, head, next, where, held, isBlock, deref, h, n }) {
      t.label('T1', 'h := head');
      t.label('T3', 'if h = NULL: return NULL; n := h->next');
      t.label('T4', 'CAS(head, h, n)');
      t.step('T1', { to: 'T3', do: [h.set(head)] });
      t.step('T3', { branch: 'empty', to: 'os', when: h.eq(NULL) });
      t.step('T3', { branch: 'deref', to: 'T4', when: isBlock(h), do: [n.set(next.at(h)), deref(h)] });
      t.step('T4', {
        branch: 'ok', to: 'idle', when: head.eq(h),
        do: [head.set(n), where.at(h).set('thread'), held.set(held.plus(h)), h.set(NULL), n.set(NULL)],
      });
      t.step('T4', { branch: 'fail', to: 'T3', when: head.ne(h), do: [h.set(head), n.set(NULL)], doc: 'h := head; goto T2' });
      return 'T1';
    },
    push: (c) => casPush(c),
    flush({ t, head, fw, detachAll, fl }) {
      t.label('F1', 'n := head');
      t.label('F2', 'CAS(head, n, NULL); fail: goto F1');
      t.step('F1', { to: 'F2', do: [fl.set(head)] });
      t.step('F2', {
        branch: 'ok', to: 'walk', when: head.eq(fl),
        do: [head.set(NULL), fw.set(fl), fl.set(NULL), detachAll()],
      });
      t.step('F2', { branch: 'fail', to: 'F1', when: head.ne(fl) });
      return 'F1';
    },
  });
  const broken = violates('NoUseAfterFree', 'FreeListIntact', 'NoDoubleAlloc');
  poolConfigs(p, {
    small: broken, standard: broken, flush: broken, noOsFree: violates('FreeListIntact', 'NoDoubleAlloc'),
    // No starvation configuration: with its list corrupted by ABA, whether operations complete means nothing.
  }, {
    docs: { noOsFree: 'blocks stay mapped: what is left is the plain ABA of a CAS without a counter' },
  });

  // ------------------------------------------------------------ proofs (poolspec prove, Refines)
  // A candidate, expected to fail: without a counter nothing says the head a pop read is still
  // listed when its CAS succeeds, so some step breaks it (the ABA), and TLC finds the refinement
  // to AtomicPool violated.
  const { h, n, fl, blk } = { h: local('h'), n: local('n'), fl: local('fl'), blk: local('blk') };
  poolInductive(p, { pushLabels: ['B1', 'B3', 'B6', 'B7'], walkLabels: ['walk'], flushLabels: ['F1', 'F2'] }, {
    ReadHeadMapped: forallThreads((th) => at(th, 'T3', 'T4').implies(isBlock(h.of(th)).implies(v('mapped').at(h.of(th))))),
    PoppedHeadListed: forallThreads((th) => at(th, 'T4').implies(and(isBlock(h.of(th)), v('where').at(h.of(th)).eq('list'), n.of(th).eq(v('next').at(h.of(th)))))),
    PushLinked: forallThreads((th) => and(at(th, 'B1', 'B3', 'B6', 'B7').implies(isBlock(blk.of(th))),
      at(th, 'B3', 'B6', 'B7').implies(fl.of(th).ne(BUSY)),
      at(th, 'B7').implies(v('next').at(blk.of(th)).eq(fl.of(th))))),
  }, { configs: ['noOsFree'], expect: 'fails' });
  refinesAtomicPool(p, { small: violates('Refines'), noOsFree: violates('Refines') });
}, 'Textbook Treiber stack: single-word CAS on the head, no sequence counter (ABA-prone)');
