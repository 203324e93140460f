/**
 * A hand-written JavaScript BusyPool (benchmark only, not product code): HAProxy's fixed lockless
 * pool (2a4523f6) on the same shared memory layout as the runtime (head in a 32-bit word, the link
 * word as the first word of each block in the arena), with no model bookkeeping: no ghost state, no
 * mapped checks, no held sets. It is the practical limit for the compiled runtime in this process.
 *
 * pop:  r := head; while r = BUSY: r := head; if r = NULL: take a block from the "OS";
 *       r := XCHG(head, BUSY); if r = BUSY: retry; if r = NULL: head := NULL, take from the OS;
 *       n := r->next; head := n; return r
 * push: fl := head; loop { while fl = BUSY: fl := head; b->next := fl; if CAS(head, fl, b): done; fl := head }
 * The "OS" is a per-block ownership word claimed by CAS (the bench never gives blocks back).
 */
const NULL = 0;
const BUSY = -1;

export class HandwrittenBusyPool {
  private readonly head: Int32Array;
  private readonly arena: Int32Array;
  private readonly os: Int32Array;
  private readonly bw: number;

  /** `words`: [head, os[1..n]] as 32-bit words; `arena`: n blocks of `blockSize` bytes. */
  constructor(words: SharedArrayBuffer, arena: SharedArrayBuffer, readonly blocks: number, blockSize: number) {
    this.head = new Int32Array(words, 0, 1);
    this.os = new Int32Array(words, 4, blocks);
    this.arena = new Int32Array(arena);
    this.bw = blockSize >> 2;
  }

  static buffers(blocks: number, blockSize: number): { words: SharedArrayBuffer; arena: SharedArrayBuffer } {
    return { words: new SharedArrayBuffer(4 * (blocks + 1)), arena: new SharedArrayBuffer(blocks * blockSize) };
  }

  alloc(): number {
    const head = this.head;
    for (;;) {
      let r = Atomics.load(head, 0);
      while (r === BUSY) r = Atomics.load(head, 0);
      if (r === NULL) return this.fromOs();
      r = Atomics.exchange(head, 0, BUSY);
      if (r === BUSY) continue;
      if (r === NULL) {
        Atomics.store(head, 0, NULL);
        return this.fromOs();
      }
      const n = Atomics.load(this.arena, (r - 1) * this.bw);
      Atomics.store(head, 0, n);
      return r;
    }
  }

  free(b: number): void {
    const head = this.head;
    let fl = Atomics.load(head, 0);
    for (;;) {
      while (fl === BUSY) fl = Atomics.load(head, 0);
      Atomics.store(this.arena, (b - 1) * this.bw, fl);
      const seen = Atomics.compareExchange(head, 0, fl, b);
      if (seen === fl) return;
      fl = seen;
    }
  }

  private fromOs(): number {
    for (let b = 1; b <= this.blocks; b += 1) {
      if (Atomics.load(this.os, b - 1) === 0 && Atomics.compareExchange(this.os, b - 1, 0, 1) === 0) {
        this.arena.fill(0, (b - 1) * this.bw + 2, b * this.bw);
        return b;
      }
    }
    return NULL;
  }
}
