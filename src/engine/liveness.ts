/**
 * Liveness checking with TLC's semantics (tlc2.tool.liveness), on the state graph that the safety
 * search (explore.ts) records as it goes, so the graph is built once for every property:
 *
 * - The graph is the reachable states inside the state constraint, and the steps between them. A
 *   step that leaves the constraint is not in the graph, yet it still makes its process ENABLED, as
 *   TLC's ENABLED ignores the constraint (checked against TLC: `x' = x + 1` under WF with
 *   `x <= 2` never stutters at x = 2, so `<>(x = 5)` "holds").
 * - Every state may stutter forever: TLA+ behaviours allow stuttering, so each state has an implicit
 *   self-loop. A step that does not change the state (a spin such as `r := head` while head = BUSY)
 *   is a stuttering step: it is not a `<<Type(self)>>_vars` step and does not make the process
 *   ENABLED (ENABLED <<A>>_vars needs a state-changing step).
 * - `WF_vars(Type(self))` / `SF_vars(Type(self))` per process, as src/codegen/tla.ts emits them. A
 *   fair cycle is a strongly connected set C of states (all its states and internal edges visited
 *   infinitely often) such that for each weakly fair process some state of C disables it or some
 *   edge of C is its step, and for each strongly fair process it is disabled in all of C or some edge
 *   of C is its step. Strong fairness uses the Emerson-Lei refinement: drop the states where an
 *   unsatisfied SF process is enabled, recompute SCCs and try again.
 * - `P ~> Q` is violated when a fair cycle of ~Q states is reachable, through ~Q states, from a
 *   reachable P /\ ~Q state; `[]<>P` when a reachable fair cycle lies in the ~P states. A property
 *   quantified over a process type (`\A v \in Ids : ...`) is decided for each process id in turn.
 *
 * A counterexample is a lasso: a short path from an initial state into the fair set, then either
 * stuttering forever in a state where no fair process is enabled, or a cycle that takes a step of
 * every fair process that needs one (or passes a state where it is disabled) and closes the loop.
 */
import type { Expr, Temporal } from '../dsl/ir.ts';
import type { PoolspecError } from '../errors.ts';
import { EvalError, isTrue, procIds, type Env } from './eval.ts';
import type { Machine } from './step.ts';
import { eachSuccessor, keyOf } from './step.ts';
import type { TraceStep, TraceVia } from './trace.ts';
import type { State } from './value.ts';

/** A stored state of the breadth-first search: `parent` -1 for an initial state, depth 1-based. */
export interface TreeNode { state: State; parent: number; via?: TraceVia; depth: number }

/** The recorded graph: adjacency in compressed rows, one entry per distinct target. */
export interface LiveGraph {
  nodes: TreeNode[];
  /** Edges of state s are tgt[off[s] .. off[s+1]); self-loops (stuttering steps) are left out. */
  off: Int32Array;
  tgt: Int32Array;
  /** Bit mask of the processes (bit = position in Machine.procs) having a step along the edge. */
  lab: Int32Array;
  /** Bit mask of the processes with a state-changing step from s, inside the constraint or not. */
  enabled: Int32Array;
}

export interface Lasso {
  /** Steps 1..k; for a cycle, one more step whose state is the state at loopStart. */
  trace: TraceStep[];
  /** `index` of the first state of the loop (of the last state, when stuttering). */
  loopStart: number;
  /** The behaviour ends stuttering forever in its last state. */
  stuttering: boolean;
}

export interface LivenessViolation extends Lasso { violated: string }

/** Process masks are 32-bit integers. */
const MAX_PROCS = 31;

export function livenessUnsupported(m: Machine): PoolspecError | null {
  if (m.procs.length <= MAX_PROCS) return null;
  return {
    code: 'SPEC_UNSUPPORTED',
    message: `the engine checks temporal properties with at most ${MAX_PROCS} processes; configuration ${m.config.name} has ${m.procs.length}: use TLC`,
  };
}

class IntVec {
  buf = new Int32Array(1024);
  len = 0;
  push(x: number): void {
    if (this.len === this.buf.length) {
      const b = new Int32Array(this.buf.length * 2);
      b.set(this.buf);
      this.buf = b;
    }
    this.buf[this.len++] = x;
  }
  done(): Int32Array { return this.buf.slice(0, this.len); }
}

/**
 * Collects the graph while explore() expands the stored states in index order 0, 1, 2, ...:
 * `expand(i)` before the successors of state i, `step(i, j, proc)` for each successor (j = -1 when it
 * lies outside the constraint), `finish(nodes)` at the end.
 */
export class GraphRecorder {
  private readonly off = new IntVec();
  private readonly tgt = new IntVec();
  private readonly lab = new IntVec();
  private readonly enabled = new IntVec();
  private readonly bit = new Map<number, number>();
  private pendT: number[] = [];
  private pendM: number[] = [];

  constructor(m: Machine) {
    m.procs.forEach((p, i) => this.bit.set(p.id, i < MAX_PROCS ? 1 << i : 0));
  }

  expand(i: number): void {
    this.flush();
    while (this.off.len < i) { this.off.push(this.tgt.len); this.enabled.push(0); } // unexpanded states
    this.off.push(this.tgt.len);
    this.enabled.push(0);
  }

  step(i: number, j: number, proc: number): void {
    if (j === i) return; // a stuttering step: no progress, and does not enable
    const b = this.bit.get(proc) ?? 0;
    this.enabled.buf[this.enabled.len - 1] |= b;
    if (j < 0) return;
    const k = this.pendT.indexOf(j);
    if (k < 0) { this.pendT.push(j); this.pendM.push(b); } else this.pendM[k] |= b;
  }

  finish(nodes: TreeNode[]): LiveGraph {
    this.flush();
    while (this.off.len < nodes.length) { this.off.push(this.tgt.len); this.enabled.push(0); }
    this.off.push(this.tgt.len);
    return { nodes, off: this.off.done(), tgt: this.tgt.done(), lab: this.lab.done(), enabled: this.enabled.done() };
  }

  private flush(): void {
    for (let k = 0; k < this.pendT.length; k += 1) { this.tgt.push(this.pendT[k]); this.lab.push(this.pendM[k]); }
    this.pendT = [];
    this.pendM = [];
  }
}

const propEnv = (m: Machine, state: State, bound: Map<string, number>): Env =>
  ({ model: m.model, consts: m.consts, state, bound: bound as Env['bound'] });

/** The process masks that weak and strong fairness apply to. */
function fairMasks(m: Machine): { wf: number; sf: number } {
  let wf = 0;
  let sf = 0;
  m.procs.forEach((p, i) => {
    if (i >= MAX_PROCS) return;
    if (p.pt.fairness === 'weak') wf |= 1 << i;
    if (p.pt.fairness === 'strong') sf |= 1 << i;
  });
  return { wf, sf };
}

/** The instances of a property: one per process id when quantified, else one. */
function instances(m: Machine, f: Temporal): Map<string, number>[] {
  if (!f.v) return [new Map()];
  return procIds(m.model, m.consts, f.v.procType).map((id) => new Map([[f.v!.name, id]]));
}

/**
 * The first property of the configuration (in its order; per process id in id order) that some fair
 * behaviour violates, with a lasso, or null when all hold. Throws EvalError when a predicate fails.
 */
export function checkLiveness(m: Machine, g: LiveGraph): LivenessViolation | null {
  const search = new FairSearch(m, g);
  for (const name of m.config.properties) {
    const prop = m.model.properties.find((p) => p.name === name);
    if (!prop) throw new EvalError(`unknown property ${name}`);
    for (const bound of instances(m, prop.formula)) {
      const lasso = search.decide(prop.formula, bound);
      if (lasso) return { violated: name, ...lasso };
    }
  }
  return null;
}

class FairSearch {
  private readonly n: number;
  private readonly wf: number;
  private readonly sf: number;
  // Scratch arrays shared by every search (one Tarjan run at a time).
  private readonly stamp: Int32Array;
  private stampv = 0;
  private readonly idx: Int32Array;
  private readonly low: Int32Array;
  private readonly comp: Int32Array;
  private compv = 0;
  private readonly onStack: Uint8Array;
  private readonly sccStack: Int32Array;
  private readonly callStack: Int32Array;
  private readonly edgePos: Int32Array;

  constructor(private readonly m: Machine, private readonly g: LiveGraph) {
    this.n = g.nodes.length;
    ({ wf: this.wf, sf: this.sf } = fairMasks(m));
    const n = this.n;
    this.stamp = new Int32Array(n);
    this.idx = new Int32Array(n);
    this.low = new Int32Array(n);
    this.comp = new Int32Array(n);
    this.onStack = new Uint8Array(n);
    this.sccStack = new Int32Array(n);
    this.callStack = new Int32Array(n);
    this.edgePos = new Int32Array(n);
  }

  private pred(e: Expr, bound: Map<string, number>): (s: number) => boolean {
    const env = propEnv(this.m, {}, bound); // one environment, re-pointed at each state
    const nodes = this.g.nodes;
    return (s) => {
      env.state = nodes[s].state;
      return isTrue(e, env);
    };
  }

  decide(f: Temporal, bound: Map<string, number>): Lasso | null {
    const { n, g } = this;
    const region = new Uint8Array(n);
    let sources: number[] | null = null;
    if (f.kind === 'alwaysEventually') {
      const p = this.pred(f.expr, bound);
      for (let s = 0; s < n; s += 1) if (!p(s)) region[s] = 1;
    } else {
      const p = this.pred(f.from, bound);
      const q = this.pred(f.to, bound);
      const qv = new Uint8Array(n); // 0 unknown, 1 true, 2 false
      const Q = (s: number) => (qv[s] === 0 ? (qv[s] = q(s) ? 1 : 2) : qv[s]) === 1;
      sources = [];
      for (let s = 0; s < n; s += 1) if (p(s) && !Q(s)) { region[s] = 1; sources.push(s); }
      // The ~Q states reachable from a P /\ ~Q state through ~Q states.
      const queue = sources.slice();
      for (let h = 0; h < queue.length; h += 1) {
        const s = queue[h];
        for (let e = g.off[s]; e < g.off[s + 1]; e += 1) {
          const t = g.tgt[e];
          if (!region[t] && !Q(t)) { region[t] = 1; queue.push(t); }
        }
      }
    }
    const fair = this.fairSet(region);
    return fair ? this.lasso(fair, region, sources) : null;
  }

  /** A fair strongly connected set of states inside `region`, or null. */
  private fairSet(region: Uint8Array): Int32Array | null {
    const all: number[] = [];
    for (let s = 0; s < this.n; s += 1) if (region[s]) all.push(s);
    const work: ArrayLike<number>[] = [Int32Array.from(all)];
    while (work.length) {
      const sub = work.pop()!;
      const found: Int32Array[] = [];
      this.tarjan(sub, (from, to) => {
        const verdict = this.judge(from, to);
        if (verdict === 'fair') { found.push(this.sccStack.slice(from, to)); return true; }
        if (verdict) work.push(verdict);
        return false;
      });
      if (found.length) return found[0];
    }
    return null;
  }

  /**
   * Fairness of the SCC sccStack[from..to): 'fair', null (no fair behaviour stays in it), or the
   * subset left after removing the states where an unsatisfied strongly fair process is enabled.
   */
  private judge(from: number, to: number): 'fair' | Int32Array | null {
    const { g, sccStack: M, comp } = this;
    const cid = ++this.compv;
    for (let k = from; k < to; k += 1) comp[M[k]] = cid;
    let edges = 0;
    let enAll = -1;
    let enAny = 0;
    for (let k = from; k < to; k += 1) {
      const s = M[k];
      const en = g.enabled[s];
      enAll &= en;
      enAny |= en;
      for (let e = g.off[s]; e < g.off[s + 1]; e += 1) if (comp[g.tgt[e]] === cid) edges |= g.lab[e];
    }
    if (this.wf & enAll & ~edges) return null; // a weakly fair process enabled throughout, never taken
    const sfBad = this.sf & enAny & ~edges;
    if (!sfBad) return 'fair';
    const rest: number[] = [];
    for (let k = from; k < to; k += 1) if ((g.enabled[M[k]] & sfBad) === 0) rest.push(M[k]);
    return rest.length ? Int32Array.from(rest) : null;
  }

  /**
   * Tarjan's algorithm, iteratively, on the subgraph induced by `sub`; `onScc(from, to)` receives each
   * SCC as sccStack[from..to) and stops the search by returning true.
   */
  private tarjan(sub: ArrayLike<number>, onScc: (from: number, to: number) => boolean): void {
    const { g, idx, low, onStack, sccStack, callStack, edgePos, stamp } = this;
    const sv = ++this.stampv;
    for (let k = 0; k < sub.length; k += 1) { stamp[sub[k]] = sv; idx[sub[k]] = -1; }
    let counter = 0;
    let sp = 0;
    for (let k = 0; k < sub.length; k += 1) {
      const root = sub[k];
      if (idx[root] !== -1) continue;
      let cp = 0;
      idx[root] = low[root] = counter++;
      sccStack[sp++] = root; onStack[root] = 1;
      callStack[cp++] = root; edgePos[root] = g.off[root];
      while (cp > 0) {
        const v = callStack[cp - 1];
        if (edgePos[v] < g.off[v + 1]) {
          const w = g.tgt[edgePos[v]++];
          if (stamp[w] !== sv) continue;
          if (idx[w] === -1) {
            idx[w] = low[w] = counter++;
            sccStack[sp++] = w; onStack[w] = 1;
            callStack[cp++] = w; edgePos[w] = g.off[w];
          } else if (onStack[w] && idx[w] < low[v]) low[v] = idx[w];
          continue;
        }
        cp -= 1;
        if (low[v] === idx[v]) {
          let from = sp;
          do { from -= 1; onStack[sccStack[from]] = 0; } while (sccStack[from] !== v);
          const stop = onScc(from, sp);
          sp = from;
          if (stop) {
            for (let j = 0; j < sp; j += 1) onStack[sccStack[j]] = 0;
            return;
          }
        }
        if (cp > 0) {
          const u = callStack[cp - 1];
          if (low[v] < low[u]) low[u] = low[v];
        }
      }
    }
  }

  // ------------------------------------------------------------ the counterexample

  private lasso(C: Int32Array, region: Uint8Array, sources: number[] | null): Lasso {
    const { g, wf, sf } = this;
    const fairMask = wf | sf;
    const inC = new Uint8Array(this.n);
    for (const s of C) inC[s] = 1;
    // Prefer stuttering forever in a state where no fair process is enabled: the shortest loop.
    const stutterAt = new Uint8Array(this.n);
    let canStutter = false;
    for (const s of C) if ((g.enabled[s] & fairMask) === 0) { stutterAt[s] = 1; canStutter = true; }
    const target = canStutter ? stutterAt : inC;
    const prefix = sources ? this.prefixThrough(sources, region, target) : this.treePathToNearest(C, target);
    const c0 = prefix[prefix.length - 1];
    if (canStutter) return { trace: this.toTrace(prefix.map((s) => ({ s, bit: 0 }))), loopStart: prefix.length, stuttering: true };

    // A cycle from c0 that satisfies every fair process, greedily: walk to the nearest state or edge
    // that satisfies a process still unsatisfied, until none is left, then walk back to c0.
    let enAny = 0;
    for (const s of C) enAny |= g.enabled[s];
    let needW = wf & g.enabled[c0];
    let needS = sf & enAny;
    const cycle: { s: number; bit: number }[] = [];
    let cur = c0;
    while (needW | needS) {
      const need = needW | needS;
      const leg = this.bfs(cur, inC, (u) => (cur !== u && (needW & ~g.enabled[u]) !== 0) || undefined, need);
      for (const step of leg) {
        needW &= g.enabled[step.s];
        if (step.lab) { needW &= ~step.lab; needS &= ~step.lab; }
        cycle.push({ s: step.s, bit: step.lab & need ? lowestBit(step.lab & need) : 0 });
      }
      cur = leg[leg.length - 1].s;
    }
    if (cur !== c0 || cycle.length === 0) {
      for (const step of this.bfs(cur, inC, (u) => u === c0 || undefined, 0, true)) cycle.push({ s: step.s, bit: 0 });
    }
    const all = [...prefix.map((s) => ({ s, bit: 0 })), ...cycle];
    return { trace: this.toTrace(all), loopStart: prefix.length, stuttering: false };
  }

  /**
   * Breadth-first from `start` within `inside` to the nearest state where `goal` holds (not `start`
   * itself unless `leave`), or to the nearest edge labelled with a process of `edgeMask` (taken).
   * Returns the steps (target state, label of the edge).
   */
  private bfs(start: number, inside: Uint8Array, goal: (u: number) => true | undefined, edgeMask: number, leave = false): { s: number; lab: number }[] {
    const { g } = this;
    const par = new Map<number, number>([[start, -1]]);
    const queue = [start];
    const path = (end: number, last?: { s: number; lab: number }) => {
      const out: { s: number; lab: number }[] = last ? [last] : [];
      for (let v = end; v !== start; v = par.get(v)!) out.unshift({ s: v, lab: edgeLabel(g, par.get(v)!, v) });
      return out;
    };
    for (let h = 0; h < queue.length; h += 1) {
      const u = queue[h];
      if ((u !== start || !leave) && goal(u)) return path(u);
      for (let e = g.off[u]; e < g.off[u + 1]; e += 1) {
        const w = g.tgt[e];
        if (!inside[w]) continue;
        if (g.lab[e] & edgeMask) return path(u, { s: w, lab: g.lab[e] });
        if (leave && w === start && goal(w)) return path(u, { s: w, lab: g.lab[e] });
        if (!par.has(w)) { par.set(w, u); queue.push(w); }
      }
    }
    throw new Error('liveness: no path inside a strongly connected set');
  }

  /** The breadth-first tree path to the shallowest state of `C` marked in `target`. */
  private treePathToNearest(C: Int32Array, target: Uint8Array): number[] {
    let best = -1;
    for (const s of C) if (target[s] && (best < 0 || this.g.nodes[s].depth < this.g.nodes[best].depth)) best = s;
    return this.treePath(best);
  }

  private treePath(s: number): number[] {
    const out: number[] = [];
    for (let v = s; v >= 0; v = this.g.nodes[v].parent) out.unshift(v);
    return out;
  }

  /**
   * A shortest path (by total length) from an initial state to a P /\ ~Q source, then inside the
   * region to a state marked in `target` (a bucketed breadth-first search seeded with the sources'
   * depths).
   */
  private prefixThrough(sources: number[], region: Uint8Array, target: Uint8Array): number[] {
    const { g } = this;
    const dist = new Map<number, number>();
    const par = new Map<number, number>();
    const buckets: number[][] = [];
    const put = (s: number, d: number) => { (buckets[d] ??= []).push(s); };
    for (const s of sources) { dist.set(s, g.nodes[s].depth - 1); par.set(s, -1); put(s, g.nodes[s].depth - 1); }
    for (let d = 0; d < buckets.length; d += 1) {
      for (const u of buckets[d] ?? []) {
        if (dist.get(u) !== d) continue;
        if (target[u]) {
          const tail: number[] = [];
          let v = u;
          for (; par.get(v)! >= 0; v = par.get(v)!) tail.unshift(v);
          return [...this.treePath(v), ...tail];
        }
        for (let e = g.off[u]; e < g.off[u + 1]; e += 1) {
          const w = g.tgt[e];
          if (!region[w]) continue;
          const old = dist.get(w);
          if (old === undefined || d + 1 < old) { dist.set(w, d + 1); par.set(w, u); put(w, d + 1); }
        }
      }
    }
    throw new Error('liveness: the fair set is not reachable from the region sources');
  }

  /** Trace steps for a path of states, each step named by a successor that yields it. */
  private toTrace(path: { s: number; bit: number }[]): TraceStep[] {
    const { m, g } = this;
    return path.map(({ s, bit }, i) => {
      const state = g.nodes[s].state;
      if (i === 0) return { index: 1, state };
      const prev = g.nodes[path[i - 1].s].state;
      const k = keyOf(m, state);
      let pick: TraceVia | undefined;
      for (const st of eachSuccessor(m, prev)) {
        if (keyOf(m, st.next) !== k) continue;
        const via = { proc: st.proc, procType: st.procType, transition: st.transition.name, args: st.args };
        if (!pick) pick = via;
        if (!bit || m.procs[31 - Math.clz32(bit)].id === st.proc) { pick = via; break; }
      }
      if (!pick) throw new Error('liveness: a lasso step is not a step of the machine');
      return { index: i + 1, via: pick, state };
    });
  }
}

const lowestBit = (x: number) => x & -x;

function edgeLabel(g: LiveGraph, u: number, v: number): number {
  for (let e = g.off[u]; e < g.off[u + 1]; e += 1) if (g.tgt[e] === v) return g.lab[e];
  return 0;
}

// ------------------------------------------------------------ lassos given from outside

/**
 * The configuration's temporal properties that the infinite behaviour `trace[0..]`, then
 * `trace[loopStart..]` repeated forever (or the last state repeated forever when `stuttering`),
 * violates, in configuration order. A trailing copy of the loop's first state (the step that closes
 * the loop) may be present or not: it does not change which states recur.
 */
export function propertiesViolatedByLasso(m: Machine, trace: State[], loopStart: number, stuttering: boolean): string[] {
  if (trace.length === 0) return [];
  const loopFrom = stuttering ? trace.length - 1 : Math.min(Math.max(loopStart, 0), trace.length - 1);
  const out: string[] = [];
  for (const name of m.config.properties) {
    const prop = m.model.properties.find((p) => p.name === name);
    if (!prop) continue;
    const f = prop.formula;
    const bad = instances(m, f).some((bound) => {
      const at = (e: Expr, s: State) => isTrue(e, propEnv(m, s, bound));
      if (f.kind === 'alwaysEventually') {
        for (let i = loopFrom; i < trace.length; i += 1) if (at(f.expr, trace[i])) return false;
        return true;
      }
      for (let i = loopFrom; i < trace.length; i += 1) if (at(f.to, trace[i])) return false; // Q recurs
      // No Q on the loop: violated when some P comes after the last Q of the finite part.
      for (let i = trace.length - 1; i >= 0; i -= 1) {
        if (at(f.to, trace[i])) return false;
        if (at(f.from, trace[i])) return true;
      }
      return false;
    });
    if (bad) out.push(name);
  }
  return out;
}
