/**
 * Errors are values with stable codes: every stage returns them instead of throwing,
 * and the CLI prints them as one line naming the file, line and what is wrong.
 */
export type ErrorCode =
  // spec / DSL validation
  | 'SPEC_LOAD'
  | 'SPEC_SHAPE'
  | 'SPEC_DUPLICATE'
  | 'SPEC_UNDECLARED'
  | 'SPEC_UNKNOWN_LABEL'
  | 'SPEC_TYPE'
  | 'SPEC_ATOMICITY'
  | 'SPEC_CONFIG'
  | 'SPEC_UNSUPPORTED'
  /** A configuration's symmetry is refused: unknown set, liveness, refinement, or an order-dependent construct. */
  | 'SPEC_SYMMETRY'
  | 'SPEC_NAME'
  | 'SPEC_VALUE'
  | 'SPEC_TIMEOUT'
  /** Not a DSL expression: NaN, undefined, a JavaScript operator on an expression (see dsl/expr.ts). */
  | 'SPEC_EXPR'
  /** The TypeScript compiler rejects the spec file. */
  | 'SPEC_TSC'
  // tools
  | 'JAVA_MISSING'
  | 'MAVEN_MISSING'
  | 'JAR_MISSING'
  | 'JAR_CHECKSUM'
  | 'JAR_FETCH'
  | 'SANY_ERROR'
  | 'PCAL_ERROR'
  | 'TLC_ERROR'
  | 'TLC_TIMEOUT'
  | 'SANY_TIMEOUT'
  | 'PCAL_TIMEOUT'
  | 'JAVA_TIMEOUT'
  | 'JAVA_ERROR'
  | 'ENGINE_TIMEOUT'
  | 'SIMULATE_TIMEOUT'
  | 'ENGINE_EVAL'
  | 'ENGINE_LIMIT'
  | 'RUNTIME_ERROR'
  | 'REPLAY_MISMATCH'
  | 'REPLAY_TRACE'
  | 'USAGE'
  | 'RESOURCE_LIMIT'
  | 'OUTPUT_ERROR'
  | 'CACHE_ERROR'
  | 'INTERRUPTED'
  | 'INTERNAL_ERROR'
  | 'GEN_STALE'
  // trace validation (src/conformance/validate): a recorded trace that cannot be read or belongs elsewhere
  | 'TRACE_FILE'
  | 'TRACE_FORMAT'
  | 'TRACE_SPEC'
  | 'TRACE_CONFIG'
  /** The engine and TLC disagree on a trace (validate --backend both). */
  | 'TRACE_BACKENDS'
  // proofs (src/prove)
  | 'Z3_MISSING'
  | 'Z3_ERROR'
  | 'PROVE_UNSUPPORTED'
  | 'PROOFS_STALE';

export interface SourcePos {
  file: string; // path relative to the project root when possible
  line: number;
  col?: number;
}

export interface PoolspecError {
  code: ErrorCode;
  message: string;
  /** Where the problem is: a spec line, or a generated file line. */
  at?: SourcePos;
  /** Extra lines (e.g. TLC output excerpt, progress reached before a timeout). */
  detail?: string;
}

export type Result<T> = { ok: true; value: T } | { ok: false; errors: PoolspecError[] };

export const ok = <T>(value: T): Result<T> => ({ ok: true, value });
export const fail = <T = never>(...errors: PoolspecError[]): Result<T> => ({ ok: false, errors });

export function formatPos(p: SourcePos): string {
  return p.col !== undefined ? `${p.file}:${p.line}:${p.col}` : `${p.file}:${p.line}`;
}

/** One line per error: `file:line: CODE message`. */
export function formatError(e: PoolspecError): string {
  const where = e.at ? `${formatPos(e.at)}: ` : '';
  return `${where}${e.code}: ${e.message}${e.detail ? `\n${e.detail}` : ''}`;
}

/**
 * The one line a command prints for an error: `poolspec <command>: CODE: file:line: message`.
 * Detail lines are left out: a failure is one line (the JSON error document keeps them).
 */
export function formatCommandError(command: string, e: PoolspecError): string {
  const where = e.at ? `${formatPos(e.at)}: ` : '';
  return `poolspec ${command}: ${e.code}: ${where}${e.message.replace(/\s*\n\s*/g, ' ')}`;
}

/** Thrown only across module boundaries that cannot return values (e.g. spec loading); caught by the CLI. */
export class PoolspecFailure extends Error {
  constructor(public readonly errors: PoolspecError[]) {
    super(errors.map(formatError).join('\n'));
  }
}
