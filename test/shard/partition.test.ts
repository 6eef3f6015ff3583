import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CELL_OVERHEAD, partition } from '../../src/shard/partition.ts';
import { parseShardSpec } from '../../src/shard/shard-spec.ts';

describe('partition of matrix cells over shards', () => {
  it('without costs deals the cells round-robin in matrix order', () => {
    expect(partition(new Array(7).fill(undefined), 3)).toEqual([1, 2, 3, 1, 2, 3, 1]);
    expect(partition([undefined, undefined], 5)).toEqual([1, 2]);
  });

  it('with costs puts the largest cells on separate shards and fills the rest longest-first', () => {
    // matrix order: a cheap cell, the two big ones, more cheap ones
    expect(partition([10, 100_000, 90_000, 10, 10, 10], 2)).toEqual([2, 1, 2, 2, 2, 2]);
    // an unknown cell counts as the median of the known ones
    expect(partition([100, undefined, 300, 200], 2)).toEqual([1, 2, 1, 2]);
  });

  it('every cell lands in exactly one shard 1..n, the same for the same input, within 4/3 of the best', () => {
    fc.assert(
      fc.property(
        fc.array(fc.option(fc.nat(1_000_000), { nil: undefined }), { maxLength: 8 }),
        fc.integer({ min: 1, max: 3 }),
        (costs, n) => {
          const a = partition(costs, n);
          expect(a).toEqual(partition(costs, n));
          expect(a.length).toBe(costs.length);
          expect(a.every((s) => Number.isInteger(s) && s >= 1 && s <= n)).toBe(true);
          const known = costs.filter((c) => c !== undefined);
          if (known.length === 0) return;
          const sorted = [...known].sort((x, y) => x - y);
          const median = sorted[Math.floor((sorted.length - 1) / 2)]!;
          const cost = costs.map((c) => (c ?? median) + CELL_OVERHEAD);
          const load = new Array<number>(n).fill(0);
          a.forEach((s, i) => (load[s - 1]! += cost[i]!));
          // the best split, by trying them all (n^cells ≤ 3^8); LPT stays within 4/3 of it
          let best = Infinity;
          for (let code = 0; code < n ** cost.length; code++) {
            const l = new Array<number>(n).fill(0);
            let c = code;
            for (const x of cost) {
              l[c % n]! += x;
              c = Math.floor(c / n);
            }
            best = Math.min(best, Math.max(...l));
          }
          expect(Math.max(...load)).toBeLessThanOrEqual((4 / 3) * best + 1e-6);
        },
      ),
      { seed: 18, numRuns: 300 },
    );
  });
});

describe('--shard i/n', () => {
  it('reads i/n with 1 ≤ i ≤ n and refuses anything else with a usage error naming the 0-based fix', () => {
    expect(parseShardSpec('2/8', 'shard')).toEqual({ index: 2, count: 8 });
    expect(parseShardSpec(' 1/1 ', 'shard')).toEqual({ index: 1, count: 1 });
    for (const bad of ['0/3', '4/3', '1/0', '1', '1/2/3', '-1/3', 'a/b', '1/1000000'])
      expect(() => parseShardSpec(bad, 'shard'), bad).toThrow(expect.objectContaining({ code: 'E_USAGE' }));
    try {
      parseShardSpec('0/3', 'shard');
    } catch (e) {
      expect((e as { hint: string }).hint).toContain('$((i+1))/n');
    }
  });
});
