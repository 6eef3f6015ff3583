import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cacheStats } from './cache-stats.ts';
import { explore } from '../../../src/driver/explore.ts';
import { Search } from '../../../src/explore/search.ts';
import type { SearchOptions } from '../../../src/explore/options.ts';
import type { SearchResult } from '../../../src/explore/result.ts';
import { instantiate } from '../../../src/model/instance.ts';
import type { Instance } from '../../../src/model/instance.ts';
import benchModel from '../../../models/bench/kvm-bench.ts';
import { naiveReachable } from '../../explore/reference-explorer.ts';
import { cacheTuning } from '../../../src/expand/cache/transition-cache.ts';
import { DONE, defineModel, program } from '../../../src/index.ts';
import { buildCacheModel, cacheModelArb } from './cache-models.ts';

/** What must not depend on the cache: everything but timing. */
function outcome(r: SearchResult): unknown {
  const { elapsedMs: _e, ...rest } = r;
  return rest;
}

function run(inst: Instance, o: Partial<SearchOptions>): { r: SearchResult; hits: number } {
  const s = new Search(inst, o);
  const r = s.runSlice()!;
  return { r, hits: cacheStats(s)?.hits ?? 0 };
}

describe('transition cache', () => {
  it('random models: the same states, transitions, verdicts, traces and coverage as without it', () => {
    let hits = 0;
    fc.assert(
      fc.property(cacheModelArb, fc.constantFrom<'bfs' | 'dfs'>('bfs', 'dfs'), (gen, search) => {
        const m = buildCacheModel(gen);
        const on = run(instantiate(m), { search });
        const off = run(instantiate(m), { search, cache: false });
        expect(off.hits).toBe(0);
        expect(outcome(on.r)).toEqual(outcome(off.r));
        const por = run(instantiate(m), { search, por: 'on' });
        expect(outcome(por.r)).toEqual(outcome(run(instantiate(m), { search, por: 'on', cache: false }).r));
        hits += on.hits;
        if (on.r.verdict === 'holds' || gen.bad === null) {
          const all = run(instantiate(m), { search, checkDeadlock: false });
          expect(all.r.states).toBe(naiveReachable(instantiate(m)).states);
        }
      }),
      { numRuns: 150 },
    );
    expect(hits).toBeGreaterThan(0); // the cache was exercised, not bypassed
  });

  it('switching itself off midway (too few hits) changes no result', () => {
    const saved = { ...cacheTuning };
    Object.assign(cacheTuning, { probation: 7, minHitRate: 2 });
    try {
      let offs = 0;
      fc.assert(
        fc.property(cacheModelArb, (gen) => {
          const m = buildCacheModel(gen);
          const on = run(instantiate(m), {});
          const s = new Search(instantiate(m), {});
          s.runSlice();
          if (cacheStats(s)!.off) offs++;
          expect(outcome(on.r)).toEqual(outcome(run(instantiate(m), { cache: false }).r));
        }),
        { numRuns: 60 },
      );
      expect(offs).toBeGreaterThan(0);
      const inst = (): Instance => instantiate(benchModel, { params: { vcpus: 1 } });
      const s = new Search(inst(), { checkDeadlock: false });
      const r = s.runSlice()!;
      expect(cacheStats(s)!.off).toBe(true);
      expect(outcome(r)).toEqual(outcome(run(inst(), { checkDeadlock: false, cache: false }).r));
    } finally {
      Object.assign(cacheTuning, saved);
    }
  });

  it('a step whose reads depend on the data gets at most 8 read patterns per pc, and the same results', () => {
    type G = Record<string, number>;
    const keys = Array.from({ length: 12 }, (_, i) => `m${i}`);
    const m = defineModel<G>({
      name: 'varying-reads',
      description: 'the member a step reads is chosen by another member',
      init: () => Object.fromEntries([['sel', 0], ...keys.map((k) => [k, 0])]) as G,
      threads: () => [
        {
          name: 'picker',
          program: program<G, Record<string, never>>('pick', [
            {
              label: 'pick',
              choose: () => keys.map((_, i) => i),
              run: ({ g }, i: number) => void (g.sel = i),
            },
            { label: 'end', run: () => DONE },
          ]),
          local: {},
        },
        {
          name: 'reader',
          program: program<G, Record<string, never>>('read', [
            { label: 'read', run: ({ g }) => void (g[`m${g.sel}`] = (g[`m${g.sel}`]! + 1) % 2) },
            { label: 'again', run: ({ g }) => void (g[`m${g.sel}`] = (g[`m${g.sel}`]! + 1) % 2) },
            { label: 'end', run: () => DONE },
          ]),
          local: {},
        },
      ],
      properties: [],
    });
    const s = new Search(instantiate(m), { checkDeadlock: false });
    const r = s.runSlice()!;
    expect(outcome(r)).toEqual(outcome(run(instantiate(m), { checkDeadlock: false, cache: false }).r));
    type Inner = {
      cache: { layouts: Map<unknown, { groups: { get(pc: number): unknown[] | undefined }[] } | undefined> };
    };
    const layouts = [...(s.expander as unknown as Inner).cache.layouts.values()].filter(
      (l) => l !== undefined,
    );
    const sizes = layouts.flatMap((l) => [0, 8, 16].map((pc) => l!.groups[1]!.get(pc)?.length ?? 0));
    expect(Math.max(...sizes)).toBe(8);
  });

  it('serves most transitions of kvm-bench from memory, with partial-order reduction and symmetry too', () => {
    const inst = (): Instance => instantiate(benchModel, { params: { vcpus: 1 } });
    const s = new Search(inst(), { checkDeadlock: false });
    const r = s.runSlice()!;
    const st = cacheStats(s)!;
    expect(r.verdict).toBe('holds');
    expect(st.off).toBe(false);
    expect(st.hits / st.lookups).toBeGreaterThan(0.9);
    expect(r.states).toBe(explore(inst(), { checkDeadlock: false, cache: false }).states);
    const two = (): Instance => instantiate(benchModel, { params: { vcpus: 2 } });
    // with symmetry (successors put in canonical form on words): exactly the same search
    for (const por of ['off', 'on'] as const) {
      const o = { checkDeadlock: false, symmetry: true, por, maxStates: 20_000 };
      const sym = new Search(two(), o);
      const rs = sym.runSlice()!;
      expect(cacheStats(sym)!.hits / cacheStats(sym)!.lookups).toBeGreaterThan(0.9);
      expect(outcome(rs)).toEqual(outcome(run(two(), { ...o, cache: false }).r));
    }
    // with partial-order reduction it is used, and changes nothing
    const p = { checkDeadlock: false, por: 'on', maxStates: 20_000 } as const;
    const por = new Search(two(), p);
    const rp = por.runSlice()!;
    expect(cacheStats(por)!.hits).toBeGreaterThan(0);
    expect(outcome(rp)).toEqual(outcome(run(two(), { ...p, cache: false }).r));
  });
});
