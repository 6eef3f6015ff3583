import { describe, expect, it } from 'vitest';
import bench from '../../models/bench/kvm-bench.ts';
import { explore } from '../../src/driver/explore.ts';
import { Search } from '../../src/explore/search.ts';
import type { SearchOptions } from '../../src/explore/options.ts';
import type { SearchResult } from '../../src/explore/result.ts';
import { instantiate } from '../../src/model/instance.ts';

const timeless = (r: SearchResult) => ({ ...r, elapsedMs: 0 });

/** Stops after every slice, exports, and resumes every few slices from a deep copy of the progress. */
function stopAndResume(params: Record<string, unknown>, options: Partial<SearchOptions>): SearchResult {
  const inst = instantiate(bench, { params });
  let s = new Search(inst, options);
  let r = s.done;
  for (let rounds = 0; !r; rounds++) {
    r = s.runSlice(0);
    if (!r && rounds % 5 === 0) s = Search.resume(inst, options, structuredClone(s.exportProgress()));
  }
  return r;
}

describe('sleep sets', () => {
  const variants: [string, Record<string, unknown>][] = [
    ['fixed, 1 vCPU', { vcpus: 1 }],
    ['seed race', { prefault: true }],
    ['no retry', { retry: false }],
  ];
  for (const [name, params] of variants)
    it(`kvm-bench ${name}: same verdict as persistent sets alone, fewer transitions`, () => {
      const inst = instantiate(bench, { params });
      for (const search of ['bfs', 'dfs'] as const) {
        const o = { checkDeadlock: false, por: 'on', search } as const;
        const alone = explore(inst, { ...o, sleepSets: false });
        const sleep = explore(inst, o);
        expect([sleep.verdict, sleep.property]).toEqual([alone.verdict, alone.property]);
        if (alone.verdict === 'holds') expect(sleep.transitions).toBeLessThan(alone.transitions);
      }
    });

  const resumed: [string, Record<string, unknown>, Partial<SearchOptions>][] = [
    ['holds, 1 vCPU, BFS', { vcpus: 1 }, {}],
    ['holds, 1 vCPU, DFS', { vcpus: 1 }, { search: 'dfs' }],
    ['violated, symmetry', { retry: false }, { symmetry: true }],
  ];
  for (const [name, params, opts] of resumed)
    it(`${name}: a search stopped and resumed many times ends exactly like an uninterrupted one`, () => {
      const options = { checkDeadlock: false, por: 'on', ...opts } as const;
      const whole = explore(instantiate(bench, { params }), options);
      expect(timeless(stopAndResume(params, options))).toEqual(timeless(whole));
    });
});
