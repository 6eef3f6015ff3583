import { describe, expect, it } from 'vitest';
import { cacheStats } from './cache-stats.ts';
import { Search } from '../../../src/explore/search.ts';
import type { SearchResult } from '../../../src/explore/result.ts';
import { instantiate } from '../../../src/model/instance.ts';
import { DONE, defineModel, program } from '../../../src/index.ts';
import { naiveReachable } from '../../explore/reference-explorer.ts';

function outcome(r: SearchResult): unknown {
  const { elapsedMs: _e, ...rest } = r;
  return rest;
}

describe('recorded patches', () => {
  it('a blind write is fingerprinted from the parent it is applied to, not the one it was recorded on', () => {
    // `setter` writes x without reading it: its entry serves parents whose x differs,
    // so the change of fingerprint cannot be recorded once (only a keyed write's can)
    type G = { x: number; y: number };
    const m = defineModel<G>({
      name: 'blind-write',
      description: 'a thread stores to x without reading it while another one changes x',
      init: () => ({ x: 0, y: 0 }),
      threads: () => [
        {
          name: 'setter',
          program: program<G, { n: number }>('set', [
            { label: 'set', run: ({ g, local }) => ((g.x = 1), ++local.n === 3 ? DONE : 'set') },
          ]),
          local: { n: 0 },
        },
        {
          name: 'bumper',
          program: program<G, Record<string, never>>('bump', [
            { label: 'bump', run: ({ g }) => ((g.x = (g.x + 2) % 5), g.y++ === 3 ? DONE : 'bump') },
          ]),
          local: {},
        },
      ],
      properties: [],
    });
    const run = (cache: boolean): { r: SearchResult; hits: number } => {
      const s = new Search(instantiate(m), { checkDeadlock: false, cache });
      const r = s.runSlice()!;
      return { r, hits: cacheStats(s)?.hits ?? 0 };
    };
    const on = run(true);
    expect(on.hits).toBeGreaterThan(0);
    expect(outcome(on.r)).toEqual(outcome(run(false).r));
    const naive = naiveReachable(instantiate(m));
    expect([on.r.states, on.r.transitions]).toEqual([naive.states, naive.transitions]);
  });
});
