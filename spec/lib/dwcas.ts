/**
 * HAProxy's lockless pool before the fix (ALGORITHMS.md section A): the pop that reads seq, then the
 * head, dereferences head->next and swings {head, seq} with a double-word CAS (A1-A5), and pool_flush
 * under pool->lock with the same DWCAS (C1-C5). Used by spec/DwcasPool.ts; the push is
 * spec/lib/cas-push.ts.
 */
import { NULL, and, bool, int, ptr, type E, type LocalRef, type ProtocolBuilder, type Ref } from '../../src/dsl/index.ts';
import type { PoolCtx, PoolLock } from './pool.ts';

export interface DwcasVars { seq: Ref; lock: Ref; cs: LocalRef; ch: LocalRef; nh: LocalRef; fl: LocalRef }

/**
 * The declare step of a DWCAS variant: `seq` paired with the head, pool_flush's lock, and the locals.
 * `MaxSeq` bounds seq (a state constraint the spec adds with `seq <= MaxSeq`).
 */
export function dwcasDeclare(p: ProtocolBuilder, MaxSeq: E): (c: PoolCtx) => DwcasVars {
  return (c) => {
    // MaxSeq + 1: the state constraint keeps seq <= MaxSeq among explored states, but the checkers
    // still check the invariants (TypeOK too) on the successors that step beyond it.
    const seq = p.shared('seq', int(0, MaxSeq.add(1)), 0, { doc: 'pool->seq, bumped by every pop and flush' });
    p.pair(c.head, seq);
    return {
      seq,
      lock: p.shared('lock', bool, false, { doc: 'pool->lock, taken only by pool_flush' }),
      cs: c.t.local('cs', int(0, MaxSeq), 0, 'pop/flush: the seq read'),
      ch: c.t.local('ch', ptr(c.Blocks), NULL, 'pop/flush: the head read'),
      nh: c.t.local('nh', ptr(c.Blocks), NULL, 'pop: the successor read through ch'),
      fl: c.t.local('fl', ptr(c.Blocks), NULL, 'push: the head the new block is linked to'),
    };
  };
}

/** A1-A5: cs := seq; ch := head; nh := ch->next; DWCAS(<head, seq>, <ch, cs>, <nh, cs + 1>). Entry A1. */
export function dwcasPop({ t, head, next, where, held, isBlock, deref, seq, cs, ch, nh }: PoolCtx & DwcasVars): string {
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
}

/** pool->lock, taken by pool_flush (C1-C5). */
export const dwcasLocks = ({ lock, at }: PoolCtx & DwcasVars): PoolLock[] => [{
  owned: 'LockOwned', released: 'LockReleased', taken: lock, doc: 'pool->lock, taken by pool_flush',
  holder: (th) => at(th, 'C2', 'C3', 'C4', 'C5'),
}];

/** C1-C5: pool_flush under pool->lock detaches the list with DWCAS(<head, seq>, <ch, cs>, <NULL, cs + 1>). Entry C1. */
export function dwcasFlush({ t, head, fw, detachAll, seq, lock, cs, ch }: PoolCtx & DwcasVars): string {
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
}
