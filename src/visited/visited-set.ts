/**
 * The set of visited states: 64-bit fingerprints in an open-addressing hash
 * table over typed arrays, with a parent link per state for trace
 * reconstruction. States are numbered in insertion order (0 = initial).
 *
 * Memory per state: 8 bytes of fingerprint + 4 bytes of parent index in
 * per-state arrays, plus one 4-byte table slot at a load factor of at most
 * 1/2..3/4 — about 17-20 bytes.
 */
export interface VisitedStore {
  readonly size: number;
  /** Inserts; returns the new state index, or -(existing index) - 1 when already present. */
  insert(hi: number, lo: number, parent: number): number;
  /** Index of the state with this fingerprint, or -1. */
  find(hi: number, lo: number): number;
  parentOf(index: number): number;
  fingerprintOf(index: number): { hi: number; lo: number };
  /** Bytes held by the typed arrays. */
  bytes(): number;
}

const EMPTY = 0;

export class VisitedSet implements VisitedStore {
  private table: Int32Array;
  private mask: number;
  private fpHi: Uint32Array;
  private fpLo: Uint32Array;
  private parent: Int32Array;
  private count = 0;

  constructor(initialCapacity = 1 << 16) {
    let cap = 1 << 10;
    while (cap < initialCapacity) cap <<= 1;
    this.table = new Int32Array(cap * 2);
    this.mask = cap * 2 - 1;
    this.fpHi = new Uint32Array(cap);
    this.fpLo = new Uint32Array(cap);
    this.parent = new Int32Array(cap);
  }

  get size(): number {
    return this.count;
  }

  find(hi: number, lo: number): number {
    const t = this.table;
    const m = this.mask;
    let i = (lo ^ Math.imul(hi, 0x9e3779b1)) & m;
    for (;;) {
      const e = t[i]!;
      if (e === EMPTY) return -1;
      const idx = e - 1;
      if (this.fpLo[idx] === lo >>> 0 && this.fpHi[idx] === hi >>> 0) return idx;
      i = (i + 1) & m;
    }
  }

  insert(hi: number, lo: number, parent: number): number {
    hi >>>= 0;
    lo >>>= 0;
    const t = this.table;
    const m = this.mask;
    let i = (lo ^ Math.imul(hi, 0x9e3779b1)) & m;
    for (;;) {
      const e = t[i]!;
      if (e === EMPTY) break;
      const idx = e - 1;
      if (this.fpLo[idx] === lo && this.fpHi[idx] === hi) return -idx - 1;
      i = (i + 1) & m;
    }
    const idx = this.count++;
    if (idx >= this.fpHi.length) this.growStates();
    this.fpHi[idx] = hi;
    this.fpLo[idx] = lo;
    this.parent[idx] = parent;
    t[i] = idx + 1;
    if (this.count * 4 > (this.mask + 1) * 3) this.growTable();
    return idx;
  }

  parentOf(index: number): number {
    return this.parent[index]!;
  }

  fingerprintOf(index: number): { hi: number; lo: number } {
    return { hi: this.fpHi[index]!, lo: this.fpLo[index]! };
  }

  bytes(): number {
    return this.table.byteLength + this.fpHi.byteLength + this.fpLo.byteLength + this.parent.byteLength;
  }

  private growStates(): void {
    const n = this.fpHi.length * 2;
    const grow = <T extends Uint32Array | Int32Array>(a: T, make: (n: number) => T): T => {
      const b = make(n);
      b.set(a);
      return b;
    };
    this.fpHi = grow(this.fpHi, (k) => new Uint32Array(k));
    this.fpLo = grow(this.fpLo, (k) => new Uint32Array(k));
    this.parent = grow(this.parent, (k) => new Int32Array(k));
  }

  private growTable(): void {
    const cap = (this.mask + 1) * 2;
    const t = new Int32Array(cap);
    const m = cap - 1;
    for (let idx = 0; idx < this.count; idx++) {
      const hi = this.fpHi[idx]!;
      const lo = this.fpLo[idx]!;
      let i = (lo ^ Math.imul(hi, 0x9e3779b1)) & m;
      while (t[i] !== EMPTY) i = (i + 1) & m;
      t[i] = idx + 1;
    }
    this.table = t;
    this.mask = m;
  }
}
