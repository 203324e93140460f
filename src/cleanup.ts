/**
 * What a poolspec process must undo when it is interrupted: the child processes it started and the
 * temporary directories it made. Stages register them here; the CLI's SIGINT/SIGTERM handler calls
 * cleanupNow(). (On SIGKILL nothing here runs: the JVMs end themselves, see src/tlc/watchdog.ts.)
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

interface Killable { kill(signal?: NodeJS.Signals | number): boolean; pid?: number }

const children = new Set<Killable>();
const dirs = new Set<string>();

/** Registers a running child process; call the returned function once it has exited. */
export function trackChild(c: Killable): () => void {
  children.add(c);
  return () => children.delete(c);
}

/** Registers a temporary directory; call the returned function once it is removed. */
export function trackDir(dir: string): () => void {
  dirs.add(dir);
  return () => dirs.delete(dir);
}

const pause = (ms: number) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);

/** Kills every tracked child and removes every tracked directory, synchronously (for signal handlers). */
export function cleanupNow(): void {
  for (const c of children) {
    try { c.kill('SIGKILL'); } catch { /* already gone */ }
  }
  // A child killed a moment ago may still be writing into its directory: remove, wait, remove again.
  for (let round = 0; round < 2; round += 1) {
    if (round > 0) pause(150);
    for (const d of dirs) fs.rmSync(d, { recursive: true, force: true, maxRetries: 2 });
  }
  children.clear();
  dirs.clear();
}

/**
 * The process's private temporary directory: every `mkdtemp(os.tmpdir())` of this process (and of
 * the tools it starts) lands inside it, so one removal undoes them all. Named `poolspec-run-<pid>-*`;
 * directories of that name whose process is gone (it was SIGKILLed) are removed at the next start.
 */
export function usePrivateTmpdir(): string {
  const base = os.tmpdir();
  sweepStale(base);
  const dir = fs.mkdtempSync(path.join(base, `poolspec-run-${process.pid}-`));
  process.env.TMPDIR = dir;
  process.env.POOLSPEC_PRIVATE_TMP = dir;
  trackDir(dir);
  process.on('exit', () => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function sweepStale(base: string): void {
  let names: string[] = [];
  try { names = fs.readdirSync(base); } catch { return; }
  for (const n of names) {
    const m = /^poolspec-run-(\d+)-/.exec(n);
    if (m && Number(m[1]) !== process.pid && !alive(Number(m[1]))) fs.rmSync(path.join(base, n), { recursive: true, force: true });
  }
}
