import { KvmcheckError } from '../errors.ts';

/** One shard of a run split `count` ways: `index` is 1-based, as on the command line (`--shard 2/8`). */
export interface ShardSpec {
  readonly index: number;
  readonly count: number;
}

/** More shards than any batch engine runs; a bigger count is a typo. */
export const MAX_SHARDS = 100_000;

/** Parses `i/n` (1 ≤ i ≤ n) from `--<flag> i/n`; anything else is a usage error. */
export function parseShardSpec(raw: string, flag: string): ShardSpec {
  const m = /^(\d{1,6})\/(\d{1,6})$/.exec(raw.trim());
  const index = m ? Number(m[1]) : NaN;
  const count = m ? Number(m[2]) : NaN;
  if (!m || count < 1 || count > MAX_SHARDS || index < 1 || index > count)
    throw new KvmcheckError(
      'E_USAGE',
      `--${flag} ${raw}: expected i/n with 1 ≤ i ≤ n ≤ ${MAX_SHARDS}`,
      `e.g. --${flag} 2/8 runs the second of eight shards (a 0-based array index i runs as --${flag} $((i+1))/n)`,
    );
  return { index, count };
}

export function describeShard(s: ShardSpec): string {
  return `${s.index}/${s.count}`;
}
