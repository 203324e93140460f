/**
 * The set of seen states: exact packed states (W int32 words each) in one growing arena, indexed by
 * an open-addressing hash table of state numbers (linear probing, load factor at most 1/2). States are
 * stored whole, not as fingerprints: two different states are never confused (TLC keeps only 64-bit
 * fingerprints and accepts a small collision probability; this store has none). The arena is also
 * the breadth-first queue (states are numbered in the order found) and `parent` the trace pointers.
 */
export class StateStore {
  arena: Int32Array;
  parent: Int32Array;
  count = 0;
  private table: Int32Array;
  private mask: number;

  constructor(readonly W: number, private readonly hash: (A: Int32Array, o: number) => number, initial = 1 << 16) {
    this.arena = new Int32Array(initial * W);
    this.parent = new Int32Array(initial);
    this.table = new Int32Array(initial * 2);
    this.mask = initial * 2 - 1;
  }

  /** The packed words of a candidate go here (at the end of the arena) before `insert`. */
  get scratch(): number {
    if ((this.count + 1) * this.W > this.arena.length) this.growArena();
    return this.count * this.W;
  }

  /**
   * Inserts the candidate packed at `scratch`: returns its state number, or -(old number) - 1 when
   * the state was already stored.
   */
  insert(parent: number): number {
    const W = this.W;
    const A = this.arena;
    const o = this.count * W;
    let h = this.hash(A, o) & this.mask;
    const T = this.table;
    for (;;) {
      const e = T[h];
      if (e === 0) break;
      const p = (e - 1) * W;
      let same = true;
      for (let i = 0; i < W; i += 1) if (A[p + i] !== A[o + i]) { same = false; break; }
      if (same) return -e;
      h = (h + 1) & this.mask;
    }
    const n = this.count;
    T[h] = n + 1;
    this.parent[n] = parent;
    this.count = n + 1;
    if (this.count * 2 > this.table.length) this.rehash();
    return n;
  }

  /** Bytes held by the arena, the parents and the table. */
  bytes(): number {
    return this.arena.byteLength + this.parent.byteLength + this.table.byteLength;
  }

  private growArena(): void {
    const a = new Int32Array(this.arena.length * 2);
    a.set(this.arena);
    this.arena = a;
    const p = new Int32Array(this.parent.length * 2);
    p.set(this.parent);
    this.parent = p;
  }

  private rehash(): void {
    const size = this.table.length * 2;
    const T = new Int32Array(size);
    const mask = size - 1;
    for (let n = 0; n < this.count; n += 1) {
      let h = this.hash(this.arena, n * this.W) & mask;
      while (T[h] !== 0) h = (h + 1) & mask;
      T[h] = n + 1;
    }
    this.table = T;
    this.mask = mask;
  }
}
