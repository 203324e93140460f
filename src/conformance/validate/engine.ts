/**
 * Trace validation by the engine: is there a total order of the recorded events that keeps each
 * thread's program order and the windows (e must precede f when e.after < f.before; events whose
 * windows overlap may go either way), such that every event is an enabled transition of the spec,
 * with its recorded choice values, whose effect on its word matches what was recorded (the value
 * read is the spec's value before the step, the value written the spec's value after it)? Variables
 * the trace does not record (locals, ghosts, other words) are whatever the spec makes them.
 *
 * The search goes breadth-first, one event per layer, over configurations (per-thread positions,
 * spec state), memoized: two orders that reach the same positions and the same state merge. Only
 * events whose window allows them to go next are tried, and an event that reads and writes no
 * variable at all (only its thread's locals and control state) commutes with everything: it is taken
 * at once, alone (partial-order reduction). A trace cut to its last events (stress --record-last)
 * starts from every reachable state, and each thread may take unrecorded steps of its own until its
 * first recorded event (its dropped events, which may interleave with the other threads' recorded
 * ones). When no configuration can take another event, the trace
 * is rejected at the first event (in file order) that every remaining configuration failed on.
 */
import type { Model, Transition } from '../../dsl/ir.ts';
import { touchesVars } from '../record/recorder.ts';
import { apply, evaluate, EvalError, isTrue, type Env } from '../../engine/eval.ts';
import { bindings, eachSuccessor, fire, initialState, machine, successors, keyOf, type Machine } from '../../engine/step.ts';
import { equal, isSet, setHas, type State, type Value } from '../../engine/value.ts';
import type { Cell, Trace, TraceEv } from './trace-read.ts';

export interface Rejection {
  /** The event no order can explain: its position among the events (0-based), file line, thread, transition. */
  event: number;
  line: number;
  thread: number;
  transition: string;
  args: Record<string, Value>;
  /** Why each configuration failed it (distinct reasons). */
  reasons: string[];
  /** Spec states reached just before it (up to 3), with the steps the spec allowed the thread there. */
  states: { state: State; allowed: string[] }[];
  /** Events every order took before it got stuck. */
  explained: number;
}

export interface EngineVerdict {
  backend: 'engine';
  accepted: boolean;
  events: number;
  seconds: number;
  eventsPerSecond: number;
  /** Largest number of configurations in one layer (how ambiguous the windows were). */
  maxFrontier: number;
  /** Initial states: 1 from Init, or every reachable state for a trace cut to its last events. */
  initialStates: number;
  rejection?: Rejection;
}

export interface EngineOptions {
  /** Start from every reachable state (a trace cut to its last events); default: from the header's cut. */
  anyStart?: boolean;
  /** Validate only the first `limit` events. */
  limit?: number;
}

interface Conf { pos: Int32Array; s: State }

/** Too many start states for a cut trace (ENGINE_LIMIT). */
export class StartLimit extends Error {}

function cellValue(s: State, c: Cell): Value {
  return c.index === undefined ? s[c.name] : apply(s[c.name], c.index);
}

const show = (v: Value): string => (isSet(v) ? `{${v.set.map(show).join(', ')}}` : Array.isArray(v) ? `<<${v.map(show).join(', ')}>>` : JSON.stringify(v));
const showCells = (cs: Cell[]) => (cs.length > 1 ? `<${cs.map((c) => c.name).join(', ')}>` : cs[0].index === undefined ? cs[0].name : `${cs[0].name}[${cs[0].index}]`);

export class Validator {
  readonly mc: Machine;
  private readonly procIndex = new Map<number, number>();
  private readonly local = new Map<Transition, boolean>();
  private readonly sharedCells: (s: State, n: State) => Cell[];

  constructor(readonly trace: Trace) {
    this.mc = machine(trace.model, trace.config);
    this.mc.procs.forEach((p, i) => this.procIndex.set(p.id, i));
    for (const pt of trace.model.procTypes) for (const t of pt.transitions) this.local.set(t, !touchesVars(trace.model, t));
    const shared = trace.model.vars.filter((v) => v.role === 'shared');
    const pairVars = new Set(trace.model.pairs.flat());
    // The shared (non-ghost) elements a step changed, outside DWCAS pairs (a store into half a pair is not recorded).
    this.sharedCells = (s, n) => {
      const out: Cell[] = [];
      for (const v of shared) {
        if (pairVars.has(v.name) || equal(s[v.name], n[v.name])) continue;
        if (Array.isArray(s[v.name])) (s[v.name] as Value[]).forEach((x, i) => { if (!equal(x, (n[v.name] as Value[])[i])) out.push({ name: v.name, index: i + 1 }); });
        else out.push({ name: v.name });
      }
      return out;
    };
  }

  private env(s: State, self: number, bound = new Map<string, Value>()): Env {
    return { model: this.mc.model, consts: this.mc.consts, state: s, self, bound };
  }

  /** The state after event e in s, or why the spec cannot take it there. */
  step(s: State, e: TraceEv): State | string {
    const t = e.t;
    const pc = apply(s.pc, e.th);
    if (pc !== t.from) return `thread${e.th} is at ${String(pc)}, not at ${t.from}`;
    try {
      for (const p of t.params) {
        const over = evaluate(p.over, this.env(s, e.th, e.binding));
        const x = e.binding.get(p.name)!;
        if (!isSet(over) || !setHas(over, x)) return `${p.name} = ${show(x)} is not one of ${show(over)}`;
      }
      if (!isTrue(t.guard, this.env(s, e.th, e.binding))) return `the guard of ${t.name} is false`;
      const n = fire(this.mc, s, e.th, t, e.binding);
      if (e.cells.length) {
        if (e.read) {
          const spec = e.cells.map((c) => cellValue(s, c));
          if (!e.read.every((v, i) => equal(v, spec[i]))) return `it read ${e.word} = ${e.read.map(show).join(', ')}, the spec has ${spec.map(show).join(', ')} there`;
        }
        if (e.write) {
          const spec = e.cells.map((c) => cellValue(n, c));
          if (!e.write.every((v, i) => equal(v, spec[i]))) return `it wrote ${e.word} = ${e.write.map(show).join(', ')}, the spec makes it ${spec.map(show).join(', ')}`;
        }
      }
      // A shared word the spec writes must be the word the runtime wrote.
      const changed = this.sharedCells(s, n);
      if (changed.length && !e.write) return `the spec writes ${changed.map((c) => showCells([c])).join(', ')} here; the runtime recorded no write`;
      if (changed.length && !changed.every((c) => e.cells.some((x) => x.name === c.name && x.index === c.index))) {
        return `the spec writes ${changed.map((c) => showCells([c])).join(', ')} here; the runtime wrote ${e.word}`;
      }
      return n;
    } catch (err) {
      if (err instanceof EvalError) return `the spec cannot evaluate ${t.name} here: ${err.message}`;
      throw err;
    }
  }

  /** The steps the spec allows thread `th` in s, as `name(args)`. */
  allowed(s: State, th: number): string[] {
    const p = this.mc.procs[this.procIndex.get(th)!];
    const pc = apply(s.pc, th);
    const out: string[] = [];
    for (const t of p.pt.transitions) {
      if (t.from !== pc) continue;
      try {
        for (const b of bindings(t, this.env(s, th))) {
          if (isTrue(t.guard, this.env(s, th, b))) out.push(b.size ? `${t.name}(${[...b].map(([k, v]) => `${k}=${show(v)}`).join(', ')})` : t.name);
        }
      } catch (err) {
        if (!(err instanceof EvalError)) throw err;
      }
    }
    return out;
  }

  isLocal(e: TraceEv): boolean {
    return this.local.get(e.t)!;
  }
}

/** Every reachable state of the trace's configuration (the start of a trace cut to its last events). */
export const MAX_START_STATES = 1_000_000;

export function reachableStates(mc: Machine, limit = MAX_START_STATES): State[] | string {
  const s0 = initialState(mc);
  const seen = new Map<string, State>([[keyOf(mc, s0), s0]]);
  const queue: State[] = [s0];
  for (let i = 0; i < queue.length; i += 1) {
    for (const st of successors(mc, queue[i])) {
      const k = keyOf(mc, st.next);
      if (seen.has(k)) continue;
      if (seen.size >= limit) return `more than ${limit} reachable states`;
      seen.set(k, st.next);
      queue.push(st.next);
    }
  }
  return queue;
}

export function validateWithEngine(trace: Trace, opts: EngineOptions = {}): EngineVerdict {
  const t0 = performance.now();
  const v = new Validator(trace);
  const mc = v.mc;
  const events = opts.limit !== undefined ? trace.events.slice(0, opts.limit) : trace.events;
  const ids = mc.procs.map((p) => p.id);
  const T = ids.length;
  const slot = new Map(ids.map((id, i) => [id, i]));
  const per: TraceEv[][] = ids.map(() => []);
  for (const e of events) per[slot.get(e.th)!].push(e);
  // minAfter[i][k]: the earliest `after` among thread i's events from k on (a pending event that must come first).
  const minAfter = per.map((evs) => {
    const out = new Float64Array(evs.length + 1);
    out[evs.length] = Infinity;
    for (let k = evs.length - 1; k >= 0; k -= 1) out[k] = Math.min(evs[k].a, out[k + 1]);
    return out;
  });

  const anyStart = opts.anyStart ?? trace.header.cut !== null;
  let starts: State[];
  if (anyStart) {
    const r = reachableStates(mc);
    if (typeof r === 'string') throw new StartLimit(`a cut trace (--record-last) starts from every reachable state of its configuration, and ${mc.model.name} with ${Object.entries(mc.consts).map(([k, x]) => `${k} = ${x}`).join(', ')} has ${r}: record with fewer blocks or threads (e.g. --blocks 2), or record the whole run`);
    starts = r;
  } else {
    starts = [initialState(mc)];
  }
  const keyConf = (pos: Int32Array, s: State) => `${pos.join(',')}|${keyOf(mc, s)}`;
  let layer = new Map<string, Conf>();
  for (const s of starts) {
    const pos = new Int32Array(T);
    layer.set(keyConf(pos, s), { pos, s });
  }
  let maxFrontier = layer.size;
  const candidate = (i: number, pos: Int32Array): boolean => {
    const e = per[i][pos[i]];
    for (let j = 0; j < T; j += 1) if (j !== i && e.b > minAfter[j][pos[j]]) return false;
    return true;
  };

  // A cut trace: a thread's events before its first recorded one are unknown steps of that thread,
  // which may interleave with the other threads' recorded events. Until a thread takes its first
  // recorded event it may take any step of its own (the start, every reachable state, is closed
  // under them already).
  const closeUnderFreeSteps = (confs: Map<string, Conf>) => {
    if (!anyStart) return;
    const queue = [...confs.values()];
    for (let q = 0; q < queue.length; q += 1) {
      const c = queue[q];
      for (const st of eachSuccessor(mc, c.s)) {
        const i = slot.get(st.proc)!;
        if (c.pos[i] !== 0) continue;
        const k = keyConf(c.pos, st.next);
        if (confs.has(k)) continue;
        const n = { pos: c.pos, s: st.next };
        confs.set(k, n);
        queue.push(n);
      }
    }
  };

  let done = 0;
  let failures = new Map<TraceEv, { reasons: Set<string>; states: State[] }>();
  for (; done < events.length; done += 1) {
    const next = new Map<string, Conf>();
    failures = new Map();
    for (const c of layer.values()) {
      // Partial-order reduction: a candidate that touches no variable is taken alone.
      let order: number[] = [];
      for (let i = 0; i < T; i += 1) {
        if (c.pos[i] >= per[i].length || !candidate(i, c.pos)) continue;
        if (v.isLocal(per[i][c.pos[i]])) { order = [i]; break; }
        order.push(i);
      }
      for (const i of order) {
        const e = per[i][c.pos[i]];
        const r = v.step(c.s, e);
        if (typeof r === 'string') {
          const f = failures.get(e) ?? { reasons: new Set<string>(), states: [] };
          f.reasons.add(r);
          if (f.states.length < 3) f.states.push(c.s);
          failures.set(e, f);
          continue;
        }
        const pos = c.pos.slice();
        pos[i] += 1;
        const k = keyConf(pos, r);
        if (!next.has(k)) next.set(k, { pos, s: r });
      }
    }
    if (next.size === 0) break;
    if (anyStart && [...next.values()].some((c) => c.pos.some((p) => p === 0))) closeUnderFreeSteps(next);
    maxFrontier = Math.max(maxFrontier, next.size);
    layer = next;
  }
  const seconds = (performance.now() - t0) / 1000;
  const verdict: EngineVerdict = {
    backend: 'engine', accepted: done === events.length, events: events.length, seconds: Number(seconds.toFixed(3)),
    eventsPerSecond: Math.round(done / Math.max(seconds, 1e-3)), maxFrontier, initialStates: starts.length,
  };
  if (!verdict.accepted && failures.size > 0) {
    const [e, f] = [...failures.entries()].sort((x, y) => x[0].idx - y[0].idx)[0];
    verdict.rejection = {
      event: e.idx, line: e.line, thread: e.th, transition: e.t.name, args: e.args, reasons: [...f.reasons], explained: done,
      states: f.states.map((s) => ({ state: s, allowed: v.allowed(s, e.th) })),
    };
  }
  return verdict;
}
