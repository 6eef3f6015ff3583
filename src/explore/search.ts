import { isKvmcheckError } from '../errors.ts';
import type { Instance } from '../model/instance.ts';
import type { State } from '../model/state.ts';
import { reconstruct, scheduleOf, storedFingerprint, traceOf } from '../counterexample/reconstruct.ts';
import { VisitedSet } from '../visited/visited-set.ts';
import { fpHi, fpLo, hashWords } from '../state/hash-words.ts';
import { Reducer } from '../reduction/reducer.ts';
import { symmetryOf } from '../reduction/symmetry.ts';
import { CoverageCounter } from './coverage.ts';
import type { SearchListener, SearchStats } from './events.ts';
import { Expander } from '../expand/fast-expander.ts';
import { checkProperties, deadlockAt, internalError } from '../semantics/findings.ts';
import type { Finding } from '../semantics/findings.ts';
import { BfsQueue, DfsStack } from './frontier.ts';
import { InheritedEntries } from '../expand/cache/inherited-entries.ts';
import type { Frontier } from './frontier.ts';
import { withDefaults } from './options.ts';
import type { SearchOptions } from './options.ts';
import { exportProgress, importProgress } from './progress.ts';
import type { SearchProgress } from './progress.ts';
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
  /** @internal state shared with progress.ts */
  readonly x: Expander;
  visited = new VisitedSet();
  frontier: Frontier;
  readonly coverage: CoverageCounter;
  /** Transition-cache entries passed to successors (breadth-first with the cache only). */
  private readonly inherited: InheritedEntries | undefined;
  /** @internal partial-order reduction (persistent and sleep sets), when on */
  readonly reducer: Reducer | undefined;
  transitions = 0;
  expanded = 0;
  maxDepthSeen = 0;
  depthCut = false;
  private started = Date.now();
  /** Milliseconds spent before a resume. */
  elapsedBefore = 0;
  private lastProgress = 0;
  private lastMemCheck = 0;
  levelDepth = 0;
  levelSize = 0;
  /** @internal */
  stopReason: Limit | undefined;
  private result: SearchResult | undefined;

  constructor(
    readonly inst: Instance,
    options: Partial<SearchOptions> = {},
    /** @internal */
    readonly listener: SearchListener = () => {},
    progress?: SearchProgress,
  ) {
    this.options = withDefaults(options);
    this.frontier = this.options.search === 'dfs' ? new DfsStack() : new BfsQueue();
    this.coverage = new CoverageCounter(inst);
    const canon = this.options.symmetry ? symmetryOf(inst) : undefined;
    const o = this.options;
    this.reducer = o.por === 'on' ? new Reducer(inst, o.search, o.sleepSets, canon) : undefined;
    this.x = new Expander(inst, canon, o.cache, this.reducer?.footprintCheck());
    this.inherited =
      o.search === 'bfs' && this.x.cacheStats() !== undefined
        ? new InheritedEntries(inst.threads.length + 1)
        : undefined;
    if (this.reducer) this.x.jumpCheck = this.reducer.ample.checkJump.bind(this.reducer.ample);
    this.listener({
      type: 'start',
      model: inst.model.name,
      scenario: inst.scenario,
      threads: inst.threads.map((t) => t.name),
    });
    if (progress) {
      importProgress(this, progress);
      return;
    }
    try {
      const s = this.x.codec.decode(this.encodeInit(), 0) as State;
      const n = this.x.codec.encode(s);
      hashWords(this.x.codec.buf, 0, n);
      this.visited.insert(fpHi, fpLo, -1);
      this.reducer?.added(0, 0);
      const bad = checkProperties(inst, inst.init, 0);
      if (bad) this.finish(bad);
      else this.frontier.push(this.x.codec.buf, n, 0, 0);
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
    return exportProgress(this);
  }

  private encodeInit(): Int32Array {
    const init = this.x.codec.decode(this.x.codec.buf.slice(0, this.x.codec.encode(this.inst.init)), 0);
    this.x.canonicalise(init as State);
    return this.x.codec.buf.slice(0, this.x.codec.encode(init));
  }

  /** Asks the search to stop at the next check (e.g. on SIGINT); the verdict becomes `incomplete`. */
  interrupt(reason: Limit = 'interrupted'): void {
    this.stopReason ??= reason;
  }

  get done(): SearchResult | undefined {
    return this.result;
  }

  elapsedMs(): number {
    return this.elapsedBefore + Date.now() - this.started;
  }

  stats(): SearchStats {
    const elapsedMs = this.elapsedMs();
    return {
      distinct: this.visited.size,
      expanded: this.expanded,
      transitions: this.transitions,
      queue: this.frontier.size,
      depth: this.maxDepthSeen,
      rate: elapsedMs > 0 ? Math.round((this.visited.size * 1000) / elapsedMs) : 0,
      elapsedMs,
      visitedBytes: this.visited.bytes(),
      frontierBytes: this.frontier.bytes(),
      cacheBytes: this.x.cacheBytes() + (this.inherited?.bytes() ?? 0),
      bytesPerState: this.visited.size
        ? Math.round((this.visited.bytes() + this.frontier.bytes()) / this.visited.size)
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
      if (this.stopReason) return this.finish({ verdict: 'incomplete', target: -1 }, this.stopReason);
      const f = this.expandNext();
      if (f) return this.finish(f);
    }
    if (this.stopReason) return this.finish({ verdict: 'incomplete', target: -1 }, this.stopReason);
    if (this.depthCut) return this.finish({ verdict: 'incomplete', target: -1 }, 'max-depth');
    return this.finish({ verdict: 'holds', target: -1 });
  }

  /** @internal Time, memory and progress checks; true when the slice is over. */
  checkLimits(sliceEnd: number): boolean {
    const o = this.options;
    const now = Date.now();
    if (this.elapsedMs() >= o.timeLimitMs) this.interrupt('time-limit');
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
    return this.expandEntry(fr.buf, fr.at, fr.index, fr.depth);
  }

  /** @internal Expands the state encoded at `buf[at..]` (visited-set index `index`), as popped from the frontier. */
  expandEntry(buf: Int32Array, at: number, index: number, depth: number): Finding | undefined {
    this.enter(depth);
    const x = this.x;
    try {
      const inh = this.inherited?.find(index) ? this.inherited : undefined;
      x.load(buf, at, this.visited.hiOf(index), this.visited.loOf(index), inh?.buf, inh?.at);
      this.expanded++;
      if (x.enabledCount === 0) {
        if (this.options.checkDeadlock && stuckIsDeadlock(this.inst, x.parent))
          return deadlockAt(this.inst, x.parent, index);
        return undefined;
      }
      if (depth >= this.options.maxDepth) {
        this.depthCut = true;
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

  /** @internal What an exception thrown while expanding state `index` means (a failing step, or a bug). */
  failure(e: unknown, index: number): Finding {
    const at = (this.reducer?.expanding ?? -1) >= 0 ? this.reducer!.expanding : index;
    if (!(e instanceof StepFailure)) return internalError(e, at);
    const failedStep = { thread: this.inst.threads[e.tid]!.name, step: e.stepLabel };
    return { verdict: 'error', target: at, error: e.error, message: e.error.message, failedStep };
  }

  /** @internal Counts a state about to be expanded at `depth` (BFS level events). */
  enter(depth: number): void {
    if (this.options.search === 'bfs' && depth !== this.levelDepth) {
      this.listener({ type: 'level', depth: this.levelDepth, size: this.levelSize, stats: this.stats() });
      this.levelDepth = depth;
      this.levelSize = 0;
    }
    this.levelSize++;
    if (depth > this.maxDepthSeen) this.maxDepthSeen = depth;
  }

  /** @internal Explores thread `tid`'s options; successors are reached with sleep set `sleep` (reducer.ts). */
  expandThread(tid: number, index: number, depth: number, sleep: number): Finding | undefined {
    const x = this.x;
    const opts = x.options[tid];
    if (!opts) return undefined;
    const cov = this.coverage.forThread(tid);
    const stepIndex = x.stepIndexOf(tid);
    for (let c = 0; c < opts.length; c++) {
      const n = x.apply(tid, c);
      this.transitions++;
      cov[stepIndex]!++;
      const r = this.visited.insert(x.hi, x.lo, index);
      const red = this.reducer;
      if (r < 0) {
        if (red) x.materialise();
        red?.reached(-r - 1, red.canonical(sleep), x.codec.buf, n);
        continue;
      }
      x.materialise();
      const buf = x.codec.buf;
      red?.added(r, red.canonical(sleep));
      const bad = x.check(r);
      if (bad) return bad;
      if (this.visited.size >= this.options.maxStates) this.stopReason ??= 'max-states';
      this.frontier.push(buf, n, r, depth + 1);
      const inh = this.inherited;
      if (inh?.slot(r)) x.inherit(inh.buf, inh.at);
    }
    return undefined;
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
          storedFingerprint((s) => this.x.canonicalise(s)),
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

export { explore, exploreAsync } from '../driver/explore.ts';
