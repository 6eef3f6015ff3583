import { isKvmcheckError } from '../errors.ts';
import type { Instance } from '../model/instance.ts';
import type { State } from '../model/state.ts';
import { reconstruct, scheduleOf, storedFingerprint, traceOf } from '../trace/reconstruct.ts';
import { VisitedSet } from '../visited/visited-set.ts';
import type { StoredFingerprint } from '../visited/visited-set.ts';
import { fpHi, fpLo, fpX, fpY, hashWide, hashWords } from '../state/hash-words.ts';
import { collisionProbability } from '../state/fingerprint.ts';
import { Reducer } from '../reduction/reducer.ts';
import { symmetryOf } from '../reduction/symmetry.ts';
import { CoverageCounter } from './coverage.ts';
import type { SearchListener } from './events.ts';
import type { SearchStats } from './stats.ts';
import type { Expander } from '../expand/expander.ts';
import { newExpander } from '../expand/new-expander.ts';
import { FootprintCheck } from '../expand/footprint-check.ts';
import { checkProperties, deadlockAt, internalError } from '../semantics/findings.ts';
import type { Finding } from '../semantics/findings.ts';
import { DfsStack } from './frontier.ts';
import { PackedQueue } from './packed-queue.ts';
import type { Frontier } from './frontier.ts';
import { withDefaults } from './options.ts';
import type { SearchOptions } from './options.ts';
import { exportProgress, importProgress, progressBytes } from './progress.ts';
import type { Counters, SearchParts, SearchProgress } from './progress.ts';
import { resultOf } from './result.ts';
import type { Limit, SearchResult } from './result.ts';
import { StepFailure, stuckIsDeadlock } from '../semantics/successors.ts';

/**
 * An exhaustive search over one model instance. The search runs in slices
 * (`runSlice`) so that a driver can yield to the event loop between them
 * (signals, UI); `explore` and `exploreAsync` are the two drivers. Its whole
 * progress (visited set, frontier, counters) can be exported between slices
 * and resumed (`exportProgress`, `Search.resume`) with identical results.
 */
export class Search {
  readonly options: SearchOptions;
  /** Successor generation: the plain expander with `cache: false`, else the fast one (expand/). */
  readonly expander: Expander;
  private visited: VisitedSet;
  /** @internal A fingerprint being looked up or loaded (filled in place: no allocation per state). */
  readonly known = { hi: 0, lo: 0, x: 0, y: 0 };
  /** What the expander passes from a new state to its successors, stored with it in the frontier. */
  private readonly record: Int32Array;
  /** @internal the parallel search takes batches from it and puts back what it did not expand */
  frontier: Frontier;
  private readonly coverage: CoverageCounter;
  /** @internal partial-order reduction (persistent and sleep sets), when on */
  readonly reducer: Reducer | undefined;
  private readonly count: Counters = {
    transitions: 0,
    expanded: 0,
    maxDepthSeen: 0,
    depthCut: false,
    levelDepth: 0,
    levelSize: 0,
  };
  private started = Date.now();
  /** Milliseconds spent before a resume. */
  private elapsedBefore = 0;
  private lastProgress = 0;
  private lastMemCheck = 0;
  /** Why the search is to stop at the next check (undefined: it goes on). */
  private stopReason: Limit | undefined;
  private result: SearchResult | undefined;

  constructor(
    readonly inst: Instance,
    options: Partial<SearchOptions> = {},
    /** @internal */
    readonly listener: SearchListener = () => {},
    progress?: SearchProgress,
  ) {
    this.options = withDefaults(options);
    this.coverage = new CoverageCounter(inst);
    const canon = this.options.symmetry ? symmetryOf(inst) : undefined;
    const o = this.options;
    this.visited = new VisitedSet(o.fingerprint);
    this.reducer = o.por === 'on' ? new Reducer(inst, o.search, o.sleepSets, canon) : undefined;
    this.expander = newExpander(
      inst,
      canon,
      o.cache,
      o.search === 'bfs',
      o.fingerprint > 64,
      this.reducer && new FootprintCheck(inst, this.reducer.ample.fp),
    );
    this.record = new Int32Array(this.expander.recordWidth);
    this.frontier =
      o.search === 'dfs'
        ? new DfsStack()
        : new PackedQueue(this.expander.recordWidth, { budget: o.frontierMemory, dir: o.spillDir });
    if (this.reducer) this.expander.jumpCheck = this.reducer.ample.checkJump.bind(this.reducer.ample);
    this.listener({
      type: 'start',
      model: inst.model.name,
      scenario: inst.scenario,
      threads: inst.threads.map((t) => t.name),
    });
    if (progress) {
      const red = this.reducer;
      const into = { frontier: this.frontier, counters: this.count, coverage: this.coverage };
      const p = importProgress(progress, into, red?.sleeps ? inst.threads.length : undefined, o.fingerprint);
      this.visited = p.visited;
      if (red?.sleeps) red.sleeps = p.sleeps;
      this.elapsedBefore = p.elapsedMs;
      return;
    }
    try {
      const codec = this.expander.codec;
      const s = codec.decode(this.encodeInit(), 0) as State;
      const n = codec.encode(s);
      hashWords(codec.buf, 0, n);
      hashWide(codec.buf, 0, n);
      this.visited.insert(fpHi, fpLo, -1, fpX, fpY);
      this.reducer?.added(0, 0);
      const bad = checkProperties(inst, inst.init, 0);
      if (bad) this.finish(bad);
      else this.frontier.push(codec.buf, n, 0, 0);
    } catch (e) {
      this.finish(internalError(e, -1));
    }
  }

  /** Continues a search from `exportProgress()` (same instance and options). */
  static resume(
    inst: Instance,
    options: Partial<SearchOptions>,
    progress: SearchProgress,
    listener?: SearchListener,
  ): Search {
    return new Search(inst, options, listener, progress);
  }

  /** Everything needed to resume this search later (between slices). */
  exportProgress(): SearchProgress {
    return exportProgress(this.parts());
  }

  /** About the bytes `exportProgress()` takes in a checkpoint file, found without exporting it. */
  exportBytes(): number {
    return progressBytes(this.parts());
  }

  private parts(): SearchParts {
    return {
      search: this.options.search,
      visited: this.visited,
      sleeps: this.reducer?.sleeps,
      frontier: this.frontier,
      counters: this.count,
      elapsedMs: this.elapsedMs(),
      coverage: this.coverage,
    };
  }

  private encodeInit(): Int32Array {
    const codec = this.expander.codec;
    const init = codec.decode(codec.buf.slice(0, codec.encode(this.inst.init)), 0);
    this.expander.canonicalise(init as State);
    return codec.buf.slice(0, codec.encode(init));
  }

  /** Releases what the search holds outside memory (the frontier's spill files); its progress cannot be exported after. */
  close(): void {
    this.frontier.close();
  }

  /** Asks the search to stop at the next check (e.g. on SIGINT); the verdict becomes `incomplete`. */
  interrupt(reason: Limit = 'interrupted'): void {
    this.stopReason ??= reason;
  }

  /** Why the search is to stop at the next check, if it is. */
  get stopping(): Limit | undefined {
    return this.stopReason;
  }

  get done(): SearchResult | undefined {
    return this.result;
  }

  elapsedMs(): number {
    return this.elapsedBefore + Date.now() - this.started;
  }

  stats(): SearchStats {
    const elapsedMs = this.elapsedMs();
    const k = this.count;
    return {
      distinct: this.visited.size,
      expanded: k.expanded,
      transitions: k.transitions,
      queue: this.frontier.size,
      depth: k.maxDepthSeen,
      rate: elapsedMs > 0 ? Math.round((this.visited.size * 1000) / elapsedMs) : 0,
      elapsedMs,
      visitedBytes: this.visited.bytes(),
      frontierBytes: this.frontier.bytes(),
      cacheBytes: this.expander.cacheBytes(),
      spilledBytes: this.frontier instanceof PackedQueue ? this.frontier.diskBytes() : 0,
      fingerprintBits: this.visited.bits,
      collisionProbability: collisionProbability(this.visited.size, k.transitions + 1, this.visited.bits),
      sleepBytes: this.reducer?.sleeps?.bytes() ?? 0,
      bytesPerState: this.visited.size
        ? Math.round(
            (this.visited.bytes() + this.frontier.bytes() + (this.reducer?.sleeps?.bytes() ?? 0)) /
              this.visited.size,
          )
        : 0,
    };
  }

  /** Runs for about `sliceMs` milliseconds; returns the result once the search has ended. */
  runSlice(sliceMs = Infinity): SearchResult | undefined {
    if (this.result) return this.result;
    const sliceEnd = Date.now() + sliceMs;
    let n = 0;
    while (this.frontier.size > 0) {
      if ((++n & 127) === 0 && this.checkLimits(sliceEnd)) return undefined;
      if (this.stopReason) return this.finish(this.stopped(), this.stopReason);
      const f = this.expandNext();
      if (f) return this.finish(f);
    }
    if (this.stopReason) return this.finish(this.stopped(), this.stopReason);
    if (this.count.depthCut) return this.finish({ verdict: 'incomplete', target: -1 }, 'max-depth');
    return this.finish({ verdict: 'holds', target: -1 });
  }

  /** @internal Time, memory and progress checks; true when the slice is over. */
  checkLimits(sliceEnd: number): boolean {
    const o = this.options;
    const now = Date.now();
    if (this.elapsedMs() >= o.timeLimitMs) this.interrupt('time-limit');
    // the frontier could not spill: stop before memory runs out, with everything so far kept for a checkpoint
    if (this.frontier.spillFailure !== undefined) this.interrupt('max-memory');
    if (o.maxMemory !== Infinity && now - this.lastMemCheck >= 100) {
      this.lastMemCheck = now;
      if (process.memoryUsage.rss() > o.maxMemory) this.interrupt('max-memory');
    }
    if (now - this.lastProgress >= o.progressIntervalMs) {
      this.lastProgress = now;
      this.listener({ type: 'progress', stats: this.stats() });
    }
    return now >= sliceEnd && !this.stopReason;
  }

  private expandNext(): Finding | undefined {
    const fr = this.frontier;
    fr.pop();
    return this.expandEntry(fr.buf, fr.at, fr.index, fr.depth, fr.rec);
  }

  /**
   * @internal Expands the state encoded at `buf[at..]` (visited-set index
   * `index`), as popped from the frontier with the record its parent's
   * expansion left for it (`inherited`).
   */
  expandEntry(
    buf: Int32Array,
    at: number,
    index: number,
    depth: number,
    inherited?: Int32Array,
  ): Finding | undefined {
    this.enter(depth);
    const x = this.expander;
    try {
      x.load(buf, at, index, this.storedFingerprint(index), inherited);
      this.count.expanded++;
      if (x.enabledCount === 0) return this.stuck(index);
      if (depth >= this.options.maxDepth) {
        this.cut();
        return undefined;
      }
      const red = this.reducer;
      if (red) return red.expand(this, index, depth) ?? red.drain(this, depth);
      for (let tid = 0; tid < x.options.length; tid++) {
        const f = this.expandThread(tid, index, depth, 0);
        if (f) return f;
      }
    } catch (e) {
      return this.failure(e, index);
    }
    return undefined;
  }

  /** @internal Explores thread `tid`'s options; successors are reached with sleep set `sleep` (reducer.ts). */
  expandThread(tid: number, index: number, depth: number, sleep: number): Finding | undefined {
    const x = this.expander;
    const opts = x.options[tid];
    if (!opts) return undefined;
    const step = x.stepIndexOf(tid);
    const red = this.reducer;
    for (let c = 0; c < opts.length; c++) {
      const n = x.apply(tid, c);
      if (red) x.materialise(); // the reduction keeps the words of states reached again
      const fp = this.known;
      fp.hi = x.hi;
      fp.lo = x.lo;
      fp.x = x.x;
      fp.y = x.y;
      const r = this.admit(tid, step, fp, index, red ? red.canonical(sleep) : 0, x.codec.buf, 0, n);
      if (r < 0) continue;
      x.materialise();
      const bad = x.check(r);
      if (bad) return bad;
      const rec = this.record;
      this.enqueue(x.codec.buf, 0, n, r, depth + 1, rec.length > 0 && x.queued(r, rec) ? rec : undefined);
    }
    return undefined;
  }

  /** @internal The stored fingerprint of state `index` (in `known`, overwritten by the next call). */
  storedFingerprint(index: number): StoredFingerprint {
    const v = this.visited;
    const k = this.known;
    k.hi = v.hiOf(index);
    k.lo = v.loOf(index);
    k.x = v.xOf(index);
    k.y = v.yOf(index);
    return k;
  }

  /** @internal The stored fingerprints of the frontier entries `b` (`[index, depth, n, ...words]` each), 4 words each. */
  knownOf(b: Int32Array): Int32Array {
    const out: number[] = [];
    const v = this.visited;
    for (let at = 0; at < b.length; at += 3 + b[at + 2]!) {
      const i = b[at]!;
      out.push(v.hiOf(i) | 0, v.loOf(i) | 0, v.xOf(i) | 0, v.yOf(i) | 0);
    }
    return Int32Array.from(out);
  }

  /**
   * @internal Admits a successor of state `parent` made by thread `tid`
   * running step `step`: counts the transition (and, for a new state, the
   * step's distinct states), numbers the state (by its fingerprint `fp`;
   * `buf[at..at+n)` is its encoding) and tells the
   * reduction, which it reaches with sleep set `sleep` (in its own
   * numbering). Returns its index when it is new (check it, then `enqueue`
   * it), or a negative number when it was visited before. The parallel
   * search admits its workers' successors here too (absorb.ts).
   */
  admit(
    tid: number,
    step: number,
    fp: StoredFingerprint,
    parent: number,
    sleep: number,
    buf: Int32Array,
    at: number,
    n: number,
  ): number {
    this.count.transitions++;
    this.coverage.forThread(tid)[step]!++;
    const r = this.visited.insert(fp.hi, fp.lo, parent, fp.x, fp.y);
    const red = this.reducer;
    if (r < 0) red?.reached(-r - 1, sleep, buf, at, n);
    else {
      this.coverage.freshFor(tid)[step]!++;
      red?.added(r, sleep);
    }
    return r;
  }

  /**
   * @internal Puts new state `index` (encoded at `buf[at..at+n)`, at
   * `depth`) in the frontier, with the record its expansion will be given
   * back (`inherited` of expandEntry).
   */
  enqueue(buf: Int32Array, at: number, n: number, index: number, depth: number, rec?: Int32Array): void {
    // the visited set's own capacity (~10^9 states) stops a search as --max-states does
    if (this.visited.size >= Math.min(this.options.maxStates, VisitedSet.capacity))
      this.stopReason ??= 'max-states';
    this.frontier.push(buf, n, index, depth, at, rec);
  }

  /** @internal The loaded state `index` has no enabled step: a deadlock, unless its threads are done or daemons. */
  stuck(index: number): Finding | undefined {
    const p = this.expander.parent;
    return this.options.checkDeadlock && stuckIsDeadlock(this.inst, p)
      ? deadlockAt(this.inst, p, index)
      : undefined;
  }

  /** @internal A state was left unexpanded at the depth bound. */
  cut(): void {
    this.count.depthCut = true;
  }

  /** @internal What an exception thrown while expanding state `index` means (a failing step, or a bug). */
  failure(e: unknown, index: number): Finding {
    const at = (this.reducer?.expanding ?? -1) >= 0 ? this.reducer!.expanding : index;
    if (!(e instanceof StepFailure)) return internalError(e, at);
    const failedStep = { thread: this.inst.threads[e.tid]!.name, step: e.stepLabel };
    return { verdict: 'error', target: at, error: e.error, message: e.error.message, failedStep };
  }

  /** @internal Counts a state about to be expanded at `depth` (BFS level events); `loaded` counts it as expanded. */
  enter(depth: number): void {
    const k = this.count;
    if (this.options.search === 'bfs' && depth !== k.levelDepth) {
      this.listener({ type: 'level', depth: k.levelDepth, size: k.levelSize, stats: this.stats() });
      k.levelDepth = depth;
      k.levelSize = 0;
    }
    k.levelSize++;
    if (depth > k.maxDepthSeen) k.maxDepthSeen = depth;
  }

  /** @internal The state entered was loaded: it counts as expanded. */
  loaded(): void {
    this.count.expanded++;
  }

  /** The finding of a search stopped by a limit (saying why, when the frontier could not spill). */
  private stopped(): Finding {
    const failed = this.frontier.spillFailure;
    return failed === undefined
      ? { verdict: 'incomplete', target: -1 }
      : {
          verdict: 'incomplete',
          target: -1,
          message: `stopped before memory ran out: ${failed.message} (${failed.hint})`,
        };
  }

  /** @internal */
  finish(f: Finding, limit?: Limit): SearchResult {
    const stats = this.stats();
    let trace: ReturnType<typeof traceOf> | undefined;
    let schedule: ReturnType<typeof scheduleOf> | undefined;
    if (f.target >= 0) {
      let ts;
      try {
        ts = reconstruct(
          this.inst,
          this.visited,
          f.target,
          storedFingerprint((s) => this.expander.canonicalise(s), this.visited.bits),
          undefined,
          this.options.symmetry,
        );
      } catch (e) {
        // the trace cannot be rebuilt (a step that is not deterministic …): that error is the result
        if (!isKvmcheckError(e)) throw e;
        f = { verdict: 'error', target: -1, error: e, message: e.message };
      }
      if (ts) {
        trace = traceOf(this.inst, ts);
        schedule = scheduleOf(ts);
      }
    }
    const r = resultOf(this.inst, f, stats, limit, this.coverage.snapshot(), trace, schedule);
    this.result = r;
    this.listener({ type: 'done', result: r });
    return r;
  }
}
