/**
 * HAProxy's fix (2a4523f6, "BUG/MAJOR: pools: fix possible race with free() in the lockless variant"):
 * the head of the free list is self-locked. `XCHG(head, BUSY)` takes the list; storing the successor
 * releases it. A push waits while the head is BUSY, then CASes. pool_flush takes the whole list the
 * same way. Steps D*, E*, H* of ALGORITHMS.md section B.
 */
import { BUSY, holds, protocol, violates, and, exists, forall, not, or, type E } from '../src/dsl/index.ts';
import { busyDeclare, busyFlush, busyListHead, busyLocks, busyPop, busyPush, type BusyVars } from './lib/busy.ts';
import { poolConfigs, poolProtocol } from './lib/pool.ts';
import { Threads, at, forallThreads, isBlock, local, poolInductive, refinesAtomicPool, v } from './lib/proofs.ts';

export default protocol('BusyPool', (p) => {
  poolProtocol<BusyVars>(p, { declare: busyDeclare, listHead: busyListHead, locks: busyLocks, pop: busyPop, push: busyPush, flush: busyFlush });
  poolConfigs(p, {
    small: holds(), standard: holds(), flush: holds(), noOsFree: holds(),
    starvation: {
      expect: violates('StarvationFree'),
      why: 'a thread spinning on a BUSY head (D2, E5, H2) takes only stuttering steps, so weak fairness does not make it run at the moments the head is free: the other thread can take the list every time (XCHG is not FIFO). Expected, as in HAProxy',
    },
  });

  // ------------------------------------------------------------ proofs (poolspec prove, Refines)
  // The lock: the head is BUSY exactly when one thread holds it (after a winning XCHG, until it
  // stores the successor or NULL); the holder's r is the logical head.
  const owner = (th: E) => or(at(th, 'D6', 'D7'), and(at(th, 'D5', 'H5'), local('r').of(th).ne(BUSY)));
  const { r, nx, fl, blk } = { r: local('r'), nx: local('nx'), fl: local('fl'), blk: local('blk') };
  poolInductive(p, { pushLabels: ['E2', 'E5', 'E6'], walkLabels: ['walk'], flushLabels: ['H1', 'H2', 'H5'], listHead: v('lhead') }, {
    BusyIffOwned: v('head').eq(BUSY).eq(exists(Threads, owner, 'th')),
    OneOwner: forallThreads((t1) => forall(Threads, (t2) => t1.ne(t2).implies(not(and(owner(t1), owner(t2)))), 'u')),
    FreeHeadIsLogical: v('head').ne(BUSY).implies(v('head').eq(v('lhead'))),
    OwnerHasHead: forallThreads((th) => owner(th).implies(r.of(th).eq(v('lhead')))),
    PopHasBlock: forallThreads((th) => and(at(th, 'D6', 'D7').implies(isBlock(r.of(th))), at(th, 'D7').implies(nx.of(th).eq(v('next').at(r.of(th)))))),
    PushLinked: forallThreads((th) => and(at(th, 'E2', 'E5', 'E6').implies(isBlock(blk.of(th))),
      at(th, 'E6').implies(and(fl.of(th).ne(BUSY), v('next').at(blk.of(th)).eq(fl.of(th)))))),
  });
  refinesAtomicPool(p, { small: holds(), standard: holds() });
}, 'HAProxy after the fix: self-locked head with POOL_BUSY via XCHG');
