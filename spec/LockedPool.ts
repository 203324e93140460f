/**
 * The locked variant (no CONFIG_HAP_LOCKLESS_POOLS; ALGORITHMS.md section C): every access to the
 * head and to a listed block's link word happens under a spinlock. The reference the others are
 * compared with. Steps L*, M* and the locked flush.
 */
import { holds, protocol, violates, and, or } from '../src/dsl/index.ts';
import { LOCKED_LABELS, lockedDeclare, lockedFlush, lockedLocks, lockedPop, lockedPush, type LockedVars } from './lib/locked.ts';
import { poolConfigs, poolProtocol } from './lib/pool.ts';
import { Threads, at, forallThreads, isBlock, local, poolInductive, refinesAtomicPool, v } from './lib/proofs.ts';

export default protocol('LockedPool', (p) => {
  poolProtocol<LockedVars>(p, { declare: lockedDeclare, locks: lockedLocks, pop: lockedPop, push: lockedPush, flush: lockedFlush });
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
  const locked = LOCKED_LABELS;
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
