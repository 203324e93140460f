/**
 * Proof declarations the pool specs share: the part of their inductive invariants that does not
 * depend on the list algorithm (block ownership, the flush walks, the list from the head), and the
 * refinement mapping to AtomicPool. Everything is named as spec/lib/pool.ts declares it.
 *
 * What an inductive invariant adds to the properties: it also describes the states in the middle of
 * an operation (which thread holds what, which local equals which shared word), so that it holds
 * after every step from every state where it holds, reachable or not.
 */
import {
  BUSY, DomainRef, E, LocalRef, NULL, and, exists, filter, forall, listAcyclic, listNodes, mapOver, not, or, setOf,
  type ProtocolBuilder, type Val,
} from '../../src/dsl/index.ts';
import type { Expectation } from '../../src/dsl/ir.ts';
import AtomicPool from '../AtomicPool.ts';

export const Blocks = new DomainRef({ kind: 'range', lo: 1, hi: 'N' }, 'Blocks');
export const Threads = new DomainRef({ kind: 'procs', procType: 'Thread' });
export const v = (name: string) => new E({ op: 'var', name });
export const local = (name: string) => new LocalRef('Thread', name);
export const k = (name: string) => new E({ op: 'const', name });
export const pc = (th: E) => new E({ op: 'pc', proc: th.expr });
export const at = (th: E, ...labels: string[]) => or(...labels.map((l) => pc(th).eq(l)));
export const isBlock = (x: E) => and(x.ne(NULL), x.ne(BUSY));
export const forallThreads = (body: (th: E) => Val) => forall(Threads, body, 'th');

const held = local('held');
const cache = local('cache');
const blk = local('blk');
const fw = local('fw');
const where = v('where');
const next = v('next');

/** The blocks a thread has: in its hands, its local cache, or being freed. */
export const mine = (th: E) => held.of(th).union(cache.of(th)).union(filter(setOf([blk.of(th)]), (b) => isBlock(b), 'b'));
/** The blocks of a thread's flush walk. */
export const walking = (th: E) => listNodes(fw.of(th), next, Blocks);

export interface PoolProofShape {
  /** Labels where `blk` holds the block being freed (elsewhere it is NULL). */
  pushLabels: string[];
  /** Labels where `fw` may be set (the detach's last steps and `walk`); elsewhere it is NULL. */
  walkLabels: string[];
  /** Labels of pool_flush, unreachable unless Flush and OsFree. */
  flushLabels: string[];
  /** Where the list starts (default: head). */
  listHead?: E;
}

/** The conjuncts every pool's inductive invariant shares. */
export function poolConjuncts(s: PoolProofShape): Record<string, Val> {
  const lhead = s.listHead ?? v('head');
  const holders = (b: E, inSet: (th: E) => E) => filter(Threads, (th) => b.in(inSet(th)), 'th');
  return {
    NoFault: not(v('fault')),
    MappedIffNotOs: forall(Blocks, (b) => v('mapped').at(b).eq(where.at(b).ne('os')), 'b'),
    OwnedAreBlocks: forallThreads((th) => and(held.of(th).subsetOf(Blocks), cache.of(th).subsetOf(Blocks))),
    OwnedOnce: forallThreads((th) => and(held.of(th).intersect(cache.of(th)).isEmpty(), blk.of(th).notIn(held.of(th).union(cache.of(th))))),
    BlkOnlyInPush: forallThreads((th) => or(at(th, ...s.pushLabels), blk.of(th).eq(NULL))),
    FwOnlyInWalk: forallThreads((th) => or(at(th, ...s.walkLabels), fw.of(th).eq(NULL))),
    FlushOnlyIfEnabled: or(and(k('Flush'), k('OsFree')), forallThreads((th) => not(at(th, ...s.flushLabels, 'walk')))),
    MineWithThread: forallThreads((th) => forall(mine(th), (b) => where.at(b).eq('thread'), 'b')),
    ThreadBlockOnce: forall(Blocks, (b) => where.at(b).eq('thread').implies(holders(b, mine).size().eq(1)), 'b'),
    WalksAreFlush: forallThreads((th) => and(listAcyclic(fw.of(th), next, Blocks), forall(walking(th), (b) => where.at(b).eq('flush'), 'b'))),
    FlushBlockOnce: forall(Blocks, (b) => where.at(b).eq('flush').implies(holders(b, walking).size().eq(1)), 'b'),
    ListEndsAtNull: forall(Blocks, (b) => or(where.at(b).eq('list'), where.at(b).eq('flush')).implies(next.at(b).ne(BUSY)), 'b'),
    HeadNotBusy: lhead.ne(BUSY),
    ListAcyclic: listAcyclic(lhead, next, Blocks),
    ListIsListed: listNodes(lhead, next, Blocks).eq(filter(Blocks, (b) => where.at(b).eq('list'), 'b')),
  };
}

/** A pool's IndInv: the shared conjuncts and the variant's own; `prove` uses T=3, N=3 unless told otherwise. */
export function poolInductive(p: ProtocolBuilder, s: PoolProofShape, own: Record<string, Val>, opts: { configs?: string[]; expect?: 'proved' | 'fails' } = {}): void {
  p.inductive('IndInv', { ...poolConjuncts(s), ...own }, { sizes: { T: 3, N: 3 }, ...opts });
}

/**
 * The refinement mapping to AtomicPool: the pool is the shared free list; a thread owns the blocks
 * in its hands, its local cache, and the block it is freeing until the free takes effect. Blocks
 * in a flush walk are already gone to the OS, abstractly.
 */
export function refinesAtomicPool(p: ProtocolBuilder, configs: Record<string, Expectation>): void {
  p.refines(AtomicPool, {
    vars: {
      pool: filter(Blocks, (b) => where.at(b).eq('list'), 'b'),
      owned: mapOver(Threads, (th) => mine(th), 'th'),
      pc: mapOver(Threads, () => 'idle', 'th'),
    },
    configs,
    // 3 threads: TLC's refinement check of standard takes longer than the rest of a spec's main job.
    onlyOnRequest: ['standard'],
  });
}
