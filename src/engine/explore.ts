/**
 * Exhaustive breadth-first exploration of a configuration, with TLC's conventions: states outside the
 * state constraint are neither counted nor expanded, invariants are checked on every counted state,
 * a state with no successor is a deadlock (when deadlock checking is on), and the counterexample is a
 * shortest path from an initial state.
 */
import type { Machine, Step } from './step.ts';
import { initialState, inConstraint, keyOf, successors, violatedInvariants } from './step.ts';
import type { State } from './value.ts';
import type { TraceStep } from './trace.ts';

export interface ExploreResult {
  verdict: 'holds' | 'violated';
  /** Invariant name, or 'Deadlock'. */
  violated: string | null;
  distinctStates: number;
  statesGenerated: number;
  /** Length of the longest shortest path (TLC's "depth of the complete state graph search"). */
  depth: number;
  trace: TraceStep[] | null;
  seconds: number;
}

interface Node { state: State; parent: number; via?: Step; depth: number }

export function explore(m: Machine, opts: { maxStates?: number } = {}): ExploreResult {
  const t0 = performance.now();
  const nodes: Node[] = [];
  const seen = new Map<string, number>();
  let generated = 0;
  let depth = 0;

  const finish = (violated: string | null, at: number | null): ExploreResult => ({
    verdict: violated ? 'violated' : 'holds',
    violated,
    distinctStates: nodes.length,
    statesGenerated: generated,
    depth: at === null ? depth : nodes[at].depth,
    trace: at === null ? null : pathTo(nodes, at),
    seconds: (performance.now() - t0) / 1000,
  });

  const add = (state: State, parent: number, via?: Step): { index: number; fresh: boolean } => {
    const k = keyOf(m, state);
    const old = seen.get(k);
    if (old !== undefined) return { index: old, fresh: false };
    const d = parent < 0 ? 1 : nodes[parent].depth + 1;
    nodes.push({ state, parent, via, depth: d });
    seen.set(k, nodes.length - 1);
    if (d > depth) depth = d;
    return { index: nodes.length - 1, fresh: true };
  };

  const init = initialState(m);
  generated += 1;
  if (inConstraint(m, init)) {
    const { index } = add(init, -1);
    const bad = violatedInvariants(m, init);
    if (bad.length) return finish(bad[0], index);
  }
  for (let i = 0; i < nodes.length; i += 1) {
    if (opts.maxStates && nodes.length > opts.maxStates) throw new Error(`more than ${opts.maxStates} states`);
    const steps = successors(m, nodes[i].state);
    generated += steps.length;
    if (steps.length === 0 && m.config.checkDeadlock) return finish('Deadlock', i);
    for (const s of steps) {
      if (!inConstraint(m, s.next)) continue;
      const { index, fresh } = add(s.next, i, s);
      if (!fresh) continue;
      const bad = violatedInvariants(m, s.next);
      if (bad.length) return finish(bad[0], index);
    }
  }
  return finish(null, null);
}

function pathTo(nodes: Node[], at: number): TraceStep[] {
  const chain: Node[] = [];
  for (let i = at; i >= 0; i = nodes[i].parent) chain.unshift(nodes[i]);
  return chain.map((n, i) => ({
    index: i + 1,
    via: n.via && { proc: n.via.proc, procType: n.via.procType, transition: n.via.transition.name, args: n.via.args },
    state: n.state,
  }));
}
