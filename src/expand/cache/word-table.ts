/**
 * A hash table from keys made of words — two numbers and runs of a state's
 * encoding — to values made of words, all stored in one typed-array arena.
 * Keys are compared word for word (no false hits). It is a cache: once the
 * arena has passed `maxWords`, the next `trim` empties it (the caller
 * trims only when it holds no offsets into the arena).
 *
 * An arena entry is `[keyLength, a, b, ...keyWords, ...value]`.
 */
export class WordTable {
  /** The entries; a value found by `find` is read from here. */
  arena = new Int32Array(1 << 14);
  private top = 0;
  private slots = new Int32Array(1 << 10);
  private hashes = new Int32Array(1 << 10);
  private mask = (1 << 10) - 1;
  private count = 0;
  /** Incremented each time the table is emptied: offsets taken before then are void. */
  generation = 0;

  constructor(private readonly maxWords: number) {}

  /** Offset in `arena` of the value keyed by `[a, b, the words of w in ranges]`, or -1. */
  find(a: number, b: number, w: Int32Array, ranges: Int32Array): number {
    const h = keyHash(a, b, w, ranges);
    const s = this.slots;
    const ar = this.arena;
    for (let i = h & this.mask; ; i = (i + 1) & this.mask) {
      const e = s[i]!;
      if (e === 0) return -1;
      if (this.hashes[i] !== h) continue;
      const at = e - 1;
      if (ar[at + 1] !== a || ar[at + 2] !== b) continue;
      let o = at + 3;
      let same = true;
      for (let r = 0; r < ranges.length && same; r += 2)
        for (let j = ranges[r]!, end = j + ranges[r + 1]!; j < end; j++, o++)
          if (ar[o] !== w[j]) {
            same = false;
            break;
          }
      if (same && o - at - 1 === ar[at]) return o;
    }
  }

  /** Adds an entry (the key must be absent); returns the offset of its value. */
  insert(a: number, b: number, w: Int32Array, ranges: Int32Array, value: ArrayLike<number>): number {
    let klen = 2;
    for (let r = 1; r < ranges.length; r += 2) klen += ranges[r]!;
    const need = 1 + klen + value.length;
    if (this.top + need > this.arena.length) {
      // doubling, but not far past the bound (the next trim empties the arena anyway)
      const grown = new Int32Array(
        Math.max(Math.min(this.arena.length * 2, this.maxWords + (1 << 16)), this.top + need),
      );
      grown.set(this.arena.subarray(0, this.top));
      this.arena = grown;
    }
    if ((this.count + 1) * 2 > this.slots.length) this.rehash(this.slots.length * 2);
    const ar = this.arena;
    const at = this.top;
    ar[at] = klen;
    ar[at + 1] = a;
    ar[at + 2] = b;
    let o = at + 3;
    for (let r = 0; r < ranges.length; r += 2)
      for (let j = ranges[r]!, end = j + ranges[r + 1]!; j < end; j++) ar[o++] = w[j]!;
    for (let k = 0; k < value.length; k++) ar[o + k] = value[k]!;
    this.top = o + value.length;
    this.place(keyHash(a, b, w, ranges), at + 1);
    this.count++;
    return o;
  }

  /** Bytes held. */
  bytes(): number {
    return this.arena.byteLength + this.slots.byteLength + this.hashes.byteLength;
  }

  /** Empties the table when it has grown past its bound. */
  trim(): void {
    if (this.top > this.maxWords) this.clear();
  }

  clear(): void {
    this.generation++;
    this.top = 0;
    this.count = 0;
    this.slots.fill(0);
  }

  private place(h: number, ref: number): void {
    let i = h & this.mask;
    while (this.slots[i] !== 0) i = (i + 1) & this.mask;
    this.slots[i] = ref;
    this.hashes[i] = h;
  }

  private rehash(size: number): void {
    const { slots, hashes } = this;
    this.slots = new Int32Array(size);
    this.hashes = new Int32Array(size);
    this.mask = size - 1;
    for (let i = 0; i < slots.length; i++) if (slots[i] !== 0) this.place(hashes[i]!, slots[i]!);
  }
}

function keyHash(a: number, b: number, w: Int32Array, ranges: Int32Array): number {
  let h = Math.imul(a ^ 0x9e3779b9, 0x85ebca6b) ^ b;
  for (let r = 0; r < ranges.length; r += 2)
    for (let j = ranges[r]!, end = j + ranges[r + 1]!; j < end; j++) {
      h = Math.imul(h ^ w[j]!, 0x01000193);
      h ^= h >>> 15;
    }
  h = Math.imul(h ^ (h >>> 16), 0x7feb352d);
  return h ^ (h >>> 15);
}
