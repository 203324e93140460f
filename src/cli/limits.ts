/**
 * Resource-hungry arguments are checked against the machine before anything is allocated; each
 * check returns null or a one-line message that says the maximum.
 */
import os from 'node:os';

const MiB = 2 ** 20;
/** What one stress worker costs: a V8 isolate with the TypeScript loader and the runtime. */
const WORKER_BYTES = 48 * MiB;
/** Pointers are 32-bit words, with 0 and -1 taken by NULL and BUSY. */
export const MAX_BLOCKS = 2 ** 20;

/** Memory a run may use: half of what the machine has available now. */
export const memoryBudget = () => Math.floor(os.freemem() / 2);
const cores = () => os.availableParallelism?.() ?? os.cpus().length;
const mib = (b: number) => `${Math.round(b / MiB)} MiB`;

export function checkThreads(n: number): string | null {
  const max = Math.max(1, Math.min(256, Math.floor(memoryBudget() / WORKER_BYTES)));
  return n > max ? `--threads ${n} is more than this machine can run: at most ${max} (each worker thread needs about ${mib(WORKER_BYTES)}; ${mib(memoryBudget())} to spare)` : null;
}

export function checkBlocks(blocks: number, blockSize: number): string | null {
  if (blocks > MAX_BLOCKS) return `--blocks ${blocks} is too many: at most ${MAX_BLOCKS}`;
  if (blockSize > 2 ** 30) return `--block-size ${blockSize} is too big: at most ${2 ** 30} bytes`;
  const max = Math.floor(memoryBudget() / blockSize);
  if (blocks * blockSize > memoryBudget()) {
    return `--blocks ${blocks} × --block-size ${blockSize} needs ${mib(blocks * blockSize)}, more than the ${mib(memoryBudget())} this machine has to spare: at most ${Math.min(max, MAX_BLOCKS)} blocks of ${blockSize} bytes`;
  }
  return null;
}

export function checkWorkers(n: number): string | null {
  const max = cores() * 4;
  return n > max ? `--workers ${n} is more than this machine has cores for: at most ${max} (${cores()} cores)` : null;
}

/** A run that keeps a trace of `length` states, each about `stateBytes` in memory. */
export function checkTraceLength(flag: string, length: number, stateBytes: number): string | null {
  const per = Math.max(256, stateBytes * 4); // the JSON size underestimates objects in memory
  const max = Math.max(1, Math.min(10_000_000, Math.floor(memoryBudget() / per)));
  return length > max ? `${flag} ${length} keeps a trace too long for this machine's memory: at most ${max}` : null;
}
