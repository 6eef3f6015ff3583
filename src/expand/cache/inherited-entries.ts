/**
 * Transition-cache entries passed from a state to its successors
 * (TransitionCache.inherit), kept by state index until the successor is
 * expanded: `width` words per state, in chunks of 2^14 states. Breadth-first
 * search expands states in index order, so chunks behind the one being read
 * are dropped (and reused); a state with nothing recorded reads as
 * generation -1, which no cache table has. Only a speed-up: a missing
 * record means the entries are looked up.
 */
const SHIFT = 14;

export class InheritedEntries {
  private chunks: Int32Array[] = [];
  /** Chunk number of `chunks[0]`. */
  private first = 0;
  private spare: Int32Array[] = [];

  constructor(private readonly width: number) {}

  /** Where to write state `index`'s record (`width` words at `buf[at..]`), or false when it is behind. */
  slot(index: number): boolean {
    const k = index >>> SHIFT;
    if (k < this.first) return false;
    while (this.first + this.chunks.length <= k) this.chunks.push(this.fresh());
    this.buf = this.chunks[k - this.first]!;
    this.at = (index & ((1 << SHIFT) - 1)) * this.width;
    return true;
  }

  /** State `index`'s record (at `buf`/`at`), or false; records of lower chunks are dropped. */
  find(index: number): boolean {
    const k = index >>> SHIFT;
    while (this.first < k && this.chunks.length > 0) {
      const c = this.chunks.shift()!;
      if (this.spare.length < 8) this.spare.push(c);
      this.first++;
    }
    if (k !== this.first || this.chunks.length === 0) {
      if (this.chunks.length === 0) this.first = k;
      return false;
    }
    this.buf = this.chunks[0]!;
    this.at = (index & ((1 << SHIFT) - 1)) * this.width;
    return true;
  }

  buf: Int32Array = new Int32Array(0);
  at = 0;

  bytes(): number {
    return (this.chunks.length + this.spare.length) * (this.width << SHIFT) * 4;
  }

  private fresh(): Int32Array {
    const c = this.spare.pop() ?? new Int32Array(this.width << SHIFT);
    // generation words at -1: "nothing recorded"
    for (let i = this.width - 1; i < c.length; i += this.width) c[i] = -1;
    return c;
  }
}
