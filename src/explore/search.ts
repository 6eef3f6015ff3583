import { KvmcheckError, isKvmcheckError } from '../errors.ts';
import type { Instance } from '../model/instance.ts';
import type { State } from '../model/state.ts';
import { reconstruct, scheduleOf, traceOf } from '../counterexample/reconstruct.ts';
import { Fingerprinter, collisionProbability } from '../visited/fingerprint.ts';
import { VisitedSet } from '../visited/visited-set.ts';
import { CoverageCounter } from './coverage.ts';
import type { SearchListener, SearchStats } from './events.ts';
import { BfsQueue, DfsStack } from './frontier.ts';
import type { Frontier } from './frontier.ts';
import { withDefaults } from './options.ts';
import type { SearchOptions } from './options.ts';
import type { Limit, SearchResult, Verdict } from './result.ts';
import { StepFailure, allDone, successors } from './successors.ts';
import type { Transition } from './successors.ts';

interface Finding {
  readonly verdict: Verdict;
  readonly target: number;
  readonly property?: string;
  readonly message?: string;
  readonly error?: KvmcheckError;
  /** A failing step that is not itself in the trace (error verdicts). */
  readonly failedStep?: { readonly thread: string; readonly step: string };
}

/**
 * An exhaustive search over one model instance. The search runs in slices
 * (`runSlice`) so that a driver can yield to the event loop between them
 * (signals, UI); `explore` and `exploreAsync` are the two drivers.
 */
export class Search {
  readonly options: SearchOptions;
  private readonly fp = new Fingerprinter();
  private readonly visited = new VisitedSet();
  private readonly frontier: Frontier;
  private readonly coverage: CoverageCounter;
  private transitions = 0;
  private expanded = 0;
  private maxDepthSeen = 0;
  private depthCut = false;
  private readonly started = Date.now();
  private lastProgress = 0;
  private levelDepth = 0;
  private levelSize = 0;
  private stopReason: Limit | undefined;
  private result: SearchResult | undefined;

  constructor(
    readonly inst: Instance,
    options: Partial<SearchOptions> = {},
    private readonly listener: SearchListener = () => {},
  ) {
    this.options = withDefaults(options);
    this.frontier = this.options.search === 'dfs' ? new DfsStack() : new BfsQueue();
    this.coverage = new CoverageCounter(inst);
    this.listener({
      type: 'start',
      model: inst.model.name,
      scenario: inst.scenario,
      threads: inst.threads.map((t) => t.name),
    });
    const f = this.fingerprint(inst.init, -1);
    if (typeof f !== 'number') {
      this.finish(f);
      return;
    }
    const bad = this.checkProperties(inst.init, 0);
    if (bad) this.finish(bad);
    else this.frontier.push(inst.init, 0, 0);
  }

  /** Asks the search to stop at the next check (e.g. on SIGINT); the verdict becomes `incomplete`. */
  interrupt(reason: Limit = 'interrupted'): void {
    this.stopReason ??= reason;
  }

  get done(): SearchResult | undefined {
    return this.result;
  }

  stats(): SearchStats {
    const elapsedMs = Date.now() - this.started;
    return {
      distinct: this.visited.size,
      expanded: this.expanded,
      transitions: this.transitions,
      queue: this.frontier.size,
      depth: this.maxDepthSeen,
      rate: elapsedMs > 0 ? Math.round((this.visited.size * 1000) / elapsedMs) : 0,
      elapsedMs,
      visitedBytes: this.visited.bytes(),
    };
  }

  /** Runs for about `sliceMs` milliseconds; returns the result once the search has ended. */
  runSlice(sliceMs = Infinity): SearchResult | undefined {
    if (this.result) return this.result;
    const o = this.options;
    const sliceEnd = Date.now() + sliceMs;
    const out: Transition[] = [];
    let n = 0;
    while (this.frontier.size > 0) {
      if ((++n & 127) === 0) {
        const now = Date.now();
        if (now - this.started >= o.timeLimitMs) this.interrupt('time-limit');
        if (now - this.lastProgress >= o.progressIntervalMs) {
          this.lastProgress = now;
          this.listener({ type: 'progress', stats: this.stats() });
        }
        if (now >= sliceEnd && !this.stopReason) return undefined;
      }
      if (this.stopReason) return this.finishIncomplete(this.stopReason);
      const state = this.frontier.pop();
      const index = this.frontier.index;
      const depth = this.frontier.depth;
      if (o.search === 'bfs' && depth !== this.levelDepth) {
        this.listener({ type: 'level', depth: this.levelDepth, size: this.levelSize, stats: this.stats() });
        this.levelDepth = depth;
        this.levelSize = 0;
      }
      this.levelSize++;
      if (depth > this.maxDepthSeen) this.maxDepthSeen = depth;
      out.length = 0;
      let succ: Transition[];
      try {
        succ = successors(this.inst, state);
      } catch (e) {
        if (e instanceof StepFailure)
          return this.finish({
            verdict: 'error',
            target: index,
            error: e.error,
            message: e.error.message,
            failedStep: { thread: this.inst.threads[e.tid]!.name, step: e.stepLabel },
          });
        throw e;
      }
      this.expanded++;
      if (succ.length === 0) {
        if (o.checkDeadlock && !allDone(state)) return this.finish(this.deadlock(state, index));
        continue;
      }
      if (depth >= o.maxDepth) {
        this.depthCut = true;
        continue;
      }
      for (const t of succ) {
        this.transitions++;
        const cov = this.coverage.forThread(t.tid);
        cov[t.step.index]!++;
        const f = this.fingerprint(t.next, index);
        if (typeof f !== 'number') return this.finish({ ...f, target: index });
        if (f < 0) continue;
        const bad = this.checkProperties(t.next, f);
        if (bad) return this.finish(bad);
        if (this.visited.size >= o.maxStates) {
          this.stopReason ??= 'max-states';
        }
        this.frontier.push(t.next, f, depth + 1);
      }
    }
    if (this.stopReason) return this.finishIncomplete(this.stopReason);
    if (this.depthCut) return this.finishIncomplete('max-depth');
    return this.finish({ verdict: 'holds', target: -1 });
  }

  private fingerprint(s: State, parent: number): number | Finding {
    try {
      const f = this.fp.of(s);
      return this.visited.insert(f.hi, f.lo, parent);
    } catch (e) {
      const err = isKvmcheckError(e) ? e : new KvmcheckError('E_INTERNAL', String(e), 'report this as a bug');
      return { verdict: 'error', target: parent, error: err, message: err.message };
    }
  }

  private checkProperties(s: State, index: number): Finding | undefined {
    for (const p of this.inst.properties) {
      let ok: boolean;
      try {
        ok = p.holds(s);
      } catch (e) {
        const err = new KvmcheckError(
          'E_INVARIANT_THREW',
          `property '${p.name}' threw: ${e instanceof Error ? e.message : String(e)}`,
          'a property must be a total function of the state; the trace shows the state it failed on',
        );
        return { verdict: 'error', target: index, error: err, message: err.message };
      }
      if (!ok) {
        let message = p.description;
        try {
          if (p.explain) message = p.explain(s);
        } catch {
          // the explanation is best effort; the violation stands
        }
        return { verdict: 'violated', target: index, property: p.name, message };
      }
    }
    return undefined;
  }

  private deadlock(s: State, index: number): Finding {
    const blocked = this.inst.threads
      .map((t, i) => ({ t, pc: s.threads[i]!.pc }))
      .filter((x) => x.pc >= 0)
      .map((x) => `${x.t.name} at '${x.t.program.steps[x.pc]!.label}'`);
    return { verdict: 'deadlock', target: index, message: `no thread can move: ${blocked.join('; ')}` };
  }

  private finishIncomplete(limit: Limit): SearchResult {
    return this.finish({ verdict: 'incomplete', target: -1 }, limit);
  }

  private finish(f: Finding, limit?: Limit): SearchResult {
    const stats = this.stats();
    let trace: ReturnType<typeof traceOf> | undefined;
    let schedule: ReturnType<typeof scheduleOf> | undefined;
    if (f.target >= 0) {
      const ts = reconstruct(this.inst, this.visited, f.target, this.fp);
      trace = traceOf(this.inst, ts);
      schedule = scheduleOf(ts);
    }
    const r: SearchResult = {
      verdict: f.verdict,
      model: this.inst.model.name,
      scenario: this.inst.scenario,
      params: this.inst.params,
      ...(f.property !== undefined ? { property: f.property } : {}),
      ...(f.message !== undefined ? { message: f.message } : {}),
      ...(limit !== undefined ? { limit } : {}),
      ...(f.error !== undefined ? { error: f.error.toInfo() } : {}),
      ...(f.failedStep !== undefined ? { failedStep: f.failedStep } : {}),
      states: stats.distinct,
      transitions: stats.transitions,
      depth: Math.max(stats.depth, trace?.length ?? 0),
      elapsedMs: stats.elapsedMs,
      collisionProbability: collisionProbability(stats.distinct, stats.transitions + 1),
      ...(trace !== undefined ? { trace, schedule } : {}),
      coverage: this.coverage.snapshot(),
    };
    this.result = r;
    this.listener({ type: 'done', result: r });
    return r;
  }
}

/** Runs a search to the end synchronously. */
export function explore(
  inst: Instance,
  options: Partial<SearchOptions> = {},
  listener?: SearchListener,
): SearchResult {
  const s = new Search(inst, options, listener);
  return s.done ?? s.runSlice()!;
}

/**
 * Runs a search to the end, yielding to the event loop every `sliceMs` so
 * that signals and timers are served; `signal` aborts with verdict
 * `incomplete` (limit `interrupted`).
 */
export async function exploreAsync(
  inst: Instance,
  options: Partial<SearchOptions> = {},
  listener?: SearchListener,
  signal?: AbortSignal,
  sliceMs = 50,
): Promise<SearchResult> {
  const s = new Search(inst, options, listener);
  const onAbort = (): void => s.interrupt('interrupted');
  signal?.addEventListener('abort', onAbort);
  try {
    for (;;) {
      if (signal?.aborted) s.interrupt('interrupted');
      const r = s.done ?? s.runSlice(sliceMs);
      if (r) return r;
      await new Promise<void>((res) => setImmediate(res));
    }
  } finally {
    signal?.removeEventListener('abort', onAbort);
  }
}
