/**
 * The part every pool variant shares: the block memory model, the threads' outer loop (allocate from
 * the local cache, else the shared list, else the OS; free into the local cache, or to the shared list,
 * or back to the OS when the pool is crowded), the flush walk, and the properties.
 *
 * A variant supplies the shared-list algorithm: pop, push and the detach step of pool_flush, one
 * memory operation per step, following ../shared/reference/ALGORITHMS.md.
 *
 * Modelling choices (ALGORITHMS.md section E):
 * - Blocks are addresses 1..N; the OS holds the unmapped ones (ghost `mapped[b]` false). Allocation from
 *   the OS may return any such block, so an address given back can come back (reuse, which enables ABA).
 *   `mapped` is written only by the thread that owns the block as it crosses the OS boundary; the
 *   bookkeeping ghost `where` (list, thread, flush walk) is what the properties compare the list with.
 * - "Crowded" is a nondeterministic choice (a sound over-approximation of pool_is_crowded's racy
 *   counter test); the counters `used`, `allocated`, `needed_avg` are abstracted away with it.
 * - The local cache is a set per thread and alloc may take any of its blocks (LIFO over-approximated).
 * - Giving a block to the OS poisons its link word (next := NULL); the block is then unmapped, and
 *   any later read or write of its link word sets the ghost `fault` (NoUseAfterFree).
 * - Locals that are dead after an operation returns are reset to NULL, so stale values do not
 *   multiply states.
 */
import {
  BUSY, NULL, and, arrayOf, ite, bool, enumOf, filter, forall, listAcyclic, listNodes, mapOver, not, ptr,
  setOf, setType, type DomainRef, type E, type LocalRef, type ProcBuilder, type ProtocolBuilder, type Ref,
  type Val,
} from '../../src/dsl/index.ts';
import type { Assign, Expectation } from '../../src/dsl/ir.ts';

export const WHERE = enumOf('os', 'list', 'thread', 'flush');

export interface PoolCtx {
  p: ProtocolBuilder;
  t: ProcBuilder;
  Blocks: DomainRef;
  T: E;
  N: E;
  OsFree: E;
  Flush: E;
  head: Ref;
  next: Ref;
  where: Ref;
  mapped: Ref;
  fault: Ref;
  held: LocalRef;
  cache: LocalRef;
  /** The block being freed, in transit from the caller's hands to the list or the OS. */
  blk: LocalRef;
  /** The cursor of a flush walk over a detached list. */
  fw: LocalRef;
  /** Ghost effect of reading or writing the link word of block `x`: a fault if it is unmapped. */
  deref(x: Val): Assign;
  /** Effects that give `x` back to the OS: unmapped, link word poisoned. */
  toOs(x: Val): Assign[];
  /** Effects that move every block of the list to a flush walk. */
  detachAll(): Assign;
  isBlock(x: E): E;
}

export interface Variant<V> {
  /** Shared variables and locals of the variant, declared before the threads' labels. */
  declare(ctx: PoolCtx): V;
  /** Labels and steps of the shared pop; on an empty list it goes to label "os". Entry label returned. */
  pop(ctx: PoolCtx & V): string;
  /** Labels and steps of the shared push of `blk`, including the crowded test. Entry label returned. */
  push(ctx: PoolCtx & V): string;
  /** Labels and steps of pool_flush up to the detach; continues at label "walk" with `fw` set. */
  flush(ctx: PoolCtx & V): string;
  /** Where the free list starts (a ghost when the head can be BUSY). Default: head. */
  listHead?(ctx: PoolCtx & V): E;
}

/**
 * The configurations every pool spec is checked in (sizes kept small enough for 2 cores):
 * `small` (2 threads, 2 blocks, blocks can go back to the OS, no flush) for the tests, `standard`
 * (3 threads, with pool_flush) for the main job, `flush` (small with pool_flush), and `noOsFree`
 * (nothing ever goes back to the OS). `expect` gives each one's verdict; omit `noOsFree` for a spec
 * that cannot run without the OS.
 */
export function poolConfigs(
  p: ProtocolBuilder,
  expect: { small: Expectation; standard: Expectation; flush: Expectation; noOsFree?: Expectation },
  extra: { constants?: Record<string, number | boolean>; constraint?: Val; docs?: Partial<Record<'small' | 'standard' | 'flush' | 'noOsFree', string>> } = {},
): void {
  const sizes = {
    small: { T: 2, N: 2, OsFree: true, Flush: false },
    standard: { T: 3, N: 2, OsFree: true, Flush: true },
    flush: { T: 2, N: 2, OsFree: true, Flush: true },
    noOsFree: { T: 2, N: 2, OsFree: false, Flush: false },
  };
  const docs = { flush: 'small, with pool_flush', noOsFree: 'no block ever goes back to the OS', ...extra.docs };
  for (const name of ['small', 'standard', 'flush', 'noOsFree'] as const) {
    const e = expect[name];
    if (!e) continue;
    p.config(name, { constants: { ...sizes[name], ...extra.constants }, constraint: extra.constraint, expect: e, doc: docs[name as keyof typeof docs] });
  }
}

/** Shared across variants: the crowded branch of a push ends here (free to the OS). */
export function crowdedFree(ctx: PoolCtx, from: string, when: Val = true): void {
  ctx.t.step(from, {
    branch: 'crowded', to: 'idle', when: ctx.OsFree.and(when),
    do: [...ctx.toOs(ctx.blk), ctx.blk.set(NULL)],
    doc: 'pool_is_crowded(): free(ptr) returns the block to the OS (unmapped)',
  });
}

export function poolProtocol<V>(p: ProtocolBuilder, variant: Variant<V>): void {
  const T = p.constant('T', 'int', 'number of threads');
  const N = p.constant('N', 'int', 'number of blocks (addresses)');
  const OsFree = p.constant('OsFree', 'bool', 'whether blocks can go back to the OS (crowded frees, flushes)');
  const Flush = p.constant('Flush', 'bool', 'whether threads call pool_flush (needs OsFree)');
  const Blocks = p.blocks('Blocks', N);
  const head = p.shared('head', ptr(Blocks), NULL, { doc: 'pool->free_list' });
  const next = p.shared('next', arrayOf(Blocks, ptr(Blocks)), mapOver(Blocks, () => NULL), {
    inBlock: true, doc: 'the link word inside each block (*POOL_LINK(pool, b))',
  });
  const where = p.ghost('where', arrayOf(Blocks, WHERE), mapOver(Blocks, () => 'os'), {
    doc: 'where each block is: at the OS (unmapped), in the list, with a thread, or in a flush walk',
  });
  const mapped = p.ghost('mapped', arrayOf(Blocks, bool), mapOver(Blocks, () => false), {
    doc: 'the block belongs to the process (allocated from the OS and not given back)',
  });
  const fault = p.ghost('fault', bool, false, { doc: 'some thread read or wrote the link word of an unmapped block' });
  p.blockMemory(Blocks, (b) => mapped.at(b));

  const isBlock = (x: E) => and(x.ne(NULL), x.ne(BUSY));
  let ctx!: PoolCtx & V;
  const threads = p.process('Thread', T, { fairness: 'weak' }, (t) => {
    const held = t.local('held', setType(ptr(Blocks)), setOf([], ptr(Blocks)), 'blocks allocated to the caller');
    const cache = t.local('cache', setType(ptr(Blocks)), setOf([], ptr(Blocks)), 'the thread-local cache');
    const blk = t.local('blk', ptr(Blocks), NULL, 'the block being freed');
    const fw = t.local('fw', ptr(Blocks), NULL, 'flush walk cursor over the detached list');
    const base: PoolCtx = {
      p, t, Blocks, T, N, OsFree, Flush, head, next, where, mapped, fault, held, cache, blk, fw, isBlock,
      deref: (x) => fault.set(fault.or(not(mapped.at(x)))),
      toOs: (x) => [next.at(x).set(NULL), where.at(x).set('os'), mapped.at(x).set(false)],
      detachAll: () => where.set(mapOver(Blocks, (b) => ite(where.at(b).eq('list'), 'flush', where.at(b)), 'b')),
    };

    t.label('idle', 'between operations');
    ctx = { ...base, ...variant.declare(base) };
    const popEntry = variant.pop(ctx);
    const pushEntry = variant.push(ctx);
    const flushEntry = variant.flush(ctx);
    t.label('os', 'pool_alloc_nocache: the shared list was empty');
    t.label('walk', 'pool_flush: walk the detached list and free every block to the OS');

    t.choose('idle', cache, (b) => ({
      branch: 'allocCache', to: 'idle', op: 'alloc', do: [cache.set(cache.without(b)), held.set(held.plus(b))],
      doc: 'pool_get_from_cache: a hit in the local cache',
    }), 'b');
    t.step('idle', {
      branch: 'alloc', to: popEntry, when: cache.isEmpty(), op: 'alloc',
      doc: 'pool_get_from_cache: local cache empty, go to the shared list',
    });
    t.choose('idle', held, (b) => ({
      branch: 'freeKeep', to: 'idle', op: 'free', do: [held.set(held.without(b)), cache.set(cache.plus(b))],
      doc: 'pool_free: the block stays in the local cache',
    }), 'b');
    t.choose('idle', held, (b) => ({
      branch: 'freePush', to: pushEntry, op: 'free', do: [held.set(held.without(b)), blk.set(b)],
      doc: 'pool_free: the block is evicted from the local cache to the shared list',
    }), 'b');
    t.step('idle', { branch: 'flush', to: flushEntry, when: and(Flush, OsFree), op: 'flush', doc: 'pool_flush' });

    const atOs = filter(Blocks, (b) => not(mapped.at(b)), 'b');
    t.choose('os', atOs, (b) => ({
      branch: 'get', to: 'idle', do: [mapped.at(b).set(true), where.at(b).set('thread'), held.set(held.plus(b))],
      doc: 'malloc() may return any address the OS holds, including one freed before',
    }), 'b');
    t.step('os', { branch: 'none', to: 'idle', when: atOs.isEmpty(), doc: 'every block is in use: the allocation fails' });

    t.step('walk', {
      branch: 'free', to: 'walk', when: isBlock(fw),
      do: [fw.set(next.at(fw)), ctx.deref(fw), ...ctx.toOs(fw)],
      doc: 'n := t.next; free(t)',
    });
    t.step('walk', { branch: 'done', to: 'idle', when: fw.eq(NULL) });
  });

  // ------------------------------------------------------------ properties
  const Threads = threads.ids;
  const lhead = variant.listHead ? variant.listHead(ctx) : head;
  const mine = (th: E) => ctx.held.of(th).union(ctx.cache.of(th)).union(filter(setOf([ctx.blk.of(th)]), (b) => isBlock(b), 'b'));
  const walking = (th: E) => listNodes(ctx.fw.of(th), next, Blocks);
  const holders = (b: E, inSet: (th: E) => E) => filter(Threads, (th) => b.in(inSet(th)), 'th');

  p.invariant('NoUseAfterFree', not(fault),
    'no thread reads or writes the link word of a block that has been given back to the OS');
  p.invariant('FreeListIntact', and(
    listAcyclic(lhead, next, Blocks),
    listNodes(lhead, next, Blocks).eq(filter(Blocks, (b) => where.at(b).eq('list'), 'b')),
    forall(Blocks, (b) => where.at(b).eq('thread').implies(holders(b, mine).size().eq(1)), 'b'),
    forall(Blocks, (b) => where.at(b).eq('flush').implies(holders(b, walking).size().eq(1)), 'b'),
    forall(Threads, (th) => forall(mine(th), (b) => where.at(b).eq('thread'), 'b'), 'th'),
    forall(Blocks, (b) => mapped.at(b).eq(where.at(b).ne('os')), 'b'),
  ), 'the list from the head is acyclic and holds exactly the blocks that are in the list; every other mapped block is with exactly one thread or flush walk: none lost, none duplicated');
  p.invariant('NoDoubleAlloc', forall(Threads, (t1) => forall(Threads, (t2) =>
    t1.ne(t2).implies(ctx.held.of(t1).union(ctx.cache.of(t1)).intersect(ctx.held.of(t2).union(ctx.cache.of(t2))).isEmpty()),
  'u'), 'th'), 'no block is in the hands (or local cache) of two threads at once');
}
