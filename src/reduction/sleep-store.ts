/**
 * Per-state data of sleep sets, one word per visited state, in chunks
 * indexed like the visited set (states are numbered in insertion order).
 * With `w` bits per thread set (7 for up to 7 threads: a 16-bit word per
 * state; else 15: 32 bits):
 *
 * - bits 0 to w−1: the sleep set — threads whose current step need not be
 *   explored here; the intersection of the sets the state was reached with;
 * - bits w to 2w−1: the threads the state's expansion chose (its
 *   persistent set, or all enabled threads), once expanded;
 * - bit 2w: expanded.
 *
 * Hence at most 15 threads (`SLEEP_MAX_THREADS`); larger instances run
 * without sleep sets.
 */
export const SLEEP_MAX_THREADS = 15;
/** Up to this many threads a state's word takes 16 bits. */
const NARROW_THREADS = 7;

const SHIFT = 16;
const CHUNK = 1 << SHIFT;
const MASK = CHUNK - 1;

type Words = Uint16Array | Int32Array;

export class SleepStore {
  private chunks: Words[] = [];
  private count = 0;
  /** Bits per thread set. */
  private readonly w: number;
  private readonly sleepMask: number;
  private readonly expandedBit: number;

  constructor(readonly threads: number) {
    this.w = threads <= NARROW_THREADS ? NARROW_THREADS : SLEEP_MAX_THREADS;
    this.sleepMask = (1 << this.w) - 1;
    this.expandedBit = 1 << (2 * this.w);
  }

  get size(): number {
    return this.count;
  }

  /** Records the state numbered `index` (the next one), reached with sleep set `sleep`. */
  add(index: number, sleep: number): void {
    if (index !== this.count) throw new Error(`sleep store: state ${index} added as ${this.count}`);
    const c = index >>> SHIFT;
    if (c === this.chunks.length) this.chunks.push(this.fresh());
    this.chunks[c]![index & MASK] = sleep & this.sleepMask;
    this.count++;
  }

  sleep(index: number): number {
    return this.word(index) & this.sleepMask;
  }

  chosen(index: number): number {
    return (this.word(index) >>> this.w) & this.sleepMask;
  }

  expanded(index: number): boolean {
    return (this.word(index) & this.expandedBit) !== 0;
  }

  /** Narrows the sleep set to its intersection with `sleep`. */
  narrow(index: number, sleep: number): void {
    this.chunks[index >>> SHIFT]![index & MASK] = this.word(index) & (~this.sleepMask | sleep);
  }

  /** Marks the state expanded with `chosen` threads. */
  expand(index: number, chosen: number): void {
    this.chunks[index >>> SHIFT]![index & MASK] =
      (this.word(index) & this.sleepMask) | ((chosen & this.sleepMask) << this.w) | this.expandedBit;
  }

  bytes(): number {
    return this.chunks.length * CHUNK * (this.w === NARROW_THREADS ? 2 : 4);
  }

  private word(index: number): number {
    return this.chunks[index >>> SHIFT]![index & MASK]!;
  }

  private fresh(): Words {
    return this.w === NARROW_THREADS ? new Uint16Array(CHUNK) : new Int32Array(CHUNK);
  }

  /** The words in chunks of 2^16 states (the last one trimmed), views of the store's own (for checkpoints). */
  export(): Words[] {
    return this.chunks.map((c, i) => c.subarray(0, Math.min(CHUNK, this.count - i * CHUNK)));
  }

  /**
   * A store for `threads` threads holding `count` states' words exported by
   * `export` (undefined: every state sleeps on nothing, unexpanded: sound,
   * just less reduced); throws when the words are of another width.
   */
  static from(threads: number, count: number, words: readonly Words[] | undefined): SleepStore {
    const s = new SleepStore(threads);
    const narrow = s.w === NARROW_THREADS;
    for (let i = 0; i < count; i++) s.add(i, 0);
    if (words === undefined) return s;
    words.forEach((c, k) => {
      if (c instanceof Uint16Array !== narrow) throw new Error('the sleep sets are of another width');
      s.chunks[k]!.set(c);
    });
    return s;
  }
}
