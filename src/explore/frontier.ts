import type { KvmcheckError } from '../errors.ts';
import { EntryReader, EntryWriter, packedBound } from './frontier-codec.ts';

/**
 * States waiting to be expanded, as encoded words (state/codec.ts) with
 * their visited-set index and depth: breadth-first, the packed queue
 * (packed-queue.ts); depth-first, the stack below. Entries may carry a
 * record of fixed width (the transition-cache entries a parent passes down
 * to its successor), a speed-up only: it is not part of the search's
 * progress.
 */
export interface Frontier {
  readonly size: number;
  /**
   * Appends `words[from..from+n)` as the state numbered `index` at `depth`,
   * with the record `rec[recAt..]` (a queue without records ignores it).
   */
  push(
    words: Int32Array,
    n: number,
    index: number,
    depth: number,
    from?: number,
    rec?: Int32Array,
    recAt?: number,
  ): void;
  /**
   * Removes the next entry; `buf`/`at` then locate its words (valid until
   * the next push or pop), `index`/`depth` describe it, `rec` is its record
   * (undefined when it has none).
   */
  pop(): void;
  readonly buf: Int32Array;
  readonly at: number;
  readonly index: number;
  readonly depth: number;
  readonly rec: Int32Array | undefined;
  /** Bytes held in memory. */
  bytes(): number;
  /** The live entries, oldest first, packed (for checkpoints). */
  export(): FrontierData;
  /** About the bytes `export` gives, without copying them out (the checkpoint size estimate). */
  exportBytes(): number;
  /** Appends entries exported by `export` (checked by frontier-codec.ts checkChunk when read from a file). */
  import(d: FrontierData): void;
  /** Releases what the frontier holds outside memory (spill files). */
  close(): void;
  /** Why the frontier could not spill to disk (it then keeps everything in memory). */
  readonly spillFailure?: KvmcheckError | undefined;
}

/**
 * A frontier as plain data: chunks of packed entries (frontier-codec.ts),
 * oldest first, each with its entry count and record width.
 */
export interface FrontierData {
  readonly chunks: readonly Uint8Array[];
  readonly counts: readonly number[];
  readonly recordWidths: readonly number[];
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

/** LIFO: depth-first search. Entries are also terminated by their start offset for popping. */
export class DfsStack extends Chunked implements Frontier {
  private starts: number[] = [];
  readonly rec = undefined;

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

  export(): FrontierData {
    const chunks: Uint8Array[] = [];
    const counts: number[] = [];
    const w = new EntryWriter(0);
    const flush = (): void => {
      if (w.count === 0) return;
      chunks.push(w.bytes.slice(0, w.pos));
      counts.push(w.count);
    };
    w.start(new Uint8Array(CHUNK * 4));
    this.chunks_.forEach((c, i) => {
      for (let at = 0; at < this.fill[i]!; at += 3 + c[at + 2]!) {
        if (!w.fits(c[at + 2]!)) {
          flush();
          w.start(new Uint8Array(Math.max(CHUNK * 4, packedBound(c[at + 2]!, 0))));
        }
        w.write(c, at + 3, c[at + 2]!, c[at]!, c[at + 1]!);
      }
    });
    flush();
    return { chunks, counts, recordWidths: counts.map(() => 0) };
  }

  /** Packed anew, exactly (a stack stays small: at most the depth times the branching). */
  exportBytes(): number {
    return this.export().chunks.reduce((n, c) => n + c.byteLength, 0);
  }

  import(d: FrontierData): void {
    const r = new EntryReader();
    d.chunks.forEach((bytes, k) => {
      r.start(bytes, d.recordWidths[k]!);
      for (let e = 0; e < d.counts[k]!; e++) {
        r.next();
        this.push(r.words, r.n, r.index, r.depth);
      }
    });
  }

  close(): void {}
}
