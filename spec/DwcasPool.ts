/**
 * HAProxy's lockless pool before the fix (parent 9b3ed513 of 2a4523f6): pop reads seq, then head,
 * then dereferences head->next, then swings {head, seq} with a double-word CAS. The counter stops ABA,
 * but not the dereference of a block another thread has meanwhile popped and given back to the OS
 * (GH #1275). Steps A*, B*, C* of ALGORITHMS.md section A.
 */
import { BUSY, NULL, and, bool, exists, forall, holds, int, not, ptr, protocol, violates, type E } from '../src/dsl/index.ts';
import { casPush } from './lib/cas-push.ts';
import { poolConfigs, poolProtocol } from './lib/pool.ts';
import { Threads, at, forallThreads, isBlock, local, poolInductive, refinesAtomicPool, v } from './lib/proofs.ts';

export default protocol('DwcasPool', (p) => {
  const MaxSeq = p.constant('MaxSeq', 'int', 'bound on seq for model checking (a state constraint)');
  let seqRef!: ReturnType<typeof p.shared>;
  poolProtocol(p, {
    declare: (c) => {
      // MaxSeq + 1: the state constraint keeps seq <= MaxSeq among explored states, but the checkers
      // still check the invariants (TypeOK too) on the successors that step beyond it.
      const seq = p.shared('seq', int(0, MaxSeq.add(1)), 0, { doc: 'pool->seq, bumped by every pop and flush' });
      seqRef = seq;
      p.pair(c.head, seq);
      return {
        seq,
        lock: p.shared('lock', bool, false, { doc: 'pool->lock, taken only by pool_flush' }),
        cs: c.t.local('cs', int(0, MaxSeq), 0, 'pop/flush: the seq read'),
        ch: c.t.local('ch', ptr(c.Blocks), NULL, 'pop/flush: the head read'),
        nh: c.t.local('nh', ptr(c.Blocks), NULL, 'pop: the successor read through ch'),
        fl: c.t.local('fl', ptr(c.Blocks), NULL, 'push: the head the new block is linked to'),
      };
    },
    pop({ t, head, next, where, held, isBlock, deref, seq, cs, ch, nh }) {
      t.label('A1', 'cs := seq');
      t.label('A2', 'ch := head');
      t.label('A4', 'if ch = NULL: return NULL; nh := ch->next (the dereference)');
      t.label('A5', 'DWCAS(<head, seq>, <ch, cs>, <nh, cs + 1>)');
      t.step('A1', { to: 'A2', do: [cs.set(seq)] });
      t.step('A2', { to: 'A4', do: [ch.set(head)] });
      t.step('A4', { branch: 'empty', to: 'os', when: ch.eq(NULL), do: [cs.set(0)] });
      t.step('A4', { branch: 'deref', to: 'A5', when: isBlock(ch), do: [nh.set(next.at(ch)), deref(ch)] });
      t.step('A5', {
        branch: 'ok', to: 'idle', when: and(head.eq(ch), seq.eq(cs)),
        do: [head.set(nh), seq.set(cs.add(1)), where.at(ch).set('thread'), held.set(held.plus(ch)), cs.set(0), ch.set(NULL), nh.set(NULL)],
        doc: 'the caller owns ch',
      });
      t.step('A5', {
        branch: 'fail', to: 'A4', when: head.ne(ch).or(seq.ne(cs)),
        do: [ch.set(head), cs.set(seq), nh.set(NULL)],
        doc: 'a failed DWCAS reads the current pair atomically; goto A3',
      });
      return 'A1';
    },
    push: (c) => casPush(c),
    locks: ({ lock, at }) => [{
      owned: 'LockOwned', released: 'LockReleased', taken: lock, doc: 'pool->lock, taken by pool_flush',
      holder: (th) => at(th, 'C2', 'C3', 'C4', 'C5'),
    }],
    flush({ t, head, fw, detachAll, seq, lock, cs, ch }) {
      t.label('C1', 'spin_lock(&pool->lock)');
      t.label('C2', 'ch := head');
      t.label('C3', 'cs := seq');
      t.label('C4', 'DWCAS(<head, seq>, <ch, cs>, <NULL, cs + 1>)');
      t.label('C5', 'spin_unlock(&pool->lock)');
      t.step('C1', { to: 'C2', when: lock.eq(false), do: [lock.set(true)] });
      t.step('C2', { to: 'C3', do: [ch.set(head)] });
      t.step('C3', { to: 'C4', do: [cs.set(seq)] });
      t.step('C4', {
        branch: 'ok', to: 'C5', when: and(head.eq(ch), seq.eq(cs)),
        do: [head.set(NULL), seq.set(cs.add(1)), fw.set(ch), ch.set(NULL), cs.set(0), detachAll()],
      });
      t.step('C4', { branch: 'fail', to: 'C2', when: head.ne(ch).or(seq.ne(cs)) });
      t.step('C5', { to: 'walk', do: [lock.set(false)] });
      return 'C1';
    },
  });
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
