/**
 * Deterministic partition of matrix cells over shards. Every shard of a run
 * computes the same partition from the same inputs (the matrix in order and,
 * when given, the same costs), so each cell runs in exactly one shard
 * without any coordination between them.
 */

/** A cell's expected cost, or undefined when nothing is known about it. */
export type CellCost = number | undefined;

/** What a cell costs besides its transitions (start-up, model load): keeps tiny cells from piling up. */
export const CELL_OVERHEAD = 1000;

/**
 * The shard (1-based) of each cell, for `count` shards. Without costs (all
 * undefined) cells are dealt round-robin in matrix order, so each shard gets
 * as many cells, from every model. With costs, longest-processing-time
 * first: cells by decreasing cost (ties in matrix order) each go to the
 * least loaded shard (ties to the lowest index), which keeps the largest
 * shard within 4/3 of the best possible. A cell of unknown cost counts as
 * the median of the known ones.
 */
export function partition(costs: readonly CellCost[], count: number): number[] {
  const known = costs.filter((c): c is number => c !== undefined).sort((a, b) => a - b);
  if (known.length === 0) return costs.map((_, i) => (i % count) + 1);
  const median = known[Math.floor((known.length - 1) / 2)]!;
  const cost = costs.map((c) => (c ?? median) + CELL_OVERHEAD);
  const order = cost.map((_, i) => i).sort((a, b) => cost[b]! - cost[a]! || a - b);
  const load = new Array<number>(count).fill(0);
  const out = new Array<number>(costs.length);
  for (const i of order) {
    let best = 0;
    for (let s = 1; s < count; s++) if (load[s]! < load[best]!) best = s;
    load[best]! += cost[i]!;
    out[i] = best + 1;
  }
  return out;
}
