import type { VerifyJob } from '../matrix/verify-job.ts';
import type { CellCosts } from './costs.ts';
import { partition } from './partition.ts';
import type { ShardSpec } from './shard-spec.ts';
import type { ShardInfo } from './verify-result.ts';

/**
 * The jobs of one shard of the matrix (`verify --shard i/n`): the matrix is
 * partitioned (src/shard/partition.ts) by the costs when given, else evenly,
 * and this shard keeps its part in matrix order, with the cells' matrix ids.
 */
export function shardJobs(
  jobs: readonly VerifyJob[],
  spec: ShardSpec,
  costs?: CellCosts,
): { jobs: VerifyJob[]; shard: ShardInfo } {
  const assigned = partition(
    jobs.map((j) => costs?.costs.get(j.label)),
    spec.count,
  );
  const mine = jobs.filter((_, i) => assigned[i] === spec.index);
  return {
    jobs: mine,
    shard: {
      index: spec.index,
      count: spec.count,
      partition: costs ? `costs ${costs.digest}` : 'even',
      cells: mine.map((j) => j.label),
    },
  };
}
