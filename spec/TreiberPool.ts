/**
 * The textbook lock-free stack (Treiber 1986) as a pool free list: single-word CAS on the head, no
 * sequence counter. Not HAProxy's pop, but its precursor (ALGORITHMS.md section D): it suffers both
 * the use-after-free of the seed commit and the classic ABA. pool_flush detaches the list with a
 * single-word CAS, as HAProxy did until b6fa08bc7.
 */
import { BUSY, and, protocol, violates } from '../src/dsl/index.ts';
import { casPush } from './lib/cas-push.ts';
import { casFlush, treiberLocals, treiberPop, type TreiberLocals } from './lib/treiber.ts';
import { poolConfigs, poolProtocol } from './lib/pool.ts';
import { at, forallThreads, isBlock, local, poolInductive, refinesAtomicPool, v } from './lib/proofs.ts';

export default protocol('TreiberPool', (p) => {
  poolProtocol<TreiberLocals>(p, { declare: treiberLocals, pop: treiberPop, push: casPush, flush: casFlush });
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
