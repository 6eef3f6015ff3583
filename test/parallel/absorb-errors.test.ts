import { describe, expect, it } from 'vitest';
import { explore } from '../../src/driver/explore.ts';
import { Search } from '../../src/explore/search.ts';
import type { PackedQueue } from '../../src/explore/packed-queue.ts';
import { defineModel, program } from '../../src/index.ts';
import { instantiate } from '../../src/model/instance.ts';
import type { Instance } from '../../src/model/instance.ts';
import { absorb } from '../../src/parallel/absorb.ts';
import { BatchExpander } from '../../src/parallel/expand-batch.ts';

const helper: unknown = undefined;

/** t0 moves; t1's step (or guard) calls `helper`, which is not a function. */
function model(where: 'run' | 'guard') {
  return defineModel<{ n: number }>({
    name: `throws-in-${where}`,
    description: 'a step that throws a TypeError naming an identifier',
    init: () => ({ n: 0 }),
    threads: () => [
      { name: 't0', program: program('p0', [{ label: 'inc', run: ({ g }) => void g.n++ }]), local: {} },
      {
        name: 't1',
        program: program('p1', [
          where === 'run'
            ? { label: 'boom', run: () => void (helper as () => void)() }
            : { label: 'boom', guard: () => (helper as () => boolean)(), run: () => undefined },
        ]),
        local: {},
      },
    ],
    properties: [],
  });
}

/** The initial state expanded as a worker would, with the worker's message changed as a bundle's renaming would. */
function absorbRenamed(inst: Instance) {
  const s = new Search(inst, { checkDeadlock: false });
  const entries = (s.frontier as PackedQueue).take(1).slice();
  const bx = new BatchExpander(inst, {
    symmetry: false,
    por: false,
    sleepSets: false,
    search: 'bfs',
    maxDepth: Infinity,
    cache: true,
    fingerprint: 64,
  });
  const { out, errors } = bx.expand(entries);
  expect(errors).toHaveLength(1);
  expect(errors[0]!.error.message).toContain('helper is not a function');
  const renamed = [{ ...errors[0]!, error: { ...errors[0]!.error, message: 'helper2 is not a function' } }];
  const f = absorb(s, out, renamed, entries);
  return { s, f };
}

describe('a step failing at a worker is reported as the sequential search reports it', () => {
  for (const where of ['run', 'guard'] as const)
    it(`in a step's ${where}`, () => {
      const seq = explore(instantiate(model(where)), { checkDeadlock: false });
      expect(seq.verdict).toBe('error');
      const { s, f } = absorbRenamed(instantiate(model(where)));
      expect(f && 'verdict' in f).toBe(true);
      const r = s.finish(f as Parameters<Search['finish']>[0]);
      expect({ ...r, elapsedMs: 0 }).toEqual({ ...seq, elapsedMs: 0 });
      expect(r.message).not.toContain('helper2');
    });
});
