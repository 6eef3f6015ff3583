import { INDEX_CAPACITY, IndexTable } from './index-table.ts';
import type { FingerprintBits, StoredFingerprint } from '../state/hash-words.ts';

export type { FingerprintBits, StoredFingerprint } from '../state/hash-words.ts';

/**
 * The set of visited states: fingerprints (64, 96 or 128 bits) with a
 * parent link per state for trace reconstruction. States are numbered in
 * insertion order (0 = initial).
 *
 * Per state: 8 bytes of fingerprint (+4 or +8 for a wider one) + 4 bytes
 * of parent index, in chunks of 2^16 states (growth allocates a chunk,
 * never copies), plus one 4-byte slot of the open-addressing index
 * (index-table.ts) at a load factor between 0.4 and 0.8, which grows by
 * migrating a few entries per insert instead of pausing to rehash. About
 * 17–22 bytes per state in all with 64-bit fingerprints.
 */
export interface VisitedStore {
  readonly size: number;
  /** Inserts; returns the new state index, or -(existing index) - 1 when already present. */
  insert(hi: number, lo: number, parent: number, x?: number, y?: number): number;
  /** Index of the state with this fingerprint, or -1. */
  find(hi: number, lo: number, x?: number, y?: number): number;
  parentOf(index: number): number;
  fingerprintOf(index: number): StoredFingerprint;
  /** Bytes held by the typed arrays. */
  bytes(): number;
}

const SHIFT = 16;
const CHUNK = 1 << SHIFT;
const MASK = CHUNK - 1;

/**
 * The plain-data form of a visited set (for checkpoints): per-state arrays
 * in chunks of 2^16 states (the last one trimmed), views of the set's own
 * arrays (no copy); `x`/`y` hold the further fingerprint lanes (96 bits: `x`).
 */
export interface VisitedData {
  readonly count: number;
  readonly bits: FingerprintBits;
  readonly hi: readonly Uint32Array[];
  readonly lo: readonly Uint32Array[];
  readonly x?: readonly Uint32Array[];
  readonly y?: readonly Uint32Array[];
  readonly parent: readonly Int32Array[];
}

export class VisitedSet implements VisitedStore {
  private his: Uint32Array[] = [];
  private los: Uint32Array[] = [];
  private xs: Uint32Array[] | undefined;
  private ys: Uint32Array[] | undefined;
  private parents: Int32Array[] = [];
  private count = 0;
  private readonly index: IndexTable;
  /** The further lanes being looked up (for the index's full comparison). */
  private wantX = 0;
  private wantY = 0;

  constructor(readonly bits: FingerprintBits = 64) {
    if (bits >= 96) this.xs = [];
    if (bits === 128) this.ys = [];
    this.index = new IndexTable(
      (i) => this.hiOf(i),
      (i) => this.loOf(i),
      bits === 64
        ? undefined
        : bits === 96
          ? (i) => this.xs![i >>> SHIFT]![i & MASK] === this.wantX
          : (i) =>
              this.xs![i >>> SHIFT]![i & MASK] === this.wantX &&
              this.ys![i >>> SHIFT]![i & MASK] === this.wantY,
    );
  }

  get size(): number {
    return this.count;
  }

  /** The most states the set holds (its index cannot grow further): about a billion. */
  static readonly capacity = INDEX_CAPACITY;

  find(hi: number, lo: number, x = 0, y = 0): number {
    this.wantX = x >>> 0;
    this.wantY = y >>> 0;
    return this.index.find(hi >>> 0, lo >>> 0);
  }

  insert(hi: number, lo: number, parent: number, x = 0, y = 0): number {
    hi >>>= 0;
    lo >>>= 0;
    this.wantX = x >>> 0;
    this.wantY = y >>> 0;
    const found = this.index.find(hi, lo);
    if (found >= 0) return -found - 1;
    const idx = this.count++;
    const c = idx >>> SHIFT;
    if (c === this.his.length) {
      this.his.push(new Uint32Array(CHUNK));
      this.los.push(new Uint32Array(CHUNK));
      this.xs?.push(new Uint32Array(CHUNK));
      this.ys?.push(new Uint32Array(CHUNK));
      this.parents.push(new Int32Array(CHUNK));
    }
    const o = idx & MASK;
    this.his[c]![o] = hi;
    this.los[c]![o] = lo;
    if (this.xs) this.xs[c]![o] = this.wantX;
    if (this.ys) this.ys[c]![o] = this.wantY;
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

  /** The third word of state `index`'s fingerprint (0 with 64 bits). */
  xOf(index: number): number {
    return this.xs ? this.xs[index >>> SHIFT]![index & MASK]! : 0;
  }

  /** The fourth word of state `index`'s fingerprint (0 below 128 bits). */
  yOf(index: number): number {
    return this.ys ? this.ys[index >>> SHIFT]![index & MASK]! : 0;
  }

  fingerprintOf(index: number): StoredFingerprint {
    return { hi: this.hiOf(index), lo: this.loOf(index), x: this.xOf(index), y: this.yOf(index) };
  }

  bytes(): number {
    return this.his.length * CHUNK * (4 + this.bits / 8) + this.index.bytes();
  }

  /** The stored states as plain data (for checkpoints): views of the chunks, not copies. */
  export(): VisitedData {
    const n = this.count;
    const views = <T extends Uint32Array | Int32Array>(cs: T[]): T[] =>
      cs.map((c, i) => c.subarray(0, Math.min(CHUNK, n - i * CHUNK)) as T);
    return {
      count: n,
      bits: this.bits,
      hi: views(this.his),
      lo: views(this.los),
      ...(this.xs ? { x: views(this.xs) } : {}),
      ...(this.ys ? { y: views(this.ys) } : {}),
      parent: views(this.parents),
    };
  }

  /** A visited set with the states of `d`, in order (checked by persist/progress-shape.ts when read from a file). */
  static from(d: VisitedData): VisitedSet {
    const v = new VisitedSet(d.bits);
    const at = (cs: readonly (Uint32Array | Int32Array)[] | undefined, i: number): number =>
      cs ? cs[i >>> SHIFT]![i & MASK]! : 0;
    for (let i = 0; i < d.count; i++)
      v.insert(at(d.hi, i), at(d.lo, i), at(d.parent, i), at(d.x, i), at(d.y, i));
    return v;
  }
}
