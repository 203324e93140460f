/**
 * The locked pool (no CONFIG_HAP_LOCKLESS_POOLS, ALGORITHMS.md section C): every access to the head
 * and to a listed block's link word under the spinlock pool->lock. Pop L1-L5, push M2-M7 (the crowded
 * block goes to the OS outside the lock), pool_flush K1-K4. Used by spec/LockedPool.ts.
 */
import { NULL, int, ptr, self, type LocalRef, type Ref } from '../../src/dsl/index.ts';
import { crowdedFree, type PoolCtx, type PoolLock } from './pool.ts';

export interface LockedVars { lock: Ref; pp: LocalRef; nn: LocalRef }

/** pool->lock (0 when free, else the holder's id) and the locals read under it. */
export const lockedDeclare = (c: PoolCtx): LockedVars => ({
  lock: c.p.shared('lock', int(0, c.T), 0, { doc: 'pool->lock: 0 when free, else the holder thread id' }),
  pp: c.t.local('pp', ptr(c.Blocks), NULL, 'pop: the head read under the lock; push: the head to link to'),
  nn: c.t.local('nn', ptr(c.Blocks), NULL, 'pop: its successor'),
});

/** The labels between taking pool->lock and releasing it. */
export const LOCKED_LABELS = ['L2', 'L3', 'L4', 'L5', 'M3', 'M4', 'M4b', 'M5', 'M6', 'K2', 'K3', 'K4'];

export const lockedLocks = ({ lock, at }: PoolCtx & LockedVars): PoolLock[] => [{
  owned: 'LockOwned', released: 'LockReleased', taken: lock.ne(0), doc: 'the spinlock pool->lock',
  holder: (th) => at(th, ...LOCKED_LABELS),
}];

/** L1-L5: under the lock, p := head; n := p->next; head := n. Entry L1. */
export function lockedPop({ t, head, next, where, held, isBlock, deref, lock, pp, nn }: PoolCtx & LockedVars): string {
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
}

/** M2-M7: under the lock, ptr->next := head; head := ptr; a crowded block goes to the OS after the unlock. Entry M2. */
export function lockedPush(c: PoolCtx & LockedVars): string {
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
}

/** K1-K4: under the lock, n := head; head := NULL; then the walk. Entry K1. */
export function lockedFlush({ t, head, fw, detachAll, lock, pp }: PoolCtx & LockedVars): string {
  t.label('K1', 'lock');
  t.label('K2', 'n := head');
  t.label('K3', 'head := NULL');
  t.label('K4', 'unlock');
  t.step('K1', { to: 'K2', when: lock.eq(0), do: [lock.set(self)] });
  t.step('K2', { to: 'K3', do: [pp.set(head)] });
  t.step('K3', { to: 'K4', do: [head.set(NULL), fw.set(pp), pp.set(NULL), detachAll()] });
  t.step('K4', { to: 'walk', do: [lock.set(0)] });
  return 'K1';
}
