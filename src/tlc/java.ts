/**
 * How we invoke the JVM: `java` from PATH, with a missing or too-old JDK turned into
 * one JAVA_MISSING error instead of a spawn exception.
 */
import { execa, type Options } from 'execa';
import { fail, ok, type PoolspecError, type Result } from '../errors.ts';
import { trackChild } from '../cleanup.ts';
import { watchedJavaArgs } from './watchdog.ts';

export const JAVA = 'java';
/** TLC 2.18 (tla2tools 1.8.0 line) is compiled for Java 11. */
export const MIN_JAVA_MAJOR = 11;

const INSTALL_HINT = `install a JDK ${MIN_JAVA_MAJOR}+ and put \`java\` on PATH`;

export const javaMissing = (): PoolspecError => ({
  code: 'JAVA_MISSING',
  message: `java not found: ${INSTALL_HINT}`,
});

/** `openjdk version "17.0.15" 2025-04-15` → "17.0.15"; also handles `java version "1.8.0_292"`. */
export function parseJavaVersion(output: string): string | null {
  const m = /version "([^"]+)"/.exec(output);
  return m ? m[1]! : null;
}

/** "1.8.0_292" → 8, "17.0.15" → 17, "21" → 21. */
export function javaMajor(version: string): number {
  const parts = version.split(/[._+-]/).map((p) => Number.parseInt(p, 10));
  const first = parts[0] ?? Number.NaN;
  return first === 1 && parts.length > 1 ? (parts[1] ?? Number.NaN) : first;
}

export async function javaVersion(): Promise<Result<string>> {
  const r = await execa(JAVA, ['-version'], { reject: false, all: true, stdin: 'ignore' });
  if (r.code === 'ENOENT' || (r.failed && r.exitCode === undefined)) return fail(javaMissing());
  const version = parseJavaVersion(r.all ?? '');
  if (!version) {
    return fail({ code: 'JAVA_MISSING', message: `could not read the version from \`java -version\`: ${INSTALL_HINT}` });
  }
  if (javaMajor(version) < MIN_JAVA_MAJOR) {
    return fail({ code: 'JAVA_MISSING', message: `java ${version} is too old: ${INSTALL_HINT}` });
  }
  return ok(version);
}

export interface JavaRun {
  exitCode: number | undefined;
  /** stdout and stderr interleaved as the process wrote them. */
  output: string;
}

/**
 * A bound on every short-lived Java tool run (SANY, pcal.trans, the TLC version probe), set from a
 * command's --timeout: the smaller of it and the caller's own limit applies.
 */
let toolTimeoutMs: number | undefined;
export function setToolTimeout(seconds: number | undefined): void {
  toolTimeoutMs = seconds === undefined ? undefined : seconds * 1000;
}

/** The error code for a tool that ran out of time, by its main class. */
function timeoutCode(mainClass: string): PoolspecError['code'] {
  if (mainClass.startsWith('pcal')) return 'PCAL_TIMEOUT';
  if (mainClass.startsWith('tla2sany')) return 'SANY_TIMEOUT';
  if (mainClass.startsWith('tlc2')) return 'TLC_TIMEOUT';
  return 'JAVA_TIMEOUT';
}

const TOOL_NAMES: Record<string, string> = { 'pcal.trans': 'the PlusCal translator', 'tla2sany.SANY': 'SANY', 'tlc2.TLC': 'TLC' };

/** Thread stack for the tools: pcal.trans and SANY recurse over the module's syntax tree. */
const TOOL_STACK = '-Xss64m';

/**
 * Runs a short-lived Java tool (SANY, pcal.trans, `tlc2.TLC` for its banner) to completion, as
 * `runJava(['-cp', jar, mainClass, ...args])`. The JVM runs under the watchdog (it dies with
 * poolspec) and within the tool timeout. Never throws: a missing `java` becomes JAVA_MISSING, a
 * timeout `<TOOL>_TIMEOUT`, a stack overflow a one-line error that says so.
 */
export async function runJava(args: string[], opts: Pick<Options, 'cwd' | 'timeout'> = {}): Promise<Result<JavaRun>> {
  const [cpFlag, classPath, mainClass, ...rest] = args;
  if (cpFlag !== '-cp' || !classPath || !mainClass) throw new Error('runJava: expected -cp JAR MAIN_CLASS ARGS...');
  const limits = [opts.timeout, toolTimeoutMs].filter((x): x is number => typeof x === 'number' && x > 0);
  const timeout = limits.length ? Math.min(...limits) : undefined;
  const full = await watchedJavaArgs([TOOL_STACK], classPath, mainClass, rest, {
    ...(timeout ? { deadlineMs: Date.now() + timeout + 5000 } : {}),
    // When poolspec is gone, its private temp dir (the tool's input files are there) goes too.
    ...(process.env.POOLSPEC_PRIVATE_TMP ? { cleanupDir: process.env.POOLSPEC_PRIVATE_TMP } : {}),
  });
  const child = execa(JAVA, full, {
    cwd: opts.cwd,
    ...(timeout ? { timeout } : {}),
    reject: false,
    all: true,
    stdin: 'pipe', // never written: the watchdog ends the JVM at its end-of-file
    forceKillAfterDelay: 2000,
  });
  const untrack = trackChild(child);
  const r = await child;
  untrack();
  if (r.code === 'ENOENT') return fail(javaMissing());
  const tool = TOOL_NAMES[mainClass] ?? mainClass;
  if (r.timedOut) return fail({ code: timeoutCode(mainClass), message: `${tool} did not finish within ${Math.round(timeout! / 100) / 10} s` });
  const output = r.all ?? '';
  if (/java\.lang\.StackOverflowError/.test(output)) {
    return fail({ code: timeoutCode(mainClass).replace('TIMEOUT', 'ERROR') as PoolspecError['code'], message: `${tool} ran out of stack (the module is too deeply nested for it, even with ${TOOL_STACK})` });
  }
  return ok({ exitCode: r.exitCode, output });
}
