/**
 * What a state means for a model with block memory: where each block is (a free list hanging off a
 * root pointer, a thread's sets or pointers, the OS), which blocks are lost or duplicated, and which
 * link words a step touched (a fault when the block was unmapped). Everything is derived from the
 * model's declarations (blockMemory, ptr types, the in-block link array), not from one spec's names.
 */
import type { Expr, Model, Transition, Type } from '../../dsl/ir.ts';
import { walkExpr } from '../../dsl/print.ts';
import { apply, evaluate, EvalError, type Env } from '../../engine/eval.ts';
import type { TraceStep } from '../../engine/trace.ts';
import { isSet, type State, type Value } from '../../engine/value.ts';

export interface MemoryShape {
  blocks: string;
  size: number;
  /** The in-block link array (`next`). */
  link: string;
  /** Scalar pointer variables into the blocks (shared and ghost): where lists start. */
  roots: { name: string; ghost: boolean }[];
  /** Per-process pointer locals and set-of-pointer locals. */
  ptrLocals: string[];
  setLocals: string[];
  /** Enum-valued arrays over the blocks (e.g. a ghost `where`): shown as captions. */
  tags: string[];
  /** `mapped(v)`: the block-memory predicate and the name of its block parameter. */
  mapped: Expr;
  param: string;
}

export type Place =
  | { kind: 'os' }
  | { kind: 'list'; root: string }
  | { kind: 'set'; proc: number; local: string }
  | { kind: 'ptr'; proc: number; local: string }
  | { kind: 'lost' };

export interface Access { proc: number; block: number; write: boolean; fault: boolean }

export interface BlockView {
  b: number;
  mapped: boolean;
  link: Value;
  place: Place;
  /** Every place that claims the block (list, set locals); more than one means duplicated. */
  claims: Place[];
  /** Pointer locals that hold the block's address. */
  refs: { proc: number; local: string }[];
  tags: { name: string; value: string }[];
  access?: Access;
}

export interface Chain { root: string; ghost: boolean; value: number; blocks: number[]; cycleTo: number | null }

export interface MemoryView {
  chains: Chain[];
  blocks: BlockView[];
  lost: number[];
  duplicated: number[];
  faults: Access[];
}

const ptrInto = (t: Type, blocks: string) => t.kind === 'ptr' && t.blocks === blocks;

/** The drawing needs block memory, a link array inside the blocks, and pointer types into them. */
export function memoryShape(model: Model, consts: Record<string, number | boolean>): MemoryShape | null {
  const mem = model.memory;
  if (!mem) return null;
  const bs = model.blockSets.find((b) => b.name === mem.blocks);
  if (!bs) return null;
  const link = model.vars.find((v) => v.inBlock && v.type.kind === 'array' && ptrInto(v.type.of, mem.blocks));
  if (!link) return null;
  const size = typeof consts[bs.size] === 'number' ? consts[bs.size] as number : NaN;
  if (!Number.isInteger(size)) return null;
  const overBlocks = (t: Type) => t.kind === 'array' && t.index.kind === 'range' && t.index.lo === 1 && t.index.hi === bs.size;
  const locals = model.procTypes.flatMap((pt) => pt.locals);
  return {
    blocks: mem.blocks,
    size,
    link: link.name,
    roots: model.vars.filter((v) => !v.inBlock && ptrInto(v.type, mem.blocks)).map((v) => ({ name: v.name, ghost: v.role === 'ghost' })),
    // Locals are per-process arrays over every process; process types may share a local's name.
    ptrLocals: [...new Set(locals.filter((l) => ptrInto(l.type, mem.blocks)).map((l) => l.name))],
    setLocals: [...new Set(locals.filter((l) => l.type.kind === 'set' && ptrInto(l.type.of, mem.blocks)).map((l) => l.name))],
    tags: model.vars.filter((v) => overBlocks(v.type) && v.type.kind === 'array' && v.type.of.kind === 'enum').map((v) => v.name),
    mapped: mem.mapped,
    param: mem.v,
  };
}

const isBlock = (shape: MemoryShape, x: Value): x is number => typeof x === 'number' && x >= 1 && x <= shape.size;

function walk(shape: MemoryShape, state: State, start: Value): { blocks: number[]; cycleTo: number | null } {
  const blocks: number[] = [];
  let x = start;
  while (isBlock(shape, x)) {
    if (blocks.includes(x)) return { blocks, cycleTo: x };
    blocks.push(x);
    x = apply(state[shape.link], x);
  }
  return { blocks, cycleTo: null };
}

/** For each (proc, local), the trace position where its value last changed, up to each step. */
export function lastAssigned(shape: MemoryShape, trace: TraceStep[]): Map<string, number>[] {
  const out: Map<string, number>[] = [];
  let cur = new Map<string, number>();
  trace.forEach((s, i) => {
    if (i > 0) {
      cur = new Map(cur);
      for (const l of shape.ptrLocals) {
        const a = trace[i - 1].state[l] as Value[];
        const b = s.state[l] as Value[];
        b.forEach((v, p) => { if (v !== a[p]) cur.set(`${p + 1}.${l}`, i); });
      }
    }
    out.push(cur);
  });
  return out;
}

/** The link words a transition read or wrote, with the pre-state's block memory (a fault if unmapped). */
export function accessesOf(shape: MemoryShape, env: Env, t: Transition, proc: number): Access[] {
  const out: Access[] = [];
  const add = (idx: Expr, write: boolean) => {
    let b: Value;
    try {
      b = evaluate(idx, env);
    } catch (err) {
      if (err instanceof EvalError) return; // an index under a quantifier: not a single word
      throw err;
    }
    if (!isBlock(shape, b) || out.some((a) => a.block === b && a.write === write)) return;
    out.push({ proc, block: b, write, fault: !isMapped(shape, env, b) });
  };
  const reads = (e: Expr) => walkExpr(e, (x) => {
    if (x.op === 'index' && x.arr.op === 'var' && x.arr.name === shape.link) add(x.idx, false);
  });
  reads(t.guard);
  for (const p of t.params) reads(p.over);
  for (const a of t.effects) {
    reads(a.value);
    if (a.target.index) reads(a.target.index);
    if (a.target.kind === 'var' && a.target.name === shape.link && a.target.index) add(a.target.index, true);
  }
  return out;
}

function isMapped(shape: MemoryShape, env: Env, b: number): boolean {
  try {
    return evaluate(shape.mapped, { ...env, bound: new Map([...env.bound, [shape.param, b]]) }) === true;
  } catch (err) {
    if (err instanceof EvalError) return true; // no verdict on memory: draw it mapped
    throw err;
  }
}

export function memoryView(
  model: Model,
  shape: MemoryShape,
  consts: Record<string, number | boolean>,
  state: State,
  procs: number[],
  assigned: Map<string, number>,
  accesses: Access[],
): MemoryView {
  const env: Env = { model, consts, state, bound: new Map() };
  const chains: Chain[] = shape.roots.map((r) => {
    const v = state[r.name] as number;
    const w = walk(shape, state, v);
    return { root: r.name, ghost: r.ghost, value: v, blocks: w.blocks, cycleTo: w.cycleTo };
  });
  const inList = new Map<number, string>();
  for (const c of chains) for (const b of c.blocks) if (!inList.has(b)) inList.set(b, c.root);

  const walks: { proc: number; local: string; at: number; blocks: number[] }[] = [];
  for (const p of procs) {
    for (const l of shape.ptrLocals) {
      const v = apply(state[l], p);
      if (isBlock(shape, v)) walks.push({ proc: p, local: l, at: assigned.get(`${p}.${l}`) ?? 0, blocks: walk(shape, state, v).blocks });
    }
  }
  // The most recent assignment says where a block went (a freer's `blk`, not a stale reader's copy).
  walks.sort((a, b) => b.at - a.at || a.proc - b.proc);

  const blocks: BlockView[] = [];
  const lost: number[] = [];
  const duplicated: number[] = [];
  for (let b = 1; b <= shape.size; b += 1) {
    const mapped = isMapped(shape, env, b);
    const claims: Place[] = [];
    if (inList.has(b)) claims.push({ kind: 'list', root: inList.get(b)! });
    for (const p of procs) {
      for (const l of shape.setLocals) {
        const s = apply(state[l], p);
        if (isSet(s) && s.set.includes(b)) claims.push({ kind: 'set', proc: p, local: l });
      }
    }
    const refs = walks.filter((w) => w.blocks[0] === b).map((w) => ({ proc: w.proc, local: w.local })).sort((x, y) => x.proc - y.proc);
    let place: Place;
    if (!mapped) place = { kind: 'os' };
    else if (claims.length) place = claims[0];
    else {
      const w = walks.find((x) => x.blocks.includes(b));
      place = w ? { kind: 'ptr', proc: w.proc, local: w.local } : { kind: 'lost' };
    }
    if (mapped && place.kind === 'lost') lost.push(b);
    if (claims.length > 1) duplicated.push(b);
    const tags = shape.tags.map((name) => ({ name, value: String(apply(state[name], b)) }));
    const access = accesses.find((a) => a.block === b && a.fault) ?? accesses.find((a) => a.block === b);
    blocks.push({ b, mapped, link: apply(state[shape.link], b), place, claims, refs, tags, ...(access ? { access } : {}) });
  }
  return { chains, blocks, lost, duplicated, faults: accesses.filter((a) => a.fault) };
}
