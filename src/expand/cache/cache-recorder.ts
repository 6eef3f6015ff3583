import { fpHi, fpLo, fpX, fpY, patchHash, patchWide } from '../../state/hash-words.ts';
import type { ReadTracker } from './read-tracker.ts';
import { slotBit } from './slot-layout.ts';
import type { SlotLayout } from './slot-layout.ts';
import type { WordTable } from './word-table.ts';

/** Words before the (word, value) pairs of a recorded change (TransitionCache.patchOf). */
export const HEAD = 7;

/**
 * Records, for the transition cache (transition-cache.ts), the expansion
 * of a thread that missed: the slots its guard, choices and effects read
 * (through the read tracker), and each option's change of the parent's
 * words, with the slots it writes and its fingerprint delta. After the last
 * option the entry goes into the step table, keyed by the thread, the read
 * pattern and the words of the slots read.
 */
/**
 * Told of every recorded execution, with the slots it read and the words it
 * changed, when partial-order reduction needs them checked against the
 * declared footprints (expand/footprint-check.ts).
 */
export interface RecordAudit {
  /** Thread `tid`'s step read the slots marked in `strict` (its guard and choices, and its effects so far). */
  reads(L: SlotLayout, tid: number, strict: Uint8Array): void;
  /** Option `c` of thread `tid` made `out[0..n)` of the parent `words[0..m)`. */
  writes(
    L: SlotLayout,
    tid: number,
    c: number,
    words: Int32Array,
    m: number,
    out: Int32Array,
    n: number,
  ): void;
}

export class CacheRecorder {
  private readonly pend: Pending[];
  /** With partial-order reduction: checks each recorded execution. */
  audit: RecordAudit | undefined;
  /** Record, but store nothing (the cache is off, and the footprint check still needs the reads). */
  trackOnly = false;
  private layout!: SlotLayout;
  private words!: Int32Array;
  private n = 0;

  constructor(
    threads: number,
    private readonly tracker: ReadTracker,
    private readonly steps: WordTable,
  ) {
    this.pend = Array.from({ length: threads }, () => ({
      marks: new Uint8Array(0),
      strict: new Uint8Array(0),
      patches: [],
      count: 0,
      step: -1,
      ok: false,
    }));
  }

  /** Drops what was being recorded (a new parent is loaded). */
  reset(): void {
    for (const p of this.pend) p.ok = false;
  }

  /** The parent the recorded changes apply to (its layout, `n` words). */
  parent(layout: SlotLayout, words: Int32Array, n: number): void {
    this.layout = layout;
    this.words = words;
    this.n = n;
  }

  /** Starts recording thread `tid`'s guard and choices (the parent is decoded). */
  startGuard(tid: number): void {
    const L = this.layout!;
    const p = this.pend[tid]!;
    if (p.marks.length < L.slots) {
      p.marks = new Uint8Array(L.slots);
      p.strict = new Uint8Array(L.slots);
    } else {
      p.marks.fill(0);
      p.strict.fill(0);
    }
    this.tracker.begin(L);
    this.tracker.into(p.marks, p.strict);
    this.tracker.mark(L.threadSlot(tid));
    this.tracker.armed = true;
  }

  /** The guard ran: `count` options (0 when disabled) of step `step`. */
  endGuard(tid: number, count: number, step: number): void {
    this.tracker.armed = false;
    const p = this.pend[tid]!;
    p.count = count;
    p.step = step;
    p.patches.length = 0;
    p.ok = true;
    this.audit?.reads(this.layout, tid, p.strict);
    if (count === 0) this.store(tid);
  }

  /** True while thread `tid`'s expansion is being recorded. */
  recording(tid: number): boolean {
    return this.pend[tid]!.ok;
  }

  /** Starts recording the effect of an option of thread `tid`. */
  startRun(tid: number): void {
    const p = this.pend[tid]!;
    this.tracker.into(p.marks, p.strict);
    this.tracker.armed = true;
  }

  /**
   * The effect ran: `touched` are the `g` members it touched (undefined:
   * none), `whole` whether it read `ctx.state`, and the successor is
   * `out[0..n)`. After the last option the entry is stored.
   */
  endRun(
    tid: number,
    c: number,
    touched: Uint8Array | undefined,
    whole: boolean,
    out: Int32Array,
    n: number,
    /** The `g` members it read (a member only assigned is touched but not read: the footprint check's view). */
    read: Uint8Array | undefined = touched,
  ): void {
    this.tracker.armed = false;
    const p = this.pend[tid]!;
    if (!p.ok) return;
    if (whole) this.tracker.all();
    if (touched !== undefined) for (let i = 0; i < touched.length; i++) if (touched[i] !== 0) p.marks[i] = 1;
    if (read !== undefined) for (let i = 0; i < read.length; i++) if (read[i] !== 0) p.strict[i] = 1;
    const w = this.words;
    if (this.audit !== undefined) {
      this.audit.reads(this.layout, tid, p.strict);
      this.audit.writes(this.layout, tid, c, w, this.n, out, n);
    }
    if (n !== this.n || out[0] !== w[0]) {
      p.ok = false; // the successor has another shape: not a patch of the parent
      return;
    }
    const at = p.patches.length;
    const slot = this.layout!.wordSlot;
    let written = 0;
    let dHi = 0;
    let dLo = 0;
    let dX = 0;
    let dY = 0;
    p.patches.push(0, 0, 0, 0, 0, 0, 0);
    for (let i = 1; i < n; i++)
      if (out[i] !== w[i]) {
        p.patches.push(i, out[i]!);
        // a word outside every slot counts as writing all of them
        written |= slot[i]! < 0 ? -1 : slotBit(slot[i]!);
        patchHash(dHi, dLo, i, w[i]!, out[i]!);
        dHi = fpHi;
        dLo = fpLo;
        patchWide(dX, dY, i, w[i]!, out[i]!);
        dX = fpX;
        dY = fpY;
      }
    p.patches[at] = (p.patches.length - at - HEAD) / 2;
    p.patches[at + 1] = written;
    p.patches[at + 3] = dHi | 0;
    p.patches[at + 4] = dLo | 0;
    p.patches[at + 5] = dX | 0;
    p.patches[at + 6] = dY | 0;
    if (c === p.count - 1) this.store(tid);
  }

  /** A step of thread `tid` failed: nothing is stored for it. */
  abandon(tid: number): void {
    this.tracker.armed = false;
    this.pend[tid]!.ok = false;
  }

  private store(tid: number): void {
    const p = this.pend[tid]!;
    p.ok = false;
    const L = this.layout!;
    const pcWord = this.words[L.pcAt[tid]!]!;
    if (this.trackOnly) return;
    const pat = L.pattern(L.groups[tid]!.list(pcWord), p.marks);
    if (pat === undefined) return;
    // keyed patches (see patchOf): the old values of the words they change are part of the key
    const slot = L.wordSlot;
    for (let q = 0; q < p.patches.length; q += HEAD + 2 * p.patches[q]!) {
      let keyed = 1;
      for (let k = q + HEAD, end = q + HEAD + 2 * p.patches[q]!; k < end && keyed; k += 2) {
        const sl = slot[p.patches[k]!]!;
        if (sl < 0 || pat.marks[sl] === 0) keyed = 0;
      }
      p.patches[q + 2] = keyed;
    }
    p.patches.unshift(p.step, p.count, pat.mask);
    this.steps.insert(tid, pat.id, this.words, pat.ranges, p.patches);
  }
}

interface Pending {
  marks: Uint8Array;
  /** The reads the footprint check counts (read-tracker.ts `strict`). */
  strict: Uint8Array;
  /** Per option: `[count, writeMask, keyed, deltaHi, deltaLo, deltaX, deltaY, (word, value) × count]` (patchOf). */
  patches: number[];
  count: number;
  step: number;
  ok: boolean;
}
