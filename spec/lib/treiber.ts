/**
 * The textbook Treiber stack's pop (ALGORITHMS.md section D: read the head, dereference it, CAS the
 * head to its successor; no counter, so ABA-prone) and pool_flush's detach with a single-word CAS
 * (HAProxy until b6fa08bc7). Used by spec/TreiberPool.ts; the push is spec/lib/cas-push.ts.
 */
import { NULL, ptr, type LocalRef } from '../../src/dsl/index.ts';
import type { PoolCtx } from './pool.ts';

export interface TreiberLocals { h: LocalRef; n: LocalRef; fl: LocalRef }

/** The locals of the Treiber pop (h, n) and of the CAS push and flush (fl). */
export function treiberLocals(c: PoolCtx): TreiberLocals {
  return {
    h: c.t.local('h', ptr(c.Blocks), NULL, 'pop: the head read'),
    n: c.t.local('n', ptr(c.Blocks), NULL, 'pop: its successor'),
    fl: c.t.local('fl', ptr(c.Blocks), NULL, 'push: the head the new block is linked to; flush: the list taken'),
  };
}

/** T1-T4: h := head; n := h->next; CAS(head, h, n). Entry label T1. */
export function treiberPop({ t, head, next, where, held, isBlock, deref, h, n }: PoolCtx & Pick<TreiberLocals, 'h' | 'n'>): string {
  t.label('T1', 'h := head');
  t.label('T3', 'if h = NULL: return NULL; n := h->next');
  t.label('T4', 'CAS(head, h, n)');
  t.step('T1', { to: 'T3', do: [h.set(head)] });
  t.step('T3', { branch: 'empty', to: 'os', when: h.eq(NULL) });
  t.step('T3', { branch: 'deref', to: 'T4', when: isBlock(h), do: [n.set(next.at(h)), deref(h)] });
  t.step('T4', {
    branch: 'ok', to: 'idle', when: head.eq(h),
    do: [head.set(n), where.at(h).set('thread'), held.set(held.plus(h)), h.set(NULL), n.set(NULL)],
  });
  t.step('T4', { branch: 'fail', to: 'T3', when: head.ne(h), do: [h.set(head), n.set(NULL)], doc: 'h := head; goto T2' });
  return 'T1';
}

/** F1-F2: pool_flush detaches the list with a single-word CAS(head, n, NULL). Entry label F1. */
export function casFlush({ t, head, fw, detachAll, fl }: PoolCtx & Pick<TreiberLocals, 'fl'>): string {
  t.label('F1', 'n := head');
  t.label('F2', 'CAS(head, n, NULL); fail: goto F1');
  t.step('F1', { to: 'F2', do: [fl.set(head)] });
  t.step('F2', {
    branch: 'ok', to: 'walk', when: head.eq(fl),
    do: [head.set(NULL), fw.set(fl), fl.set(NULL), detachAll()],
  });
  t.step('F2', { branch: 'fail', to: 'F1', when: head.ne(fl) });
  return 'F1';
}

/** X1: pool_flush detaches the list with one XCHG(head, NULL) (no retry). Entry label X1. */
export function xchgFlush({ t, head, fw, detachAll }: PoolCtx): string {
  t.label('X1', 'n := XCHG(head, NULL)');
  t.step('X1', { to: 'walk', do: [head.set(NULL), fw.set(head), detachAll()] });
  return 'X1';
}
