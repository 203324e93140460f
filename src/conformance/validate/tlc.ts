/**
 * Trace validation by TLC, in the style of Cirstea, Kuppe, Loillier and Merz (2024): the trace
 * becomes a TLA+ module that EXTENDS the spec's module. The events are a TLA+ sequence per thread
 * (`Ev[th]`, one compact tuple per event), a variable `pos` counts the events each thread has taken,
 * and `TraceNext` advances one thread by one event through the spec's own action for the recorded
 * transition, constrained to the recorded choice value, value read and value written; variables
 * the trace does not record are left to the spec. Which thread goes next is TLC's nondeterminism,
 * limited by the windows (an event goes next only if no pending event of another thread ended
 * before it began), so TLC searches the same orders as the engine.
 *
 * Acceptance: the invariant `TraceNotDone` (some thread has events left) is violated exactly when a
 * behaviour of the spec explains every event; TLC finishing without a violation means no order
 * does (rejected). A trace cut to its last events starts from any reachable state: a thread that
 * has not taken its first recorded event (`started`) may take any step of its own (its dropped
 * events), interleaved with the other threads' recorded events; from Init with every thread
 * unstarted, these steps reach every reachable state.
 *
 * Times are replaced by their ranks among all window ends (TLC's integers are 32-bit; only the
 * order of the times matters).
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Model, Transition } from '../../dsl/ir.ts';
import { fail, ok, type Result } from '../../errors.ts';
import { generateTla } from '../../codegen/generate.ts';
import { effectConjuncts, emitCfg } from '../../codegen/tla.ts';
import { conjuncts, idsName, tlaExpr, type PrintCtx } from '../../codegen/tla-expr.ts';
import { isSet, type Value } from '../../engine/value.ts';
import { locateJar, runTlc } from '../../tlc/index.ts';
import { procIds } from '../../engine/eval.ts';
import type { Trace, TraceEv } from './trace-read.ts';

export interface TlcVerdict {
  backend: 'tlc';
  accepted: boolean;
  /** Events TLC checked: the first `events` of the trace. */
  events: number;
  seconds: number;
  distinctStates: number;
  statesGenerated: number;
  /** Bytes of the generated trace module. */
  moduleBytes: number;
}

export interface TlcTraceOptions {
  limit: number;
  anyStart: boolean;
  timeoutSeconds?: number;
  /** Keep the generated files here (tests, debugging); default: a temporary directory, removed. */
  keepDir?: string;
}

const NOT_DONE = 'TraceNotDone';

function tlaValue(v: Value): string {
  if (typeof v === 'boolean') return v ? 'TRUE' : 'FALSE';
  if (typeof v === 'number') return v < 0 ? `(${v})` : String(v);
  if (typeof v === 'string') return JSON.stringify(v);
  if (isSet(v)) return `{${v.set.map(tlaValue).join(', ')}}`;
  return `<<${v.map(tlaValue).join(', ')}>>`;
}

/** The action of transition t for process `self` with its choice bound to the operator's parameter. */
function traceAction(model: Model, t: Transition): string[] {
  const ctx: PrintCtx = { model, self: 'self' };
  const body = [
    ...conjuncts(t.guard).map((g) => tlaExpr(g, ctx)),
    ...effectConjuncts(model, t, ctx, t.from === t.to ? null : t.to),
  ];
  const L = [`TA_${t.name}(self, arg_) ==`, `  /\\ pc[self] = ${JSON.stringify(t.from)}`];
  if (!t.params.length) return [...L, ...body.map((b) => `  /\\ ${b}`), ''];
  // The choice is bound as the spec's action binds it (its name may be rebound inside the choice set).
  const p = t.params[0];
  return [...L, `  /\\ arg_ \\in ${tlaExpr(p.over, ctx)}`, `  /\\ \\E ${p.name} \\in {arg_} :`, ...body.map((b) => `       /\\ ${b}`), ''];
}

/** The trace-validation module and its configuration. */
export function traceModule(trace: Trace, limit: number, anyStart: boolean): { name: string; text: string; cfg: string } {
  const m = trace.model;
  const name = `${m.name}_trace`;
  const events = trace.events.slice(0, limit);
  const consts = m.configs.find((c) => c.name === trace.config)!.constants;
  const ids = procIds(m, consts);
  if (m.procTypes.some((pt) => pt.transitions.some((t) => t.params.length > 1))) throw new Error('transitions with more than one choice are not supported by the TLC trace backend');

  // Ranks of the window ends: only their order matters.
  const times = [...new Set(events.flatMap((e) => [e.b, e.a]))].sort((x, y) => x - y);
  const rank = new Map(times.map((t, i) => [t, i]));
  const per = new Map<number, TraceEv[]>(ids.map((id) => [id, []]));
  for (const e of events) per.get(e.th)!.push(e);
  const words = new Map<string, string>();
  const wordOf = (e: TraceEv) => {
    if (!e.word) return '<<"", 0>>';
    let w = words.get(e.word);
    if (!w) {
      w = e.cells.length > 1 ? `<<${JSON.stringify(e.word)}, 0>>` : `<<${JSON.stringify(e.cells[0].name)}, ${e.cells[0].index ?? 0}>>`;
      words.set(e.word, w);
    }
    return w;
  };
  const opt = (v: Value[] | undefined) => (v ? `<<${tlaValue(v.length > 1 ? v : v[0])}>>` : '<<>>');
  const seqs = ids.map((id) => {
    const evs = per.get(id)!;
    const ma: number[] = new Array(evs.length);
    let min = Infinity;
    for (let k = evs.length - 1; k >= 0; k -= 1) { min = Math.min(min, rank.get(evs[k].a)!); ma[k] = min; }
    const arg = (e: TraceEv) => (e.t.params.length ? tlaValue(e.binding.get(e.t.params[0].name)!) : '0');
    return evs.map((e, k) => `<<${JSON.stringify(e.t.name)}, ${arg(e)}, ${wordOf(e)}, ${opt(e.read)}, ${opt(e.write)}, ${rank.get(e.b)}, ${ma[k]}>>`);
  });

  const shared = m.vars.filter((v) => v.role === 'shared');
  const pairs = m.pairs.map((p) => p as string[]);
  const inPair = new Set(pairs.flat());
  const valueCases = [
    ...shared.filter((v) => !inPair.has(v.name)).map((v) => `w[1] = ${JSON.stringify(v.name)} -> ${v.type.kind === 'array' ? `${v.name}[w[2]]` : v.name}`),
    ...m.vars.filter((v) => v.role === 'ghost' && !inPair.has(v.name)).map((v) => `w[1] = ${JSON.stringify(v.name)} -> ${v.type.kind === 'array' ? `${v.name}[w[2]]` : v.name}`),
    ...pairs.map((p) => `w[1] = ${JSON.stringify(`<${p.join(', ')}>`)} -> <<${p.join(', ')}>>`),
  ];
  // Shared words outside pairs that an event does not name stay unchanged (the runtime wrote only its word).
  const unchanged = shared.filter((v) => !inPair.has(v.name)).map((v) => (v.type.kind === 'array'
    ? `(\\A i \\in DOMAIN ${v.name} : w # <<${JSON.stringify(v.name)}, i>> => ${v.name}'[i] = ${v.name}[i])`
    : `(w # <<${JSON.stringify(v.name)}, 0>> => ${v.name}' = ${v.name})`));
  const transitions = m.procTypes.flatMap((pt) => pt.transitions);

  const L: string[] = [];
  L.push(`${'-'.repeat(20)} MODULE ${name} ${'-'.repeat(20)}`);
  L.push(`(* Trace validation of ${trace.file} (${events.length} of ${trace.events.length} events) against ${m.name}. Generated by poolspec validate. *)`);
  L.push(`EXTENDS ${m.name}, Sequences, TLC`, '');
  L.push('\\* Per thread: <<transition, choice, word, read (<<>> or <<v>>), written, window start rank, earliest window end from here on>>');
  L.push('Ev == <<');
  seqs.forEach((s, i) => L.push(`  <<${s.length ? `\n    ${s.join(',\n    ')}\n  ` : ''}>>${i < seqs.length - 1 ? ',' : ''}`));
  L.push('>>', '');
  L.push('VARIABLE pos \\* events taken, per thread');
  L.push('VARIABLE started \\* per thread: it took its first event (a cut trace: before that, any step of its own)', '');
  L.push(`WordVal(w) == CASE ${valueCases.join('\n                [] ')}`, '');
  // Primed by hand: priming WordVal(e[3]) would prime the event's expression (pos) too.
  const primed = valueCases.map((c) => c.replace(/-> (\w+)/, "-> $1'").replace(/-> <<(.*)>>$/, (_, xs: string) => `-> <<${xs.split(', ').map((x) => `${x}'`).join(', ')}>>`));
  L.push(`WordValNext(w) == CASE ${primed.join('\n                [] ')}`, '');
  L.push(`Others(w) == ${unchanged.length ? unchanged.join(' /\\ ') : 'TRUE'}`, '');
  for (const t of transitions) L.push(...traceAction(m, t));
  L.push('Act(th, e) ==');
  L.push(...transitions.map((t) => `  \\/ e[1] = ${JSON.stringify(t.name)} /\\ TA_${t.name}(th, e[2])`), '');
  L.push('Match(e) ==');
  L.push('  /\\ (Len(e[4]) = 1 => WordVal(e[3]) = e[4][1])');
  L.push('  /\\ (Len(e[5]) = 1 => WordValNext(e[3]) = e[5][1])');
  L.push('  /\\ Others(IF Len(e[5]) = 1 THEN e[3] ELSE <<"", 0>>)', '');
  L.push('\\* Thread th may take its next event: no pending event of another thread ended before it began.');
  L.push('Allowed(th) ==');
  L.push('  /\\ pos[th] < Len(Ev[th])');
  L.push('  /\\ \\A u \\in ProcSet : (u # th /\\ pos[u] < Len(Ev[u])) => Ev[th][pos[th] + 1][6] <= Ev[u][pos[u] + 1][7]', '');
  L.push('TraceInit ==');
  L.push('  /\\ Init');
  L.push('  /\\ pos = [th \\in ProcSet |-> 0]');
  L.push(`  /\\ started = [th \\in ProcSet |-> ${anyStart ? 'FALSE' : 'TRUE'}]`, '');
  L.push('\\* A step of thread th\'s own process type.');
  L.push(`Own(th) == ${m.procTypes.map((pt) => `(th \\in ${idsName(pt.name)} /\\ ${pt.name}(th))`).join(' \\/ ')}`, '');
  L.push('TraceNext ==');
  L.push('  \\/ \\E th \\in ProcSet :');
  L.push('       /\\ ~started[th]');
  L.push('       /\\ Own(th)');
  L.push('       /\\ UNCHANGED << pos, started >>');
  L.push('  \\/ \\E th \\in ProcSet :');
  L.push('       /\\ Allowed(th)');
  L.push('       /\\ Act(th, Ev[th][pos[th] + 1])');
  L.push('       /\\ Match(Ev[th][pos[th] + 1])');
  L.push('       /\\ pos\' = [pos EXCEPT ![th] = @ + 1]');
  L.push('       /\\ started\' = [started EXCEPT ![th] = TRUE]', '');
  L.push('TraceSpec == TraceInit /\\ [][TraceNext]_<< vars, pos, started >>', '');
  L.push('\\* Violated exactly when some behaviour explains every event: the trace is accepted.');
  L.push(`${NOT_DONE} == ~(\\A th \\in ProcSet : pos[th] = Len(Ev[th]))`, '');
  L.push('='.repeat(60), '');

  const cfg = [
    `\\* Trace validation of ${trace.file}. Generated by poolspec validate.`,
    ...emitCfg(m, m.configs.find((c) => c.name === trace.config)!).split('\n').filter((l) => l === 'CONSTANTS' || /^ {2}\w+ = /.test(l)),
    'INIT TraceInit',
    'NEXT TraceNext',
    `INVARIANT ${NOT_DONE}`,
    'CHECK_DEADLOCK FALSE',
    '',
  ].join('\n');
  return { name, text: L.join('\n'), cfg };
}

export async function validateWithTlc(trace: Trace, opts: TlcTraceOptions): Promise<Result<TlcVerdict>> {
  const jar = await locateJar();
  if (!jar.ok) return jar;
  const { name, text, cfg } = traceModule(trace, opts.limit, opts.anyStart);
  const dir = opts.keepDir ?? await fs.mkdtemp(path.join(os.tmpdir(), `poolspec-trace-${trace.model.name}-`));
  try {
    for (const [file, body] of generateTla(trace.model)) if (file.endsWith('.tla')) await fs.writeFile(path.join(dir, file), body);
    await fs.writeFile(path.join(dir, `${name}.tla`), text);
    await fs.writeFile(path.join(dir, `${name}.cfg`), cfg);
    const r = await runTlc({ jar: jar.value.path, dir, module: name, cfg: `${name}.cfg`, workers: 1, timeoutSeconds: opts.timeoutSeconds, checkDeadlock: false });
    if (!r.ok) return r;
    const run = r.value;
    const verdict = (accepted: boolean): Result<TlcVerdict> => ok({
      backend: 'tlc', accepted, events: Math.min(opts.limit, trace.events.length), seconds: Number(run.seconds.toFixed(3)),
      distinctStates: run.distinctStates, statesGenerated: run.statesGenerated, moduleBytes: Buffer.byteLength(text),
    });
    if (run.outcome === 'invariant' && run.violated === NOT_DONE) return verdict(true);
    if (run.outcome === 'holds') return verdict(false);
    const why = run.errors[0]?.message ?? `TLC ended with ${run.outcome}`;
    return fail({ code: run.outcome === 'timeout' ? 'TLC_TIMEOUT' : 'TLC_ERROR', message: `TLC on the trace module of ${trace.file}: ${why}`, detail: run.output.split('\n').slice(-15).join('\n') });
  } finally {
    if (!opts.keepDir) await fs.rm(dir, { recursive: true, force: true });
  }
}
