/**
 * Every JVM poolspec starts dies with poolspec, even when poolspec is SIGKILLed: the tool's main class
 * runs under PoolspecWatchdog (watchdog/PoolspecWatchdog.java), which halts the JVM when its stdin
 * pipe from poolspec reaches end-of-file (the kernel closes it when poolspec dies) or when an optional
 * deadline passes (a second fence when poolspec is alive but stuck).
 *
 * The class is compiled once with javac into the cache (a private copy per source hash); without
 * javac (or a writable cache) the JVM runs the source file directly (Java 11+), which costs a
 * compilation per start but keeps the guarantee.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';

const SOURCE = fileURLToPath(new URL('./watchdog/PoolspecWatchdog.java', import.meta.url));
const CLASS = 'PoolspecWatchdog';

export interface WatchdogOptions {
  /** The JVM halts at this time (epoch ms) whatever happens. */
  deadlineMs?: number;
  /** A scratch directory the JVM removes when poolspec is gone. */
  cleanupDir?: string;
}

let compiled: Promise<string | null> | null = null;

function cacheRoot(): string {
  return process.env.POOLSPEC_CACHE || path.join(os.homedir(), '.cache', 'poolspec');
}

/** The directory holding the compiled class, or null when it cannot be compiled. */
async function compile(): Promise<string | null> {
  const text = fs.readFileSync(SOURCE);
  const hash = createHash('sha256').update(text).digest('hex').slice(0, 12);
  const dir = path.join(cacheRoot(), `watchdog-${hash}`);
  if (fs.existsSync(path.join(dir, `${CLASS}.class`))) return dir;
  try {
    fs.mkdirSync(cacheRoot(), { recursive: true });
    const tmp = fs.mkdtempSync(path.join(cacheRoot(), '.watchdog-'));
    try {
      const r = await execa('javac', ['--release', '11', '-d', tmp, SOURCE], { reject: false, stdin: 'ignore', timeout: 120_000 });
      if (r.exitCode !== 0 || !fs.existsSync(path.join(tmp, `${CLASS}.class`))) return null;
      try {
        fs.renameSync(tmp, dir); // atomic; a concurrent poolspec may have won the race, which is fine
      } catch {
        if (!fs.existsSync(path.join(dir, `${CLASS}.class`))) return null;
      }
      return dir;
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  } catch {
    return null;
  }
}

/**
 * The java arguments that run `mainClass` from `classPath` under the watchdog: JVM options, then the
 * watchdog, then the tool's own arguments. The JVM must be given a stdin pipe that is kept open.
 */
export async function watchedJavaArgs(jvmOptions: string[], classPath: string, mainClass: string, args: string[], opts: WatchdogOptions = {}): Promise<string[]> {
  compiled ??= compile();
  const dir = await compiled;
  const props = [
    ...(opts.deadlineMs ? [`-Dpoolspec.deadline=${Math.round(opts.deadlineMs)}`] : []),
    ...(opts.cleanupDir ? [`-Dpoolspec.cleanup=${opts.cleanupDir}`] : []),
  ];
  if (dir) return [...jvmOptions, ...props, '-cp', `${dir}${path.delimiter}${classPath}`, CLASS, mainClass, ...args];
  return [...jvmOptions, ...props, '-cp', classPath, SOURCE, mainClass, ...args];
}
