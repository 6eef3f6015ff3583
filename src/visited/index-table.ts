/**
 * Open-addressing hash index from a 64-bit fingerprint to a state index:
 * 4-byte slots with linear probing. In a table of 2^k slots a slot holds
 * `index + 1` in its low k bits (0 = empty; the table grows before the
 * indices reach 2^k) and, above them, the high 32 - k bits of the
 * fingerprint's high word — the bits that the home slot (its low k bits)
 * does not already tell. A probe compares those bits first and reads the
 * fingerprint of the slot's state back (`hiOf`/`loOf`, a random access to
 * the visited set's arrays) only when they match: on a probe through
 * other states' slots that saves a cache miss per slot, for no memory.
 *
 * Growth without pauses: at a load of 0.8 a table twice as large is
 * allocated and new entries go there, while the old entries move over
 * sixteen per insert; until the move is complete a lookup that misses in
 * the new table also probes the old one (which still holds every older
 * entry). Sixteen rather than four keeps that double probe to the first
 * twentieth of a table's life instead of its first fifth: the visited set
 * ~25 % faster, still with no pause (a move is sixteen slot writes).
 */
/**
 * The largest table: 2^30 four-byte slots (4 GiB, the largest typed array
 * Node 20 makes). It is not doubled again; it fills to 0.95 instead
 * (`INDEX_CAPACITY` states; visited-set.ts stops the search there).
 */
const MAX_SLOTS = 1 << 30;
export const INDEX_CAPACITY = Math.floor(MAX_SLOTS * 0.95);

export class IndexTable {
  private table = new Int32Array(1 << 12);
  private mask = (1 << 12) - 1;
  private old: Int32Array | undefined;
  private oldMask = 0;
  /** States [0, moveEnd) were in the old table; [0, moved) are already in the new one. */
  private moved = 0;
  private moveEnd = 0;
  private used = 0;

  constructor(
    private readonly hiOf: (i: number) => number,
    private readonly loOf: (i: number) => number,
    /** With a fingerprint wider than 64 bits: whether state i's further words are the ones looked for. */
    private readonly restOf?: (i: number) => boolean,
    /** @internal for tests: the largest table (a power of two). */
    private readonly maxSlots = MAX_SLOTS,
  ) {}

  find(hi: number, lo: number): number {
    const r = probe(this.table, this.mask, hi, lo, this.hiOf, this.loOf, this.restOf);
    if (r >= 0 || !this.old) return r;
    return probe(this.old, this.oldMask, hi, lo, this.hiOf, this.loOf, this.restOf);
  }

  /** Adds state `idx` (known absent); `count` is the number of states after it. */
  add(hi: number, lo: number, idx: number, count: number): void {
    place(this.table, this.mask, hi, lo, idx);
    this.used++;
    if (this.old) this.step(16);
    else if (this.used * 5 > (this.mask + 1) * 4 && this.mask + 1 < this.maxSlots) this.grow(count);
  }

  bytes(): number {
    return this.table.byteLength + (this.old?.byteLength ?? 0);
  }

  private grow(count: number): void {
    this.old = this.table;
    this.oldMask = this.mask;
    this.table = new Int32Array(this.table.length * 2);
    this.mask = this.table.length - 1;
    this.moved = 0;
    this.moveEnd = count - 1; // the entry just added is already in the old table
    this.used = 0;
    // re-add the newest entry to the new table so that [moveEnd, count) is complete there
    const last = count - 1;
    place(this.table, this.mask, this.hiOf(last) >>> 0, this.loOf(last) >>> 0, last);
    this.used = 1;
  }

  private step(k: number): void {
    const end = Math.min(this.moveEnd, this.moved + k);
    for (let i = this.moved; i < end; i++) {
      place(this.table, this.mask, this.hiOf(i) >>> 0, this.loOf(i) >>> 0, i);
      this.used++;
    }
    this.moved = end;
    if (end === this.moveEnd) this.old = undefined;
  }
}

/** Fingerprints are well-mixed hashes: the high word's low bits pick the home slot. */
function home(hi: number, _lo: number, mask: number): number {
  return hi & mask;
}

function probe(
  t: Int32Array,
  mask: number,
  hi: number,
  lo: number,
  hiOf: (i: number) => number,
  loOf: (i: number) => number,
  restOf: ((i: number) => boolean) | undefined,
): number {
  let i = home(hi, lo, mask);
  const tag = hi & ~mask;
  for (;;) {
    const e = t[i]!;
    if (e === 0) return -1;
    if ((e & ~mask) === tag) {
      const idx = (e & mask) - 1;
      if (loOf(idx) === lo && hiOf(idx) >>> 0 === hi && (restOf === undefined || restOf(idx))) return idx;
    }
    i = (i + 1) & mask;
  }
}

function place(t: Int32Array, mask: number, hi: number, lo: number, idx: number): void {
  let i = home(hi, lo, mask);
  while (t[i] !== 0) i = (i + 1) & mask;
  t[i] = (hi & ~mask) | (idx + 1);
}
