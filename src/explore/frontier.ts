/**
 * States waiting to be expanded, as encoded words (state/codec.ts) with
 * their visited-set index and depth, in chunks of typed arrays: memory
 * follows the live size, growth never copies, and the content is plain
 * data (see `chunks()`) for checkpoints and workers.
 *
 * An entry is `[index, depth, length, ...words]`.
 */
export interface Frontier {
  readonly size: number;
  /** Appends `words[from..from+n)` as the state numbered `index` at `depth`. */
  push(words: Int32Array, n: number, index: number, depth: number, from?: number): void;
  /**
   * Removes the next entry; `buf`/`at` then locate its words (valid until
   * the next push), `index`/`depth` describe it.
   */
  pop(): void;
  readonly buf: Int32Array;
  readonly at: number;
  readonly index: number;
  readonly depth: number;
  /** Bytes held. */
  bytes(): number;
  /** The live entries, oldest first, as compact arrays (for export). */
  chunks(): Int32Array[];
}

const CHUNK = 1 << 18;

abstract class Chunked {
  protected chunks_: Int32Array[] = [new Int32Array(CHUNK)];
  /**
   * Emptied chunks kept for reuse: writing to fresh memory costs a page
   * fault per 4 KiB, which made pushing ten times slower than copying.
   */
  protected spare: Int32Array[] = [];
  /** Fill level of each chunk. */
  protected fill: number[] = [0];
  size = 0;
  buf: Int32Array = this.chunks_[0]!;
  at = 0;
  index = -1;
  depth = 0;

  push(words: Int32Array, n: number, index: number, depth: number, from = 0): void {
    let last = this.chunks_.length - 1;
    let f = this.fill[last]!;
    let c = this.chunks_[last]!;
    if (f + n + 3 > c.length) {
      c =
        n + 3 <= CHUNK && this.spare.length > 0 ? this.spare.pop()! : new Int32Array(Math.max(CHUNK, n + 3));
      this.chunks_.push(c);
      this.fill.push(0);
      last++;
      f = 0;
    }
    c[f] = index;
    c[f + 1] = depth;
    c[f + 2] = n;
    for (let i = from, o = f + 3, end = from + n; i < end; i++, o++) c[o] = words[i]!;
    this.fill[last] = f + n + 3;
    this.size++;
  }

  abstract pop(): void;

  bytes(): number {
    return this.chunks_.reduce((b, c) => b + c.byteLength, 0) + this.spare.length * CHUNK * 4;
  }

  protected recycle(c: Int32Array): void {
    if (c.length === CHUNK && this.spare.length < 8) this.spare.push(c);
  }
}

/** FIFO: breadth-first search. */
export class BfsQueue extends Chunked implements Frontier {
  private headChunk = 0;
  private head = 0;

  pop(): void {
    let c = this.chunks_[this.headChunk]!;
    if (this.head >= this.fill[this.headChunk]!) {
      this.recycle(this.chunks_.shift()!);
      this.fill.shift();
      this.head = 0;
      c = this.chunks_[0]!;
    }
    const h = this.head;
    this.index = c[h]!;
    this.depth = c[h + 1]!;
    this.buf = c;
    this.at = h + 3;
    this.head = h + 3 + c[h + 2]!;
    this.size--;
  }

  chunks(): Int32Array[] {
    return this.chunks_.map((c, i) => c.slice(i === 0 ? this.head : 0, this.fill[i]));
  }

  /** Depth of the next entry (the queue must not be empty). */
  headDepth(): number {
    const k = this.head < this.fill[0]! ? 0 : 1;
    return this.chunks_[k]![k === 0 ? this.head + 1 : 1]!;
  }

  /**
   * Removes up to `maxEntries` entries from the head, within one chunk, of
   * depth at most `maxDepth`, and
   * returns them as one array of entries (for parallel batches): a view,
   * valid until the next push.
   */
  take(maxEntries: number, maxDepth = Infinity): Int32Array {
    if (this.head >= this.fill[0]!) {
      this.recycle(this.chunks_.shift()!);
      this.fill.shift();
      this.head = 0;
    }
    const c = this.chunks_[0]!;
    const start = this.head;
    const end = this.fill[0]!;
    let at = start;
    let k = 0;
    while (at < end && k < maxEntries && c[at + 1]! <= maxDepth) {
      at += 3 + c[at + 2]!;
      k++;
    }
    this.head = at;
    this.size -= k;
    return c.subarray(start, at);
  }
}

/** LIFO: depth-first search. Entries are also terminated by their start offset for popping. */
export class DfsStack extends Chunked implements Frontier {
  private starts: number[] = [];

  override push(words: Int32Array, n: number, index: number, depth: number, from = 0): void {
    super.push(words, n, index, depth, from);
    this.starts.push(this.fill[this.fill.length - 1]! - n - 3);
  }

  pop(): void {
    let last = this.chunks_.length - 1;
    if (this.fill[last] === 0 && last > 0) {
      this.recycle(this.chunks_.pop()!);
      this.fill.pop();
      last--;
    }
    const c = this.chunks_[last]!;
    const s = this.starts.pop()!;
    this.index = c[s]!;
    this.depth = c[s + 1]!;
    this.buf = c;
    this.at = s + 3;
    this.fill[last] = s;
    this.size--;
  }

  chunks(): Int32Array[] {
    return this.chunks_.map((c, i) => c.slice(0, this.fill[i]));
  }
}
