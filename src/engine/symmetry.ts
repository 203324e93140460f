/**
 * Symmetry reduction for the engine: a configuration's interchangeable sets (`symmetry: ['Threads',
 * 'Blocks']`) act on states by permuting block addresses and process ids wherever the declared types
 * say a value is one (pointers, process ids, set elements, array indices, per-process locals, pc).
 * The canonical representative of a state is its least image (by canonical key) over the whole group
 * (the product of the sets' permutation groups), so two states get the same key exactly when they are
 * in the same orbit: the number of distinct keys reached is the number of orbits reached. TLC picks
 * the representative by least fingerprint instead; any canonical choice counts the same orbits.
 *
 * Value-level (engine/value.ts states), so every explorer can call it; validation (dsl/symmetry.ts)
 * has already refused models that are not invariant under these permutations.
 */
import type { PoolspecError } from '../errors.ts';
import type { Config, Domain, Model, Type } from '../dsl/ir.ts';
import { symmetricSets, symmetryErrors, type SymmetricSet } from '../dsl/symmetry.ts';
import { stateVarNames } from '../codegen/tla.ts';
import { isSet, mkSet, stateKey, type State, type Value } from './value.ts';

/** One group element: for every number that is a symmetric element, its image (others map to themselves). */
type Perm = Map<string, Int32Array>;
type Permuter = (v: Value, g: Perm) => Value;

export interface Symmetry {
  sets: SymmetricSet[];
  /** The group's size (1 for a configuration without symmetry). */
  order: number;
  /** The canonical representative of `s`'s orbit. */
  canonical(s: State): State;
  /** The canonical key of `s`'s orbit (stateKey of the canonical representative). */
  key(s: State): string;
}

/** Every permutation of `xs` (as arrays). */
function permutations(xs: number[]): number[][] {
  if (xs.length <= 1) return [xs.slice()];
  const out: number[][] = [];
  xs.forEach((x, i) => {
    for (const rest of permutations([...xs.slice(0, i), ...xs.slice(i + 1)])) out.push([x, ...rest]);
  });
  return out;
}

const idsName = (procType: string): string => (procType.endsWith('s') ? `${procType}Set` : `${procType}s`);

/**
 * The symmetry of (model, config), null without one; an error when the configuration's symmetry is
 * refused (liveness, refinement, an order-dependent construct: see dsl/symmetry.ts).
 */
export function symmetryOf(model: Model, config: Config): Symmetry | PoolspecError | null {
  if (!config.symmetry?.length) return null;
  const errors = symmetryErrors(model, config);
  if (errors.length) return errors[0];
  const sets = symmetricSets(model, config);
  const varOrder = stateVarNames(model);

  // The group: the product of the permutation groups of the sets, as lookup tables.
  let group: Perm[] = [new Map()];
  for (const s of sets) {
    const max = Math.max(...s.ids);
    const next: Perm[] = [];
    for (const p of permutations(s.ids)) {
      const table = new Int32Array(max + 1);
      for (let i = 0; i <= max; i += 1) table[i] = i;
      s.ids.forEach((id, i) => { table[id] = p[i]; });
      for (const g of group) next.push(new Map(g).set(s.name, table));
    }
    group = next;
  }

  const symName = new Set(sets.map((s) => s.name));
  const domainSet = (d: Domain): string | null => {
    if (d.kind === 'procs') return symName.has(idsName(d.procType)) ? idsName(d.procType) : null;
    const bs = model.blockSets.find((b) => d.lo === 1 && d.hi === b.size);
    return bs && symName.has(bs.name) ? bs.name : null;
  };
  const same: Permuter = (v) => v;
  const elementOf = (set: string): Permuter => (v, g) => (typeof v === 'number' && v >= 1 ? g.get(set)![v] ?? v : v);
  const arrayOver = (set: string | null, of: Permuter): Permuter => {
    if (!set) return of === same ? same : (v, g) => (v as Value[]).map((x) => (x === undefined ? x : of(x, g)));
    return (v, g) => {
      const xs = v as Value[];
      const table = g.get(set)!;
      const out: Value[] = new Array(xs.length);
      for (let i = 0; i < xs.length; i += 1) {
        if (xs[i] === undefined) continue;
        const j = i + 1 < table.length ? table[i + 1] - 1 : i;
        out[j] = of(xs[i], g);
      }
      return out;
    };
  };
  const permuter = (t: Type): Permuter => {
    switch (t.kind) {
      case 'ptr': return symName.has(t.blocks) ? elementOf(t.blocks) : same;
      case 'proc': return symName.has(idsName(t.procType)) ? elementOf(idsName(t.procType)) : same;
      case 'set': {
        const of = permuter(t.of);
        return of === same ? same : (v, g) => (isSet(v) ? mkSet(v.set.map((x) => of(x, g))) : v);
      }
      case 'array': return arrayOver(domainSet(t.index), permuter(t.of));
      default: return same;
    }
  };
  // pc and the locals are functions over every process id: only symmetric process types' ids move.
  const procSets = model.procTypes.filter((pt) => symName.has(idsName(pt.name))).map((pt) => idsName(pt.name));
  const overProcs = (of: Permuter): Permuter => {
    if (!procSets.length) return arrayOver(null, of);
    const perSet = procSets.map((n) => arrayOver(n, same));
    return (v, g) => {
      let xs = (v as Value[]).map((x) => (x === undefined ? x : of(x, g)));
      for (const move of perSet) xs = move(xs, g) as Value[];
      return xs;
    };
  };
  const byVar = new Map<string, Permuter>();
  for (const v of model.vars) byVar.set(v.name, permuter(v.type));
  byVar.set('pc', overProcs(same));
  for (const pt of model.procTypes) for (const l of pt.locals) byVar.set(l.name, overProcs(permuter(l.type)));
  const perms = varOrder.map((n) => byVar.get(n) ?? same);

  const image = (s: State, g: Perm): State => {
    const out: State = {};
    for (let i = 0; i < varOrder.length; i += 1) out[varOrder[i]] = perms[i](s[varOrder[i]], g);
    return out;
  };
  const best = (s: State): { state: State; key: string } => {
    let state = s;
    let key = stateKey(s, varOrder);
    for (const g of group) {
      if (g.size === 0) continue;
      const img = image(s, g);
      const k = stateKey(img, varOrder);
      if (k < key) { key = k; state = img; }
    }
    return { state, key };
  };
  return { sets, order: group.length, canonical: (s) => best(s).state, key: (s) => best(s).key };
}

export const isSymmetry = (x: Symmetry | PoolspecError | null): x is Symmetry => !!x && 'canonical' in x;
