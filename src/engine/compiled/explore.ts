/**
 * The compiled engine's exhaustive search: the same breadth-first search as ../explore.ts (TLC's
 * conventions, figures and shortest counterexample: see there), on compiled code and packed states.
 * - Successors outside the state constraint are checked against the invariants but neither stored
 *   nor expanded; a state with no successor at all is a deadlock; "generated" counts every successor
 *   TLC's enumeration yields (copies), stopping at the first copy of a violating one.
 * - Each stored state keeps only its parent's number: a counterexample is rebuilt by walking from the
 *   initial state and re-expanding each state on the path to find the step that reaches the next one
 *   (the first in TLC's order, the very step the search recorded).
 * - `canonical` (optional) maps a slot state to its representative in place (symmetry reduction):
 *   states are stored canonical, and the trace is rebuilt through real successors of real states.
 * Configurations it does not cover (temporal properties, refinement, values outside the bitmask or
 * the declared types) run on the interpreted engine: `exploreFast` decides.
 */
import { isSymmetry, symmetryOf } from '../symmetry.ts';
import type { PoolspecError } from '../../errors.ts';
import { EvalError } from '../eval.ts';
import { explore, searchResult, type ExploreOptions, type ExploreResult } from '../explore.ts';
import type { Machine } from '../step.ts';
import type { TraceStep, TraceVia } from '../trace.ts';
import { decodeState, encodeState, Unsupported } from './layout.ts';
import type { State } from '../value.ts';
import { compile, decode, viaOf, type Program } from './program.ts';
import { StateStore } from './store.ts';

export interface FastOptions extends ExploreOptions {
  /** Symmetry: replaces a slot state by its canonical representative, in place. */
  canonical?: (S: Int32Array) => void;
  /**
   * Symmetry at the value level (e.g. src/engine/symmetry.ts): the canonical representative of a
   * state. Applied as decode -> canonicalize -> encode on every successor (slower than `canonical`).
   */
  canonicalState?: (s: State) => State;
}

/** Why the compiled engine does not run this configuration (with these options), or null. */
export function compiledUnsupported(m: Machine, opts: FastOptions = {}): string | null {
  if (m.config.properties.length > 0) return 'temporal properties are checked by the interpreted engine';
  if (m.config.refines) return 'refinement is not checked by the engine';
  const symmetric = ((m.config as { symmetry?: unknown[] }).symmetry?.length ?? 0) > 0;
  if (symmetric && !opts.canonical && !opts.canonicalState) return 'symmetry without a canonicalization hook';
  return null;
}

/** The engine's exhaustive check: compiled when it can be, else the interpreted explorer. */
export function exploreFast(m: Machine, opts: FastOptions = {}): ExploreResult & { compiled: boolean; storeBytes?: number } {
  // A symmetric configuration is reduced by src/engine/symmetry.ts's canonical form, at the value level;
  // a refused one goes to the interpreted explorer, which reports the refusal.
  if (m.config.symmetry?.length && !opts.canonical && !opts.canonicalState) {
    const sym = symmetryOf(m.model, m.config);
    if (isSymmetry(sym)) opts = { ...opts, canonicalState: sym.canonical };
  }
  if (!compiledUnsupported(m, opts)) {
    try {
      const P = compile(m);
      return { ...exploreCompiled(P, m, opts), compiled: true };
    } catch (err) {
      if (!(err instanceof Unsupported)) throw err;
    }
  }
  return { ...explore(m, opts), compiled: false };
}

/** Throws Unsupported when a value leaves what the layout can hold (the caller falls back). */
export function exploreCompiled(P: Program, m: Machine, opts: FastOptions = {}): ExploreResult & { storeBytes: number } {
  const t0 = performance.now();
  const L = P.L;
  const W = L.words;
  const store = new StateStore(W, P.hash);
  const S = new Int32Array(L.slots);
  const T = new Int32Array(L.slots);
  const byValue = opts.canonicalState;
  const canonical = opts.canonical ?? (byValue ? (X: Int32Array) => X.set(encodeState(L, byValue(decodeState(L, X)))) : undefined);
  const C = canonical ? new Int32Array(L.slots) : T;
  // Under symmetry the store holds canonical states, but, as TLC does, the search expands the state
  // actually reached first (its successors come in another order, which changes the counts at a violation).
  let actual = canonical ? new Int32Array(W * 1024) : null;
  const keepActual = (r: number, X: Int32Array) => {
    if (!actual) return;
    if ((r + 1) * W > actual.length) { const a = new Int32Array(actual.length * 2); a.set(actual); actual = a; }
    P.pack(X, actual, r * W);
  };
  let generated = 0;
  let depth = 0;
  let curDepth = 1;
  let levelEnd = 0;
  let current = -1;

  const finish = (violated: string | null, at: number | null, beyond?: { S: Int32Array; via?: TraceVia }, error?: PoolspecError): ExploreResult & { storeBytes: number } => {
    let trace: TraceStep[] | null = null;
    if (at !== null || beyond) {
      const steps = at === null ? [] : rebuild(P, store, at, canonical);
      if (beyond) steps.push(beyond.via ? { via: beyond.via, state: decode(P, beyond.S) } : { state: decode(P, beyond.S) });
      trace = steps.map((s, i) => ({ ...s, index: i + 1 }));
    }
    return { ...searchResult({ violated, distinct: store.count, generated, depth, trace, t0, error }), storeBytes: store.bytes() };
  };
  const invName = (i: number) => m.config.invariants[i];

  // An evaluation error in the initial state is reported like one during the search (the catch below).
  try {
    // ---- the initial state
    const init = P.init.slice();
    generated = 1;
    if (P.constraint(init)) {
      const X = canonical ? init.slice() : init;
      canonical?.(X);
      const o = store.scratch;
      P.pack(X, store.arena, o);
      keepActual(store.insert(-1), init);
      depth = 1;
      levelEnd = 1;
      const bad = P.invariant(init);
      if (bad >= 0) return finish(invName(bad), 0);
    } else {
      const bad = P.invariant(init);
      if (bad >= 0) return finish(invName(bad), null, { S: init });
      return finish(null, null);
    }

    // ---- the search
    let deadlocked = true;
    let stop: { violated: string; at: number | null; beyond?: { S: Int32Array; via?: TraceVia } } | null = null;
    const emit = (self: number, k: number, copies: number, a0: number, a1: number, a2: number): boolean => {
      deadlocked = false;
      generated += 1;
      if (P.constraint(T)) {
        if (canonical) { C.set(T); canonical(C); }
        const o = store.scratch; // may grow the arena: read before it
        P.pack(C, store.arena, o);
        const r = store.insert(current);
        if (r >= 0) {
          keepActual(r, T);
          if (curDepth + 1 > depth) depth = curDepth + 1;
          const bad = P.invariant(T);
          if (bad >= 0) { stop = { violated: invName(bad), at: r }; return true; }
        }
      } else {
        const bad = P.invariant(T);
        if (bad >= 0) {
          stop = { violated: invName(bad), at: current, beyond: { S: T.slice(), via: viaOf(P, self, k, [a0, a1, a2]) } };
          return true;
        }
      }
      generated += copies - 1;
      return false;
    };

    let reported = t0;
    for (let i = 0; i < store.count; i += 1) {
      current = i;
      if (i >= levelEnd) { curDepth += 1; levelEnd = store.count; }
      if (opts.onProgress && (i & 1023) === 0 && performance.now() - reported >= (opts.progressMs ?? 250)) {
        reported = performance.now();
        opts.onProgress({ distinctStates: store.count, statesGenerated: generated, queue: store.count - i, depth });
      }
      if (opts.maxStates && store.count > opts.maxStates) {
        return finish(null, i, undefined, { code: 'ENGINE_LIMIT', message: `more than ${opts.maxStates} distinct states: exploration stopped` });
      }
      P.unpack(actual ?? store.arena, i * W, S);
      deadlocked = true;
      if (P.expand(S, T, emit)) {
        const s = stop!;
        return finish(s.violated, s.at, s.beyond);
      }
      if (P.finished(S)) {
        deadlocked = false;
        generated += 1;
      }
      if (deadlocked && m.config.checkDeadlock) return finish('Deadlock', i);
    }
    return finish(null, null);
  } catch (err) {
    if (!(err instanceof EvalError)) throw err;
    const where = current < 0 ? 'in the initial state' : `while expanding a state at depth ${curDepth}`;
    return finish(null, current < 0 ? null : current, undefined, { code: 'ENGINE_EVAL', message: `evaluation failed ${where}: ${err.message}` });
  }
}

/**
 * The path from the initial state to state `at`, as trace steps: each state's successors are
 * enumerated again and the first whose (canonical) packed form equals the next stored state is taken.
 */
function rebuild(P: Program, store: StateStore, at: number, canonical?: (S: Int32Array) => void): Omit<TraceStep, 'index'>[] {
  const chain: number[] = [];
  for (let i = at; i >= 0; i = store.parent[i]) chain.unshift(i);
  const W = store.W;
  let cur: Int32Array = P.init.slice();
  const steps: Omit<TraceStep, 'index'>[] = [{ state: decode(P, cur) }];
  const T = new Int32Array(P.L.slots);
  const C = new Int32Array(P.L.slots);
  const packed = new Int32Array(W);
  for (let j = 1; j < chain.length; j += 1) {
    const want = chain[j] * W;
    let found: { next: Int32Array; via: TraceVia } | null = null;
    P.expand(cur, T, (self, k, _c, a0, a1, a2) => {
      if (!P.constraint(T)) return false;
      C.set(T);
      canonical?.(C);
      P.pack(C, packed, 0);
      for (let w = 0; w < W; w += 1) if (packed[w] !== store.arena[want + w]) return false;
      found = { next: T.slice(), via: viaOf(P, self, k, [a0, a1, a2]) };
      return true;
    });
    if (!found) throw new Error('compiled engine: a stored state has no step from its parent');
    const f = found as { next: Int32Array; via: TraceVia };
    cur = f.next;
    steps.push({ via: f.via, state: decode(P, cur) });
  }
  return steps;
}
