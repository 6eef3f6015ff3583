import { EntryReader, EntryWriter, packedBound } from './frontier-codec.ts';
import type { Frontier, FrontierData } from './frontier.ts';
import { isKvmcheckError } from '../errors.ts';
import type { KvmcheckError } from '../errors.ts';
import { SpillStore } from './spill-store.ts';
import type { SpillRef } from './spill-store.ts';

/**
 * Chunks start at `chunkMin` bytes and double up to `chunkMax` (small
 * searches stay small); read when a queue is made. @internal mutable for tests
 */
export const frontierTuning = { chunkMin: 1 << 16, chunkMax: 1 << 20 };
/** Emptied full-size chunks kept for reuse (fresh memory costs a page fault per 4 KiB). */
const SPARES = 4;

interface Chunk {
  /** The packed entries (frontier-codec.ts); undefined while spilled. */
  bytes: Uint8Array | undefined;
  /** Bytes used. */
  used: number;
  count: number;
  readonly recordWidth: number;
  /** Its records were written by this search (records of imported chunks are ignored). */
  readonly native: boolean;
  spill: SpillRef | undefined;
}

/** Where and how much a breadth-first queue may keep in memory before it spills. */
export interface SpillOptions {
  /** Bytes of packed chunks kept in memory; past it, chunks go to disk. @default Infinity */
  readonly budget: number;
  /** Directory for the spill files (a private subdirectory is made in it). @default os.tmpdir() */
  readonly dir?: string | undefined;
}

/**
 * The breadth-first (FIFO) frontier, packed: entries are written as their
 * difference from the entry before them (frontier-codec.ts), about a tenth
 * of their unpacked size, in chunks of up to 1 MiB. Entries may carry a
 * fixed-width record (the transition-cache entries their parent passed
 * down: search.ts). When the chunks in memory exceed the budget, the newest
 * full chunks are written to disk (spill-store.ts) and read back when the
 * head of the queue reaches them: the queue is written and read in order,
 * so the disk sees only sequential appends and reads.
 */
export class PackedQueue implements Frontier {
  private readonly chunks: Chunk[] = [];
  private readonly writer: EntryWriter;
  private readonly reader = new EntryReader();
  /** The reader is on chunks[0]. */
  private reading = false;
  private readonly spare: Uint8Array[] = [];
  private memBytes = 0;
  private store: SpillStore | undefined;
  private budget: number;
  /** Why a chunk could not be spilled (the queue then keeps everything in memory). */
  spillFailure: KvmcheckError | undefined;
  private readonly dir: string | undefined;
  private readonly chunkMin: number;
  private readonly chunkMax: number;
  private take_ = new Int32Array(1 << 12);
  size = 0;
  buf: Int32Array = this.reader.words;
  at = 0;
  index = -1;
  depth = 0;
  /** Words of the last entry popped. */
  length = 0;
  rec: Int32Array | undefined;

  constructor(
    readonly recordWidth = 0,
    spill: SpillOptions = { budget: Infinity },
  ) {
    this.writer = new EntryWriter(recordWidth);
    this.budget = spill.budget;
    this.dir = spill.dir;
    this.chunkMin = frontierTuning.chunkMin;
    this.chunkMax = frontierTuning.chunkMax;
  }

  push(
    words: Int32Array,
    n: number,
    index: number,
    depth: number,
    from = 0,
    rec?: Int32Array,
    recAt = 0,
  ): void {
    let tail = this.chunks[this.chunks.length - 1];
    if (tail === undefined || !tail.native || !this.writer.fits(n)) tail = this.newTail(n);
    this.writer.write(words, from, n, index, depth, rec, recAt);
    tail.used = this.writer.pos;
    tail.count++;
    this.size++;
  }

  pop(): void {
    this.advance();
    const r = this.reader;
    r.next();
    const head = this.chunks[0]!;
    this.buf = r.words;
    this.at = 0;
    this.index = r.index;
    this.depth = r.depth;
    this.length = r.n;
    this.rec = head.native && head.recordWidth > 0 ? r.rec : undefined;
    this.size--;
  }

  /** Depth of the next entry (the queue must not be empty). */
  headDepth(): number {
    this.advance();
    return this.reader.peekDepth();
  }

  /**
   * Removes up to `maxEntries` entries of depth at most `maxDepth` from the
   * head and returns them unpacked, `[index, depth, n, ...words]` each (for
   * parallel batches): a view, valid until the next `take`.
   */
  take(maxEntries: number, maxDepth = Infinity): Int32Array {
    let o = 0;
    const r = this.reader;
    for (let k = 0; k < maxEntries && this.size > 0; k++) {
      this.advance();
      if (r.peekDepth() > maxDepth) break;
      r.next();
      const n = r.n;
      if (o + 3 + n > this.take_.length) {
        const grown = new Int32Array(Math.max(this.take_.length * 2, o + 3 + n));
        grown.set(this.take_.subarray(0, o));
        this.take_ = grown;
      }
      const t = this.take_;
      t[o] = r.index;
      t[o + 1] = r.depth;
      t[o + 2] = n;
      t.set(r.words.subarray(0, n), o + 3);
      o += 3 + n;
      this.size--;
    }
    return this.take_.subarray(0, o);
  }

  /** Bytes of packed entries in memory (the spilled ones are on disk: `diskBytes`). */
  bytes(): number {
    return this.memBytes + this.spare.length * this.chunkMax;
  }

  /** Bytes of spilled chunks on disk (compressed). */
  diskBytes(): number {
    return this.store?.diskBytes ?? 0;
  }

  /** Chunks written to disk so far. */
  spilled(): number {
    return this.store?.written ?? 0;
  }

  /** The live entries as packed chunks, oldest first (spilled ones read back; the queue is unchanged). */
  export(): FrontierData {
    const chunks: Uint8Array[] = [];
    const counts: number[] = [];
    const widths: number[] = [];
    this.chunks.forEach((c, k) => {
      if (k === 0 && this.reading) {
        const rest = this.headRest();
        if (rest === undefined) return;
        chunks.push(rest.bytes!.slice(0, rest.used));
        counts.push(rest.count);
        widths.push(0);
        return;
      }
      if (c.count === 0) return;
      chunks.push(c.bytes ? c.bytes.slice(0, c.used) : this.store!.read(c.spill!, false));
      counts.push(c.count);
      widths.push(c.recordWidth);
    });
    return { chunks, counts, recordWidths: widths };
  }

  /**
   * The packed chunks, spilled ones included, as `export` writes them; the
   * unread rest of the head chunk is counted in proportion to its entries
   * (`export` packs it anew, without records).
   */
  exportBytes(): number {
    let n = 0;
    this.chunks.forEach((c, k) => {
      if (c.count === 0) return;
      const left = k === 0 && this.reading ? c.count - this.reader.read : c.count;
      n += Math.ceil((c.used * left) / c.count);
    });
    return n;
  }

  /**
   * Appends packed chunks (from `export`, possibly of another process:
   * their records are not used). The chunks must have been checked
   * (frontier-codec.ts checkChunk) when they come from a file.
   */
  import(d: FrontierData): void {
    d.chunks.forEach((bytes, k) => {
      const count = d.counts[k]!;
      if (count === 0) return;
      this.chunks.push({
        bytes,
        used: bytes.byteLength,
        count,
        recordWidth: d.recordWidths[k]!,
        native: false,
        spill: undefined,
      });
      this.memBytes += bytes.byteLength;
      this.size += count;
      this.spillOver();
    });
  }

  /** An empty queue with the same records and spill options. */
  emptyLike(): PackedQueue {
    return new PackedQueue(this.recordWidth, { budget: this.budget, dir: this.dir });
  }

  /**
   * Copies the entries of `q` behind this queue's; `q` is left as it was
   * (still open: the caller closes it or goes on with it). Its chunks keep
   * their record width: the bytes hold the records, read and not used.
   */
  append(q: PackedQueue): void {
    this.import(q.export());
  }

  /** Deletes the spill files. */
  close(): void {
    this.store?.close();
    this.store = undefined;
  }

  /** The unread rest of the head chunk, packed anew (no records), or undefined when nothing is left. */
  private headRest(): Chunk | undefined {
    const head = this.chunks[0]!;
    const left = head.count - this.reader.read;
    if (left === 0) return undefined;
    const r = new EntryReader();
    r.start(head.bytes!, head.recordWidth);
    for (let k = 0; k < this.reader.read; k++) r.next();
    const w = new EntryWriter(0);
    for (let k = 0; k < left; k++) {
      r.next();
      // the first entry is written whole (from the all-zero one); each later one as the same
      // difference as before, without its record: no larger than in the head chunk
      if (k === 0) w.start(new Uint8Array(head.used + packedBound(r.n, 0)));
      w.write(r.words, 0, r.n, r.index, r.depth);
    }
    return { bytes: w.bytes, used: w.pos, count: left, recordWidth: 0, native: false, spill: undefined };
  }

  /** Puts the reader on the next unread entry, moving to (and loading) the next chunk when the head is read. */
  private advance(): void {
    let head = this.chunks[0]!;
    if (this.reading && this.reader.read < head.count) return;
    if (this.reading) {
      this.chunks.shift();
      this.release(head);
      head = this.chunks[0]!;
    }
    if (head.bytes === undefined) {
      head.bytes = this.store!.read(head.spill!);
      head.spill = undefined;
      this.memBytes += head.bytes.byteLength;
    }
    this.reader.start(head.bytes, head.recordWidth);
    this.reading = true;
    this.buf = this.reader.words;
  }

  private newTail(n: number): Chunk {
    const last = this.chunks[this.chunks.length - 1];
    const size = Math.max(
      packedBound(n, this.recordWidth),
      last?.native && last.bytes ? Math.min(this.chunkMax, last.bytes.byteLength * 2) : this.chunkMin,
    );
    const bytes = size === this.chunkMax && this.spare.length > 0 ? this.spare.pop()! : new Uint8Array(size);
    const c: Chunk = {
      bytes,
      used: 0,
      count: 0,
      recordWidth: this.recordWidth,
      native: true,
      spill: undefined,
    };
    this.chunks.push(c);
    this.memBytes += size;
    this.writer.start(bytes);
    this.spillOver();
    return c;
  }

  /** While over budget, writes the newest full in-memory chunks (neither head nor tail) to disk. */
  private spillOver(): void {
    for (let k = this.chunks.length - 2; k >= 1 && this.memBytes > this.budget; k--) {
      const c = this.chunks[k]!;
      if (c.bytes === undefined) continue;
      try {
        this.store ??= new SpillStore(this.dir);
        c.spill = this.store.write(c.bytes.subarray(0, c.used));
      } catch (e) {
        // the chunk stays in memory, whole: the queue is consistent and the search stops at its next check
        if (!isKvmcheckError(e)) throw e;
        this.spillFailure = e;
        this.budget = Infinity;
        return;
      }
      this.release(c);
    }
  }

  private release(c: Chunk): void {
    if (c.bytes === undefined) return;
    this.memBytes -= c.bytes.byteLength;
    if (c.bytes.byteLength === this.chunkMax && c.native && this.spare.length < SPARES)
      this.spare.push(c.bytes);
    c.bytes = undefined;
  }
}
