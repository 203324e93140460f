/**
 * HAProxy's lockless pool before the fix (parent 9b3ed513 of 2a4523f6): pop reads seq, then head,
 * then dereferences head->next, then swings {head, seq} with a double-word CAS. The counter stops ABA,
 * but not the dereference of a block another thread has meanwhile popped and given back to the OS
 * (GH #1275). Steps A*, B*, C* of ALGORITHMS.md section A.
 */
import { BUSY, and, exists, forall, holds, not, protocol, violates, type E } from '../src/dsl/index.ts';
import { casPush } from './lib/cas-push.ts';
import { dwcasDeclare, dwcasFlush, dwcasLocks, dwcasPop, type DwcasVars } from './lib/dwcas.ts';
import { poolConfigs, poolProtocol } from './lib/pool.ts';
import { Threads, at, forallThreads, isBlock, local, poolInductive, refinesAtomicPool, v } from './lib/proofs.ts';

export default protocol('DwcasPool', (p) => {
  const MaxSeq = p.constant('MaxSeq', 'int', 'bound on seq for model checking (a state constraint)');
  const { seq: seqRef } = poolProtocol<DwcasVars>(p, { declare: dwcasDeclare(p, MaxSeq), pop: dwcasPop, push: casPush, locks: dwcasLocks, flush: dwcasFlush });
  const uaf = violates('NoUseAfterFree');
  poolConfigs(p, {
    small: uaf, standard: uaf, flush: uaf, noOsFree: holds(),
    starvation: {
      expect: holds(),
      why: 'holds only because the state constraint bounds seq: in a loop of the state graph neither seq nor the head can change (pops and flushes bump seq, and pushes only add blocks that a pop or flush must take back), so a retried DWCAS finally succeeds or leaves the bound. Unbounded, a DWCAS can fail forever (lock-free, not wait-free): see TreiberPool starvation',
    },
  }, {
    constants: { MaxSeq: 4 },
    constraint: seqRef.le(MaxSeq),
    docs: {
      small: 'the GH #1275 race: a stale head is dereferenced after another thread gave it to the OS',
      flush: 'pool_flush frees a block another thread is about to dereference: the same race through the flush',
      noOsFree: 'the commit message: "there is no problem as long as the item remains mapped in memory"',
    },
  });

  // ------------------------------------------------------------ proofs (poolspec prove, Refines)
  // Claimed for noOsFree only ("no problem as long as the item remains mapped"): a block read from
  // the head stays mapped, and while seq is unchanged since a pop read it, no pop or flush has
  // happened, so the head it read is still listed and its successor still the one read.
  const { cs, ch, nh, fl, blk } = { cs: local('cs'), ch: local('ch'), nh: local('nh'), fl: local('fl'), blk: local('blk') };
  const seq = v('seq');
  const fresh = (th: E) => seq.eq(cs.of(th));
  const flusher = (th: E) => at(th, 'C2', 'C3', 'C4', 'C5');
  poolInductive(p, { pushLabels: ['B1', 'B3', 'B6', 'B7'], walkLabels: ['C5', 'walk'], flushLabels: ['C1', 'C2', 'C3', 'C4', 'C5'] }, {
    ReadHeadMapped: forallThreads((th) => at(th, 'A4', 'A5').implies(isBlock(ch.of(th)).implies(v('mapped').at(ch.of(th))))),
    SeqNotBehind: forallThreads((th) => at(th, 'A2', 'A4', 'A5').implies(cs.of(th).le(seq))),
    FreshHeadListed: forallThreads((th) => and(
      and(at(th, 'A4'), fresh(th), isBlock(ch.of(th))).implies(v('where').at(ch.of(th)).eq('list')),
      and(at(th, 'A5'), fresh(th)).implies(and(isBlock(ch.of(th)), v('where').at(ch.of(th)).eq('list'), nh.of(th).eq(v('next').at(ch.of(th))))),
    )),
    PushLinked: forallThreads((th) => and(at(th, 'B1', 'B3', 'B6', 'B7').implies(isBlock(blk.of(th))),
      at(th, 'B3', 'B6', 'B7').implies(fl.of(th).ne(BUSY)),
      at(th, 'B7').implies(v('next').at(blk.of(th)).eq(fl.of(th))))),
    // pool_flush's spinlock: taken exactly while one thread is between C1 and C5.
    FlushLockHeld: v('lock').eq(exists(Threads, flusher, 'th')),
    OneFlusher: forallThreads((t1) => forall(Threads, (t2) => t1.ne(t2).implies(not(and(flusher(t1), flusher(t2)))), 'u')),
  }, { configs: ['noOsFree'] });
  // Only noOsFree is claimed. (With OsFree the mapping, which abstracts from `fault`, still holds:
  // the race is a read of unmapped memory, caught by NoUseAfterFree, not a wrong abstract step.)
  refinesAtomicPool(p, { noOsFree: holds() });
}, 'HAProxy before the fix: lockless pop with DWCAS on {head, seq}');
