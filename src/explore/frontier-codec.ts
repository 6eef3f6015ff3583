/**
 * The packed form of frontier entries: each entry — state index, depth,
 * encoded words (state/codec.ts) and an optional fixed-width record (the
 * transition-cache entries its parent passed down) — is written as its
 * difference from the entry before it in the same chunk. Successors of one
 * parent sit next to each other in a breadth-first queue and differ in a
 * few words, so an entry of a 4-vCPU kvm-bench state (~70 words, 280 bytes
 * unpacked) takes some 10–30 bytes.
 *
 * An entry is a header byte, then:
 * - when header bit 0 is set, zigzag(index − previous index − 1) (else the index is the previous + 1);
 * - when bit 1 is set, zigzag(depth − previous depth);
 * - when bit 2 is set, the word count `n`;
 * - the changed words, each as (position − previous changed position) and
 *   zigzag(new − old), ended by a 0; positions at or past the previous
 *   entry's length count as 0 before;
 * - when the chunk has records, the changed record words, likewise.
 *
 * All numbers are unsigned LEB128 varints. A chunk starts from an all-zero
 * entry (index −1, depth 0, no words), so every chunk decodes on its own:
 * chunks can be written to disk, read back, and saved in checkpoints as
 * they are.
 */

const INDEX = 1;
const DEPTH = 2;
const LENGTH = 4;

/** The most words an entry may have (a bound for crafted input; real states have tens). */
export const MAX_ENTRY_WORDS = 1 << 20;

/** Upper bound of an entry's packed size. */
export function packedBound(n: number, recordWidth: number): number {
  return 16 + (n + recordWidth) * 10 + 2;
}

/** Appends entries to a chunk's bytes. */
export class EntryWriter {
  bytes: Uint8Array = new Uint8Array(0);
  pos = 0;
  count = 0;
  private last = new Int32Array(64);
  private lastN = 0;
  private lastIndex = -1;
  private lastDepth = 0;
  private readonly lastRec: Int32Array;
  /** The record of an entry pushed without one: all -1. */
  private readonly none: Int32Array;

  constructor(readonly recordWidth: number) {
    this.lastRec = new Int32Array(recordWidth);
    this.none = new Int32Array(recordWidth).fill(-1);
  }

  /** Starts a new chunk in `bytes` (from the all-zero entry). */
  start(bytes: Uint8Array): void {
    this.bytes = bytes;
    this.pos = 0;
    this.count = 0;
    this.lastN = 0;
    this.lastIndex = -1;
    this.lastDepth = 0;
    this.lastRec.fill(0);
  }

  /** Whether an entry of `n` words surely fits in what is left of the chunk. */
  fits(n: number): boolean {
    return this.pos + packedBound(n, this.recordWidth) <= this.bytes.length;
  }

  /**
   * Appends `words[from..from+n)` as state `index` at `depth`, with the
   * record `rec[recAt..recAt+recordWidth)` (all −1 when `rec` is undefined).
   * The caller checked `fits(n)`.
   */
  write(
    words: Int32Array,
    from: number,
    n: number,
    index: number,
    depth: number,
    rec?: Int32Array,
    recAt = 0,
  ): void {
    const b = this.bytes;
    const h = this.pos;
    let p = h + 1;
    let flags = 0;
    if (index !== this.lastIndex + 1) {
      flags |= INDEX;
      p = varint(b, p, zigzag(index - this.lastIndex - 1));
    }
    if (depth !== this.lastDepth) {
      flags |= DEPTH;
      p = varint(b, p, zigzag(depth - this.lastDepth));
    }
    if (n !== this.lastN) {
      flags |= LENGTH;
      p = varint(b, p, n);
    }
    b[h] = flags;
    const last = (this.last = fitted(this.last, this.lastN, n));
    p = writeChanges(b, p, words, from, last, n);
    const w = this.recordWidth;
    if (w > 0) {
      p =
        rec === undefined
          ? writeChanges(b, p, this.none, 0, this.lastRec, w)
          : writeChanges(b, p, rec, recAt, this.lastRec, w);
    }
    this.lastN = n;
    this.lastIndex = index;
    this.lastDepth = depth;
    this.pos = p;
    this.count++;
  }
}

/** Reads a chunk's entries in order (trusted bytes: written here, or checked by `checkChunk`). */
export class EntryReader {
  bytes: Uint8Array = new Uint8Array(0);
  pos = 0;
  /** Entries read from the current chunk. */
  read = 0;
  /** The last entry read: its words in `words[0..n)`, its record in `rec[0..recordWidth)`. */
  words = new Int32Array(64);
  n = 0;
  index = -1;
  depth = 0;
  rec = new Int32Array(0);
  recordWidth = 0;

  /** Starts reading a chunk whose entries carry `recordWidth`-word records. */
  start(bytes: Uint8Array, recordWidth: number): void {
    this.bytes = bytes;
    this.pos = 0;
    this.read = 0;
    this.n = 0;
    this.index = -1;
    this.depth = 0;
    this.recordWidth = recordWidth;
    if (this.rec.length !== recordWidth) this.rec = new Int32Array(recordWidth);
    else this.rec.fill(0);
  }

  /** The depth of the next entry, without reading it. */
  peekDepth(): number {
    const b = this.bytes;
    const flags = b[this.pos]!;
    let p = this.pos + 1;
    if (flags & INDEX) {
      readVarint(b, p);
      p = after;
    }
    if ((flags & DEPTH) === 0) return this.depth;
    return this.depth + unzigzag(readVarint(b, p));
  }

  next(): void {
    const b = this.bytes;
    const flags = b[this.pos]!;
    let p = this.pos + 1;
    let index = this.index + 1;
    if (flags & INDEX) {
      index += unzigzag(readVarint(b, p));
      p = after;
    }
    if (flags & DEPTH) {
      this.depth += unzigzag(readVarint(b, p));
      p = after;
    }
    let n = this.n;
    if (flags & LENGTH) {
      n = readVarint(b, p);
      p = after;
    }
    const w = (this.words = fitted(this.words, this.n, n));
    p = applyChanges(b, p, w);
    if (this.recordWidth > 0) p = applyChanges(b, p, this.rec);
    this.n = n;
    this.index = index;
    this.pos = p;
    this.read++;
  }
}

/**
 * `a` holding at least `n` words, those past the first `had` zero (an
 * entry longer than the previous one starts from zeros there): `a` itself,
 * or a copy twice as long.
 */
function fitted(a: Int32Array<ArrayBuffer>, had: number, n: number): Int32Array<ArrayBuffer> {
  if (n > a.length) {
    const grown = new Int32Array(n * 2);
    grown.set(a);
    a = grown;
  }
  if (n > had) a.fill(0, had, n);
  return a;
}

/**
 * Writes the words of `src[from..from+n)` that differ from `last[0..n)` as
 * (gap, zigzag delta) pairs ended by a 0, and updates `last`; returns the
 * position after them.
 */
function writeChanges(
  b: Uint8Array,
  p: number,
  src: Int32Array,
  from: number,
  last: Int32Array,
  n: number,
): number {
  let prev = -1;
  for (let i = 0; i < n; i++) {
    const v = src[from + i]!;
    const o = last[i]!;
    if (v === o) continue;
    p = varint(b, p, i - prev);
    p = varint(b, p, zigzag((v - o) | 0));
    last[i] = v;
    prev = i;
  }
  b[p++] = 0;
  return p;
}

/** Applies a list of changed words (gap, zigzag delta; ended by 0) to `w`; returns the position after it. */
function applyChanges(b: Uint8Array, p: number, w: Int32Array): number {
  let i = -1;
  for (;;) {
    let gap = b[p]!;
    if (gap === 0) return p + 1;
    if (gap < 0x80) p++;
    else {
      gap = readVarint(b, p);
      p = after;
    }
    i += gap;
    const c = b[p]!;
    let d: number;
    if (c < 0x80) {
      d = c;
      p++;
    } else {
      d = readVarint(b, p);
      p = after;
    }
    w[i] = (w[i]! + unzigzag(d)) | 0;
  }
}

/**
 * Checks that `bytes` hold exactly `count` well-formed entries with
 * `recordWidth`-word records, indices in [0, states) and depths ≥ 0
 * (for chunks read from a file); returns the first problem, or undefined.
 */
export function checkChunk(
  bytes: Uint8Array,
  count: number,
  recordWidth: number,
  states: number,
): string | undefined {
  let p = 0;
  let index = -1;
  let depth = 0;
  let n = 0;
  const end = bytes.length;
  const num = (): number => {
    let v = 0;
    for (let k = 0; k < 5; k++) {
      if (p >= end) throw new Error('ends inside an entry');
      const c = bytes[p++]!;
      if (k === 4 && c > 0x0f) throw new Error('has an oversized number');
      v += (c & 0x7f) * 2 ** (7 * k);
      if ((c & 0x80) === 0) return v;
    }
    throw new Error('has an oversized number');
  };
  const changes = (len: number): void => {
    let i = -1;
    for (;;) {
      const gap = num();
      if (gap === 0) return;
      i += gap;
      if (i >= len) throw new Error('changes a word past the entry');
      num();
    }
  };
  try {
    for (let k = 0; k < count; k++) {
      if (p >= end) throw new Error('has fewer entries than recorded');
      const flags = bytes[p++]!;
      if (flags & ~(INDEX | DEPTH | LENGTH)) throw new Error('has a bad entry header');
      index += 1 + ((flags & INDEX) !== 0 ? unzigzag(num()) : 0);
      if (flags & DEPTH) depth += unzigzag(num());
      if (flags & LENGTH) n = num();
      if (index < 0 || index >= states) throw new Error(`names state ${index}, which is not visited`);
      if (depth < 0) throw new Error('has a negative depth');
      if (n > MAX_ENTRY_WORDS) throw new Error('has an oversized entry');
      changes(n);
      if (recordWidth > 0) changes(recordWidth);
    }
  } catch (e) {
    return (e as Error).message;
  }
  return p === end ? undefined : 'has bytes after its last entry';
}

function zigzag(v: number): number {
  return ((v << 1) ^ (v >> 31)) >>> 0;
}

function unzigzag(u: number): number {
  return (u >>> 1) ^ -(u & 1);
}

function varint(b: Uint8Array, p: number, v: number): number {
  while (v > 0x7f) {
    b[p++] = (v & 0x7f) | 0x80;
    v >>>= 7;
  }
  b[p++] = v;
  return p;
}

/** Where the last `readVarint` ended (a module field: no allocation on the hot path). */
let after = 0;

function readVarint(b: Uint8Array, p: number): number {
  let c = b[p++]!;
  let v = c & 0x7f;
  let s = 7;
  while (c >= 0x80) {
    c = b[p++]!;
    v |= (c & 0x7f) << s;
    s += 7;
  }
  after = p;
  return v >>> 0;
}
