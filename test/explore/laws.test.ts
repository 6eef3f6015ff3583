import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { explore } from '../../src/driver/explore.ts';
import { instantiate } from '../../src/model/instance.ts';
import { Fingerprinter } from '../../src/state/fingerprint.ts';
import { buildModel, modelGenArb } from './random-models.ts';
import { canonicalJson, naiveReachable } from './reference-explorer.ts';

const plain = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    fc.integer(),
    fc.double({ noNaN: true, noDefaultInfinity: true }),
    fc.string(),
    fc.boolean(),
    fc.constant(null),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(fc.string({ maxLength: 3 }), tie('value'), { maxKeys: 4 }),
  ),
})).value;

/** A deep copy whose objects list their keys in reverse order. */
function reorder(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(reorder);
  if (v !== null && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(v).reverse()) out[k] = reorder((v as Record<string, unknown>)[k]);
    return out;
  }
  return v;
}

describe('fingerprint laws', () => {
  it('equal states have equal fingerprints, whatever the key order and object identity', () => {
    fc.assert(
      fc.property(plain, (v) => {
        const a = new Fingerprinter().of(v);
        const b = new Fingerprinter().of(reorder(v));
        expect(b).toEqual(a);
      }),
    );
  });
  it('different states have different fingerprints', () => {
    fc.assert(
      fc.property(plain, plain, (x, y) => {
        fc.pre(canonicalJson(x) !== canonicalJson(y));
        const f = new Fingerprinter();
        expect(f.of(x)).not.toEqual(f.of(y));
      }),
    );
  });
});

describe('search laws on random small models', () => {
  it('the search visits exactly the states of a naive canonical-JSON explorer', () => {
    fc.assert(
      fc.property(modelGenArb, (gen) => {
        const inst = instantiate(buildModel(gen, false));
        const r = explore(inst, { checkDeadlock: false });
        const naive = naiveReachable(inst);
        expect(r.states).toBe(naive.states);
        expect(r.transitions).toBe(naive.transitions);
      }),
      { numRuns: 60 },
    );
  });
  it('BFS counterexamples are never longer than DFS ones, and both agree on the verdict', () => {
    fc.assert(
      fc.property(modelGenArb, (gen) => {
        const inst = instantiate(buildModel(gen));
        const bfs = explore(inst, { search: 'bfs', checkDeadlock: false });
        const dfs = explore(inst, { search: 'dfs', checkDeadlock: false });
        expect(bfs.verdict).toBe(dfs.verdict);
        if (bfs.verdict === 'violated') expect(bfs.trace!.length).toBeLessThanOrEqual(dfs.trace!.length);
        else expect(bfs.states).toBe(dfs.states);
      }),
      { numRuns: 80 },
    );
  });
  it('the same inputs give the same result twice (timing aside)', () => {
    fc.assert(
      fc.property(modelGenArb, fc.constantFrom('bfs' as const, 'dfs' as const), (gen, search) => {
        const once = explore(instantiate(buildModel(gen)), { search });
        const twice = explore(instantiate(buildModel(gen)), { search });
        expect({ ...twice, elapsedMs: 0 }).toEqual({ ...once, elapsedMs: 0 });
      }),
      { numRuns: 40 },
    );
  });
});
