/**
 * The lockless push HAProxy used before the fix (ALGORITHMS.md B1-B8), also the textbook Treiber push:
 * read the head, maybe give the block to the OS (crowded), link the block, single-word CAS on the head.
 * It never reads another block's link word, so it is immune to ABA.
 */
import { NULL, type LocalRef } from '../../src/dsl/index.ts';
import { crowdedFree, type PoolCtx } from './pool.ts';

export function casPush(c: PoolCtx & { fl: LocalRef }): string {
  const { t, head, next, where, blk, deref, fl } = c;
  t.label('B1', 'fl := head (plain load, before the crowding test)');
  t.label('B3', 'if pool_is_crowded(): free(ptr); allocated--');
  t.label('B6', 'ptr->next := fl');
  t.label('B7', 'CAS(head, fl, ptr); seq is not changed');
  t.step('B1', { to: 'B3', do: [fl.set(head)] });
  crowdedFree(c, 'B3');
  t.step('B3', { branch: 'notCrowded', to: 'B6', do: [] });
  t.step('B6', { to: 'B7', do: [next.at(blk).set(fl), deref(blk)] });
  t.step('B7', {
    branch: 'ok', to: 'idle', when: head.eq(fl),
    do: [head.set(blk), where.at(blk).set('list'), blk.set(NULL), fl.set(NULL)],
  });
  t.step('B7', { branch: 'fail', to: 'B6', when: head.ne(fl), do: [fl.set(head)], doc: 'fl := head; goto B6' });
  return 'B1';
}
