/**
 * Per-state data of sleep sets, one 32-bit word per visited state, in
 * chunks indexed like the visited set (states are numbered in insertion
 * order):
 *
 * - bits 0–14: the sleep set — threads whose current step need not be
 *   explored here; the intersection of the sets the state was reached with;
 * - bits 15–29: the threads the state's expansion chose (its persistent
 *   set, or all enabled threads), once expanded;
 * - bit 30: expanded.
 *
 * Hence at most 15 threads (`SLEEP_MAX_THREADS`); larger instances run
 * without sleep sets.
 */
export const SLEEP_MAX_THREADS = 15;
const SLEEP = (1 << 15) - 1;
const EXPANDED = 1 << 30;

const SHIFT = 16;
const CHUNK = 1 << SHIFT;
const MASK = CHUNK - 1;

export class SleepStore {
  private chunks: Int32Array[] = [];
  private count = 0;

  get size(): number {
    return this.count;
  }

  /** Records the state numbered `index` (the next one), reached with sleep set `sleep`. */
  add(index: number, sleep: number): void {
    if (index !== this.count) throw new Error(`sleep store: state ${index} added as ${this.count}`);
    const c = index >>> SHIFT;
    if (c === this.chunks.length) this.chunks.push(new Int32Array(CHUNK));
    this.chunks[c]![index & MASK] = sleep & SLEEP;
    this.count++;
  }

  sleep(index: number): number {
    return this.word(index) & SLEEP;
  }

  chosen(index: number): number {
    return (this.word(index) >>> 15) & SLEEP;
  }

  expanded(index: number): boolean {
    return (this.word(index) & EXPANDED) !== 0;
  }

  /** Narrows the sleep set to its intersection with `sleep`. */
  narrow(index: number, sleep: number): void {
    this.chunks[index >>> SHIFT]![index & MASK] = this.word(index) & (~SLEEP | sleep);
  }

  /** Marks the state expanded with `chosen` threads. */
  expand(index: number, chosen: number): void {
    this.chunks[index >>> SHIFT]![index & MASK] =
      (this.word(index) & SLEEP) | ((chosen & SLEEP) << 15) | EXPANDED;
  }

  bytes(): number {
    return this.chunks.length * CHUNK * 4;
  }

  private word(index: number): number {
    return this.chunks[index >>> SHIFT]![index & MASK]!;
  }

  /** The words, trimmed (for checkpoints). */
  export(): Int32Array {
    const out = new Int32Array(this.count);
    this.chunks.forEach((c, i) => out.set(c.subarray(0, Math.min(CHUNK, this.count - i * CHUNK)), i * CHUNK));
    return out;
  }

  static from(words: Int32Array): SleepStore {
    const s = new SleepStore();
    for (let i = 0; i < words.length; i++) {
      s.add(i, 0);
      s.chunks[i >>> SHIFT]![i & MASK] = words[i]!;
    }
    return s;
  }
}
