import type { SearchStats } from '../explore/stats.ts';
import { estimateRemainingMs } from './eta.ts';

interface Sample {
  readonly t: number;
  readonly distinct: number;
  readonly expanded: number;
}

/** How far back the "recent" rates look. */
const WINDOW_MS = 5000;

/**
 * The live view of one running search, fed with its progress (stats and the
 * BFS level sizes completed since the last update): the latest counters,
 * rates over the last few seconds rather than since the start, and the ETA.
 */
export class SearchTracker {
  stats: SearchStats | undefined;
  readonly levels: number[] = [];
  private samples: Sample[] = [];

  /** True once the worker has loaded the model and the search runs. */
  running = false;

  constructor(
    readonly label: string,
    public startedAt: number = Date.now(),
  ) {}

  /** The search itself starts (after its worker has loaded the model); elapsed time counts from here. */
  markStarted(now: number = Date.now()): void {
    this.running = true;
    this.startedAt = now;
  }

  update(stats: SearchStats, newLevels: readonly number[] = []): void {
    this.stats = stats;
    for (const l of newLevels) this.levels.push(l);
    this.samples.push({ t: stats.elapsedMs, distinct: stats.distinct, expanded: stats.expanded });
    while (this.samples.length > 2 && stats.elapsedMs - this.samples[1]!.t >= WINDOW_MS) this.samples.shift();
  }

  private recent(key: 'distinct' | 'expanded'): number {
    const s = this.samples;
    if (s.length === 0) return 0;
    const last = s[s.length - 1]!;
    const first = s.length > 1 ? s[0]! : { t: 0, distinct: 0, expanded: 0 };
    const dt = last.t - first.t;
    return dt > 0 ? ((last[key] - first[key]) * 1000) / dt : 0;
  }

  /** Distinct states per second over the last few seconds. */
  get rate(): number {
    return this.recent('distinct');
  }

  /** Milliseconds left, when estimable. */
  get etaMs(): number | undefined {
    return this.stats ? estimateRemainingMs(this.levels, this.stats, this.recent('expanded')) : undefined;
  }

  /** Wall-clock time since the search started (smoother than the engine's periodic count). */
  elapsedMs(now: number = Date.now()): number {
    return Math.max(0, now - this.startedAt);
  }
}
