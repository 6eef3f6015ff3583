import { describe, expect, it } from 'vitest';
import model from '../../models/bench/kvm-bench.ts';
import { explore } from '../../src/driver/explore.ts';
import { Search } from '../../src/explore/search.ts';
import type { SearchOptions } from '../../src/explore/options.ts';
import type { SearchResult } from '../../src/explore/result.ts';
import { instantiate } from '../../src/model/instance.ts';

const timeless = (r: SearchResult) => ({ ...r, elapsedMs: 0 });

/** Stops after every slice of ~128 expansions, exports, and resumes in a new Search from a deep copy. */
function stopAndResume(params: Record<string, unknown>, options: Partial<SearchOptions>): SearchResult {
  const inst = instantiate(model, { params });
  let s = new Search(inst, options);
  let r = s.done;
  let rounds = 0;
  while (!r) {
    r = s.runSlice(0);
    if (!r && rounds++ % 7 === 0) s = Search.resume(inst, options, structuredClone(s.exportProgress()));
  }
  return r;
}

describe('export and resume of a search', () => {
  const cases: [string, Record<string, unknown>, Partial<SearchOptions>][] = [
    ['holds (1 vCPU, BFS)', { vcpus: 1 }, {}],
    ['holds (1 vCPU, DFS)', { vcpus: 1 }, { search: 'dfs' }],
    ['violated with a trace (seed race, BFS)', { prefault: true }, {}],
    ['violated with symmetry (no retry, 2 vCPUs)', { retry: false }, { symmetry: true }],
  ];
  for (const [name, params, opts] of cases) {
    it(`${name}: identical verdict, counts, trace and coverage`, () => {
      const options = { checkDeadlock: false, ...opts };
      const whole = explore(instantiate(model, { params }), options);
      expect(timeless(stopAndResume(params, options))).toEqual(timeless(whole));
    });
  }
});
