import type { WalkBias } from '../schedule/walk-bias.ts';
import type { ShardSpec } from './shard-spec.ts';

/**
 * Swarm search (`check --search random --swarm i/n`): n independent random
 * searches that differ on purpose, after SPIN's swarm verification. Each
 * shard gets its own seed (derived from the base seed and its index) and
 * its own walk options, chosen by its index from three dimensions so that
 * consecutive shards differ in the first one:
 *   1. which thread the walks favour (none, or thread t picked 4× as often);
 *   2. stickiness: how often the thread that moved last moves again
 *      (0, 50, 80, 95 %: from many preemptions to long runs of one thread);
 *   3. depth limit: the walks are cut at 1, 1/2 or 1/4 of --max-depth.
 * Shard 1 is the plain random search (no lean, full depth).
 */
export interface SwarmConfig {
  readonly index: number;
  readonly count: number;
  readonly baseSeed: number;
  /** fast-check seed of this shard. */
  readonly seed: number;
  /** The favoured thread's name, or null. */
  readonly favours: string | null;
  /** Per mille. */
  readonly stickiness: number;
  /** Longest walk of this shard. */
  readonly maxSteps: number;
}

const STICKINESS = [0, 500, 800, 950] as const;
const DEPTH_DIVISORS = [1, 2, 4] as const;
const FAVOURED_WEIGHT = 4;

/** A 31-bit seed from the base seed and the shard index (a murmur3 finaliser: nearby inputs, unrelated outputs). */
export function shardSeed(base: number, index: number): number {
  let h = (base ^ Math.imul(index, 0x9e3779b9)) | 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h & 0x7fffffff;
}

export function swarmConfig(
  spec: ShardSpec,
  baseSeed: number,
  threads: readonly string[],
  maxSteps: number,
): SwarmConfig {
  let k = spec.index - 1;
  const favoured = k % (threads.length + 1);
  k = Math.floor(k / (threads.length + 1));
  const stickiness = STICKINESS[k % STICKINESS.length]!;
  k = Math.floor(k / STICKINESS.length);
  const divisor = DEPTH_DIVISORS[k % DEPTH_DIVISORS.length]!;
  return {
    index: spec.index,
    count: spec.count,
    baseSeed,
    seed: shardSeed(baseSeed, spec.index),
    favours: favoured === 0 ? null : threads[favoured - 1]!,
    stickiness,
    maxSteps: Math.max(1, Math.floor(maxSteps / divisor)),
  };
}

/** The walk lean of a configuration, for the random search. */
export function biasOf(c: SwarmConfig, threads: readonly string[]): WalkBias {
  return {
    ...(c.favours !== null ? { weights: threads.map((t) => (t === c.favours ? FAVOURED_WEIGHT : 1)) } : {}),
    ...(c.stickiness > 0 ? { stickiness: c.stickiness } : {}),
  };
}

export function describeSwarm(c: SwarmConfig): string {
  const lean = [
    c.favours !== null ? `favours ${c.favours}` : undefined,
    c.stickiness > 0 ? `stickiness ${c.stickiness / 10}%` : undefined,
  ].filter((x) => x !== undefined);
  return `swarm shard ${c.index}/${c.count}: seed ${c.seed} (base ${c.baseSeed}), ${lean.length ? lean.join(', ') : 'no lean'}, walks of at most ${c.maxSteps} steps`;
}
