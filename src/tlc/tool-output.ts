/**
 * Splits TLC `-tool` output into messages. TLC wraps each message in
 *   @!@!@STARTMSG <code>:<severity> @!@!@
 *   ...body...
 *   @!@!@ENDMSG <code> @!@!@
 * Markers can start mid-line and messages can nest (e.g. 2111 "Evaluating invariant failed"
 * wraps a 2266 argument error). Text outside any message (SANY's report, Print output) is
 * kept as PLAIN_TEXT messages so nothing is lost.
 *
 * Every code below was checked against the output of the pinned jar (TLC2 2.18), either by
 * running a fixture spec or with `javap -constants tlc2.output.EC`.
 */

export interface ToolMessage {
  code: number;
  /** One of the SEVERITY_* values; PLAIN_TEXT chunks use SEVERITY_NONE. */
  severity: number;
  /** Text between the markers (nested messages' text included, markers stripped), without the trailing newline. */
  body: string;
  /** Set when the message was printed inside another one (whose body already includes this text). */
  nested?: boolean;
}

/** Pseudo code for text printed outside any message. */
export const PLAIN_TEXT = -1;

// tlc2.output.MP severities
export const SEVERITY_NONE = 0;
export const SEVERITY_ERROR = 1;
export const SEVERITY_TLCBUG = 2;
export const SEVERITY_WARNING = 3;
export const SEVERITY_STATE = 4;

// tlc2.output.EC message codes seen in real 2.18 output
export const GENERAL = 1000; // "TLC threw an unexpected exception" (evaluation errors such as CHOOSE on {})
export const TLC_NESTED_EXPRESSION = 2103; // positions of the expression being evaluated on error
export const TLC_INVARIANT_VIOLATED_INITIAL = 2107; // "Invariant X is violated by the initial state:\n<state>"
export const TLC_PROPERTY_VIOLATED_INITIAL = 2108; // "Property X is violated by the initial state:\n<state>"
export const TLC_INVARIANT_VIOLATED_BEHAVIOR = 2110; // "Invariant X is violated."
export const TLC_INVARIANT_EVALUATION_FAILED = 2111; // "Evaluating invariant X failed." (+ nested cause)
export const TLC_ACTION_PROPERTY_VIOLATED_BEHAVIOR = 2112; // "Action property X is violated."
export const TLC_DEADLOCK_REACHED = 2114; // "Deadlock reached."
export const TLC_TEMPORAL_PROPERTY_VIOLATED = 2116; // "Temporal properties were violated." (no name!)
export const TLC_NO_STATES_SATISFYING_INIT = 2118;
export const TLC_BEHAVIOR_UP_TO_THIS_POINT = 2121; // trace header for safety violations and errors
export const TLC_BACK_TO_STATE = 2122; // "1: Back to state: <Action line ...>" closes a liveness lasso
export const TLC_VALUE_ASSERT_FAILED = 2132; // Assert(FALSE, msg)
export const TLC_STARTING = 2185;
export const TLC_FINISHED = 2186; // "Finished in 636ms at (...)"
export const TLC_MODE_MC = 2187;
export const TLC_COMPUTING_INIT = 2189;
export const TLC_INIT_GENERATED1 = 2190; // "Finished computing initial states: N distinct state(s) generated at ..."
export const TLC_CHECKING_TEMPORAL_PROPS = 2192;
export const TLC_SUCCESS = 2193; // "Model checking completed. No error has been found."
export const TLC_SEARCH_DEPTH = 2194; // "The depth of the complete state graph search is D."
export const TLC_STATS = 2199; // "G states generated, D distinct states found, Q states left on queue."
export const TLC_PROGRESS_STATS = 2200; // "Progress(D) at <date>: G states generated (...), D distinct states found (...), Q states left on queue."
export const TLC_LIVE_IMPLIED = 2212;
export const TLC_STATE_PRINT2 = 2217; // "N: <Action line L, col C to line L2, col C2 of module M>\n<state>"
export const TLC_STATE_PRINT3 = 2218; // "N: Stuttering"
export const TLC_SANY_END = 2219;
export const TLC_SANY_START = 2220; // SANY's own report is plain text between 2220 and 2219
export const TLC_CONFIG_SPECIFIED_NOT_DEFINED = 2229;
export const TLC_CONFIG_ID_HAS_VALUE = 2230; // e.g. "The invariant of Inv is equal to FALSE"
export const TLC_VERSION = 2262; // "TLC2 Version 2.18 of 20 March 2023"
export const TLC_COUNTER_EXAMPLE = 2264; // trace header for temporal property violations
export const TLC_MODULE_ARGUMENT_ERROR_AN = 2266; // e.g. "The first argument of < should be an integer"
export const TLC_CHECKING_TEMPORAL_PROPS_END = 2267;
export const TLC_STATE_GRAPH_OUTDEGREE = 2268;
export const TLC_ENVIRONMENT_JVM_GC = 2401; // warning printed without -XX:+UseParallelGC
export const TLC_PARSING_FAILED = 3002; // "Parsing or semantic analysis failed."
export const CFG_ERROR_READING_FILE = 5001;

const MARKER = /@!@!@(STARTMSG (\d+):(\d+)|ENDMSG (\d+)) @!@!@/g;

interface Open {
  code: number;
  severity: number;
  parts: string[];
}

/**
 * Incremental parser: feed text as it arrives (from any number of chunks); completed messages
 * are delivered to `onMessage`, inner messages before the message that encloses them.
 */
export class ToolOutputParser {
  private stack: Open[] = [];
  private plain: string[] = [];
  private partial = '';

  constructor(private readonly onMessage: (m: ToolMessage) => void) {}

  push(chunk: string): void {
    const text = this.partial + chunk;
    const lastNl = text.lastIndexOf('\n');
    if (lastNl < 0) {
      this.partial = text;
      return;
    }
    this.partial = text.slice(lastNl + 1);
    for (const line of text.slice(0, lastNl).split('\n')) this.line(line.replace(/\r$/, ''));
  }

  /** Flushes a trailing partial line and any unterminated message (e.g. after a kill). */
  end(): void {
    if (this.partial) {
      this.line(this.partial);
      this.partial = '';
    }
    while (this.stack.length > 0) this.close(this.stack[this.stack.length - 1]!.code);
    this.flushPlain();
  }

  private line(line: string): void {
    let pos = 0;
    let touched = false;
    for (const m of line.matchAll(MARKER)) {
      const before = line.slice(pos, m.index);
      if (before.trim() !== '') this.text(before);
      pos = m.index + m[0].length;
      touched = true;
      if (m[2] !== undefined) {
        this.flushPlain();
        this.stack.push({ code: Number(m[2]), severity: Number(m[3]), parts: [] });
      } else {
        this.close(Number(m[4]));
      }
    }
    const rest = line.slice(pos);
    // A line that held only markers contributes no text of its own.
    if (!touched || rest.trim() !== '') this.text(rest);
  }

  private text(t: string): void {
    const top = this.stack[this.stack.length - 1];
    if (top) top.parts.push(t);
    else this.plain.push(t);
  }

  private close(code: number): void {
    // Tolerate a stray END: close up to the matching START if there is one.
    const idx = this.stack.map((o) => o.code).lastIndexOf(code);
    if (idx < 0) return;
    while (this.stack.length > idx) {
      const open = this.stack.pop()!;
      const body = open.parts.join('\n').replace(/\s+$/, '');
      const parent = this.stack[this.stack.length - 1];
      if (parent && body !== '') parent.parts.push(body);
      this.onMessage({ code: open.code, severity: open.severity, body, ...(parent ? { nested: true } : {}) });
    }
  }

  private flushPlain(): void {
    const body = this.plain.join('\n').replace(/\s+$/, '');
    this.plain = [];
    if (body.trim() !== '') this.onMessage({ code: PLAIN_TEXT, severity: SEVERITY_NONE, body });
  }
}

export function parseToolOutput(output: string): ToolMessage[] {
  const messages: ToolMessage[] = [];
  const p = new ToolOutputParser((m) => messages.push(m));
  p.push(output);
  p.end();
  return messages;
}

/** "2,866,984" → 2866984 */
const num = (s: string): number => Number(s.replace(/,/g, ''));

export interface StatsLine {
  statesGenerated: number;
  distinctStates: number;
  queue: number;
  /** Only progress messages carry it: Progress(D) is the BFS level reached. */
  depth?: number;
}

/** Parses the bodies of TLC_STATS (2199) and TLC_PROGRESS_STATS (2200). */
export function parseStats(body: string): StatsLine | null {
  const m =
    /([\d,]+) states? generated(?: \([^)]*\))?, ([\d,]+) distinct states? found(?: \([^)]*\))?, ([\d,]+) states? left on queue/.exec(
      body,
    );
  if (!m) return null;
  const d = /Progress\((\d+)\)/.exec(body);
  return {
    statesGenerated: num(m[1]!),
    distinctStates: num(m[2]!),
    queue: num(m[3]!),
    ...(d ? { depth: Number(d[1]) } : {}),
  };
}

/** TLC_SEARCH_DEPTH body → D */
export function parseSearchDepth(body: string): number | null {
  const m = /search is ([\d,]+)/.exec(body);
  return m ? num(m[1]!) : null;
}

/** TLC_INIT_GENERATED1 body → number of distinct initial states */
export function parseInitGenerated(body: string): number | null {
  const m = /([\d,]+) distinct states? generated/.exec(body);
  return m ? num(m[1]!) : null;
}
