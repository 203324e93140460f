/**
 * Z3 as an external tool: Debian's `z3` binary (or $Z3_BIN) driven with SMT-LIB2 text on stdin, so
 * every query can be saved and replayed by hand. Output is split per query at `(echo ...)` markers.
 */
import { execa } from 'execa';
import { fail, ok, type Result } from '../errors.ts';

export const z3Bin = (): string => process.env.Z3_BIN || 'z3';

const MISSING = 'z3 not found: install it (Debian: apt-get install z3, which .ci/run does) or set Z3_BIN';

export async function z3Version(): Promise<Result<string>> {
  try {
    const r = await execa(z3Bin(), ['--version'], { reject: false, timeout: 20_000 });
    if (r.exitCode !== 0) return fail({ code: 'Z3_MISSING', message: `${MISSING} (${z3Bin()} --version exited with ${r.exitCode})` });
    return ok(r.stdout.trim());
  } catch {
    return fail({ code: 'Z3_MISSING', message: MISSING });
  }
}

export type SatAnswer = 'sat' | 'unsat' | 'unknown';

export interface QueryAnswer {
  tag: string;
  answer: SatAnswer;
  /** Values of the requested terms when sat. */
  values: Map<string, string>;
}

/** Runs a script whose queries are each `(echo "@@<tag>") (check-sat) (get-value (...))`. */
export async function runZ3(script: string, timeoutSeconds: number): Promise<Result<QueryAnswer[]>> {
  let r;
  try {
    r = await execa(z3Bin(), ['-smt2', '-in'], { input: script, reject: false, timeout: timeoutSeconds * 1000 + 5000, maxBuffer: 256 * 1024 * 1024 });
  } catch {
    return fail({ code: 'Z3_MISSING', message: MISSING });
  }
  if ((r as { timedOut?: boolean }).timedOut) return fail({ code: 'Z3_ERROR', message: `z3 did not finish within ${timeoutSeconds} s` });
  if ((r as { code?: string }).code === 'ENOENT') return fail({ code: 'Z3_MISSING', message: MISSING });
  const out = r.stdout;
  const chunks = out.split('@@').slice(1);
  const answers: QueryAnswer[] = [];
  for (const chunk of chunks) {
    const nl = chunk.indexOf('\n');
    const tag = chunk.slice(0, nl < 0 ? undefined : nl).trim();
    const rest = nl < 0 ? '' : chunk.slice(nl + 1);
    const m = /^\s*(sat|unsat|unknown)\b/.exec(rest);
    if (!m) {
      const err = /\(error "([^"]*)"\)/.exec(rest)?.[1] ?? rest.trim().split('\n')[0];
      return fail({ code: 'Z3_ERROR', message: `z3 rejected the query ${tag}: ${err}` });
    }
    const answer = m[1] as SatAnswer;
    answers.push({ tag, answer, values: answer === 'sat' ? parseValues(rest.slice(m[0].length)) : new Map() });
  }
  if (answers.length === 0) {
    const err = /\(error "([^"]*)"\)/.exec(out + r.stderr)?.[1] ?? (out + r.stderr).trim().split('\n')[0];
    return fail({ code: 'Z3_ERROR', message: `z3 answered no query: ${err}` });
  }
  return ok(answers);
}

/** Parses `((name value) ...)` as printed by get-value; values are numerals, `(- n)`, true/false. */
export function parseValues(text: string): Map<string, string> {
  const out = new Map<string, string>();
  const re = /\(([A-Za-z_][\w.]*) (true|false|\d+|\(- \d+\))\)/g;
  for (let m = re.exec(text); m; m = re.exec(text)) out.set(m[1], m[2]);
  return out;
}
