/**
 * The control words a stress run shares with its workers (one small SharedArrayBuffer, apart from the
 * pool's memory): a start gate, a stop flag, a count of loaded workers, and one completed-operation
 * counter per worker that the main thread's watchdog polls.
 */
export const CTL = { START: 0, STOP: 1, READY: 2, OPS: 3 } as const;

/** Why the main thread set the stop flag. */
export const STOP = { DEADLINE: 1, STALL: 2, SIGNAL: 3 } as const;

export function controlWords(threads: number): Int32Array {
  return new Int32Array(new SharedArrayBuffer(4 * (CTL.OPS + threads)));
}

/** Operations completed so far by all workers. */
export function opsDone(ctl: Int32Array, threads: number): number {
  let n = 0;
  for (let i = 0; i < threads; i += 1) n += Atomics.load(ctl, CTL.OPS + i);
  return n;
}

/**
 * Watches the operation counters: `poll` returns the milliseconds since the last change once that
 * exceeds the threshold, otherwise null. Pure bookkeeping, so it is tested without threads.
 */
export class StallWatch {
  private last = -1;
  private lastChange: number;

  constructor(private readonly thresholdMs: number, now: number) {
    this.lastChange = now;
  }

  poll(total: number, now: number): number | null {
    if (total !== this.last) {
      this.last = total;
      this.lastChange = now;
      return null;
    }
    const idle = now - this.lastChange;
    return idle >= this.thresholdMs ? idle : null;
  }
}
