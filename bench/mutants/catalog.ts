/**
 * The runtime mutants: each a small deliberate divergence of an emitted runtime module
 * (generated/runtime/<Name>.ts) from its spec, as a named patch (see patch.ts). `npm run mutants`
 * runs each through `stress` with recording, and `validate`, and counts which detector kills it.
 *
 * Configurations: a mutant runs in a configuration where the spec itself holds what the detector
 * checks, where one exists (DwcasPool and TreiberPool in `noOsFree`); TreiberPool loses and
 * duplicates blocks there by itself (ABA), so only trace validation (and a stall) can kill its mutants.
 */
import type { Mutant } from './patch.ts';

export const MUTANTS: Mutant[] = [
  // ------------------------------------------------------------------ BusyPool (HAProxy's fix)
  {
    id: 'busy-xchg-split', spec: 'BusyPool', config: 'standard',
    what: 'pop takes the list with a plain load and a plain store of BUSY instead of XCHG(head, BUSY)',
    patches: [{
      fn: 'Thread_D2', tx: 'D2_xchg', find: 'xchg(p, W_head, s0);',
      replace: '{ const old = Atomics.load(i32, W_head); mutWindow(); Atomics.store(i32, W_head, s0); p.st[W_head] = p.s; p.cv[W_head] = old; }',
    }],
  },
  {
    id: 'busy-release-wrong-value', spec: 'BusyPool', config: 'standard',
    what: 'pop releases the self-lock with the block it took (head := r) instead of its successor',
    patches: [{ fn: 'Thread_D7', tx: 'D7', find: 'Atomics.store(i32, W_head, s0);', replace: 'Atomics.store(i32, W_head, L.r);' }],
  },
  {
    id: 'busy-push-no-spin', spec: 'BusyPool', config: 'standard',
    what: 'push does not wait while the head is BUSY: it links the block to BUSY and CASes it over the lock',
    patches: [
      { fn: 'Thread_E5', guard: 'E5_spin', find: '(L.fl === BUSY)', replace: 'false' },
      { fn: 'Thread_E5', guard: 'E5_link', find: '(L.fl !== BUSY)', replace: 'true' },
    ],
  },
  {
    id: 'busy-cas-no-reread', spec: 'BusyPool', config: 'standard',
    what: 'a failed push CAS does not re-read the head: it retries with the stale value',
    patches: [{ fn: 'Thread_E6', tx: 'E6_fail', find: 'const l0 = ld(p, W_head);', replace: 'const l0 = L.fl;' }],
  },
  {
    id: 'busy-link-after-cas', spec: 'BusyPool', config: 'standard',
    what: 'push writes the link (ptr->next := fl) after the CAS that publishes the block, not before',
    patches: [
      { fn: 'Thread_E5', tx: 'E5_link', find: 'Atomics.store(arena, bix(si0, W_next), s0);', replace: '/* mutant: the link is written after the CAS */' },
      {
        fn: 'Thread_E6', tx: 'E6_ok', find: 'if (!casw(p, W_head, s0)) return RETRY;',
        replace: 'if (!casw(p, W_head, s0)) return RETRY;\n          mutWindow(); Atomics.store(arena, bix(L.blk, W_next), L.fl);',
      },
    ],
  },
  {
    id: 'busy-flush-forgets-null', spec: 'BusyPool', config: 'standard',
    what: 'flush never stores NULL into the head it locked: the head stays BUSY',
    patches: [{ fn: 'Thread_H5', tx: 'H5_detach', find: 'Atomics.store(i32, W_head, s0);', replace: '/* mutant: head := NULL forgotten */' }],
  },
  {
    id: 'busy-pop-skips-spin', spec: 'BusyPool', config: 'standard',
    what: 'pop does not re-read a BUSY head before its XCHG (D2 spin skipped): it XCHGs at once',
    patches: [
      { fn: 'Thread_D2', guard: 'D2_spin', find: '(L.r === BUSY)', replace: 'false' },
      { fn: 'Thread_D2', guard: 'D2_xchg', find: '((L.r !== NULL) && (L.r !== BUSY))', replace: '(L.r !== NULL)' },
    ],
  },
  {
    id: 'busy-flush-walk-early-free', spec: 'BusyPool', config: 'standard',
    what: 'the flush walk gives a block back to the OS before it reads the block\'s link (release before the dereference)',
    patches: [{
      fn: 'Thread_walk', tx: 'walk_free', find: 'const s0 = NULL;',
      replace: 'const s0 = NULL;\n          Atomics.store(i32, ix(W_mapped, L.fw, K_N), 0); p.st[ix(W_mapped, L.fw, K_N)] = 0;',
    }],
  },

  // ------------------------------------------------------------------ LockedPool (spinlock)
  {
    id: 'locked-lock-split', spec: 'LockedPool', config: 'standard',
    what: 'pop takes the spinlock by a plain store after seeing it free (test, then set) instead of a CAS',
    patches: [{ fn: 'Thread_L1', tx: 'L1', find: 'if (!casw(p, W_lock, s0)) return RETRY;', replace: 'mutWindow(); Atomics.store(i32, W_lock, s0);' }],
  },
  {
    id: 'locked-unlock-wrong-value', spec: 'LockedPool', config: 'standard',
    what: 'pop releases the spinlock by storing its own id instead of 0',
    patches: [{ fn: 'Thread_L5', tx: 'L5_got', find: 'Atomics.store(i32, W_lock, s0);', replace: 'Atomics.store(i32, W_lock, p.id);' }],
  },
  {
    id: 'locked-unlock-before-deref', spec: 'LockedPool', config: 'standard',
    what: 'pop releases the spinlock right after reading the head, before dereferencing it',
    patches: [{ fn: 'Thread_L2', tx: 'L2', find: 'L.pp = l0;', replace: 'L.pp = l0;\n          Atomics.store(i32, W_lock, 0);' }],
  },
  {
    id: 'locked-push-link-null', spec: 'LockedPool', config: 'standard',
    what: 'push links the freed block to NULL instead of the head it read (ptr->next := NULL)',
    patches: [{ fn: 'Thread_M4b', tx: 'M4b', find: 'Atomics.store(arena, bix(si0, W_next), s0);', replace: 'Atomics.store(arena, bix(si0, W_next), NULL);' }],
  },
  {
    id: 'locked-pop-wrong-block', spec: 'LockedPool', config: 'standard',
    what: 'pop hands the caller the successor of the block it unlinked (when there is one) instead of the block',
    patches: [{ fn: 'Thread_L4', tx: 'L4', find: 'const l0 = sAdd(L.held, L.pp);', replace: 'const l0 = sAdd(L.held, L.nn !== NULL ? L.nn : L.pp);' }],
  },
  {
    id: 'locked-flush-keeps-head', spec: 'LockedPool', config: 'standard',
    what: 'flush forgets to store NULL into the head: the list it frees to the OS stays listed',
    patches: [{ fn: 'Thread_K3', tx: 'K3', find: 'Atomics.store(i32, W_head, s0);', replace: '/* mutant: head := NULL forgotten */' }],
  },

  // ------------------------------------------------------------------ DwcasPool (before the fix)
  {
    id: 'dwcas-no-seq-increment', spec: 'DwcasPool', config: 'noOsFree',
    what: 'the pop DWCAS writes the seq it read instead of seq + 1 (a missing seq increment: ABA)',
    patches: [{ fn: 'Thread_A5', tx: 'A5_ok', find: 'const s1 = (L.cs + 1);', replace: 'const s1 = L.cs;' }],
  },
  {
    id: 'dwcas-fail-no-reread', spec: 'DwcasPool', config: 'noOsFree',
    what: 'a failed pop DWCAS keeps the pair it had instead of the current one (no re-read on failure)',
    patches: [
      { fn: 'Thread_A5', tx: 'A5_fail', find: 'const c1 = hi(ldp(p, 0));', replace: 'const c1 = L.cs;' },
      { fn: 'Thread_A5', tx: 'A5_fail', find: 'const l0 = lo(ldp(p, 0));', replace: 'const l0 = L.ch;' },
    ],
  },
  {
    id: 'dwcas-push-seq-bump', spec: 'DwcasPool', config: 'noOsFree',
    what: 'the push DWCAS also increments seq (the spec\'s push leaves seq unchanged)',
    equivalent: 'a push that bumps seq only makes more pops retry: every pop still succeeds on an unchanged <head, seq>, so no fault, no lost block and no stall can follow; only a recorded trace can show it',
    patches: [{
      fn: 'Thread_B7', tx: 'B7_ok', find: 'if (Atomics.compareExchange(i64, 0, base, withLo(base, s0)) !== base) return RETRY;',
      replace: 'if (Atomics.compareExchange(i64, 0, base, withHi(withLo(base, s0), hi(base) + 1)) !== base) return RETRY;',
    }],
  },
  {
    id: 'dwcas-flush-unlock-wrong', spec: 'DwcasPool', config: 'standard',
    what: 'flush releases pool->lock by storing true (1) instead of false',
    patches: [{ fn: 'Thread_C5', tx: 'C5', find: 'Atomics.store(i32, W_lock, 0);', replace: 'Atomics.store(i32, W_lock, 1);' }],
  },

  // ------------------------------------------------------------------ TreiberPool (textbook, ABA)
  {
    id: 'treiber-fail-no-reread', spec: 'TreiberPool', config: 'noOsFree',
    what: 'a failed pop CAS does not re-read the head: it dereferences and CASes the stale head again',
    patches: [{ fn: 'Thread_T4', tx: 'T4_fail', find: 'const l0 = ld(p, W_head);', replace: 'const l0 = L.h;' }],
  },
  {
    id: 'treiber-link-after-cas', spec: 'TreiberPool', config: 'noOsFree',
    what: 'push writes the link after the CAS that publishes the block, not before',
    patches: [
      { fn: 'Thread_B6', tx: 'B6', find: 'Atomics.store(arena, bix(si0, W_next), s0);', replace: '/* mutant: the link is written after the CAS */' },
      {
        fn: 'Thread_B7', tx: 'B7_ok', find: 'if (!casw(p, W_head, s0)) return RETRY;',
        replace: 'if (!casw(p, W_head, s0)) return RETRY;\n          mutWindow(); Atomics.store(arena, bix(L.blk, W_next), L.fl);',
      },
    ],
  },

  // ------------------------------------------------------------------ NoCachePool (baseline)
  {
    id: 'nocache-malloc-split', spec: 'NoCachePool', config: 'standard',
    what: 'taking a block from the OS is not atomic: a plain store where the runtime CASes mapped (two threads can get one block)',
    patches: [{ fn: 'Thread_os', tx: 'os_get', find: 'if (!gcas(p, gw0, 1)) return RETRY;', replace: 'mutWindow(); Atomics.store(i32, gw0, 1);' }],
  },
  {
    id: 'nocache-free-leak', spec: 'NoCachePool', config: 'standard',
    what: 'free(ptr) never gives the block back to the OS (the block stays mapped: a leak)',
    patches: [{ fn: 'Thread_nocache_free', tx: 'nocache_free_crowded', find: 'gset(p, gw1, 0);', replace: '/* mutant: the block stays mapped */' }],
  },
  {
    id: 'nocache-free-keeps-link', spec: 'NoCachePool', config: 'standard',
    what: 'free(ptr) does not clear the block\'s link word (next := NULL forgotten)',
    equivalent: 'NoCachePool never reads a link word, and the OS zeroes a block it hands out only from the payload on: no detector can see a stale link; a trace shows it only if the recorder logs the memory after the store rather than the value stored',
    patches: [{ fn: 'Thread_nocache_free', tx: 'nocache_free_crowded', find: 'Atomics.store(arena, bix(si0, W_next), s0);', replace: '/* mutant: next := NULL forgotten */' }],
  },
];
