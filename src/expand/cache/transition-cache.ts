import type { Instance } from '../../model/instance.ts';
import { fpHi, fpLo, fpX, fpY, hashWide, hashWords, patchHash, patchWide } from '../../state/hash-words.ts';
import type { StoredFingerprint } from '../../state/hash-words.ts';
import { rootById } from '../../state/shape-node.ts';
import type { ShapeNode } from '../../state/shape-node.ts';
import { CacheRecorder, HEAD } from './cache-recorder.ts';
import type { RecordAudit } from './cache-recorder.ts';
import { PropertyCache } from './property-cache.ts';
import type { PropertyAudit } from './property-cache.ts';
import { ReadTracker } from './read-tracker.ts';
import { layoutOf } from './slot-layout.ts';
import type { SlotLayout } from './slot-layout.ts';
import { WordTable } from './word-table.ts';

/**
 * Below `minHitRate` hits after `probation` lookups, the cache switches
 * itself off. `stepWords`: arena bound of the step table (words), 32 MiB
 * before it starts over (properties: property-cache.ts); read when a cache
 * is made. @internal mutable for tests
 */
export const cacheTuning = { minHitRate: 0.3, probation: 20_000, stepWords: 1 << 23 };

/**
 * Memoised transitions on encoded states (the next-state cache of LTSmin's
 * PINS, with read sets recorded at run time instead of declared). A
 * thread's step is a deterministic function of what it reads; so once the
 * expansion of thread `tid` — its guard, its choices and each option's
 * effect — has run on one state, its result holds for every state of the
 * same shape that has the same words in every slot (slot-layout.ts) that
 * the expansion read. The entry stores, per option, the words the effect
 * changed; a hit builds each successor as the parent's words with those
 * words written over them, without decoding the parent or running the
 * model. Reads are recorded slot by slot (a `g` member, a lock state, a
 * thread; the running thread's own slot always counts) through proxies
 * (read-tracker.ts); a step that reads `ctx.state` counts as reading
 * everything. Properties are cached the same way, one entry per property.
 *
 * Lookups try, for the thread's pc, each read pattern seen so far; any hit
 * is the same execution. Results are unchanged by construction (the same
 * words as running the step), and the test suite checks every bundled
 * model with and without the cache, with and without partial-order
 * reduction (whose footprints are evaluated on the parent, decoded for it;
 * a jump recorded in the cache was checked when it ran) and symmetry
 * (the expander puts a recorded change's result in canonical form: the
 * recorded change itself is the step's, before canonicalisation).
 */
export class TransitionCache {
  readonly tracker = new ReadTracker();
  private readonly layouts = new Map<ShapeNode, SlotLayout | undefined>();
  private readonly steps = new WordTable(cacheTuning.stepWords);
  /** Property results, cached the same way (property-cache.ts). */
  readonly properties = new PropertyCache(this.tracker);
  /** The loaded parent's layout (undefined: this parent is not cached) and words. */
  layout: SlotLayout | undefined;
  private words!: Int32Array;
  private n = 0;
  /** The parent's fingerprint (`x`, `y`: its further lanes, when wide). */
  private hi = 0;
  private lo = 0;
  private x = 0;
  private y = 0;
  private lastRoot = 0;
  private lastLayout: SlotLayout | undefined;
  /** Per thread: offset of its entry's value in the step table, or -1 (a miss, recorded by `recorder`). */
  private readonly entry: Int32Array;
  /** Records the expansions of the threads that missed (cache-recorder.ts). */
  readonly recorder: CacheRecorder;
  private lookups = 0;
  private hits = 0;
  /** Hits taken from the parent (adopt) rather than looked up. */
  private inherited = 0;
  private judged = false;
  /** Switched off (too few hits to pay for the lookups). */
  off = false;
  /**
   * Records every execution for the footprint check but stores and serves
   * nothing: what the cache is when it is off (`--cache off`, or switched
   * off) and partial-order reduction still needs every read checked.
   */
  trackOnly = false;

  constructor(
    private readonly inst: Instance,
    /** Fingerprints wider than 64 bits (the lanes of hash-words.ts hashWide too). */
    private readonly wide = false,
    opts: { readonly trackOnly?: boolean; readonly audit?: RecordAudit & PropertyAudit } = {},
  ) {
    this.entry = new Int32Array(inst.threads.length).fill(-1);
    this.recorder = new CacheRecorder(inst.threads.length, this.tracker, this.steps);
    this.recorder.audit = opts.audit;
    this.properties.audit = opts.audit;
    if (opts.trackOnly) this.serveNothing();
  }

  private serveNothing(): void {
    this.trackOnly = this.recorder.trackOnly = this.properties.trackOnly = true;
  }

  /** Sets the parent (`n` words, its fingerprint when known); false when it cannot be served from the cache. */
  begin(words: Int32Array, n: number, known?: StoredFingerprint): boolean {
    this.entry.fill(-1);
    this.recorder.reset();
    if (this.off) return false;
    this.steps.trim();
    this.properties.trim();
    const root = words[0]!;
    if (root !== this.lastRoot || this.lastLayout === undefined) {
      this.lastLayout = layoutOf(this.layouts, rootById(root), this.inst.properties.length);
      this.lastRoot = root;
    }
    this.layout = this.lastLayout;
    this.words = words;
    this.n = n;
    if (this.layout === undefined) return false;
    this.recorder.parent(this.layout, words, n);
    if (known !== undefined) {
      this.hi = known.hi;
      this.lo = known.lo;
      this.x = known.x;
      this.y = known.y;
    } else {
      hashWords(words, 0, n);
      this.hi = fpHi;
      this.lo = fpLo;
      if (this.wide) {
        hashWide(words, 0, n);
        this.x = fpX;
        this.y = fpY;
      }
    }
    return true;
  }

  /** The entry of thread `tid` for the parent (its value offset), or -1. */
  lookup(tid: number): number {
    if (this.trackOnly) return -1;
    const L = this.layout!;
    const w = this.words;
    const list = L.groups[tid]!.get(w[L.pcAt[tid]!]!);
    let e = -1;
    if (list !== undefined)
      for (let i = 0; i < list.length && e < 0; i++)
        e = this.steps.find(tid, list[i]!.id, w, list[i]!.ranges);
    if (e >= 0) {
      this.hits++;
      this.entry[tid] = e;
    }
    const t = cacheTuning;
    // judged once, when the lookups (inherited ones included: adopt) first reach the probation count
    if (++this.lookups >= t.probation && !this.judged) {
      this.judged = true;
      // switched off, or (with the footprint check) kept recording for it
      if (this.hits < t.minHitRate * this.lookups) {
        if (this.recorder.audit !== undefined) this.serveNothing();
        else this.off = true;
      }
    }
    return e;
  }

  entryOf(tid: number): number {
    return this.entry[tid]!;
  }

  /** Enabled options of an entry. */
  count(e: number): number {
    return this.steps.arena[e + 1]!;
  }

  /** Step index (program order) of an entry. */
  stepIndex(e: number): number {
    return this.steps.arena[e]!;
  }

  /**
   * Where the recorded changes of option `c` of entry `e` are:
   * `[count, writeMask, keyed, deltaHi, deltaLo, deltaX, deltaY, (word, value) × count]`
   * (`keyed`: every changed word lies in a slot of the entry's key, so its
   * old value is the same in every parent the entry serves, and the
   * successor's fingerprint is the parent's XOR the recorded delta).
   */
  patchOf(e: number, c: number): number {
    const a = this.steps.arena;
    let p = e + 3;
    for (let k = 0; k < c; k++) p += HEAD + 2 * a[p]!;
    return p;
  }

  /**
   * The entries the successor made by patch `p` inherits from its parent,
   * into `out[at..]`: one per thread (-1: look it up), then the table's
   * generation. A thread's entry stays valid when the patch wrote none of
   * the slots its key was read from: its key words are then the parent's,
   * which the entry was found with.
   */
  inherit(p: number, out: Int32Array, at: number): void {
    const a = this.steps.arena;
    const written = p >= 0 ? a[p + 1]! : -1;
    const entry = this.entry;
    for (let u = 0; u < entry.length; u++) {
      const e = entry[u]!;
      out[at + u] = e >= 0 && (a[e + 2]! & written) === 0 ? e : -1;
    }
    out[at + entry.length] = this.steps.generation;
  }

  /**
   * Takes the inherited entries `from[at..]` (inherit) for the loaded
   * parent instead of looking them up, where the table has not been
   * emptied since; threads left at -1 are looked up as usual.
   */
  adopt(from: Int32Array, at: number): void {
    if (this.trackOnly) return;
    const entry = this.entry;
    if (from[at + entry.length] !== this.steps.generation) return;
    let k = 0;
    for (let u = 0; u < entry.length; u++) {
      const e = from[at + u]!;
      if (e >= 0) {
        entry[u] = e;
        k++;
      }
    }
    this.lookups += k;
    this.hits += k;
    this.inherited += k;
  }

  /** The slots patch `p` writes, as a slot mask (slotBit). */
  writeMask(p: number): number {
    return this.steps.arena[p + 1]!;
  }

  /**
   * The fingerprint of the successor made by patch `p` (patchOf), into
   * `hitHi`/`hitLo` (and `hitX`/`hitY` when wide), without writing it out.
   */
  hashHit(p: number): void {
    const a = this.steps.arena;
    if (a[p + 2] === 1) {
      this.hitHi = (this.hi ^ a[p + 3]!) >>> 0;
      this.hitLo = (this.lo ^ a[p + 4]!) >>> 0;
      if (this.wide) {
        this.hitX = (this.x ^ a[p + 5]!) >>> 0;
        this.hitY = (this.y ^ a[p + 6]!) >>> 0;
      }
      return;
    }
    const w = this.words;
    let hi = this.hi;
    let lo = this.lo;
    for (let k = p + HEAD, end = p + HEAD + 2 * a[p]!; k < end; k += 2) {
      const at = a[k]!;
      patchHash(hi, lo, at, w[at]!, a[k + 1]!);
      hi = fpHi;
      lo = fpLo;
    }
    this.hitHi = hi;
    this.hitLo = lo;
    if (!this.wide) return;
    let x = this.x;
    let y = this.y;
    for (let k = p + HEAD, end = p + HEAD + 2 * a[p]!; k < end; k += 2) {
      const at = a[k]!;
      patchWide(x, y, at, w[at]!, a[k + 1]!);
      x = fpX;
      y = fpY;
    }
    this.hitX = x;
    this.hitY = y;
  }
  hitHi = 0;
  hitLo = 0;
  hitX = 0;
  hitY = 0;

  /** Writes the successor made by patch `p` into `out`: the parent's words, changed as recorded. */
  applyHit(p: number, out: Int32Array): void {
    const a = this.steps.arena;
    const w = this.words;
    for (let i = 0; i < this.n; i++) out[i] = w[i]!;
    for (let k = p + HEAD, end = p + HEAD + 2 * a[p]!; k < end; k += 2) out[a[k]!] = a[k + 1]!;
  }

  /** The layout of the state whose encoding starts at `w[0]`. */
  layoutOfWords(w: Int32Array): SlotLayout | undefined {
    return layoutOf(this.layouts, rootById(w[0]!), this.inst.properties.length);
  }

  bytes(): number {
    return this.steps.bytes() + this.properties.bytes();
  }

  /** Step lookups and hits so far, and whether the cache switched itself off. */
  stats(): CacheStats {
    return {
      lookups: this.lookups,
      hits: this.hits,
      inherited: this.inherited,
      off: this.off || this.trackOnly,
    };
  }
}

export interface CacheStats {
  /** Thread expansions asked of the cache (inherited ones included). */
  readonly lookups: number;
  readonly hits: number;
  /** Hits passed down from the parent state instead of looked up. */
  readonly inherited: number;
  readonly off: boolean;
}
