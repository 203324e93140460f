/**
 * No shared list at all (HAProxy built without pools, DEBUG_NO_POOLS): every allocation goes to the
 * OS, every free gives the block back to the OS, and pool_flush has nothing to do. Used by
 * spec/NoCachePool.ts.
 */
import { crowdedFree, type PoolCtx } from './pool.ts';

export const nocacheDeclare = (): Record<string, never> => ({});

/** pool_alloc_nocache: straight to the OS. Entry nocache_alloc. */
export function nocachePop({ t }: PoolCtx): string {
  t.label('nocache_alloc', 'pool_alloc_nocache: straight to the OS');
  t.step('nocache_alloc', { to: 'os' });
  return 'nocache_alloc';
}

/** pool_free_nocache: free(ptr) to the OS. Entry nocache_free. */
export function nocachePush(c: PoolCtx): string {
  c.t.label('nocache_free', 'pool_free_nocache: free(ptr) to the OS');
  crowdedFree(c, 'nocache_free');
  return 'nocache_free';
}

/** Nothing to flush. Entry nocache_flush. */
export function nocacheFlush({ t }: PoolCtx): string {
  t.label('nocache_flush', 'nothing to flush: there is no shared list');
  t.step('nocache_flush', { to: 'idle' });
  return 'nocache_flush';
}
