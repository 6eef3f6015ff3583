import type { CompiledStep } from '../model/compile-program.ts';
import type { Instance } from '../model/instance.ts';
import type { State } from '../model/state.ts';
import { StateCodec } from '../state/codec.ts';
import { checkPlain } from '../state/plain-data.ts';
import { rootById } from '../state/shape-node.ts';
import { fpHi, fpLo, fpX, fpY, hashWide, hashWords } from '../state/hash-words.ts';
import type { StoredFingerprint } from '../state/hash-words.ts';
import { runStep } from '../semantics/run-step.ts';
import { Successors } from './copy-on-access.ts';
import { enabledOptions, stepFailure } from '../semantics/successors.ts';
import { nondeterministic, sameWords } from '../semantics/determinism.ts';
import { checkProperties } from '../semantics/findings.ts';
import type { Finding } from '../semantics/findings.ts';
import { TransitionCache } from './cache/transition-cache.ts';
import type { CacheStats } from './cache/transition-cache.ts';
import type { Canonicaliser } from '../reduction/symmetry.ts';
import type { FootprintCheck } from './footprint-check.ts';
import { CachedCanon } from './cache/cached-canon.ts';
import { placeholder } from './cache/placeholder-options.ts';
import type { Expander } from './expander.ts';

/**
 * The fast expander (the reference is plain-expander.ts; both give the same
 * successors). A state arrives encoded; guards run
 * on one decoded copy (`parent`), and every transition runs its step's
 * effect on a successor whose parts are copied only where the step touches
 * them (copy-on-access.ts; a state without the `{g, locks, threads}` layout gets
 * a whole decoded copy), mutated in place — the same recipe semantics as
 * Immer's `produce` (still used for traces). The successor is then
 * (optionally canonicalised and) encoded into `codec.buf`, the parts the
 * step did not touch as the parent's words. With the transition cache, a
 * thread whose expansion was recorded on an equal-enough state is served
 * from it: its successors are the parent's words with the recorded changes
 * (canonicalised on words under symmetry: cached-canon.ts), and the parent
 * is decoded only when some thread misses (or a caller asks for it).
 */
export class FastExpander implements Expander {
  readonly codec = new StateCodec();
  /** The expanded state's words (a private copy: the frontier may reuse its slot). */
  private words = new Int32Array(256);
  private n = 0;
  private parent_: State | undefined;
  /**
   * Enabled options per thread (null: disabled), after `load`. For a thread
   * served by the transition cache only the length is real (the elements are
   * undefined): `apply` takes an option's index, never its value.
   */
  readonly options: (readonly unknown[] | null)[];
  /** Called after each step with the thread's pc before and after (partial-order reduction checks jumps). */
  jumpCheck: ((tid: number, from: number, to: number) => void) | undefined;
  /** Number of enabled transitions, after `load`. */
  enabledCount = 0;
  private readonly succ = new Successors();
  /** Memoised transitions. */
  private readonly cache: TransitionCache;
  /**
   * Words `queued` writes: the cache entries a successor inherits, one per
   * thread and the table's generation (0 unless breadth-first: the records
   * travel with the states in the frontier and come back in index order).
   */
  readonly recordWidth: number;
  /** The last `apply` was served from the cache: `next` decodes its words. */
  private nextFromWords = false;
  /** The last `apply` was served from the cache and its words are not written out yet: the patch (`materialise`). */
  private unwritten = -1;
  /** The recorded patch the last `apply` was served from (-1: it ran the step). */
  private patch = -1;
  /** The fingerprint of the successor made by the last `apply` (`x`, `y`: its further lanes when `wide`). */
  hi = 0;
  lo = 0;
  x = 0;
  y = 0;

  constructor(
    readonly inst: Instance,
    private readonly canon: Canonicaliser | undefined,
    /** Pass cache entries from states to their successors (the caller expands states in index order: breadth-first). */
    inherit = false,
    /** Fingerprints wider than 64 bits: also compute the lanes `x`, `y` (state/hash-words.ts hashWide). */
    readonly wide = false,
    /**
     * Partial-order reduction's footprint check: every execution is
     * recorded and reported to it; `trackOnly`: the cache then records but
     * stores and serves nothing (what `--cache off` is under the reduction).
     */
    private readonly audit?: FootprintCheck,
    trackOnly = false,
  ) {
    this.options = inst.threads.map(() => null);
    this.cache = new TransitionCache(inst, wide, { audit, trackOnly });
    audit?.bind(() => this.parent);
    this.recordWidth = inherit && !trackOnly ? inst.threads.length + 1 : 0;
    this.cachedCanon = canon ? new CachedCanon(inst, canon) : undefined;
    const t = this.cache.tracker;
    this.lockWrap = (l) => t.locks(l);
  }
  private readonly lockWrap: Successors['wrapLocks'];
  /** With symmetry and the cache: cached successors put in canonical form. */
  private readonly cachedCanon: CachedCanon | undefined;

  /** The decoded state whose guards are evaluated (decoded on demand when the cache served every thread). */
  get parent(): State {
    return this.parent_ ?? this.decodeParent();
  }

  private decodeParent(): State {
    const p = (this.parent_ = this.codec.decode(this.words, 0) as State);
    this.succ.begin(p, this.words, rootById(this.words[0]!));
    return p;
  }

  /**
   * Loads a state and evaluates every thread's guard and choices (or finds
   * them in the cache). `hi`/`lo`: its fingerprint when the caller has it
   * (the visited set does), else it is computed if needed. The cache
   * entries its parent passed down (`queued`) are found by `index`, looked
   * up otherwise.
   */
  load(buf: Int32Array, at: number, _index = -1, known?: StoredFingerprint, inherited?: Int32Array): void {
    const n = StateCodec.lengthAt(buf, at);
    if (n > this.words.length) this.words = new Int32Array(n * 2);
    const w = this.words;
    for (let i = 0; i < n; i++) w[i] = buf[at + i]!;
    this.n = n;
    this.parent_ = undefined;
    const c = this.cache;
    const cached = c.begin(w, n, known);
    if (!cached && this.audit) this.audit.untracked();
    if (!cached) this.decodeParent();
    else if (inherited !== undefined && inherited.length === this.recordWidth) c.adopt(inherited, 0);
    let count = 0;
    for (let tid = 0; tid < this.options.length; tid++) {
      const e = !cached ? -1 : c.entryOf(tid) >= 0 ? c.entryOf(tid) : c.lookup(tid);
      const o = e >= 0 ? placeholder(c.count(e)) : this.enabled(tid, cached ? c : undefined);
      this.options[tid] = o;
      if (o) count += o.length;
    }
    this.enabledCount = count;
  }

  private enabled(tid: number, c: TransitionCache | undefined): readonly unknown[] | null {
    const parent = this.parent;
    let viewFailed: unknown;
    if (c !== undefined) {
      c.recorder.startGuard(tid);
      let o: readonly unknown[] | null | undefined;
      try {
        o = enabledOptions(this.inst, c.tracker.view(parent), tid);
      } catch (e) {
        c.recorder.abandon(tid); // evaluated again on the plain state below: the error is the guard's own, not the view's
        viewFailed = e;
      }
      if (o !== undefined) {
        const pc = parent.threads[tid]!.pc;
        c.recorder.endGuard(tid, o ? o.length : 0, pc < 0 ? -1 : this.stepOf(tid).index);
        return o;
      }
    }
    let o: readonly unknown[] | null;
    try {
      o = enabledOptions(this.inst, parent, tid);
    } catch (e) {
      throw stepFailure(this.inst, parent, tid, e);
    }
    if (viewFailed !== undefined && this.audit)
      throw stepFailure(this.inst, parent, tid, this.audit.unrecorded(viewFailed));
    return o;
  }

  /** The step thread `tid` runs in the loaded state. */
  stepOf(tid: number): CompiledStep {
    return this.inst.threads[tid]!.program.steps[this.parent.threads[tid]!.pc]!;
  }

  /** Index (program order) of the step thread `tid` runs in the loaded state. */
  stepIndexOf(tid: number): number {
    const e = this.cache.entryOf(tid);
    return e >= 0 ? this.cache.stepIndex(e) : this.stepOf(tid).index;
  }

  /** The successor made by the last `apply`, as plain data (parts it did not change are the parent's: read only). */
  get next(): State {
    this.materialise();
    if (this.nextFromWords) {
      this.nextFromWords = false;
      this.next_ = this.codec.decode(this.codec.buf, 0) as State;
    }
    return this.next_ ?? this.succ.complete();
  }
  private next_: State | undefined;

  /** The first property the successor of the last `apply` violates (or that throws on it), as a finding at `index`. */
  check(index: number): Finding | undefined {
    const c = this.cache;
    const props = this.inst.properties;
    this.materialise();
    const L = props.length > 0 ? c.layoutOfWords(this.codec.buf) : undefined;
    if (L !== undefined && c.properties.allHold(props, L, this.codec.buf, () => this.next)) return undefined;
    return checkProperties(this.inst, this.next, index);
  }

  /**
   * Applies option `c` of thread `tid` to the loaded state and returns the
   * length of the successor's encoding; its fingerprint is then in
   * `hi`/`lo`, the successor itself in `this.next`, and its encoding in
   * `codec.buf[0..length)` once `materialise()` is called (a successor
   * served by the transition cache is written out only when needed: most
   * are states already visited).
   */
  apply(tid: number, c: number): number {
    const cache = this.cache;
    const e = cache.entryOf(tid);
    if (e >= 0) {
      const p = cache.patchOf(e, c);
      if (this.sampled()) this.recheckHit(tid, c, e, p);
      if (this.cachedCanon !== undefined && !this.cachedCanon.keepsOrder(cache, p)) return this.applyMoved(p);
      this.patch = p;
      cache.hashHit(p);
      this.hi = cache.hitHi;
      this.lo = cache.hitLo;
      this.x = cache.hitX;
      this.y = cache.hitY;
      this.unwritten = p;
      this.next_ = undefined;
      this.nextFromWords = true;
      return this.n;
    }
    this.unwritten = -1;
    this.patch = -1;
    this.nextFromWords = false;
    const recorded = cache.recorder.recording(tid);
    let n = recorded ? this.applyRecorded(cache, tid, c) : this.applyStep(tid, c);
    if (this.sampled()) n = this.recheckRun(tid, c, n);
    if (recorded && this.cachedCanon !== undefined) return n; // fingerprinted when canonicalised
    this.fingerprint(n);
    return n;
  }

  /** Transitions so far: the first 256 and every 1024th are run again (determinism.ts). */
  private runs = 0;
  private sampled(): boolean {
    const k = ++this.runs;
    return k <= 256 || (k & 1023) === 0;
  }

  /** A cache hit, checked against running the step: the recorded change must be what the step does here too. */
  private recheckHit(tid: number, c: number, e: number, p: number): void {
    const cache = this.cache;
    const parent = this.parent;
    const label = this.stepOf(tid).label;
    let opts: readonly unknown[] | null;
    try {
      opts = enabledOptions(this.inst, parent, tid);
    } catch (err) {
      throw stepFailure(this.inst, parent, tid, err);
    }
    const differs = (what: string): never => {
      throw stepFailure(this.inst, parent, tid, nondeterministic(this.inst, tid, label, what));
    };
    if (opts === null || opts.length !== cache.count(e))
      differs(
        'its guard or choices differ from a run on a state with the same values in every part it reads',
      );
    const keep = this.options[tid]!;
    this.options[tid] = opts;
    const n = this.applyStep(tid, c, false);
    this.options[tid] = keep;
    if (this.spare.length < this.n) this.spare = new Int32Array(this.n * 2);
    cache.applyHit(p, this.spare);
    if (n !== this.n || !sameWords(this.codec.buf, this.spare, n))
      differs(
        `option ${c} changes the state otherwise than on a state with the same values in every part it reads (a value kept outside the state?)`,
      );
  }
  private spare = new Int32Array(0);

  /** A step that ran (`n` words in codec.buf), run again: the same successor, or E_NONDETERMINISTIC. */
  private recheckRun(tid: number, c: number, n: number): number {
    if (this.spare.length < n) this.spare = new Int32Array(n * 2);
    this.spare.set(this.codec.buf.subarray(0, n));
    const m = this.applyStep(tid, c);
    if (m !== n || !sameWords(this.codec.buf, this.spare, n))
      throw stepFailure(
        this.inst,
        this.parent,
        tid,
        nondeterministic(
          this.inst,
          tid,
          this.stepOf(tid).label,
          `option ${c} gives two different successors when run twice on the same state`,
        ),
      );
    return m;
  }

  /**
   * A cache-served successor that may move interchangeable threads
   * (symmetry): written out and put in canonical form. Its entries are not
   * passed down (its threads may have moved).
   */
  private applyMoved(p: number): number {
    if (this.codec.buf.length < this.n) this.codec.buf = new Int32Array(this.n * 2);
    this.cache.applyHit(p, this.codec.buf);
    this.unwritten = -1;
    this.patch = -1;
    return this.canonicalised(this.n);
  }

  /**
   * Puts the successor in `codec.buf[0..n)` in canonical form
   * (cached-canon.ts) and fingerprints it; returns its length.
   */
  private canonicalised(n: number): number {
    const sym = this.cachedCanon!;
    n = sym.canonicalise(this.codec, n);
    this.next_ = sym.decoded;
    this.nextFromWords = sym.decoded === undefined;
    this.fingerprint(n);
    return n;
  }

  /** Fingerprints the successor in `codec.buf[0..n)`. */
  private fingerprint(n: number): void {
    hashWords(this.codec.buf, 0, n);
    this.hi = fpHi;
    this.lo = fpLo;
    if (this.wide) {
      hashWide(this.codec.buf, 0, n);
      this.x = fpX;
      this.y = fpY;
    }
  }

  /** Writes the successor of the last `apply` into `codec.buf` (when the cache served it). */
  materialise(): void {
    const p = this.unwritten;
    if (p < 0) return;
    this.unwritten = -1;
    if (this.codec.buf.length < this.n) this.codec.buf = new Int32Array(this.n * 2);
    this.cache.applyHit(p, this.codec.buf);
  }

  /** `apply` of a thread the cache missed: runs the step with its reads recorded, then records the successor. */
  private applyRecorded(cache: TransitionCache, tid: number, c: number): number {
    cache.recorder.startRun(tid);
    this.succ.wrapLocks = this.lockWrap;
    let n: number;
    try {
      n = this.applyStep(tid, c, false);
    } catch (e) {
      cache.recorder.abandon(tid);
      throw e;
    } finally {
      this.succ.wrapLocks = undefined;
    }
    const succ = this.succ;
    cache.recorder.endRun(tid, c, succ.touched(), succ.readWhole, this.codec.buf, n, succ.readMembers());
    // recorded as the step made it (a change of the parent), then put in canonical form
    return this.cachedCanon === undefined ? n : this.canonicalised(n);
  }

  private applyStep(tid: number, c: number, canonical = true): number {
    const sc = this.succ.active ? this.succ : undefined;
    const s = sc !== undefined ? sc.make(tid) : (this.codec.decode(this.words, 0) as State);
    let ordered: boolean;
    try {
      runStep(this.inst, s, s as never, tid, this.options[tid]![c], sc);
      this.jumpCheck?.(tid, this.parent.threads[tid]!.pc, s.threads[tid]!.pc);
      this.cache.tracker.armed = false;
      ordered = sc !== undefined ? sc.validate() : checkPlain(s);
    } catch (e) {
      throw stepFailure(this.inst, this.parent, tid, e);
    } finally {
      this.cache.tracker.armed = false;
    }
    if (this.canon && canonical) this.canon(s);
    // a successor not in canonical form is seen by the properties as decoded from its words
    this.next_ = sc === undefined && ordered ? s : undefined;
    this.nextFromWords = !ordered;
    return sc !== undefined ? sc.encode(this.codec) : this.codec.encode(s);
  }

  /** Writes the cache entries the successor of the last `apply` inherits (`recordWidth` words), for its own `load`. */
  queued(_index: number, into: Int32Array): boolean {
    const c = this.cache;
    if (this.recordWidth === 0 || c.layout === undefined || c.off || c.trackOnly) return false;
    c.inherit(this.patch, into, 0);
    return true;
  }

  /** Bytes held by the transition cache. */
  cacheBytes(): number {
    return this.cache.bytes();
  }

  /** The transition cache's counters. */
  cacheStats(): CacheStats {
    return this.cache.stats();
  }

  /** Puts a mutable state into canonical form (symmetry), in place. */
  canonicalise(s: State): void {
    if (this.canon) this.canon(s);
  }
}
