import { IndexTable } from './index-table.ts';

/**
 * The set of visited states: 64-bit fingerprints with a parent link per
 * state for trace reconstruction. States are numbered in insertion order
 * (0 = initial).
 *
 * Per state: 8 bytes of fingerprint + 4 bytes of parent index, in chunks of
 * 2^16 states (growth allocates a chunk, never copies), plus one 4-byte slot
 * of the open-addressing index (index-table.ts) at a load factor between
 * 0.4 and 0.8, which grows by migrating a few entries per insert instead of
 * pausing to rehash. About 17–22 bytes per state in all.
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

const SHIFT = 16;
const CHUNK = 1 << SHIFT;
const MASK = CHUNK - 1;

/** The plain-data form of a visited set (for checkpoints): per-state arrays, trimmed. */
export interface VisitedData {
  readonly count: number;
  readonly hi: Uint32Array;
  readonly lo: Uint32Array;
  readonly parent: Int32Array;
}

export class VisitedSet implements VisitedStore {
  private his: Uint32Array[] = [];
  private los: Uint32Array[] = [];
  private parents: Int32Array[] = [];
  private count = 0;
  private readonly index: IndexTable;

  /** `initialCapacity` is accepted for compatibility; the set grows in chunks from a small start. */
  constructor(_initialCapacity?: number) {
    this.index = new IndexTable(
      (i) => this.hiOf(i),
      (i) => this.loOf(i),
    );
  }

  get size(): number {
    return this.count;
  }

  find(hi: number, lo: number): number {
    return this.index.find(hi >>> 0, lo >>> 0);
  }

  insert(hi: number, lo: number, parent: number): number {
    hi >>>= 0;
    lo >>>= 0;
    const found = this.index.find(hi, lo);
    if (found >= 0) return -found - 1;
    const idx = this.count++;
    const c = idx >>> SHIFT;
    if (c === this.his.length) {
      this.his.push(new Uint32Array(CHUNK));
      this.los.push(new Uint32Array(CHUNK));
      this.parents.push(new Int32Array(CHUNK));
    }
    const o = idx & MASK;
    this.his[c]![o] = hi;
    this.los[c]![o] = lo;
    this.parents[c]![o] = parent;
    this.index.add(hi, lo, idx, this.count);
    return idx;
  }

  parentOf(index: number): number {
    return this.parents[index >>> SHIFT]![index & MASK]!;
  }

  /** The high word of state `index`'s fingerprint (unsigned). */
  hiOf(index: number): number {
    return this.his[index >>> SHIFT]![index & MASK]!;
  }

  /** The low word of state `index`'s fingerprint (unsigned). */
  loOf(index: number): number {
    return this.los[index >>> SHIFT]![index & MASK]!;
  }

  fingerprintOf(index: number): { hi: number; lo: number } {
    return { hi: this.his[index >>> SHIFT]![index & MASK]!, lo: this.los[index >>> SHIFT]![index & MASK]! };
  }

  bytes(): number {
    return this.his.length * CHUNK * 12 + this.index.bytes();
  }

  /** The stored states as plain arrays (for checkpoints). */
  export(): VisitedData {
    const n = this.count;
    const join = <T extends Uint32Array | Int32Array>(cs: T[], make: (k: number) => T): T => {
      const out = make(n);
      cs.forEach((c, i) => out.set(c.subarray(0, Math.min(CHUNK, n - i * CHUNK)), i * CHUNK));
      return out;
    };
    return {
      count: n,
      hi: join(this.his, (k) => new Uint32Array(k)),
      lo: join(this.los, (k) => new Uint32Array(k)),
      parent: join(this.parents, (k) => new Int32Array(k)),
    };
  }

  static from(d: VisitedData): VisitedSet {
    const v = new VisitedSet();
    for (let i = 0; i < d.count; i++) v.insert(d.hi[i]!, d.lo[i]!, d.parent[i]!);
    return v;
  }
}
