/** .ci/prereqs.sh judges Node and Java by version, not presence: fake old tools on PATH are refused. */
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const realNode = process.execPath;

function fakeBin(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'poolspec-ci-'));
  for (const [name, body] of Object.entries(files)) {
    writeFileSync(join(dir, name), `#!/bin/sh\n${body}\n`);
    chmodSync(join(dir, name), 0o755);
  }
  return dir;
}

function check(dir: string) {
  const r = spawnSync('bash', ['.ci/prereqs.sh', '--check'], {
    encoding: 'utf8',
    env: { ...process.env, PATH: `${dir}:${process.env.PATH}` },
  });
  return { status: r.status, lines: r.stdout.trim().split('\n').filter(Boolean) };
}

describe('.ci/prereqs.sh --check', () => {
  it('accepts this machine (Node >= 20.11, Java >= 11, ps)', () => {
    expect(check(fakeBin({}))).toEqual({ status: 0, lines: [] });
  });

  it('refuses Node 18 and Java 8 with one line each', () => {
    const dir = fakeBin({
      node: `case "$*" in *process.versions.node*) printf 18.19.0; exit 0;; esac\nexec ${realNode} "$@"`,
      java: `echo 'java version "1.8.0_412"' >&2`,
    });
    expect(check(dir)).toEqual({
      status: 1,
      lines: ['ci: Node >= 20.11.0 is required, found 18.19.0', 'ci: Java >= 11 is required (TLC), found 8'],
    });
  });

  it('refuses Node 20.10 (too old for the code) and accepts Java 11', () => {
    const dir = fakeBin({
      node: `case "$*" in *process.versions.node*) printf 20.10.0; exit 0;; esac\nexec ${realNode} "$@"`,
      java: `echo 'openjdk version "11.0.2" 2019-01-15' >&2`,
    });
    expect(check(dir)).toEqual({ status: 1, lines: ['ci: Node >= 20.11.0 is required, found 20.10.0'] });
  });

  it('refuses a machine without ps', () => {
    // `ps` that fails like a missing command would.
    const dir = fakeBin({ ps: 'exit 127' });
    expect(check(dir)).toEqual({ status: 1, lines: ['ci: ps (procps) is required, found none'] });
    expect(execFileSync('bash', ['-n', '.ci/run']).toString()).toBe('');
  });
});

describe('.ci scripts under pipefail', () => {
  // `tool | head -1` kills a tool still writing (SIGPIPE); under pipefail that failed CI's run of
  // `mvn -v | head -1` about one time in five. A pipeline in .ci must read its whole input.
  it('no pipeline ends in head', () => {
    for (const file of ['.ci/run', '.ci/prereqs.sh']) {
      const lines = readFileSync(file, 'utf8').split('\n').filter((l) => !l.trim().startsWith('#'));
      expect(lines.filter((l) => /\|\s*head\b/.test(l)), file).toEqual([]);
    }
  });
});
