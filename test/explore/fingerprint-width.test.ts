import { describe, expect, it } from 'vitest';
import model from '../../models/bench/kvm-bench.ts';
import { explore, exploreAsync } from '../../src/driver/explore.ts';
import type { SearchOptions } from '../../src/explore/options.ts';
import type { SearchResult } from '../../src/explore/result.ts';
import { Search } from '../../src/explore/search.ts';
import { instantiate } from '../../src/model/instance.ts';
import { COLLISION_WARNING, collisionProbability } from '../../src/state/fingerprint.ts';

/** A result without what depends on the fingerprint width (time, the probability and the width itself). */
const same = (r: SearchResult) => ({ ...r, elapsedMs: 0, collisionProbability: 0, fingerprintBits: 0 });

describe('fingerprint width', () => {
  const cases: [string, Record<string, unknown>, Partial<SearchOptions>][] = [
    ['1 vCPU, no cache', { vcpus: 1 }, { cache: false }],
    ['1 vCPU, partial-order reduction', { vcpus: 1 }, { por: 'on' }],
    ['seed race, shortest trace', { prefault: true }, {}],
    ['no retry, symmetry: violated', { retry: false }, { symmetry: true }],
  ];
  for (const [name, params, opts] of cases) {
    it(`${name}: 96 and 128 bits give the 64-bit search's verdict, counts and trace`, () => {
      const run = (fingerprint: 64 | 96 | 128) =>
        explore(instantiate(model, { params }), { checkDeadlock: false, ...opts, fingerprint });
      const base = run(64);
      for (const bits of [96, 128] as const) {
        const r = run(bits);
        expect(same(r)).toEqual(same(base));
        expect(r.fingerprintBits).toBe(bits);
        expect(r.collisionProbability).toBeLessThan(base.collisionProbability / 2 ** (bits - 64 - 1));
      }
    });
  }

  it('with 2 workers the wide lanes travel with the successors', async () => {
    const modelModule = new URL('../../models/bench/kvm-bench.ts', import.meta.url).pathname;
    const inst = () => instantiate(model, { params: { vcpus: 1 } });
    const o = { checkDeadlock: false, por: 'on', fingerprint: 96 } as const;
    const par = await exploreAsync(inst(), { ...o, workers: 2, modelModule });
    expect({ ...par, elapsedMs: 0 }).toEqual({ ...explore(inst(), o), elapsedMs: 0 });
  });

  it('stores 4 or 8 bytes more per state, and reports the width in progress', () => {
    const bytes = (fingerprint: 64 | 96 | 128) => {
      const s = new Search(instantiate(model, { params: { vcpus: 1 } }), {
        checkDeadlock: false,
        fingerprint,
      });
      s.runSlice();
      expect(s.stats().fingerprintBits).toBe(fingerprint);
      return s.stats().visitedBytes;
    };
    const [a, b, c] = [bytes(64), bytes(96), bytes(128)];
    expect(b - a).toBe(c - b);
    expect(b - a).toBeGreaterThan(0);
  });

  it('the collision probability: 64 bits pass the warning level near 6 million states, 96 bits far beyond 10^9', () => {
    expect(collisionProbability(1e6, 3e6)).toBeLessThan(COLLISION_WARNING);
    expect(collisionProbability(1e7, 3e7)).toBeGreaterThan(COLLISION_WARNING);
    expect(collisionProbability(1e9, 3e9, 96)).toBeLessThan(COLLISION_WARNING);
    expect(collisionProbability(1e9, 3e9, 128)).toBeLessThan(1e-18);
  });
});
