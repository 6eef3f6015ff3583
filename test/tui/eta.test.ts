import { describe, expect, it } from 'vitest';
import type { SearchStats } from '../../src/explore/stats.ts';
import { estimateRemainingMs, projectRemainingStates } from '../../src/tui/eta.ts';
import { SearchTracker } from '../../src/tui/search-tracker.ts';

const stats = (o: Partial<SearchStats>): SearchStats => ({
  distinct: 0,
  expanded: 0,
  transitions: 0,
  queue: 0,
  depth: 0,
  rate: 0,
  elapsedMs: 0,
  visitedBytes: 0,
  ...o,
});

describe('ETA from BFS level sizes', () => {
  it('gives none while the growth does not slow down, or with too few levels', () => {
    expect(estimateRemainingMs([1, 3, 9, 27], stats({ queue: 81 }), 100)).toBeUndefined();
    expect(estimateRemainingMs([100, 50], stats({ queue: 25 }), 100)).toBeUndefined();
    // growth that does not slow down: nothing to project from
    expect(estimateRemainingMs([1, 2, 4, 8, 16, 32], stats({ queue: 64 }), 100)).toBeUndefined();
  });

  it('on a geometric tail, is the remaining expansions over the expansion rate', () => {
    // levels halve: the queue (the next level, 100) plus 50 + 25 + … ≈ 200 expansions left
    const ms = estimateRemainingMs([800, 400, 200], stats({ queue: 100 }), 50);
    expect(ms).toBeCloseTo(4000, 5);
  });

  it('projects the levels still to come while they grow, when their growth slows', () => {
    // level sizes C(30, d): at depth 8 the BFS has seen 8 growing levels; what is left (levels
    // 8 … 30) is projected to within a few per cent
    const C = (n: number, k: number): number => {
      let r = 1;
      for (let i = 1; i <= k; i++) r = (r * (n - k + i)) / i;
      return r;
    };
    const levels = Array.from({ length: 31 }, (_, d) => C(30, d));
    const left = levels.slice(8).reduce((a, b) => a + b, 0);
    const projected = projectRemainingStates(levels.slice(0, 8), levels[8]!)!;
    expect(projected / left).toBeGreaterThan(0.95);
    expect(projected / left).toBeLessThan(1.05);
    // and the ETA is that over the expansion rate
    expect(estimateRemainingMs(levels.slice(0, 8), stats({ queue: levels[8]! }), 1e6)).toBeCloseTo(
      projected / 1000,
      3,
    );
  });

  it('matches the real remaining time of a search whose levels halve', () => {
    // A search expanding 1000 states/s through levels 1024, 512, …, 1: after level 128
    // the rest (64 + 32 + … + 1 = 127 states) takes 127 ms; the estimate is close.
    const levels = [1024, 512, 256, 128];
    const ms = estimateRemainingMs(levels, stats({ queue: 64 }), 1000)!;
    expect(ms).toBeGreaterThan(100);
    expect(ms).toBeLessThan(160);
  });
});

describe('SearchTracker', () => {
  it('measures rates over the recent window, not since the start', () => {
    const t = new SearchTracker('m/s', 0);
    t.update(stats({ distinct: 10_000, expanded: 9000, elapsedMs: 10_000 }));
    t.update(stats({ distinct: 10_100, expanded: 9100, elapsedMs: 11_000 }));
    expect(t.rate).toBe(100);
  });

  it('collects level sizes across updates and estimates from them', () => {
    const t = new SearchTracker('m/s', 0);
    t.update(stats({ expanded: 0, elapsedMs: 0 }), [800]);
    t.update(stats({ expanded: 1000, elapsedMs: 1000, queue: 100 }), [400, 200]);
    expect(t.levels).toEqual([800, 400, 200]);
    expect(t.etaMs).toBeCloseTo(200, 5);
  });
});
