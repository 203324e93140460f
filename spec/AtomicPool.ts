/**
 * The abstract pool users reason with: a set of free blocks and, per thread, the blocks it owns.
 * Allocation (from the pool or from the OS), free (to the pool or to the OS) and flush (the whole
 * pool to the OS) are each one atomic step. Every pool spec refines it (poolspec check: `Refines`),
 * so a program may treat any of them as this locked set.
 */
import {
  DomainRef, and, arrayOf, filter, forall, holds, mapOver, protocol, ptr, self, setOf, setType,
} from '../src/dsl/index.ts';

export default protocol('AtomicPool', (p) => {
  const T = p.constant('T', 'int', 'number of threads');
  const N = p.constant('N', 'int', 'number of blocks (addresses)');
  const Blocks = p.blocks('Blocks', N);
  const Threads = new DomainRef({ kind: 'procs', procType: 'Thread' });
  const none = setOf([], ptr(Blocks));
  const pool = p.shared('pool', setType(ptr(Blocks)), none, { doc: 'the free blocks the pool holds' });
  const owned = p.shared('owned', arrayOf(Threads, setType(ptr(Blocks))), mapOver(Threads, () => none, 'th'), {
    doc: 'the blocks each thread owns (allocated to it, or kept in its local cache)',
  });
  const atOs = filter(Blocks, (b) => and(b.notIn(pool), forall(Threads, (th) => b.notIn(owned.at(th)), 'th')), 'b');
  const mine = owned.at(self);

  p.process('Thread', T, { fairness: 'weak' }, (t) => {
    t.label('idle', 'every operation is one atomic step');
    t.choose('idle', pool, (b) => ({
      branch: 'alloc', to: 'idle', atomic: true, op: 'alloc', do: [pool.set(pool.without(b)), mine.set(mine.plus(b))],
      doc: 'alloc: take any free block of the pool',
    }), 'b');
    t.choose('idle', atOs, (b) => ({
      branch: 'allocOs', to: 'idle', atomic: true, op: 'alloc', do: [mine.set(mine.plus(b))],
      doc: 'alloc: a block from the OS (one nobody has)',
    }), 'b');
    t.choose('idle', mine, (b) => ({
      branch: 'free', to: 'idle', atomic: true, op: 'free', do: [mine.set(mine.without(b)), pool.set(pool.plus(b))],
      doc: 'free: the block goes to the pool',
    }), 'b');
    t.choose('idle', mine, (b) => ({
      branch: 'freeOs', to: 'idle', atomic: true, op: 'free', do: [mine.set(mine.without(b))],
      doc: 'free: the block goes back to the OS',
    }), 'b');
    t.step('idle', { branch: 'flush', to: 'idle', atomic: true, op: 'flush', do: [pool.set(none)], doc: 'flush: the whole pool goes to the OS' });
  });

  p.invariant('Disjoint', forall(Threads, (t1) => and(
    pool.intersect(owned.at(t1)).isEmpty(),
    forall(Threads, (t2) => t1.ne(t2).implies(owned.at(t1).intersect(owned.at(t2)).isEmpty()), 'u'),
  ), 'th'), 'no block is both free and owned, or owned by two threads');
  p.config('small', { constants: { T: 2, N: 2 }, expect: holds() });
  p.config('standard', { constants: { T: 3, N: 2 }, expect: holds() });
  p.inductive('IndInv', { Disjoint: forall(Threads, (t1) => and(
    pool.subsetOf(Blocks), owned.at(t1).subsetOf(Blocks),
    pool.intersect(owned.at(t1)).isEmpty(),
    forall(Threads, (t2) => t1.ne(t2).implies(owned.at(t1).intersect(owned.at(t2)).isEmpty()), 'u'),
  ), 'th') }, { sizes: { T: 3, N: 3 } });
}, 'The abstract pool: alloc, free and flush as atomic steps over a set of blocks');
