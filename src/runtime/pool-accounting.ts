/**
 * Where every block is, from a model state, as the spec itself describes its places (`p.place`: the
 * shared lists or buckets, each thread's hands and local cache, the blocks in transit): each place's
 * set is evaluated on the state (the runtime's state projected onto the model's variables), every
 * block is counted once per place that holds it, and the OS holds the unmapped ones. A mapped block in
 * no place is lost; a block in two places (or in a place and at the OS) is duplicated.
 *
 * The pool library (spec/lib/pool.ts) declares the places of every single-list pool; BucketPool and
 * HazardStack declare their own. Nothing here knows a variable's name.
 */
import type { Model, PlaceKind } from '../dsl/ir.ts';
import { evaluate, type Env } from '../engine/eval.ts';
import { isSet, type State, type Value } from '../engine/value.ts';

export interface Accounting {
  blocks: number;
  inList: number;
  inLocalCaches: number;
  inHands: number;
  /** In transit inside an operation (being freed, retired) or in a flush walk. */
  inTransit: number;
  atOs: number;
  /** Mapped blocks found nowhere. */
  lost: number;
  /** Blocks found in more than one place. */
  duplicated: number;
  /** True when a list the spec describes loops (a cycle). */
  cyclic: boolean;
  /** Blocks per place the spec declares, by its name (summed over a map's elements). */
  places: Record<string, number>;
}

/** Whether the spec describes where its blocks are (`p.place`), which stress and replay's accounting need. */
export function isPoolModel(model: Model): boolean {
  return (model.places?.length ?? 0) > 0 && model.blockSets.length > 0;
}

const TOTAL: Record<PlaceKind, 'inList' | 'inLocalCaches' | 'inHands' | 'inTransit'> = {
  list: 'inList', cache: 'inLocalCaches', hands: 'inHands', transit: 'inTransit',
};

/** The sets a place's value stands for: one set, or a map's (array's) sets. */
function setsOf(v: Value): number[][] {
  if (isSet(v)) return [v.set as number[]];
  if (Array.isArray(v)) return v.flatMap(setsOf);
  return [];
}

/** Counts every block of state `s` of `model` under the constants `consts`. */
export function accountPool(model: Model, consts: Record<string, number | boolean>, s: State): Accounting {
  const blockSet = model.memory?.blocks ?? model.blockSets[0].name;
  const n = consts[model.blockSets.find((b) => b.name === blockSet)!.size] as number;
  const env: Env = { model, consts, state: s, bound: new Map() };
  const mappedOf = mappedIn(model, consts, s);
  const counts = new Array<number>(n + 1).fill(0);
  const a: Accounting = { blocks: n, inList: 0, inLocalCaches: 0, inHands: 0, inTransit: 0, atOs: 0, lost: 0, duplicated: 0, cyclic: false, places: {} };
  for (const p of model.places ?? []) {
    let here = 0;
    for (const set of setsOf(evaluate(p.blocks, env))) {
      for (const b of set) if (typeof b === 'number' && b >= 1 && b <= n) { counts[b] += 1; here += 1; }
    }
    a.places[p.name] = here;
    a[TOTAL[p.kind]] += here;
    if (p.acyclic && evaluate(p.acyclic, env) !== true) a.cyclic = true;
  }
  for (let b = 1; b <= n; b += 1) {
    const mapped = mappedOf(b);
    if (!mapped) a.atOs += 1;
    if (mapped && counts[b] === 0) a.lost += 1;
    if (counts[b] + (mapped ? 0 : 1) > 1) a.duplicated += 1;
  }
  return a;
}

/** The model's block-mapping predicate, evaluated on a model state. */
export function mappedIn(model: Model, consts: Record<string, number | boolean>, s: State): (b: number) => boolean {
  const mem = model.memory;
  if (!mem) return () => true;
  return (b) => evaluate(mem.mapped, { model, consts, state: s, bound: new Map([[mem.v, b]]) }) === true;
}
