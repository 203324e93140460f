import { createHash } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { formatError } from '../../src/errors.ts';
import { cachedJarPath, fetchJar, locateJar, TLA_TOOLS, tlcVersion } from '../../src/tlc/jar.ts';
import { javaMajor, javaVersion, parseJavaVersion } from '../../src/tlc/java.ts';

const saved = { jar: process.env.TLA2TOOLS_JAR, cache: process.env.POOLSPEC_CACHE, path: process.env.PATH };
let scratch: string;

beforeEach(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'poolspec-jar-test-'));
});
afterEach(async () => {
  for (const [k, v] of [
    ['TLA2TOOLS_JAR', saved.jar],
    ['POOLSPEC_CACHE', saved.cache],
    ['PATH', saved.path],
  ] as const) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  await rm(scratch, { recursive: true, force: true });
});

describe('java', () => {
  it('parses version strings', () => {
    expect(parseJavaVersion('openjdk version "17.0.15" 2025-04-15\nOpenJDK Runtime Environment')).toBe('17.0.15');
    expect(parseJavaVersion('java version "1.8.0_292"')).toBe('1.8.0_292');
    expect(javaMajor('17.0.15')).toBe(17);
    expect(javaMajor('1.8.0_292')).toBe(8);
    expect(javaMajor('21')).toBe(21);
  });

  it('reports the installed java', async () => {
    const r = await javaVersion();
    expect(r.ok && r.value).toMatch(/^\d+(\.\d+)*/);
  });

  it('says how to install java when it is not on PATH', async () => {
    process.env.PATH = scratch;
    const r = await javaVersion();
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.errors[0]!.code).toBe('JAVA_MISSING');
      expect(r.errors[0]!.message).toMatch(/install a JDK 11\+ and put `java` on PATH/);
    }
  });
});

describe('locateJar', () => {
  it('reports a TLA2TOOLS_JAR that does not exist, naming the path', async () => {
    const missing = join(scratch, 'nope', 'tla2tools.jar');
    process.env.TLA2TOOLS_JAR = missing;
    const r = await locateJar();
    expect(r).toEqual({ ok: false, errors: [{ code: 'JAR_MISSING', message: `TLA2TOOLS_JAR=${missing} does not exist` }] });
  });

  it('rejects an override whose checksum is not the pinned one, naming both sums', async () => {
    const fake = join(scratch, 'fake.jar');
    await writeFile(fake, 'not a jar');
    process.env.TLA2TOOLS_JAR = fake;
    const r = await locateJar();
    expect(r.ok).toBe(false);
    if (!r.ok) {
      const e = r.errors[0]!;
      expect(e.code).toBe('JAR_CHECKSUM');
      expect(e.message).toContain(fake);
      expect(e.message).toContain(TLA_TOOLS.sha256);
      expect(e.message).toContain(`got ${createHash('sha256').update('not a jar').digest('hex')}`);
    }
  });

  it('points at fetch-tlc when the cache is empty', async () => {
    delete process.env.TLA2TOOLS_JAR;
    process.env.POOLSPEC_CACHE = scratch;
    const r = await locateJar();
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.errors[0]!.code).toBe('JAR_MISSING');
      expect(r.errors[0]!.message).toBe(`TLC jar not found at ${cachedJarPath()}; run \`npx poolspec fetch-tlc\` (or npm install)`);
      expect(cachedJarPath().startsWith(scratch)).toBe(true);
    }
  });

  it('rejects a corrupt cached jar', async () => {
    delete process.env.TLA2TOOLS_JAR;
    process.env.POOLSPEC_CACHE = scratch;
    await writeFile(cachedJarPath(), 'corrupt');
    const r = await locateJar();
    expect(!r.ok && r.errors[0]!.code).toBe('JAR_CHECKSUM');
  });
});

describe('fetchJar', () => {
  it('needs Maven when the jar is not cached', async () => {
    delete process.env.TLA2TOOLS_JAR;
    process.env.POOLSPEC_CACHE = scratch;
    process.env.PATH = scratch; // no mvn here
    const r = await fetchJar({ quiet: true });
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.errors[0]!.code).toBe('MAVEN_MISSING');
      expect(formatError(r.errors[0]!)).not.toContain('\n');
    }
  });
});

describe('the real jar', () => {
  it('is found, verified and reports TLC 2.18', async () => {
    const jar = await locateJar();
    if (!jar.ok) throw new Error(jar.errors.map(formatError).join('\n'));
    expect(jar.value.sha256).toBe(TLA_TOOLS.sha256);
    // fetchJar is a no-op when the verified jar is already there
    const again = await fetchJar({ quiet: true });
    expect(again.ok && again.value.path).toBe(jar.value.path);
    expect(await tlcVersion(jar.value.path)).toEqual({ ok: true, value: 'TLC2 Version 2.18 of 20 March 2023' });
  }, 30_000);
});
