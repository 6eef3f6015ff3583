import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import bench from '../../models/bench/kvm-bench.ts';
import { explore, exploreAsync } from '../../src/driver/explore.ts';
import { Search } from '../../src/explore/search.ts';
import { runParallel } from '../../src/parallel/parallel-search.ts';
import type { SearchOptions } from '../../src/explore/options.ts';
import type { SearchResult } from '../../src/explore/result.ts';
import { instantiate } from '../../src/model/instance.ts';

const modelModule = fileURLToPath(new URL('../../models/bench/kvm-bench.ts', import.meta.url));
const timeless = (r: SearchResult) => ({ ...r, elapsedMs: 0 });

describe('parallel search (worker threads)', () => {
  const cases: [string, Record<string, unknown>, Partial<SearchOptions>][] = [
    ['seed race: the same shortest counterexample', { prefault: true }, {}],
    ['1 vCPU holds', { vcpus: 1 }, {}],
    ['no retry, POR + symmetry', { retry: false }, { por: 'on', symmetry: true }],
    ['follow_pfn, POR', { wbug: true, remapPfn: true }, { por: 'on' }],
    ['1 vCPU, max-states stop', { vcpus: 1 }, { maxStates: 1000 }],
  ];
  for (const [name, params, opts] of cases)
    it(`${name}: identical results with 1, 2 and 3 workers`, async () => {
      const inst = instantiate(bench, { params });
      const options = { checkDeadlock: false, ...opts };
      const one = explore(inst, options);
      const r = await exploreAsync(inst, { ...options, workers: 2, modelModule });
      expect(timeless(r)).toEqual(timeless(one));
      // Workers up from the first level and small batches: every level is shared between the threads.
      const s = new Search(inst, { ...options, workers: 3, modelModule });
      const all = await runParallel(s, undefined, { batch: 16, waitForWorkers: true });
      expect(timeless(all)).toEqual(timeless(one));
    });

  it('says what is missing when no model module is given', async () => {
    const r = exploreAsync(instantiate(bench, { params: { vcpus: 1 } }), { workers: 2 });
    await expect(r).rejects.toMatchObject({ code: 'E_USAGE' });
  });
});
