import { describe, expect, it } from 'vitest';
import { cacheStats } from './cache-stats.ts';
import { Search } from '../../../src/explore/search.ts';
import type { SearchOptions } from '../../../src/explore/options.ts';
import type { SearchResult } from '../../../src/explore/result.ts';
import { PackedQueue } from '../../../src/explore/packed-queue.ts';
import { cacheTuning } from '../../../src/expand/cache/transition-cache.ts';
import { instantiate } from '../../../src/model/instance.ts';
import { DONE, defineModel, invariant, program } from '../../../src/index.ts';
import benchModel from '../../../models/bench/kvm-bench.ts';
import { naiveReachable } from '../../explore/reference-explorer.ts';

function outcome(r: SearchResult): unknown {
  const { elapsedMs: _e, ...rest } = r;
  return rest;
}

describe('inherited cache entries', () => {
  it('records travel with their entries through the packed queue; imported ones are not used', () => {
    const q = new PackedQueue(3);
    q.push(Int32Array.of(1, 2), 2, 5, 1, 0, Int32Array.of(7, 8, 0));
    q.push(Int32Array.of(1, 3), 2, 6, 1); // no record: all -1 (generation -1, which no table has)
    q.pop();
    expect([q.index, ...q.rec!]).toEqual([5, 7, 8, 0]);
    q.pop();
    expect([q.index, ...q.rec!]).toEqual([6, -1, -1, -1]);
    q.push(Int32Array.of(4), 1, 7, 2, 0, Int32Array.of(1, 2, 3));
    const copy = new PackedQueue(3);
    copy.import(q.export());
    copy.pop();
    expect([copy.index, copy.depth, copy.buf[0], copy.rec]).toEqual([7, 2, 4, undefined]);
  });

  it('a successor keeps its parent entry only where the step wrote nothing it read, also past 31 slots', () => {
    // 40 members of g: slots 31 and above share one bit of the masks
    type G = Record<string, number>;
    const keys = Array.from({ length: 40 }, (_, i) => `m${i}`);
    const wide = (bad: boolean) =>
      defineModel<G>({
        name: 'wide',
        description: 'readers of high-numbered members, and writers of them and of their neighbours',
        init: () => Object.fromEntries(keys.map((k) => [k, 0])) as G,
        threads: () => [
          {
            name: 'reader',
            program: program<G, { v: number; w: number }>('read', [
              { label: 'copy36', run: ({ g, local }) => void (local.v = g.m36!) },
              { label: 'copy2', run: ({ g, local }) => void (local.w = g.m2!) },
              { label: 'again', run: ({ local }) => (local.v + local.w > 2 ? DONE : 'copy36') },
            ]),
            local: { v: 0, w: 0 },
          },
          {
            name: 'writer',
            program: program<G, Record<string, never>>('write', [
              { label: 'w36', run: ({ g }) => void (g.m36 = 1) },
              { label: 'w39', run: ({ g }) => void (g.m39 = 1) },
              { label: 'w2', run: ({ g }) => void (g.m2 = 2) },
              { label: 'w3', run: ({ g }) => void (g.m3 = 1) },
              { label: 'w36b', run: ({ g }) => void (g.m36 = 2) },
              { label: 'end', run: () => DONE },
            ]),
            local: {},
          },
          {
            // independent of both: their expansions recur in each of its states
            name: 'ticker',
            program: program<G, { n: number }>('tick', [
              { label: 'tick', run: ({ local }) => (++local.n === 4 ? DONE : 'tick') },
            ]),
            local: { n: 0 },
          },
        ],
        // the reader saw the first value of m36 and the writer has since stored the second
        properties: bad
          ? [
              invariant<G>({
                name: 'stale',
                description: 'the reader holds the first m36 after the second was stored',
                holds: (s) => !(s.g.m36 === 2 && (s.threads[0]!.local as { v: number }).v === 1),
              }),
            ]
          : [],
      });
    const run = (bad: boolean, o: Partial<SearchOptions>): { r: SearchResult; inherited: number } => {
      const s = new Search(instantiate(wide(bad)), { checkDeadlock: false, ...o });
      const r = s.runSlice()!;
      return { r, inherited: cacheStats(s)?.inherited ?? 0 };
    };
    for (const bad of [false, true]) {
      const on = run(bad, {});
      const off = run(bad, { cache: false });
      expect(on.inherited).toBeGreaterThan(0);
      expect(outcome(on.r)).toEqual(outcome(off.r));
      expect(on.r.verdict).toBe(bad ? 'violated' : 'holds');
    }
    const all = naiveReachable(instantiate(wide(false)));
    const on = run(false, {}).r;
    expect([on.states, on.transitions]).toEqual([all.states, all.transitions]);
  });

  it('entries passed down before the table started over are not taken', () => {
    const saved = { ...cacheTuning };
    Object.assign(cacheTuning, { stepWords: 600 }); // starts over every few dozen entries
    try {
      const inst = () => instantiate(benchModel, { params: { vcpus: 1 } });
      const s = new Search(inst(), { checkDeadlock: false });
      const r = s.runSlice()!;
      expect(cacheStats(s)!.inherited).toBeGreaterThan(0);
      expect(
        (s.expander as unknown as { cache: { steps: { generation: number } } }).cache.steps.generation,
      ).toBeGreaterThan(10);
      Object.assign(cacheTuning, saved);
      expect(outcome(r)).toEqual(
        outcome(new Search(inst(), { checkDeadlock: false, cache: false }).runSlice()!),
      );
    } finally {
      Object.assign(cacheTuning, saved);
    }
  });

  it('kvm-bench: most thread expansions are passed down, not looked up, and the search is the same', () => {
    const inst = () => instantiate(benchModel, { params: { vcpus: 1 } });
    const s = new Search(inst(), { checkDeadlock: false });
    const r = s.runSlice()!;
    const st = cacheStats(s)!;
    expect(st.inherited / st.lookups).toBeGreaterThan(0.5);
    const dfs = new Search(inst(), { checkDeadlock: false, search: 'dfs' });
    expect(dfs.runSlice()!.states).toBe(r.states);
    expect(cacheStats(dfs)!.inherited).toBe(0); // depth-first: looked up
    const off = new Search(inst(), { checkDeadlock: false, cache: false }).runSlice()!;
    expect(outcome(r)).toEqual(outcome(off));
  });
});
