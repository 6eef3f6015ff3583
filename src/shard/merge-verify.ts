import { KvmcheckError } from '../errors.ts';
import type { VerifyRow } from '../matrix/verify-row.ts';
import type { MatrixInfo } from './matrix.ts';
import type { VerifyResultFile } from './verify-result.ts';

/** One input of a merge, as the merged result lists it. */
export interface MergedShard {
  readonly file: string;
  readonly index: number;
  readonly count: number;
  readonly cells: number;
  readonly elapsedMs: number;
}

export interface MergedVerify {
  readonly kvmcheckVersion: string;
  readonly matrix: MatrixInfo;
  readonly rows: readonly VerifyRow[];
  readonly shards: readonly MergedShard[];
  /** The longest shard's time: the wall time when the shards ran at once. */
  readonly elapsedMs: number;
}

const mismatch = (message: string): KvmcheckError =>
  new KvmcheckError(
    'E_RESULT_MISMATCH',
    message,
    'merge the shards of one run: the same kvmcheck, the same models and the same verify command line apart from --shard',
  );

function list(xs: readonly string[], max = 8): string {
  return xs.length <= max ? xs.join(', ') : `${xs.slice(0, max).join(', ')} and ${xs.length - max} more`;
}

/** Why two matrices differ, in words (they do: their digests differ). */
function matrixDifference(a: VerifyResultFile, b: VerifyResultFile): string {
  const ma = a.matrix;
  const mb = b.matrix;
  const da = new Map(ma.cells.map((c) => [c.cell, c.digest]));
  const changed = mb.cells.filter((c) => da.has(c.cell) && da.get(c.cell) !== c.digest).map((c) => c.cell);
  if (changed.length > 0)
    return `the models differ between ${a.file} and ${b.file} (digests of ${list(changed)} are not the same: an edited model or another checkout)`;
  const onlyA = ma.cells.filter((c) => !mb.cells.some((x) => x.cell === c.cell)).map((c) => c.cell);
  const onlyB = mb.cells.filter((c) => !da.has(c.cell)).map((c) => c.cell);
  if (onlyA.length > 0 || onlyB.length > 0)
    return `${a.file} and ${b.file} are of different matrices (another --filter or other model files): ${
      onlyA.length ? `only in ${a.file}: ${list(onlyA)}` : `only in ${b.file}: ${list(onlyB)}`
    }`;
  if (JSON.stringify(ma.params) !== JSON.stringify(mb.params))
    return `${a.file} ran with --param ${JSON.stringify(ma.params)}, ${b.file} with ${JSON.stringify(mb.params)}`;
  if (JSON.stringify(ma.limits) !== JSON.stringify(mb.limits))
    return `${a.file} ran with limits ${JSON.stringify(ma.limits)}, ${b.file} with ${JSON.stringify(mb.limits)}`;
  return `${a.file} and ${b.file} list the matrix in another order or were edited`;
}

/**
 * Merges verify results that are shards of one run into the whole run's
 * rows, in matrix order. Refuses (coded errors) results of different
 * kvmcheck versions or matrices, shard counts or partitions; a shard given
 * twice or a cell in two results; a missing shard or a cell without a row.
 * A result without `shard` is the whole matrix (shard 1/1).
 */
export function mergeVerify(results: readonly VerifyResultFile[]): MergedVerify {
  const first = results[0]!;
  const shardOf = (r: VerifyResultFile) =>
    r.shard ?? { index: 1, count: 1, partition: 'whole', cells: r.matrix.cells.map((c) => c.cell) };
  for (const r of results.slice(1)) {
    if (r.kvmcheckVersion !== first.kvmcheckVersion)
      throw mismatch(
        `${first.file} was written by kvmcheck ${first.kvmcheckVersion}, ${r.file} by ${r.kvmcheckVersion}`,
      );
    if (r.matrix.digest !== first.matrix.digest) throw mismatch(matrixDifference(first, r));
    const a = shardOf(first);
    const b = shardOf(r);
    if (a.count !== b.count)
      throw mismatch(`${first.file} is a shard of ${a.count}, ${r.file} of ${b.count}`);
    if (a.partition !== b.partition)
      throw mismatch(
        `${first.file} was split by "${a.partition}", ${r.file} by "${b.partition}" (give every shard the same --costs file)`,
      );
  }
  const count = shardOf(first).count;
  const byIndex = new Map<number, VerifyResultFile>();
  for (const r of results) {
    const s = shardOf(r);
    const other = byIndex.get(s.index);
    if (other)
      throw new KvmcheckError(
        'E_MERGE_DUPLICATE',
        `${other.file} and ${r.file} are both shard ${s.index}/${count}`,
        'give each shard’s file once',
      );
    byIndex.set(s.index, r);
  }
  const missingShards = [];
  for (let i = 1; i <= count; i++) if (!byIndex.has(i)) missingShards.push(`${i}/${count}`);
  if (missingShards.length > 0)
    throw new KvmcheckError(
      'E_MERGE_INCOMPLETE',
      `shard${missingShards.length > 1 ? 's' : ''} ${list(missingShards)} missing (${results.length} of ${count} given)`,
      'run the missing shards with the same command line and merge all the files',
    );
  const rows = new Map<string, { row: VerifyRow; file: string }>();
  for (const r of results)
    for (const row of r.rows) {
      const other = rows.get(row.job.label);
      if (other)
        throw new KvmcheckError(
          'E_MERGE_DUPLICATE',
          `${row.job.label} has a row in ${other.file} and in ${r.file}`,
          'the shards were split differently: re-run them with the same command line',
        );
      rows.set(row.job.label, { row, file: r.file });
    }
  const missing = first.matrix.cells
    .filter((c) => !rows.has(c.cell))
    .map((c) => {
      const owner = results.find((r) => shardOf(r).cells.includes(c.cell));
      return owner ? `${c.cell} (shard ${shardOf(owner).index}, ${owner.file})` : c.cell;
    });
  if (missing.length > 0)
    throw new KvmcheckError(
      'E_MERGE_INCOMPLETE',
      `no result for ${missing.length} of ${first.matrix.cells.length} cells: ${list(missing, 5)}`,
      'a shard stopped before writing its rows: run it again and merge all the files',
    );
  return {
    kvmcheckVersion: first.kvmcheckVersion,
    matrix: first.matrix,
    rows: first.matrix.cells.map((c) => rows.get(c.cell)!.row),
    shards: [...byIndex.entries()]
      .sort(([a], [b]) => a - b)
      .map(([index, r]) => ({ file: r.file, index, count, cells: r.rows.length, elapsedMs: r.elapsedMs })),
    elapsedMs: Math.max(...results.map((r) => r.elapsedMs)),
  };
}
