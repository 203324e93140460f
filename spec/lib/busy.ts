/**
 * HAProxy's fix (2a4523f6, ALGORITHMS.md section B): the head of the free list is self-locked.
 * Pop (D1-D7) takes the list with XCHG(head, BUSY) and releases it by storing the successor; push
 * (E2-E6) waits while the head is BUSY, then CASes; pool_flush (H1-H5) takes the whole list the same
 * way. The ghost `lhead` is the logical head (the list a BUSY holder is working on). Used by
 * spec/BusyPool.ts.
 */
import { BUSY, NULL, ptr, type LocalRef, type Ref } from '../../src/dsl/index.ts';
import { crowdedFree, type PoolCtx, type PoolLock } from './pool.ts';

export interface BusyVars { lhead: Ref; r: LocalRef; nx: LocalRef; fl: LocalRef }

/** The ghost logical head and the locals of the BUSY-locked pop, push and flush. */
export const busyDeclare = (c: PoolCtx): BusyVars => ({
  lhead: c.p.ghost('lhead', ptr(c.Blocks), c.headInit, { doc: 'the logical head: the list a BUSY holder is working on' }),
  r: c.t.local('r', ptr(c.Blocks), NULL, 'pop and flush: the head read or taken'),
  nx: c.t.local('nx', ptr(c.Blocks), NULL, 'pop: the successor of the taken head'),
  fl: c.t.local('fl', ptr(c.Blocks), NULL, 'push: the head the new block is linked to'),
});

export const busyListHead = (c: PoolCtx & BusyVars) => c.lhead;

/** The BUSY head as a lock word: held from a winning XCHG (D2/H2) until D7 or H5 releases it. */
export const busyLocks = ({ head, at, r }: PoolCtx & BusyVars): PoolLock[] => [{
  owned: 'BusyOwned', released: 'BusyReleased', taken: head.eq(BUSY), doc: 'the BUSY head',
  // The XCHG at D2/H2 took the list unless it returned BUSY; D7 and H5 release it.
  holder: (th) => at(th, 'D6', 'D7').or(at(th, 'D5', 'H5').and(r.of(th).ne(BUSY))),
}];

/** D1-D7: r := XCHG(head, BUSY) (spinning while BUSY); n := r->next; head := n. Entry D1. */
export function busyPop({ t, head, next, where, held, isBlock, deref, lhead, r, nx }: PoolCtx & BusyVars): string {
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
}

/** E2-E6: crowded test, then wait while the head is BUSY, link, CAS(head, fl, ptr). Entry E2. */
export function busyPush(c: PoolCtx & BusyVars): string {
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
}

/** H1-H5: pool_flush takes the list with XCHG(head, BUSY), then stores NULL. Entry H1. */
export function busyFlush({ t, head, fw, isBlock, detachAll, lhead, r }: PoolCtx & BusyVars): string {
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
}
