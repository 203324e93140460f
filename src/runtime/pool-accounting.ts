/**
 * Where every block of a pool is, from a model state of a pool spec (the variables of
 * spec/lib/pool.ts: head, next, where, held, cache, blk, fw). Computed from the real structures, not
 * from the ghost bookkeeping: the list walked from the head, each thread's hands and local cache, the
 * blocks in transit, the flush walks, and the OS (unmapped blocks).
 */
import type { Model } from '../dsl/ir.ts';
import { evaluate } from '../engine/eval.ts';
import { isSet, type State, type Value } from '../engine/value.ts';

export interface Accounting {
  blocks: number;
  inList: number;
  inLocalCaches: number;
  inHands: number;
  /** In transit inside an operation (being freed) or in a flush walk. */
  inTransit: number;
  atOs: number;
  /** Mapped blocks found nowhere. */
  lost: number;
  /** Blocks found in more than one place. */
  duplicated: number;
  /** True when the walk from the head met a block twice (a cycle). */
  cyclic: boolean;
}

const BUSY = -1;

/** Whether a model has the variables of a pool spec (spec/lib/pool.ts) that accounting reads. */
export function isPoolModel(model: Model): boolean {
  const names = new Set([...model.vars.map((v) => v.name), ...model.procTypes.flatMap((p) => p.locals.map((l) => l.name))]);
  return ['head', 'next', 'held', 'cache', 'blk', 'fw'].every((n) => names.has(n));
}

function walk(start: Value, next: Value[], n: number): { nodes: number[]; cyclic: boolean } {
  const nodes: number[] = [];
  const seen = new Set<number>();
  let x = start as number;
  while (typeof x === 'number' && x >= 1 && x <= n) {
    if (seen.has(x)) return { nodes, cyclic: true };
    seen.add(x);
    nodes.push(x);
    x = next[x - 1] as number;
  }
  return { nodes, cyclic: false };
}

/**
 * Counts every block of state `s`. The list starts at the head or, while the head is BUSY, at the
 * logical head the lock holder works on (BusyPool's ghost `lhead`).
 */
export function accountPool(s: State, mappedOf: (b: number) => boolean): Accounting {
  const next = s.next as Value[];
  const n = next.length;
  const head = s.head === BUSY && 'lhead' in s ? s.lhead : s.head;
  const counts = new Array<number>(n + 1).fill(0);
  const list = walk(head, next, n);
  for (const b of list.nodes) counts[b] += 1;
  const setOf = (v: Value): number[] => (isSet(v) ? (v.set as number[]) : []);
  let inCaches = 0;
  let inHands = 0;
  let inTransit = 0;
  (s.held as Value[]).forEach((h) => { for (const b of setOf(h)) { counts[b] += 1; inHands += 1; } });
  (s.cache as Value[]).forEach((c) => { for (const b of setOf(c)) { counts[b] += 1; inCaches += 1; } });
  (s.blk as Value[]).forEach((b) => { if (typeof b === 'number' && b >= 1) { counts[b] += 1; inTransit += 1; } });
  (s.fw as Value[]).forEach((f) => {
    for (const b of walk(f, next, n).nodes) { counts[b] += 1; inTransit += 1; }
  });
  let atOs = 0;
  let lost = 0;
  let duplicated = 0;
  for (let b = 1; b <= n; b += 1) {
    const mapped = mappedOf(b);
    if (!mapped) atOs += 1;
    if (mapped && counts[b] === 0) lost += 1;
    if (counts[b] + (mapped ? 0 : 1) > 1) duplicated += 1;
  }
  return { blocks: n, inList: list.nodes.length, inLocalCaches: inCaches, inHands, inTransit, atOs, lost, duplicated, cyclic: list.cyclic };
}

/** The model's block-mapping predicate, evaluated on a model state. */
export function mappedIn(model: Model, consts: Record<string, number | boolean>, s: State): (b: number) => boolean {
  const mem = model.memory;
  if (!mem) return () => true;
  return (b) => evaluate(mem.mapped, { model, consts, state: s, bound: new Map([[mem.v, b]]) }) === true;
}
