/**
 * Runs the TLC model checker on a generated module and reads its verdict from the `-tool`
 * message stream: outcome, counts, the counterexample trace and positioned errors.
 */
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { isDirectory, tail } from './files.ts';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { execa } from 'execa';
import { fail, ok, type PoolspecError, type Result } from '../errors.ts';
import { JAVA, javaMissing } from './java.ts';
import { watchedJavaArgs } from './watchdog.ts';
import { trackChild, trackDir } from '../cleanup.ts';
import { displayPath, ModuleFiles, parseSanyReport, parseTlaRange, sanyErrors } from './sany.ts';
import { parseTlaState, TlaValueSyntaxError, type TlaValue } from './tla-value.ts';
import {
  parseInitGenerated,
  parseSearchDepth,
  parseStats,
  PLAIN_TEXT,
  SEVERITY_ERROR,
  SEVERITY_TLCBUG,
  TLC_ACTION_PROPERTY_VIOLATED_BEHAVIOR,
  TLC_BACK_TO_STATE,
  TLC_BEHAVIOR_UP_TO_THIS_POINT,
  TLC_COMPUTING_INIT,
  TLC_COUNTER_EXAMPLE,
  TLC_DEADLOCK_REACHED,
  TLC_FINISHED,
  TLC_INIT_GENERATED1,
  TLC_INVARIANT_VIOLATED_BEHAVIOR,
  TLC_INVARIANT_VIOLATED_INITIAL,
  TLC_NESTED_EXPRESSION,
  TLC_PARSING_FAILED,
  TLC_PROGRESS_STATS,
  TLC_PROPERTY_VIOLATED_INITIAL,
  TLC_SANY_END,
  TLC_SANY_START,
  TLC_SEARCH_DEPTH,
  TLC_STARTING,
  TLC_STATE_PRINT2,
  TLC_STATE_PRINT3,
  TLC_STATS,
  TLC_SUCCESS,
  TLC_TEMPORAL_PROPERTY_VIOLATED,
  TLC_VERSION,
  ToolOutputParser,
  type StatsLine,
  type ToolMessage,
} from './tool-output.ts';

export type TlcProgress = StatsLine;

export interface TlcAction {
  name: string;
  module: string;
  line: number;
  col: number;
  endLine: number;
  endCol: number;
}

export interface TlcTraceStep {
  /** 1-based, as TLC numbers states. */
  index: number;
  /**
   * The action that produced this state, or null for the initial state. TLC prints only the
   * operator's name and definition range: for `\E self \in S : A(self)` it is `A`, without `self`.
   */
  action: TlcAction | null;
  /** Liveness counterexample ending in infinite stuttering; vars repeat the previous state. */
  stuttering?: boolean;
  /**
   * Liveness lasso: `action` leads from the previous state back to state number `backToState`;
   * vars repeat that state.
   */
  backToState?: number;
  vars: Record<string, TlaValue>;
}

export type TlcOutcome = 'holds' | 'invariant' | 'deadlock' | 'property' | 'error' | 'timeout';

export interface TlcRun {
  version: string;
  outcome: TlcOutcome;
  /** Invariant or property name as TLC names it (see propertyName for temporal properties). */
  violated: string | null;
  statesGenerated: number;
  distinctStates: number;
  depth: number;
  /** Wall-clock seconds measured around the java process. */
  seconds: number;
  trace: TlcTraceStep[] | null;
  errors: PoolspecError[];
  /** Raw stdout+stderr. */
  output: string;
}

export interface RunTlcOptions {
  jar: string;
  /** Directory holding the module (TLC runs there). */
  dir: string;
  /** Module name (with or without .tla). */
  module: string;
  /** Config file, relative to dir or absolute. */
  cfg: string;
  /** Defaults to 1: deterministic, and a BFS counterexample is shortest anyway. */
  workers?: number;
  timeoutSeconds?: number;
  /** false passes -deadlock (TLC's flag to NOT check deadlock); default: TLC/cfg decides. */
  checkDeadlock?: boolean;
  extraArgs?: string[];
  onProgress?: (p: TlcProgress) => void;
  /** The Java class to run (default tlc2.TLC); TLC's distributed server takes no -workers. */
  mainClass?: string;
  /** JVM options (system properties) before the main class. */
  jvmArgs?: string[];
  /** Every -tool message as it arrives (the distributed server's "ready" starts its workers). */
  onMessage?: (m: ToolMessage) => void;
}

/** How long TLC gets to exit after SIGTERM before it is SIGKILLed. */
const KILL_GRACE_MS = 3000;
/** The JVM's own deadline is this long after poolspec's timeout: the second fence, not the first. */
const DEADLINE_FENCE_MS = 10_000;

export async function runTlc(opts: RunTlcOptions): Promise<Result<TlcRun>> {
  const dir = resolve(opts.dir);
  const module = opts.module.replace(/\.tla$/, '');
  // Checked up front: a missing cwd makes spawn fail with the same ENOENT as a missing java.
  if (!(await isDirectory(dir))) return fail({ code: 'TLC_ERROR', message: `directory ${displayPath(dir)} does not exist` });
  // Private scratch space: TLC's state queue/fingerprints (-metadir) and the standard modules
  // it unpacks into java.io.tmpdir, so concurrent runs never share files.
  const scratch = await mkdtemp(join(tmpdir(), 'poolspec-tlc-'));
  const untrackDir = trackDir(scratch);
  try {
    const javaTmp = join(scratch, 'tmp');
    await mkdir(javaTmp);
    // TLC runs under the watchdog: it halts when poolspec is gone (even SIGKILLed), removing its
    // scratch space (or the process's whole private temp dir), and at the deadline whatever happens.
    const mainClass = opts.mainClass ?? 'tlc2.TLC';
    const args = await watchedJavaArgs(['-XX:+UseParallelGC', `-Djava.io.tmpdir=${javaTmp}`, ...(opts.jvmArgs ?? [])], opts.jar, mainClass, [
      '-tool',
      ...(mainClass === 'tlc2.TLC' ? ['-workers', String(opts.workers ?? 1)] : []),
      '-metadir',
      join(scratch, 'states'),
      ...(opts.checkDeadlock === false ? ['-deadlock'] : []),
      '-config',
      opts.cfg,
      ...(opts.extraArgs ?? []),
      module,
    ], {
      cleanupDir: process.env.POOLSPEC_PRIVATE_TMP || scratch,
      ...(opts.timeoutSeconds !== undefined ? { deadlineMs: Date.now() + opts.timeoutSeconds * 1000 + DEADLINE_FENCE_MS } : {}),
    });

    const messages: ToolMessage[] = [];
    let lastProgress: TlcProgress | null = null;
    const parser = new ToolOutputParser((m) => {
      messages.push(m);
      opts.onMessage?.(m);
      if (m.code === TLC_PROGRESS_STATS) {
        const p = parseStats(m.body);
        if (p) {
          lastProgress = p;
          opts.onProgress?.(p);
        }
      }
    });

    const started = performance.now();
    const child = execa(JAVA, args, {
      cwd: dir,
      reject: false,
      all: true,
      stdin: 'pipe', // never written: its end-of-file tells the watchdog poolspec is gone
      ...(opts.timeoutSeconds !== undefined ? { timeout: opts.timeoutSeconds * 1000 } : {}),
      killSignal: 'SIGTERM',
      forceKillAfterDelay: KILL_GRACE_MS,
    });
    // Messages are read from stdout as they arrive (for progress); stderr only carries JVM
    // trouble and SANY's "File does not exist" notes, kept in `output`.
    const decoder = new TextDecoder();
    child.stdout?.on('data', (chunk: Buffer) => parser.push(decoder.decode(chunk, { stream: true })));
    const untrackChild = trackChild(child);
    const r = await child; // resolves only once the JVM has exited (killed on timeout)
    untrackChild();
    parser.push(decoder.decode());
    parser.end();
    const seconds = Math.round(performance.now() - started) / 1000;

    if (r.code === 'ENOENT') return fail(javaMissing());

    const cfgText = await readFile(resolve(dir, opts.cfg), 'utf8').catch(() => '');
    const run = interpretTlc(messages, { dir, cfgText });
    const output = r.all ?? '';
    const finished = messages.some((m) => m.code === TLC_FINISHED);

    if (r.timedOut && !finished) {
      return ok({
        ...run,
        outcome: 'timeout',
        violated: null,
        seconds,
        output,
        errors: [
          {
            code: 'TLC_TIMEOUT',
            message: `TLC timed out after ${opts.timeoutSeconds} s`,
            detail: progressReached(lastProgress, messages),
          },
        ],
      });
    }
    if (run.outcome === 'error' && run.errors.length === 0) {
      run.errors.push({
        code: 'TLC_ERROR',
        message: `TLC exited with code ${r.exitCode ?? r.signal ?? 'unknown'} without reporting a result for ${displayPath(join(dir, `${module}.tla`))}`,
        detail: tail(output),
      });
    }
    return ok({ ...run, seconds, output });
  } finally {
    await rm(scratch, { recursive: true, force: true });
    untrackDir();
  }
}



/** Timeout detail: the last progress TLC reported, or how far it got before its first report. */
function progressReached(p: TlcProgress | null, messages: ToolMessage[]): string {
  if (p) {
    return `last progress: ${p.statesGenerated} states generated, ${p.distinctStates} distinct states, depth ${p.depth ?? '?'}, ${p.queue} states left on queue`;
  }
  const seen = (code: number) => messages.some((m) => m.code === code);
  // TLC's first progress report comes ~3 s after the search starts, then once a minute.
  if (seen(TLC_INIT_GENERATED1)) return 'no progress reported yet: TLC had computed the initial states and was exploring';
  if (seen(TLC_COMPUTING_INIT)) return 'no progress reported yet: TLC was computing the initial states';
  return 'no progress reported yet: TLC was still starting up (parsing the spec)';
}

interface InterpretContext {
  /** Directory of the root module, to map module names to files. */
  dir: string;
  /** The .cfg text, used only to name a violated temporal property. */
  cfgText?: string;
}

/** Everything in a TlcRun that comes from TLC's messages. */
export function interpretTlc(messages: ToolMessage[], ctx: InterpretContext): Omit<TlcRun, 'seconds' | 'output'> {
  const modules = new ModuleFiles(ctx.dir);
  const find = (code: number) => messages.find((m) => m.code === code);
  const last = (code: number) => [...messages].reverse().find((m) => m.code === code);

  const version = find(TLC_VERSION)?.body.trim() ?? '';
  const sanyIssues = parseSanyReport(sanyText(messages), modules);
  const errors: PoolspecError[] = sanyErrors(sanyIssues);

  // Verdict: the first violation message decides; otherwise any error; otherwise success.
  let outcome: TlcOutcome = 'error';
  let violated: string | null = null;
  let trace: TlcTraceStep[] | null = null;
  const violation = messages.find((m) => VIOLATIONS.has(m.code) && !m.nested);
  if (violation) {
    outcome = VIOLATIONS.get(violation.code)!;
    violated = violatedName(violation, ctx.cfgText);
  }

  for (const m of messages) {
    if (m.nested || (m.severity !== SEVERITY_ERROR && m.severity !== SEVERITY_TLCBUG)) continue;
    if (VIOLATIONS.has(m.code) || TRACE_HEADERS.has(m.code)) continue;
    if (m.code === TLC_NESTED_EXPRESSION) continue; // only locates the error reported before it
    if (m.code === TLC_PARSING_FAILED && sanyIssues.length > 0) continue; // SANY already said why
    errors.push(tlcError(m, messages, modules));
  }

  if (violation?.code === TLC_INVARIANT_VIOLATED_INITIAL || violation?.code === TLC_PROPERTY_VIOLATED_INITIAL) {
    // The offending initial state is printed inside the message, after its first line.
    const state = violation.body.split('\n').slice(1).join('\n');
    trace = [{ index: 1, action: null, vars: readState(state, 1, errors) }];
  } else {
    trace = readTrace(messages, errors);
  }

  if (!violation) outcome = errors.length > 0 ? 'error' : find(TLC_SUCCESS) ? 'holds' : 'error';

  // Counts: the final stats line when TLC printed one (it does even when stopped by a
  // violation), else the last progress report, else the initial-state count; a violation in an
  // initial state stops TLC before any count, so the states shown in the trace are a lower bound.
  const stats = parseStats(last(TLC_STATS)?.body ?? '') ?? parseStats(last(TLC_PROGRESS_STATS)?.body ?? '');
  const inits = parseInitGenerated(find(TLC_INIT_GENERATED1)?.body ?? '');
  const shown = trace ? trace.filter((s) => !s.stuttering && s.backToState === undefined).length : 0;
  const statesGenerated = stats?.statesGenerated ?? inits ?? shown;
  const distinctStates = stats?.distinctStates ?? inits ?? shown;

  // Depth: "The depth of the complete state graph search is D" (printed on success and on
  // safety violations); else the BFS level of the last Progress(D) report (liveness runs);
  // else the number of states in the trace (initial-state violations).
  const depth =
    parseSearchDepth(last(TLC_SEARCH_DEPTH)?.body ?? '') ?? parseStats(last(TLC_PROGRESS_STATS)?.body ?? '')?.depth ?? shown;

  return { version, outcome, violated, statesGenerated, distinctStates, depth, trace, errors };
}

const VIOLATIONS = new Map<number, TlcOutcome>([
  [TLC_INVARIANT_VIOLATED_BEHAVIOR, 'invariant'],
  [TLC_INVARIANT_VIOLATED_INITIAL, 'invariant'],
  [TLC_DEADLOCK_REACHED, 'deadlock'],
  [TLC_TEMPORAL_PROPERTY_VIOLATED, 'property'],
  [TLC_ACTION_PROPERTY_VIOLATED_BEHAVIOR, 'property'],
  [TLC_PROPERTY_VIOLATED_INITIAL, 'property'],
]);

/** Error-severity messages that only introduce a trace. */
const TRACE_HEADERS = new Set([TLC_BEHAVIOR_UP_TO_THIS_POINT, TLC_COUNTER_EXAMPLE]);

/** Plain text printed between "Starting SANY..." and "SANY finished." is SANY's report. */
function sanyText(messages: ToolMessage[]): string {
  const start = messages.findIndex((m) => m.code === TLC_SANY_START);
  if (start < 0) return '';
  let end = messages.findIndex((m, i) => i > start && (m.code === TLC_SANY_END || m.code === TLC_STARTING));
  if (end < 0) end = messages.length;
  return messages
    .slice(start + 1, end)
    .filter((m) => m.code === PLAIN_TEXT)
    .map((m) => m.body)
    .join('\n');
}

function violatedName(m: ToolMessage, cfgText: string | undefined): string | null {
  const named = /^(?:Invariant|Action property|Property) (\S+) is violated/.exec(m.body);
  if (named) return named[1]!;
  if (m.code === TLC_TEMPORAL_PROPERTY_VIOLATED) {
    // TLC 2.18 says only "Temporal properties were violated."; with a single PROPERTY in the
    // cfg that one is the culprit, with several we cannot tell.
    const props = cfgProperties(cfgText ?? '');
    return props.length === 1 ? props[0]! : null;
  }
  return null;
}

const CFG_KEYWORDS = new Set([
  'CONSTANT', 'CONSTANTS', 'INIT', 'NEXT', 'SPECIFICATION', 'INVARIANT', 'INVARIANTS', 'PROPERTY',
  'PROPERTIES', 'CONSTRAINT', 'CONSTRAINTS', 'ACTION_CONSTRAINT', 'ACTION_CONSTRAINTS', 'SYMMETRY',
  'VIEW', 'CHECK_DEADLOCK', 'POSTCONDITION', 'ALIAS',
]);

/** Names listed under PROPERTY/PROPERTIES in a TLC config file. */
export function cfgProperties(cfgText: string): string[] {
  const words = cfgText
    .replace(/\(\*[\s\S]*?\*\)/g, ' ')
    .replace(/\\\*.*$/gm, ' ')
    .split(/\s+/)
    .filter(Boolean);
  const names: string[] = [];
  let inProps = false;
  for (const w of words) {
    if (CFG_KEYWORDS.has(w)) inProps = w === 'PROPERTY' || w === 'PROPERTIES';
    else if (inProps) names.push(w);
  }
  return names;
}

/** Boilerplate TLC wraps around exceptions (GENERAL, 1000); the cause follows it. */
const EXCEPTION_PREAMBLE = [
  /^TLC threw an unexpected exception\.$/,
  /^This was probably caused by an error in the spec or model\.$/,
  /^See the User Output or TLC Console for clues to what happened\.$/,
  /^The exception was a [\w.$]+$/,
];

function tlcError(m: ToolMessage, messages: ToolMessage[], modules: ModuleFiles): PoolspecError {
  const lines = m.body.split('\n').filter((l) => !EXCEPTION_PREAMBLE.some((re) => re.test(l.trim())));
  const text = lines
    .join(' ')
    .replace(/^\s*:\s*/, '')
    .replace(/\s+/g, ' ')
    .trim();
  const range = parseTlaRange(text);
  const message = (range ? text.replace(/\s*line \d+, col \d+ to line \d+, col \d+ of module \w+\s*/, ' ') : text).trim();
  let at = range ? { file: displayPath(modules.fileOf(range.module)), line: range.line, col: range.col } : undefined;
  if (!at) {
    // The innermost of "N. Line L, column C to line L2, column C2 in M" is the failing expression.
    const nested = messages.find((x) => x.code === TLC_NESTED_EXPRESSION);
    const all = nested ? [...nested.body.matchAll(/Line (\d+), column (\d+) to line \d+, column \d+ in (\w+)/g)] : [];
    const inner = all[all.length - 1];
    if (inner) at = { file: displayPath(modules.fileOf(inner[3]!)), line: Number(inner[1]), col: Number(inner[2]) };
  }
  return { code: 'TLC_ERROR', message: message || `TLC error ${m.code}`, ...(at ? { at } : {}) };
}

/** The first counterexample/error trace: state messages after a trace header. */
function readTrace(messages: ToolMessage[], errors: PoolspecError[]): TlcTraceStep[] | null {
  const start = messages.findIndex((m) => TRACE_HEADERS.has(m.code) && !m.nested);
  if (start < 0) return null;
  const steps: TlcTraceStep[] = [];
  for (const m of messages.slice(start + 1)) {
    if (TRACE_HEADERS.has(m.code)) break; // a second trace (-continue): keep the first
    if (m.code === TLC_STATE_PRINT2) steps.push(stateStep(m.body, errors));
    else if (m.code === TLC_STATE_PRINT3) {
      const prev = steps[steps.length - 1];
      steps.push({ index: leadingIndex(m.body) ?? steps.length + 1, action: null, stuttering: true, vars: { ...(prev?.vars ?? {}) } });
    } else if (m.code === TLC_BACK_TO_STATE) {
      // "1: Back to state: <Flip line 6, col 9 to line 6, col 17 of module Live>"
      const target = leadingIndex(m.body) ?? 1;
      const action = parseAction(/<[^>]*>/.exec(m.body)?.[0] ?? '');
      const to = steps.find((s) => s.index === target);
      steps.push({ index: steps.length + 1, action, backToState: target, vars: { ...(to?.vars ?? {}) } });
    }
  }
  return steps;
}

const leadingIndex = (body: string): number | null => {
  const m = /^(\d+):/.exec(body.trim());
  return m ? Number(m[1]) : null;
};

/** "2: <IncX line 8, col 9 to line 8, col 42 of module Counter>\n/\ x = 1\n/\ y = 0" */
function stateStep(body: string, errors: PoolspecError[]): TlcTraceStep {
  const nl = body.indexOf('\n');
  const head = nl < 0 ? body : body.slice(0, nl);
  const rest = nl < 0 ? '' : body.slice(nl + 1);
  const m = /^(\d+): (.*)$/.exec(head.trim());
  const index = m ? Number(m[1]) : 0;
  return { index, action: parseAction(m?.[2] ?? ''), vars: readState(rest, index, errors) };
}

/** A state we cannot read is reported, not thrown: the verdict itself is still valid. */
function readState(text: string, index: number, errors: PoolspecError[]): Record<string, TlaValue> {
  try {
    return parseTlaState(text);
  } catch (e) {
    const why = e instanceof TlaValueSyntaxError ? e.message : String(e);
    errors.push({ code: 'TLC_ERROR', message: `could not read state ${index} of TLC's trace: ${why}`, detail: text });
    return {};
  }
}

function parseAction(label: string): TlcAction | null {
  const inner = label.trim().replace(/^<|>$/g, '');
  if (inner === '' || inner === 'Initial predicate') return null;
  const range = parseTlaRange(inner);
  if (!range) return { name: inner, module: '', line: 0, col: 0, endLine: 0, endCol: 0 };
  const name = inner.slice(0, inner.indexOf(' line ')).trim();
  return { name, ...range };
}
