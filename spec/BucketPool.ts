/**
 * HAProxy's pool today (3.x, ALGORITHMS.md section F): an array of B buckets, each a BUSY-self-locked
 * free list whose elements are clusters of blocks. A cluster's head is linked to the next cluster by
 * `next`; the blocks of a cluster hang from it by `down`. Both are link words inside the blocks, so
 * every read or write of either is subject to the mapped check (NoUseAfterFree).
 *
 * - Refill (R*): take a whole cluster with the bucket BUSY-locked; on BUSY, or on NULL once, move on to
 *   another bucket; the cluster's blocks go to the local cache and the caller gets one of them.
 * - Eviction (E*, G*) gathers the freed block and up to C-1 blocks of the local cache into a cluster
 *   (`pi->down := head; head := pi`), then pushes it (P*) to the first non-BUSY bucket from pbucket.
 * - pool_flush (Q*, W*) detaches every bucket in turn and frees every cluster's blocks to the OS.
 *
 * pbucket (the hash of the block's address) and tbucket (the hash of the thread id) are both
 * nondeterministic: any bucket. A fixed hash is one of the behaviours this allows, so what holds here
 * holds for every hash and every thread-to-bucket map (a sound over-approximation); R2's `random()`
 * makes the refill's bucket arbitrary anyway, and a nondeterministic pbucket lets two blocks that
 * share a home bucket, or not, both be explored without fixing addresses.
 *
 * The rest follows spec/lib/pool.ts (crowded frees nondeterministic, the local cache a set, dead locals
 * reset to NULL). The bucket counters are abstracted away with the crowded test.
 */
import {
  BUSY, E, NULL, and, arrayOf, bool, exists, filter, forall, holds, int, ite, listAcyclic, listNodes, mapOver, not, or,
  ptr, protocol, setOf, setType, violates, type Val,
} from '../src/dsl/index.ts';
import { WHERE } from './lib/pool.ts';

export default protocol('BucketPool', (p) => {
  const T = p.constant('T', 'int', 'number of threads');
  const N = p.constant('N', 'int', 'number of blocks (addresses)');
  const B = p.constant('B', 'int', 'number of buckets');
  const C = p.constant('C', 'int', 'CLUSTER_SIZE: most blocks in one cluster');
  const OsFree = p.constant('OsFree', 'bool', 'whether blocks can go back to the OS (crowded frees, flushes)');
  const Flush = p.constant('Flush', 'bool', 'whether threads call pool_flush (needs OsFree)');
  const Warm = p.constant('Warm', 'bool', 'whether the pool starts warm: every block a one-block cluster in bucket 1, b1 -> ... -> bN');
  const Blocks = p.blocks('Blocks', N);
  const Buckets = p.range(1, B);
  const headsInit = mapOver(Buckets, (k) => ite(and(Warm, k.eq(1)), 1, NULL), 'k');
  const fl = p.shared('fl', arrayOf(Buckets, ptr(Blocks)), headsInit, { doc: 'pool->buckets[k].free_list: NULL, BUSY or a cluster head' });
  const next = p.shared('next', arrayOf(Blocks, ptr(Blocks)), mapOver(Blocks, (b) => ite(and(Warm, b.lt(N)), b.add(1), NULL), 'b'), {
    inBlock: true, doc: 'the link word to the next cluster of the bucket (in a cluster head)',
  });
  const down = p.shared('down', arrayOf(Blocks, ptr(Blocks)), mapOver(Blocks, () => NULL, 'b'), {
    inBlock: true, doc: 'the link word to the next block of the same cluster',
  });
  const lhead = p.ghost('lhead', arrayOf(Buckets, ptr(Blocks)), headsInit, { doc: 'the logical head of each bucket: the list a BUSY holder is working on' });
  const where = p.ghost('where', arrayOf(Blocks, WHERE), mapOver(Blocks, () => ite(Warm, 'list', 'os'), 'b'), {
    doc: 'where each block is: at the OS (unmapped), in a bucket, with a thread, or in a flush walk',
  });
  const mapped = p.ghost('mapped', arrayOf(Blocks, bool), mapOver(Blocks, () => Warm, 'b'), {
    doc: 'the block belongs to the process (allocated from the OS and not given back)',
  });
  const fault = p.ghost('fault', bool, false, { doc: 'some thread read or wrote a link word of an unmapped block' });
  p.blockMemory(Blocks, (b) => mapped.at(b));

  const isBlock = (x: E) => and(x.ne(NULL), x.ne(BUSY));
  const deref = (x: Val) => fault.set(fault.or(not(mapped.at(x))));
  // free() poisons one link word (down, which every block has); one shared word per step, as the runtime needs.
  const toOs = (x: E) => [down.at(x).set(NULL), where.at(x).set('os'), mapped.at(x).set(false)];
  /** The blocks of the cluster whose head is `x` (x itself, then down). */
  const cluster = (x: Val) => listNodes(x, down, Blocks);
  /** Every block of every cluster of the list starting at `x`. */
  const clusters = (x: Val) => filter(Blocks, (b) => exists(listNodes(x, next, Blocks), (ch) => b.in(cluster(ch)), 'ch'), 'b');
  const moveTo = (set: E, to: string) => where.set(mapOver(Blocks, (a) => ite(a.in(set), to, where.at(a)), 'a'));
  const succ = (k: E) => ite(k.eq(B), 1, k.add(1));

  const threads = p.process('Thread', T, { fairness: 'weak' }, (t) => {
    const held = t.local('held', setType(ptr(Blocks)), setOf([], ptr(Blocks)), 'blocks allocated to the caller');
    const cache = t.local('cache', setType(ptr(Blocks)), setOf([], ptr(Blocks)), 'the thread-local cache');
    const blk = t.local('blk', ptr(Blocks), NULL, 'the block being freed');
    const bk = t.local('bk', int(0, B), 0, 'refill and push: the bucket being tried');
    const ret = t.local('ret', ptr(Blocks), NULL, 'refill: the bucket head read or taken; push: the head the cluster is linked to; flush: the list taken');
    const nx = t.local('nx', ptr(Blocks), NULL, 'refill: the next cluster, read under the lock');
    const tries = t.local('tries', int(0, 1), 0, 'refill: buckets found empty so far');
    const cl = t.local('cl', ptr(Blocks), NULL, 'eviction: the cluster being built and pushed; refill: the cluster being moved to the cache');
    const cn = t.local('cn', int(0, C), 0, 'eviction: blocks in the cluster');
    const fb = t.local('fb', int(0, B), 0, 'pool_flush: the bucket being flushed');
    const fw = t.local('fw', ptr(Blocks), NULL, 'pool_flush: the cluster cursor over the detached list');
    const fc = t.local('fc', ptr(Blocks), NULL, 'pool_flush: the block cursor inside a cluster');
    const reset = [bk.set(0), ret.set(NULL), tries.set(0)];

    t.label('idle', 'between operations');
    t.label('R1', 'b := tbucket(); ret := load(buckets[b].free_list); tries := 0');
    t.label('R2', 'while ret = BUSY or (ret = NULL and tries++ < 1): b := random(); ret := load(...); if ret = NULL: return');
    t.label('R5', 'ret := XCHG(buckets[b].free_list, BUSY) done: if BUSY goto R2; if NULL: store NULL, return');
    t.label('R6', 'n := ret->next, under the self-lock');
    t.label('R6s', 'store(buckets[b].free_list, n): releases the lock');
    t.label('R7', 'walk ret\'s cluster through down, every block into the local cache');
    t.label('R8', 'pool_alloc: take one block of the refilled cache');
    t.label('E1', 'if pool_is_crowded(): free(ptr) to the OS');
    t.label('G', 'pool_evict_last_items: gather up to CLUSTER_SIZE blocks (pi->down := head; head := pi)');
    t.label('P1', 'b := pbucket(item); fl := load(buckets[b].free_list)');
    t.label('P2', 'while fl = BUSY: b := b + 1 mod B; fl := load(...); item->next := fl');
    t.label('P4', 'CAS(buckets[b].free_list, fl, item); on failure fl := current value; goto P2');
    t.label('Q1', 'n := buckets[b].free_list');
    t.label('Q2', 'while n = BUSY: n := load; if n = NULL: next bucket; n := XCHG(free_list, BUSY)');
    t.label('Q5', 'if n = BUSY goto Q2; store(free_list, NULL) (unconditional: releases the lock)');
    t.label('Q7', 'next bucket, or done');
    t.label('W1', 'walk the detached clusters (next)');
    t.label('W2', 'walk a cluster\'s blocks (down), each to the OS');
    t.label('os', 'pool_alloc_nocache: nothing to take from the shared buckets');

    // ---------------------------------------------------------------- the caller's loop (as in spec/lib/pool.ts)
    t.choose('idle', cache, (b) => ({
      branch: 'allocCache', to: 'idle', op: 'alloc', do: [cache.set(cache.without(b)), held.set(held.plus(b))],
      doc: 'pool_get_from_cache: a hit in the local cache',
    }), 'b');
    t.step('idle', { branch: 'alloc', to: 'R1', when: cache.isEmpty(), op: 'alloc', doc: 'local cache empty: refill from the shared buckets' });
    t.choose('idle', held, (b) => ({
      branch: 'freeKeep', to: 'idle', op: 'free', do: [held.set(held.without(b)), cache.set(cache.plus(b))],
      doc: 'pool_free: the block stays in the local cache',
    }), 'b');
    t.choose('idle', held, (b) => ({
      branch: 'freePush', to: 'E1', op: 'free', do: [held.set(held.without(b)), blk.set(b)],
      doc: 'pool_free: the cache is full; evict a cluster starting with this block',
    }), 'b');
    t.step('idle', { branch: 'flush', to: 'Q1', when: and(Flush, OsFree), op: 'flush', do: [fb.set(1)], doc: 'pool_flush' });

    // ---------------------------------------------------------------- refill
    t.choose('R1', Buckets, (k) => ({ to: 'R2', do: [bk.set(k), ret.set(fl.at(k)), tries.set(0)], doc: 'tbucket(): any bucket' }), 'k');
    t.choose('R2', Buckets, (k) => ({
      branch: 'other', to: 'R2', when: or(ret.eq(BUSY), and(ret.eq(NULL), tries.lt(1))),
      do: [bk.set(k), ret.set(fl.at(k)), tries.set(ite(ret.eq(NULL), tries.add(1), tries))],
      doc: 'BUSY, or NULL the first time: b := random(); ret := load(buckets[b].free_list)',
    }), 'k');
    t.step('R2', { branch: 'empty', to: 'os', when: and(ret.eq(NULL), tries.ge(1)), do: reset, doc: 'R3: nothing to take' });
    t.step('R2', { branch: 'xchg', to: 'R5', when: isBlock(ret), do: [ret.set(fl.at(bk)), fl.at(bk).set(BUSY)], doc: 'R4: ret := XCHG(buckets[b].free_list, BUSY)' });
    t.step('R5', { branch: 'busy', to: 'R2', when: ret.eq(BUSY), doc: 'the XCHG wrote BUSY over BUSY: no ownership' });
    t.step('R5', { branch: 'empty', to: 'os', when: ret.eq(NULL), do: [fl.at(bk).set(NULL), ...reset], doc: 'store NULL (releases); return' });
    t.step('R5', { branch: 'owned', to: 'R6', when: isBlock(ret) });
    t.step('R6', { to: 'R6s', do: [nx.set(next.at(ret)), deref(ret)] });
    t.step('R6s', {
      to: 'R7', do: [fl.at(bk).set(nx), lhead.at(bk).set(nx), moveTo(cluster(ret), 'thread'), cl.set(ret), nx.set(NULL), ...reset],
      doc: 'the store releases the lock; the cluster is the caller\'s',
    });
    t.step('R7', { branch: 'move', to: 'R7', when: isBlock(cl), do: [cache.set(cache.plus(cl)), cl.set(down.at(cl)), deref(cl)], doc: 'into the local cache; next := down' });
    t.step('R7', { branch: 'done', to: 'R8', when: cl.eq(NULL) });
    t.choose('R8', cache, (b) => ({ to: 'idle', do: [cache.set(cache.without(b)), held.set(held.plus(b))] }), 'b');

    const atOs = filter(Blocks, (b) => not(mapped.at(b)), 'b');
    t.choose('os', atOs, (b) => ({
      branch: 'get', to: 'idle', do: [mapped.at(b).set(true), where.at(b).set('thread'), held.set(held.plus(b))],
      doc: 'malloc() may return any address the OS holds, including one freed before',
    }), 'b');
    t.step('os', { branch: 'none', to: 'idle', when: atOs.isEmpty(), doc: 'every block is in use: the allocation fails' });

    // ---------------------------------------------------------------- eviction and push of a cluster
    t.step('E1', {
      branch: 'crowded', to: 'idle', when: OsFree, do: [...toOs(blk), blk.set(NULL)],
      doc: 'pool_is_crowded(): free(ptr) returns the block to the OS (unmapped, its down word poisoned)',
    });
    t.step('E1', {
      branch: 'notCrowded', to: 'G', do: [down.at(blk).set(NULL), deref(blk), cl.set(blk), cn.set(1), blk.set(NULL)],
      doc: 'the first block of the cluster: pi->down := NULL; head := pi',
    });
    t.choose('G', cache, (b) => ({
      branch: 'gather', to: 'G', when: cn.lt(C),
      do: [cache.set(cache.without(b)), down.at(b).set(cl), deref(b), cl.set(b), cn.set(cn.add(1))],
      doc: 'one more block of the local cache: pi->down := head; head := pi',
    }), 'b');
    t.step('G', { branch: 'put', to: 'P1', do: [cn.set(0)], doc: 'pool_put_to_shared_cache(head)' });
    t.choose('P1', Buckets, (k) => ({ to: 'P2', do: [bk.set(k), ret.set(fl.at(k))], doc: 'pbucket(item): any bucket' }), 'k');
    t.step('P2', { branch: 'busy', to: 'P2', when: ret.eq(BUSY), do: [bk.set(succ(bk)), ret.set(fl.at(succ(bk)))], doc: 'moves on, does not wait' });
    t.step('P2', { branch: 'link', to: 'P4', when: ret.ne(BUSY), do: [next.at(cl).set(ret), deref(cl)], doc: 'P3: item->next := fl' });
    t.step('P4', {
      branch: 'ok', to: 'idle', when: fl.at(bk).eq(ret),
      do: [fl.at(bk).set(cl), lhead.at(bk).set(cl), moveTo(cluster(cl), 'list'), cl.set(NULL), ...reset],
    });
    t.step('P4', { branch: 'fail', to: 'P2', when: fl.at(bk).ne(ret), do: [ret.set(fl.at(bk))], doc: 'fl := current value; goto P2' });

    // ---------------------------------------------------------------- pool_flush over every bucket
    t.step('Q1', { to: 'Q2', do: [ret.set(fl.at(fb))] });
    t.step('Q2', { branch: 'spin', to: 'Q2', when: ret.eq(BUSY), do: [ret.set(fl.at(fb))] });
    t.step('Q2', { branch: 'empty', to: 'Q7', when: ret.eq(NULL) });
    t.step('Q2', { branch: 'xchg', to: 'Q5', when: isBlock(ret), do: [ret.set(fl.at(fb)), fl.at(fb).set(BUSY)], doc: 'Q4: n := XCHG(free_list, BUSY)' });
    t.step('Q5', { branch: 'busy', to: 'Q2', when: ret.eq(BUSY), doc: 'the XCHG returned BUSY: retry' });
    t.step('Q5', {
      branch: 'detach', to: 'W1', when: ret.ne(BUSY),
      do: [fl.at(fb).set(NULL), lhead.at(fb).set(NULL), fw.set(ret), ret.set(NULL), moveTo(clusters(lhead.at(fb)), 'flush')],
      doc: 'store NULL releases the lock; the detached clusters are walked and freed',
    });
    t.step('Q7', { branch: 'nextBucket', to: 'Q1', when: fb.lt(B), do: [fb.set(fb.add(1))] });
    t.step('Q7', { branch: 'done', to: 'idle', when: fb.eq(B), do: [fb.set(0)] });
    t.step('W1', { branch: 'cluster', to: 'W2', when: isBlock(fw), do: [fc.set(fw), fw.set(next.at(fw)), deref(fw)], doc: 'c := n; n := c->next' });
    t.step('W1', { branch: 'done', to: 'Q7', when: fw.eq(NULL) });
    t.step('W2', { branch: 'free', to: 'W2', when: isBlock(fc), do: [fc.set(down.at(fc)), deref(fc), ...toOs(fc)], doc: 'd := c->down; free(c)' });
    t.step('W2', { branch: 'done', to: 'W1', when: fc.eq(NULL) });
  });

  // ---------------------------------------------------------------- properties
  const Threads = threads.ids;
  const L = (name: string, th: E) => new E({ op: 'local', name, proc: th.expr });
  const isB = (x: E) => and(x.ne(NULL), x.ne(BUSY));
  const mine = (th: E) => L('held', th).union(L('cache', th))
    .union(filter(setOf([L('blk', th)]), (b) => isB(b), 'b'))
    .union(cluster(L('cl', th)));
  const walking = (th: E) => clusters(L('fw', th)).union(cluster(L('fc', th)));
  const holders = (b: E, inSet: (th: E) => E) => filter(Threads, (th) => b.in(inSet(th)), 'th');
  const inBucket = (b: E, k: E) => b.in(clusters(lhead.at(k)));

  p.invariant('NoUseAfterFree', not(fault),
    'no thread reads or writes a link word (next or down) of a block that has been given back to the OS');
  p.invariant('FreeListIntact', and(
    forall(Buckets, (k) => and(
      listAcyclic(lhead.at(k), next, Blocks),
      forall(listNodes(lhead.at(k), next, Blocks), (ch) => listAcyclic(ch, down, Blocks), 'ch'),
    ), 'k'),
    forall(Blocks, (b) => where.at(b).eq('list').eq(exists(Buckets, (k) => inBucket(b, k), 'k')), 'b'),
    forall(Blocks, (b) => where.at(b).eq('list').implies(and(
      filter(Buckets, (k) => inBucket(b, k), 'k').size().eq(1),
      forall(Buckets, (k) => filter(listNodes(lhead.at(k), next, Blocks), (ch) => b.in(cluster(ch)), 'ch').size().le(1), 'k'),
    )), 'b'),
    forall(Blocks, (b) => where.at(b).eq('thread').implies(holders(b, mine).size().eq(1)), 'b'),
    forall(Blocks, (b) => where.at(b).eq('flush').implies(holders(b, walking).size().eq(1)), 'b'),
    forall(Threads, (th) => forall(mine(th), (b) => where.at(b).eq('thread'), 'b'), 'th'),
    forall(Blocks, (b) => mapped.at(b).eq(where.at(b).ne('os')), 'b'),
  ), 'per bucket, the cluster list and every cluster are acyclic; the blocks in the buckets\' clusters are exactly the listed ones, each in one bucket and one cluster; every other mapped block is with exactly one thread or flush walk: none lost, none duplicated');
  p.invariant('NoDoubleAlloc', forall(Threads, (t1) => forall(Threads, (t2) =>
    t1.ne(t2).implies(L('held', t1).union(L('cache', t1)).intersect(L('held', t2).union(L('cache', t2))).isEmpty()),
  'u'), 'th'), 'no block is in the hands (or local cache) of two threads at once');

  // ---------------------------------------------------------------- places, for the runtime's accounting (stress, replay)
  p.place('buckets', 'list', mapOver(Buckets, (k) => clusters(lhead.at(k)), 'k'), {
    acyclic: forall(Buckets, (k) => and(listAcyclic(lhead.at(k), next, Blocks),
      forall(listNodes(lhead.at(k), next, Blocks), (ch) => listAcyclic(ch, down, Blocks), 'ch')), 'k'),
  });
  p.place('held', 'hands', mapOver(Threads, (th) => L('held', th), 'th'));
  p.place('cache', 'cache', mapOver(Threads, (th) => L('cache', th), 'th'));
  p.place('cluster', 'transit', mapOver(Threads, (th) => filter(setOf([L('blk', th)]), (b) => isB(b), 'b').union(cluster(L('cl', th))), 'th'));
  p.place('flushWalk', 'transit', mapOver(Threads, walking, 'th'));

  // ---------------------------------------------------------------- lock words (one per bucket) and progress
  const at = (th: E, ...labels: string[]) => or(...labels.map((l) => threads.pc(th).eq(l)));
  /** Thread th holds bucket k's BUSY lock: its XCHG (R4, Q4) took it and the releasing store is still ahead. */
  const holds_ = (th: E, k: E) => or(
    and(at(th, 'R6', 'R6s'), L('bk', th).eq(k)),
    and(at(th, 'R5'), L('bk', th).eq(k), L('ret', th).ne(BUSY)),
    and(at(th, 'Q5'), L('fb', th).eq(k), L('ret', th).ne(BUSY)),
  );
  p.invariant('BusyOwned', forall(Buckets, (k) => filter(Threads, (th) => holds_(th, k), 'th').size().eq(ite(fl.at(k).eq(BUSY), 1, 0)), 'k'),
    'each bucket\'s BUSY word: whenever it is taken exactly one thread holds it (between the XCHG that took it and the store that releases it), and none holds it otherwise');
  // Per holder rather than per bucket (the DSL quantifies leads-to over processes): a thread holds at
  // most one bucket and does not change `bk`/`fb` while holding it, so with BusyOwned this says every
  // BUSY bucket is eventually released.
  p.leadsTo('BusyReleased', threads, (th) => exists(Buckets, (k) => holds_(th, k), 'k'), (th) => not(exists(Buckets, (k) => holds_(th, k), 'k')),
    'a thread holding a bucket\'s BUSY word eventually releases it (with BusyOwned: every BUSY bucket is eventually released)');
  p.leadsTo('Progress', threads.some((th) => threads.pc(th).ne('idle')), threads.some((th) => threads.pc(th).eq('idle')),
    'whenever some thread is inside an operation, eventually some operation (any thread\'s) completes (lock-freedom, under weak fairness)');
  p.leadsTo('StarvationFree', threads, (th) => threads.pc(th).ne('idle'), (th) => threads.pc(th).eq('idle'),
    'every operation a thread starts completes (per thread, under weak fairness)');

  // ---------------------------------------------------------------- configurations
  // Only `small` (safety) is in the default run: its 67,663 states take TLC 33-75 s on 2 busy cores,
  // and liveness on them minutes; the others are checked by name (`check BucketPool --config NAME`).
  const base = { T: 2, N: 2, B: 2, C: 2, OsFree: true, Flush: false, Warm: false };
  const progress = ['BusyReleased', 'Progress'];
  const heavy = { onlyOnRequest: true };
  p.config('small', { constants: base, properties: [], expect: holds(), doc: '2 threads, 2 blocks, 2 buckets, clusters of 2 (safety)' });
  p.config('progress', { constants: base, properties: progress, expect: holds(), doc: 'small, with BusyReleased and Progress', ...heavy });
  // Measured with TLC, 2 workers, on 2 cores shared with other jobs (load 15-20): flush 216,305 distinct
  // states, depth 80, 4 min 43 s; threeBlocks 1,609,318 distinct states, depth 116, 19 min 49 s.
  p.config('flush', { constants: { ...base, Flush: true }, properties: [], expect: holds(), doc: 'small, with pool_flush over both buckets (safety)', ...heavy });
  p.config('threeBlocks', { constants: { ...base, N: 3, B: 1 }, properties: [], expect: holds(), doc: '2 threads, 3 blocks, 1 bucket, clusters of 2: clusters of two with a third block (safety)', ...heavy });
  p.config('noOsFree', { constants: { ...base, OsFree: false }, properties: progress, expect: holds(), doc: 'no block ever goes back to the OS', ...heavy });
  p.config('warm', { constants: { ...base, Warm: true }, properties: progress, expect: holds(), doc: 'small, starting with every block a one-block cluster in bucket 1', ...heavy });
  p.config('starvation', {
    constants: base, invariants: [], properties: ['StarvationFree'], expect: violates('StarvationFree'), ...heavy,
    doc: 'small, StarvationFree only: a refill can keep finding the buckets BUSY or empty while the other thread keeps taking and putting back clusters (the BUSY lock is not FIFO). Expected, as in HAProxy',
  });
  p.config('threeBlocksFlush', {
    constants: { ...base, N: 3, Flush: true }, properties: [], symmetry: ['Threads', 'Blocks'], expect: holds(), ...heavy,
    doc: '2 threads, 3 blocks, 2 buckets, clusters of 2, with pool_flush (safety only), with symmetry (Threads and Blocks interchangeable); without symmetry TLC did not finish in 30 min',
  });
}, 'HAProxy today (3.x): BUSY-locked buckets of clusters');
