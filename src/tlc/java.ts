/**
 * How we invoke the JVM: `java` from PATH, with a missing or too-old JDK turned into
 * one JAVA_MISSING error instead of a spawn exception.
 */
import { execa, type Options } from 'execa';
import { fail, ok, type PoolspecError, type Result } from '../errors.ts';

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
 * Runs a short-lived Java tool (SANY, pcal.trans, `tlc2.TLC` for its banner) to completion.
 * Never throws: a missing `java` becomes JAVA_MISSING.
 */
export async function runJava(args: string[], opts: Pick<Options, 'cwd' | 'timeout'> = {}): Promise<Result<JavaRun>> {
  const r = await execa(JAVA, args, {
    ...opts,
    reject: false,
    all: true,
    stdin: 'ignore',
    forceKillAfterDelay: 2000,
  });
  if (r.code === 'ENOENT') return fail(javaMissing());
  return ok({ exitCode: r.exitCode, output: r.all ?? '' });
}
