import type { SearchStats } from '../explore/stats.ts';

/** Ratios of consecutive level sizes fitted to project the levels still to come. */
const FIT = 6;
/** A projection past this many states is no projection at all. */
const MAX_PROJECTED = 1e12;

/**
 * States the BFS has still to expand, projected from the sizes of its
 * completed levels, or undefined when they give no honest basis.
 *
 * The growth ratio r of consecutive levels (level d / level d−1) falls as a
 * bounded state space fills. 1/(1 + r) is fitted with a straight line over
 * the last few levels (exact for binomial level sizes, close for the
 * bell-shaped profiles of interleavings) and followed until the levels die
 * out; the projected levels are added to what is queued. Once the levels shrink the tail is taken as
 * geometric (queue × 1/(1 − r)). While the ratios do not fall (or the
 * search is a DFS, which has no levels) nothing is projected: no ETA is
 * shown rather than a made-up one. Callers label the result a projection.
 *
 * @param levels sizes of the completed BFS levels, in depth order
 */
export function projectRemainingStates(levels: readonly number[], queue: number): number | undefined {
  const n = levels.length;
  if (n < 3) return undefined;
  const ratio = (i: number): number => levels[i]! / levels[i - 1]!;
  const r1 = ratio(n - 1);
  const r2 = ratio(n - 2);
  if (r1 < 1 && r2 < 1) return queue / (1 - Math.min(0.95, (r1 + r2) / 2));
  // least squares through (i, ratio(i)) for the last FIT ratios
  const xs: number[] = [];
  for (let i = Math.max(1, n - FIT); i < n; i++) xs.push(i);
  if (xs.length < 3) return undefined;
  // 1 / (1 + ratio) is a straight line for binomial level sizes (C(n, d): ratio (n − d + 1) / d)
  const ys = xs.map((i) => 1 / (1 + ratio(i)));
  const mx = xs.reduce((a, x) => a + x, 0) / xs.length;
  const my = ys.reduce((a, y) => a + y, 0) / ys.length;
  const sxx = xs.reduce((a, x) => a + (x - mx) ** 2, 0);
  const slope = xs.reduce((a, x, k) => a + (x - mx) * (ys[k]! - my), 0) / sxx;
  if (!(slope > 1e-4)) return undefined;
  let size = levels[n - 1]!;
  let total = 0;
  for (let i = n; i < n + 100_000; i++) {
    const y = my + slope * (i - mx);
    if (y >= 1) break;
    const r = 1 / y - 1;
    size *= r;
    if (size < 1) break;
    total += size;
    if (total > MAX_PROJECTED) return undefined;
  }
  return queue + total;
}

/**
 * Time left for a BFS at `expandRate` states expanded per second, projected
 * from its levels (see `projectRemainingStates`), or undefined.
 */
export function estimateRemainingMs(
  levels: readonly number[],
  stats: SearchStats,
  expandRate: number,
): number | undefined {
  if (expandRate <= 0) return undefined;
  const left = projectRemainingStates(levels, stats.queue);
  return left === undefined ? undefined : (left * 1000) / expandRate;
}
