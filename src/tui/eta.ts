import type { SearchStats } from '../explore/stats.ts';

/**
 * Estimated time left for a BFS, or undefined when no honest estimate exists.
 *
 * Once the BFS levels shrink, level sizes fall roughly geometrically with a
 * ratio r < 1; the frontier then holds about one level, and the states still
 * to expand are about queue × (1 + r + r² + …) = queue / (1 − r). While levels
 * still grow (or the search is a DFS, which has no levels) the total is
 * unknowable and no ETA is shown rather than a made-up one.
 *
 * @param levels sizes of the completed BFS levels, in depth order
 * @param expandRate states expanded per second, measured recently
 */
export function estimateRemainingMs(
  levels: readonly number[],
  stats: SearchStats,
  expandRate: number,
): number | undefined {
  const n = levels.length;
  if (n < 3 || expandRate <= 0) return undefined;
  const r1 = levels[n - 1]! / levels[n - 2]!;
  const r2 = levels[n - 2]! / levels[n - 3]!;
  if (!(r1 < 1 && r2 < 1)) return undefined;
  const r = Math.min(0.95, (r1 + r2) / 2);
  return ((stats.queue / (1 - r)) * 1000) / expandRate;
}
