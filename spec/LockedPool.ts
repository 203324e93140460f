/**
 * The locked variant (no CONFIG_HAP_LOCKLESS_POOLS; ALGORITHMS.md section C): every access to the
 * head and to a listed block's link word happens under a spinlock. The reference the others are
 * compared with. Steps L*, M* and the locked flush.
 */
import { NULL, holds, int, ptr, protocol, self, violates, and, or } from '../src/dsl/index.ts';
import { crowdedFree, poolConfigs, poolProtocol } from './lib/pool.ts';
import { Threads, at, forallThreads, isBlock, local, poolInductive, refinesAtomicPool, v } from './lib/proofs.ts';

export default protocol('LockedPool', (p) => {
  poolProtocol(p, {
    declare: (c) => ({
      lock: p.shared('lock', int(0, c.T), 0, { doc: 'pool->lock: 0 when free, else the holder thread id' }),
      pp: c.t.local('pp', ptr(c.Blocks), NULL, 'pop: the head read under the lock; push: the head to link to'),
      nn: c.t.local('nn', ptr(c.Blocks), NULL, 'pop: its successor'),
    }),
    locks: ({ lock, at }) => [{
      owned: 'LockOwned', released: 'LockReleased', taken: lock.ne(0), doc: 'the spinlock pool->lock',
      holder: (th) => at(th, 'L2', 'L3', 'L4', 'L5', 'M3', 'M4', 'M4b', 'M5', 'M6', 'K2', 'K3', 'K4'),
    }],
    pop({ t, head, next, where, held, isBlock, deref, lock, pp, nn }) {
      t.label('L1', 'spin_lock(&pool->lock)');
      t.label('L2', 'p := head');
      t.label('L3', 'if p != NULL: n := p->next');
      t.label('L4', 'head := n');
      t.label('L5', 'spin_unlock(&pool->lock)');
      t.step('L1', { to: 'L2', when: lock.eq(0), do: [lock.set(self)] });
      t.step('L2', { to: 'L3', do: [pp.set(head)] });
      t.step('L3', { branch: 'deref', to: 'L4', when: isBlock(pp), do: [nn.set(next.at(pp)), deref(pp)] });
      t.step('L3', { branch: 'empty', to: 'L5', when: pp.eq(NULL) });
      t.step('L4', { to: 'L5', do: [head.set(nn), where.at(pp).set('thread'), held.set(held.plus(pp)), nn.set(NULL)] });
      t.step('L5', { branch: 'got', to: 'idle', when: isBlock(pp), do: [lock.set(0), pp.set(NULL)] });
      t.step('L5', { branch: 'empty', to: 'os', when: pp.eq(NULL), do: [lock.set(0)] });
      return 'L1';
    },
    push(c) {
      const { t, head, next, where, blk, deref, lock, pp } = c;
      t.label('M2', 'spin_lock(&pool->lock)');
      t.label('M3', 'if !pool_is_crowded(): link the block');
      t.label('M4', 'ptr->next := head (the load of head)');
      t.label('M4b', 'ptr->next := head (the store)');
      t.label('M5', 'head := ptr');
      t.label('M6', 'spin_unlock(&pool->lock)');
      t.label('M7', 'if crowded: free(ptr) to the OS, outside the lock');
      t.step('M2', { to: 'M3', when: lock.eq(0), do: [lock.set(self)] });
      t.step('M3', { branch: 'notCrowded', to: 'M4' });
      t.step('M3', { branch: 'crowded', to: 'M6', when: c.OsFree, doc: 'leave ptr set: it goes to the OS at M7' });
      t.step('M4', { to: 'M4b', do: [pp.set(head)] });
      t.step('M4b', { to: 'M5', do: [next.at(blk).set(pp), deref(blk), pp.set(NULL)] });
      t.step('M5', { to: 'M6', do: [head.set(blk), where.at(blk).set('list'), blk.set(NULL)], doc: 'ptr := NULL' });
      t.step('M6', { to: 'M7', do: [lock.set(0)] });
      crowdedFree(c, 'M7', c.isBlock(blk));
      t.step('M7', { branch: 'done', to: 'idle', when: blk.eq(NULL) });
      return 'M2';
    },
    flush({ t, head, fw, detachAll, lock, pp }) {
      t.label('K1', 'lock');
      t.label('K2', 'n := head');
      t.label('K3', 'head := NULL');
      t.label('K4', 'unlock');
      t.step('K1', { to: 'K2', when: lock.eq(0), do: [lock.set(self)] });
      t.step('K2', { to: 'K3', do: [pp.set(head)] });
      t.step('K3', { to: 'K4', do: [head.set(NULL), fw.set(pp), pp.set(NULL), detachAll()] });
      t.step('K4', { to: 'walk', do: [lock.set(0)] });
      return 'K1';
    },
  });
  poolConfigs(p, {
    small: holds(), standard: holds(), flush: holds(), noOsFree: holds(),
    starvation: {
      expect: violates('StarvationFree'),
      why: 'spin_lock is a test-and-set loop: a waiting thread has no step while the lock is taken, so weak fairness lets the other thread take the lock again each time it is released. Expected: only a fair (ticket or queue) lock or strong fairness would prevent it',
    },
  }, { largeSymmetry: ['Blocks'] }); // `lock` holds a thread id as an integer (0: free): threads are not symmetric in it

  // ------------------------------------------------------------ proofs (poolspec prove, Refines)
  // The spinlock: `lock` names the one thread inside a critical section (0: none); under it, the
  // locals hold what the thread read of the list.
  const locked = ['L2', 'L3', 'L4', 'L5', 'M3', 'M4', 'M4b', 'M5', 'M6', 'K2', 'K3', 'K4'];
  const { pp, nn, blk } = { pp: local('pp'), nn: local('nn'), blk: local('blk') };
  const head = v('head');
  poolInductive(p, { pushLabels: ['M2', 'M3', 'M4', 'M4b', 'M5', 'M6', 'M7'], walkLabels: ['K4', 'walk'], flushLabels: ['K1', 'K2', 'K3', 'K4'] }, {
    LockIsAThread: or(v('lock').eq(0), v('lock').in(Threads)),
    LockHolder: forallThreads((th) => at(th, ...locked).eq(v('lock').eq(th))),
    PopUnderLock: forallThreads((th) => and(
      at(th, 'L3', 'L4').implies(pp.of(th).eq(head)),
      at(th, 'L4').implies(and(isBlock(pp.of(th)), nn.of(th).eq(v('next').at(pp.of(th))))),
    )),
    PushUnderLock: forallThreads((th) => and(
      at(th, 'M2', 'M3', 'M4', 'M4b', 'M5').implies(isBlock(blk.of(th))),
      at(th, 'M4b').implies(pp.of(th).eq(head)),
      at(th, 'M5').implies(v('next').at(blk.of(th)).eq(head)),
    )),
    FlushUnderLock: forallThreads((th) => at(th, 'K3').implies(pp.of(th).eq(head))),
  });
  refinesAtomicPool(p, { small: holds(), standard: holds() });
}, 'The locked pool: a spinlock around every list access (the reference)');
