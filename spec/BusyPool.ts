/**
 * HAProxy's fix (2a4523f6, "BUG/MAJOR: pools: fix possible race with free() in the lockless variant"):
 * the head of the free list is self-locked. `XCHG(head, BUSY)` takes the list; storing the successor
 * releases it. A push waits while the head is BUSY, then CASes. pool_flush takes the whole list the
 * same way. Steps D*, E*, H* of ALGORITHMS.md section B.
 */
import { BUSY, NULL, holds, ptr, protocol, violates, and, exists, forall, not, or, type E } from '../src/dsl/index.ts';
import { crowdedFree, poolConfigs, poolProtocol } from './lib/pool.ts';
import { Threads, at, forallThreads, isBlock, local, poolInductive, refinesAtomicPool, v } from './lib/proofs.ts';

export default protocol('BusyPool', (p) => {
  poolProtocol(p, {
    declare: (c) => ({
      lhead: p.ghost('lhead', ptr(c.Blocks), c.headInit, { doc: 'the logical head: the list a BUSY holder is working on' }),
      r: c.t.local('r', ptr(c.Blocks), NULL, 'pop and flush: the head read or taken'),
      nx: c.t.local('nx', ptr(c.Blocks), NULL, 'pop: the successor of the taken head'),
      fl: c.t.local('fl', ptr(c.Blocks), NULL, 'push: the head the new block is linked to'),
    }),
    listHead: (c) => c.lhead,
    locks: ({ head, at, r }) => [{
      owned: 'BusyOwned', released: 'BusyReleased', taken: head.eq(BUSY), doc: 'the BUSY head',
      // The XCHG at D2/H2 took the list unless it returned BUSY; D7 and H5 release it.
      holder: (th) => at(th, 'D6', 'D7').or(at(th, 'D5', 'H5').and(r.of(th).ne(BUSY))),
    }],
    pop({ t, head, next, where, held, isBlock, deref, lhead, r, nx }) {
      t.label('D1', 'r := head (plain load)');
      t.label('D2', 'while r = BUSY: r := head; if r = NULL: return NULL');
      t.label('D5', 'r := XCHG(head, BUSY) done: the thread owns the head unless r = BUSY');
      t.label('D6', 'n := r->next, under the self-lock');
      t.label('D7', 'head := n: releases the lock');
      t.step('D1', { to: 'D2', do: [r.set(head)] });
      t.step('D2', { branch: 'spin', to: 'D2', when: r.eq(BUSY), do: [r.set(head)] });
      t.step('D2', { branch: 'empty', to: 'os', when: r.eq(NULL), do: [r.set(NULL)] });
      t.step('D2', { branch: 'xchg', to: 'D5', when: isBlock(r), do: [r.set(head), head.set(BUSY)], doc: 'D4: r := XCHG(head, BUSY)' });
      t.step('D5', { branch: 'busy', to: 'D2', when: r.eq(BUSY), doc: 'the XCHG wrote BUSY over BUSY: no ownership' });
      t.step('D5', { branch: 'empty', to: 'os', when: r.eq(NULL), do: [head.set(NULL)], doc: 'head := NULL; return NULL' });
      t.step('D5', { branch: 'owned', to: 'D6', when: isBlock(r) });
      t.step('D6', { to: 'D7', do: [nx.set(next.at(r)), deref(r)] });
      t.step('D7', {
        to: 'idle',
        do: [head.set(nx), lhead.set(nx), where.at(r).set('thread'), held.set(held.plus(r)), r.set(NULL), nx.set(NULL)],
        doc: 'head := n releases the lock; the caller owns r',
      });
      return 'D1';
    },
    push(c) {
      const { t, head, next, where, blk, deref, lhead, fl } = c;
      t.label('E2', 'if pool_is_crowded(): free(ptr) to the OS');
      t.label('E5', 'ptr->next := fl');
      t.label('E6', 'CAS(head, fl, ptr)');
      crowdedFree(c, 'E2');
      t.step('E2', { branch: 'notCrowded', to: 'E5', do: [fl.set(head)], doc: 'E3: fl := head' });
      t.step('E5', { branch: 'spin', to: 'E5', when: fl.eq(BUSY), do: [fl.set(head)], doc: 'E4: while fl = BUSY: fl := head' });
      t.step('E5', { branch: 'link', to: 'E6', when: fl.ne(BUSY), do: [next.at(blk).set(fl), deref(blk)] });
      t.step('E6', {
        branch: 'ok', to: 'idle', when: head.eq(fl),
        do: [head.set(blk), lhead.set(blk), where.at(blk).set('list'), blk.set(NULL), fl.set(NULL)],
      });
      t.step('E6', { branch: 'fail', to: 'E5', when: head.ne(fl), do: [fl.set(head)], doc: 'fl := head (may be BUSY); goto E4' });
      return 'E2';
    },
    flush({ t, head, fw, isBlock, detachAll, lhead, r }) {
      t.label('H1', 'n := head');
      t.label('H2', 'while n = BUSY: n := head; if n = NULL: return');
      t.label('H5', 'head := NULL (unconditional)');
      t.step('H1', { to: 'H2', do: [r.set(head)] });
      t.step('H2', { branch: 'spin', to: 'H2', when: r.eq(BUSY), do: [r.set(head)] });
      t.step('H2', { branch: 'empty', to: 'idle', when: r.eq(NULL) });
      t.step('H2', { branch: 'xchg', to: 'H5', when: isBlock(r), do: [r.set(head), head.set(BUSY)], doc: 'H4: n := XCHG(head, BUSY)' });
      t.step('H5', { branch: 'busy', to: 'H2', when: r.eq(BUSY), doc: 'the XCHG returned BUSY: retry' });
      t.step('H5', {
        branch: 'detach', to: 'walk', when: r.ne(BUSY),
        do: [head.set(NULL), lhead.set(NULL), fw.set(r), r.set(NULL), detachAll()],
        doc: 'head := NULL; the detached list is walked and freed',
      });
      return 'H1';
    },
  });
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
