import type fc from 'fast-check';

/**
 * How a random walk leans when it picks the next thread (swarm search gives
 * each shard a different lean, so that the shards explore differently, as
 * SPIN's swarm varies its search options). Weights are whole numbers.
 */
export interface WalkBias {
  /** Weight of each thread by tid (default 1): a thread of weight 4 is picked 4× as often as one of weight 1. */
  readonly weights?: readonly number[];
  /** Per mille (0–1000): the chance that the thread that moved last moves again when it can (fewer context switches). */
  readonly stickiness?: number;
}

/** Picks among `movable` (by index) the thread to move, leaning as `bias` says. */
export function pickThread(
  bias: WalkBias,
  movable: readonly { readonly tid: number }[],
  last: number | undefined,
  mrng: fc.Random,
): number {
  const stick = bias.stickiness ?? 0;
  if (stick > 0 && last !== undefined) {
    const i = movable.findIndex((m) => m.tid === last);
    if (i >= 0 && mrng.nextInt(0, 999) < stick) return i;
  }
  const weights = movable.map((m) => bias.weights?.[m.tid] ?? 1);
  let r = mrng.nextInt(0, weights.reduce((a, b) => a + b, 0) - 1);
  for (let i = 0; i < weights.length; i++) {
    r -= weights[i]!;
    if (r < 0) return i;
  }
  return weights.length - 1;
}
