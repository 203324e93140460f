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
  BUSY, E, NULL, and, e, arrayOf, ite, bool, enumOf, filter, forall, listAcyclic, listNodes, mapOver, not, or, ptr,
  setOf, setType, type DomainRef, type LocalRef, type ProcBuilder, type ProcHandle, type ProtocolBuilder, type Ref,
  type Val,
} from '../../src/dsl/index.ts';
import { BUSY_PTR, type Assign, type Expectation, type Transition } from '../../src/dsl/ir.ts';

export const WHERE = enumOf('os', 'list', 'thread', 'flush');

export interface PoolCtx {
  p: ProtocolBuilder;
  t: ProcBuilder;
  Blocks: DomainRef;
  T: E;
  N: E;
  OsFree: E;
  Flush: E;
  /** Whether the pool starts warm: every block already taken from the OS and sitting in the shared list. */
  Warm: E;
  /** The initial value of the head (b1 when warm, else NULL), for variants that keep a copy of it. */
  headInit: E;
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
  /** Thread `th` is at one of these labels (its control state). */
  at(th: Val, ...labels: string[]): E;
}

/**
 * A lock word of the variant (the BUSY head, a spinlock): when it is taken and which thread holds it.
 * The library turns it into a safety invariant (`owned`: whenever the word is taken exactly one thread
 * holds it, and none otherwise) and a liveness property (`released`: `taken ~> ~taken`).
 */
export interface PoolLock {
  owned: string;
  released: string;
  /** The lock word is taken. */
  taken: E;
  /** Thread `th` is between the step that took the word and the step that releases it. */
  holder(th: E): E;
  doc: string;
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
  /** The variant's lock words, if any (see PoolLock). */
  locks?(ctx: PoolCtx & V): PoolLock[];
}

type SizeName = 'small' | 'standard' | 'flush' | 'noOsFree' | 'warm' | 'warmNoOsFree';

/** What a spec expects of a configuration, and why (the why goes into the configuration's doc). */
export interface Expected { expect: Expectation; why: string }

/**
 * The configurations every pool spec is checked in (sizes kept small enough for 2 cores):
 * - `small` (2 threads, 2 blocks, blocks can go back to the OS, no flush) for the tests; `standard`
 *   (3 threads, with pool_flush) for the main job; `flush` (small with pool_flush); `noOsFree`
 *   (nothing ever goes back to the OS; omit it for a spec that cannot run without the OS);
 * - `warm` and `warmNoOsFree`: `small` and `noOsFree` starting from a warm pool (every block already in
 *   the shared list), so counterexamples do not spend their first steps on setup. They expect what
 *   `small` and `noOsFree` expect unless given;
 * - `starvation`: whether every operation a thread starts completes (StarvationFree), under weak
 *   fairness, with the sizes of `noOsFree` when the spec has it (starvation is about retry loops and
 *   spins, not about the OS, and the state space stays small), else of `small`. It also checks the
 *   invariants. Omit it for a spec whose safety already fails (its progress means nothing).
 *
 * Every configuration checks the invariants and deadlock; `small`, `flush` and `noOsFree` also check
 * the progress properties that must hold in any correct pool: `Progress` and each lock's
 * `...Released` (left out of `standard` and the warm starts, to keep the main job short: see README).
 */
export function poolConfigs(
  p: ProtocolBuilder,
  expect: { small: Expectation; standard: Expectation; flush: Expectation; noOsFree?: Expectation; warm?: Expectation; warmNoOsFree?: Expectation; starvation?: Expected; large?: Expectation },
  extra: { constants?: Record<string, number | boolean>; constraint?: Val; docs?: Partial<Record<SizeName, string>>; largeSymmetry?: string[] } = {},
): void {
  const sizes: Record<SizeName, Record<string, number | boolean>> = {
    small: { T: 2, N: 2, OsFree: true, Flush: false, Warm: false },
    standard: { T: 3, N: 2, OsFree: true, Flush: true, Warm: false },
    flush: { T: 2, N: 2, OsFree: true, Flush: true, Warm: false },
    noOsFree: { T: 2, N: 2, OsFree: false, Flush: false, Warm: false },
    warm: { T: 2, N: 2, OsFree: true, Flush: false, Warm: true },
    warmNoOsFree: { T: 2, N: 2, OsFree: false, Flush: false, Warm: true },
  };
  const docs: Partial<Record<SizeName, string>> = {
    flush: 'small, with pool_flush',
    noOsFree: 'no block ever goes back to the OS',
    warm: 'small, starting with every block in the shared list',
    warmNoOsFree: 'noOsFree, starting with every block in the shared list',
    ...extra.docs,
  };
  const liveness = progressOf(p);
  const all: Partial<Record<SizeName, Expectation>> = {
    ...expect, warm: expect.warm ?? expect.small, warmNoOsFree: expect.warmNoOsFree ?? expect.noOsFree,
  };
  for (const name of ['small', 'standard', 'flush', 'noOsFree', 'warm', 'warmNoOsFree'] as const) {
    const e = all[name];
    if (!e) continue;
    p.config(name, {
      constants: { ...sizes[name], ...extra.constants },
      // Liveness where TLC decides it in seconds; `standard` (3 threads) and the warm starts (there
      // for short safety counterexamples) check safety only, to keep the main job short.
      properties: name === 'standard' || name.startsWith('warm') ? [] : liveness,
      constraint: extra.constraint, expect: e, doc: docs[name],
    });
  }
  largeConfig(p, expect.large ?? expect.standard, extra); if (!expect.starvation) return; // on one line: keeps the lines the generated modules cite
  const base = expect.noOsFree ? 'noOsFree' : 'small';
  p.config('starvation', {
    constants: { ...sizes[base], ...extra.constants },
    properties: ['StarvationFree'],
    constraint: extra.constraint, expect: expect.starvation.expect,
    doc: `${base}, with StarvationFree: ${expect.starvation.why}`,
  });
}

/** The progress properties poolProtocol declared (all but StarvationFree), for poolConfigs. */
const progress = new WeakMap<ProtocolBuilder, string[]>();
function progressOf(p: ProtocolBuilder): string[] {
  const names = progress.get(p);
  if (!names) throw new Error('poolConfigs() must come after poolProtocol()');
  return names;
}

/** Shared across variants: the crowded branch of a push ends here (free to the OS). */
export function crowdedFree(ctx: PoolCtx, from: string, when: Val = true): void {
  ctx.t.step(from, {
    branch: 'crowded', to: 'idle', when: (ctx.Crowded ? ctx.OsFree.and(ctx.Crowded) : ctx.OsFree).and(when),
    do: [...ctx.toOs(ctx.blk), ctx.blk.set(NULL)],
    doc: 'pool_is_crowded(): free(ptr) returns the block to the OS (unmapped)',
  });
}

export function poolProtocol<V>(p: ProtocolBuilder, variant: Variant<V>, switches: PoolSwitches = {}): PoolHandles<V> {
  const T = p.constant('T', 'int', 'number of threads');
  const N = p.constant('N', 'int', 'number of blocks (addresses)');
  const OsFree = p.constant('OsFree', 'bool', 'whether blocks can go back to the OS (crowded frees, flushes)');
  const Flush = p.constant('Flush', 'bool', 'whether threads call pool_flush (needs OsFree)');
  const Warm = p.constant('Warm', 'bool', 'whether the pool starts warm: every block already in the shared list b1 -> ... -> bN');
  const Blocks = p.blocks('Blocks', N); const Crowded = crowdedSwitch(p, switches); // on one line: keeps the lines (and generated comments) of the existing specs
  const headInit = ite(Warm, 1, NULL);
  const head = p.shared('head', ptr(Blocks), headInit, { doc: 'pool->free_list' });
  const next = p.shared('next', arrayOf(Blocks, ptr(Blocks)), mapOver(Blocks, (b) => ite(and(Warm, b.lt(N)), b.add(1), NULL), 'b'), {
    inBlock: true, doc: 'the link word inside each block (*POOL_LINK(pool, b))',
  });
  const where = p.ghost('where', arrayOf(Blocks, WHERE), mapOver(Blocks, () => ite(Warm, 'list', 'os')), {
    doc: 'where each block is: at the OS (unmapped), in the list, with a thread, or in a flush walk',
  });
  const mapped = p.ghost('mapped', arrayOf(Blocks, bool), mapOver(Blocks, () => Warm), {
    doc: 'the block belongs to the process (allocated from the OS and not given back)',
  });
  const fault = p.ghost('fault', bool, false, { doc: 'some thread read or wrote the link word of an unmapped block' });
  p.blockMemory(Blocks, (b) => mapped.at(b));

  const isBlock = (x: E) => and(x.ne(NULL), x.ne(BUSY));
  let ctx!: PoolCtx & V; let entries!: { pop: string; push: string; flush: string };
  const threads = p.process('Thread', T, { fairness: 'weak' }, (t) => {
    const held = t.local('held', setType(ptr(Blocks)), setOf([], ptr(Blocks)), 'blocks allocated to the caller');
    const cache = t.local('cache', setType(ptr(Blocks)), setOf([], ptr(Blocks)), 'the thread-local cache');
    const blk = t.local('blk', ptr(Blocks), NULL, 'the block being freed');
    const fw = t.local('fw', ptr(Blocks), NULL, 'flush walk cursor over the detached list');
    const base: PoolCtx = {
      p, t, Blocks, T, N, OsFree, Flush, Warm, ...(Crowded ? { Crowded } : {}), headInit, head, next, where, mapped, fault, held, cache, blk, fw, isBlock,
      at: (th, ...labels) => or(...labels.map((l) => new E({ op: 'pc', proc: e(th).expr, procType: 'Thread' }).eq(l))),
      deref: (x) => fault.set(fault.or(not(mapped.at(x)))),
      toOs: (x) => [next.at(x).set(NULL), where.at(x).set('os'), mapped.at(x).set(false)],
      detachAll: () => where.set(mapOver(Blocks, (b) => ite(where.at(b).eq('list'), 'flush', where.at(b)), 'b')),
    };

    t.label('idle', 'between operations');
    ctx = { ...base, ...variant.declare(base) };
    const popEntry = variant.pop(ctx);
    const pushEntry = variant.push(ctx);
    const flushEntry = variant.flush(ctx); entries = { pop: popEntry, push: pushEntry, flush: flushEntry };
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

  // ------------------------------------------------------------ lock words and progress
  const pc = (th: Val) => threads.pc(th);
  const locks = variant.locks ? variant.locks(ctx) : [];
  for (const l of locks) {
    p.invariant(l.owned, filter(Threads, (th) => l.holder(th), 'th').size().eq(ite(l.taken, 1, 0)),
      `${l.doc}: whenever it is taken exactly one thread holds it (between the step that took it and the one that releases it), and none holds it otherwise`);
  }
  for (const l of locks) p.leadsTo(l.released, l.taken, not(l.taken), `${l.doc}: once taken, it is eventually released`);
  // A variant that stores BUSY in the head has a lock word even if it declares none: a head left
  // BUSY forever (threads spinning on it take only stuttering steps, so TLC sees no deadlock) must
  // fail the default check.
  if (!locks.some((l) => l.released === 'BusyReleased') && storesBusy(threads.transitions, 'head')) {
    p.leadsTo('BusyReleased', head.eq(BUSY), head.ne(BUSY), 'the head, once BUSY, is eventually released');
  }
  // Every operation ends at `idle`, and only there; an idle thread always has a step (alloc), so
  // under weak fairness no thread stays idle forever. Hence "whenever some thread is inside an
  // operation, some operation eventually completes" needs no ghost: some thread reaches idle.
  p.leadsTo('Progress', threads.some((th) => pc(th).ne('idle')), threads.some((th) => pc(th).eq('idle')),
    'whenever some thread is inside an operation, eventually some operation (any thread\'s) completes (lock-freedom, under weak fairness)');
  p.leadsTo('StarvationFree', threads, (th) => pc(th).ne('idle'), (th) => pc(th).eq('idle'),
    'every operation a thread starts completes (per thread, under weak fairness)');
  progress.set(p, [...locks.map((l) => l.released), ...(storesBusy(threads.transitions, 'head') && !locks.some((l) => l.released === 'BusyReleased') ? ['BusyReleased'] : []), 'Progress']);
  poolPlaces(p, ctx, Threads, lhead);
  return { ...ctx, threads, labels: { idle: 'idle', os: 'os', walk: 'walk', ...entries } };
}

/**
 * Where the blocks are, for the runtime's accounting (stress, replay): the list from its (logical)
 * head, each thread's hands, local cache and block being freed, and each flush walk.
 */
function poolPlaces(p: ProtocolBuilder, c: PoolCtx, Threads: DomainRef, lhead: E): void {
  p.place('list', 'list', listNodes(lhead, c.next, c.Blocks), { acyclic: listAcyclic(lhead, c.next, c.Blocks) });
  p.place('held', 'hands', mapOver(Threads, (th) => c.held.of(th), 'th'));
  p.place('cache', 'cache', mapOver(Threads, (th) => c.cache.of(th), 'th'));
  p.place('freeing', 'transit', mapOver(Threads, (th) => filter(setOf([c.blk.of(th)]), (b) => c.isBlock(b), 'b'), 'th'));
  p.place('flushWalk', 'transit', mapOver(Threads, (th) => listNodes(c.fw.of(th), c.next, c.Blocks), 'th'));
}

/** Whether some transition stores the BUSY pointer into the shared variable `name`. */
function storesBusy(transitions: readonly Transition[], name: string): boolean {
  return transitions.some((t) => t.effects.some((a) =>
    a.target.kind === 'var' && a.target.name === name && !a.target.index && a.value.op === 'lit' && a.value.value === BUSY_PTR));
}

// ---------------------------------------------------------------- reuse (kept at the end of the file: the
// generated TLA+ of the existing specs cites lines of this file)

/** Build-time switches of poolProtocol (each declares one more constant; all off by default). */
export interface PoolSwitches {
  /** Declare `Crowded`: a free finds the pool crowded (and goes to the OS) only when it is true, independently of flushes. */
  crowded?: boolean;
}

export interface PoolCtx {
  /** With the `crowded` switch: whether a free may find the pool crowded (else OsFree alone decides). */
  Crowded?: E;
}

function crowdedSwitch(p: ProtocolBuilder, switches: PoolSwitches): E | undefined {
  return switches.crowded ? p.constant('Crowded', 'bool', 'whether a free may find the pool crowded (a free to the OS); flushes are not affected') : undefined;
}

/** What poolProtocol hands back: the thread type, the entry labels, and every variable of the context. */
export type PoolHandles<V> = PoolCtx & V & {
  threads: ProcHandle;
  labels: { idle: 'idle'; os: 'os'; walk: 'walk'; pop: string; push: string; flush: string };
};

/**
 * `large`: 3 threads, 3 blocks, with pool_flush, safety only, under symmetry (threads are
 * interchangeable, and so are block addresses; NULL and BUSY stay fixed): TLC's SYMMETRY and the
 * engine's canonical states explore one state per orbit. It expects what `standard` expects unless given.
 * `largeSymmetry` narrows the symmetry for a variant that stores a thread id in an integer (LockedPool's lock).
 */
function largeConfig(p: ProtocolBuilder, expect: Expectation, extra: { constants?: Record<string, number | boolean>; constraint?: Val; largeSymmetry?: string[] }): void {
  const symmetry = extra.largeSymmetry ?? ['Threads', 'Blocks'];
  p.config('large', {
    constants: { T: 3, N: 3, OsFree: true, Flush: true, Warm: false, ...extra.constants },
    // In the main job: the five pool specs' `large` took 99 s together on the idle 2-core machine (README).
    properties: [], symmetry, constraint: extra.constraint, expect,
    doc: `3 threads, 3 blocks, with pool_flush, safety only, with symmetry (${symmetry.join(' and ')} interchangeable)`,
  });
}
