import { describe, expect, it } from 'vitest';
import { bundledModels } from '../../models/index.ts';
import { FastExpander } from '../../src/expand/fast-expander.ts';
import { PlainExpander } from '../../src/expand/plain-expander.ts';
import type { Expander } from '../../src/expand/expander.ts';
import { Search } from '../../src/explore/search.ts';
import type { SearchOptions } from '../../src/explore/options.ts';
import type { SearchResult } from '../../src/explore/result.ts';
import { instantiate } from '../../src/model/instance.ts';
import type { Instance } from '../../src/model/instance.ts';
import { symmetryOf } from '../../src/reduction/symmetry.ts';
import { StateCodec } from '../../src/state/codec.ts';

/**
 * The plain expander is the reference; the fast one (copy on access, the
 * transition cache) must give the same successors in the same order, hence
 * the same search. Checked on every bundled model and scenario, within
 * state bounds (a bounded breadth-first search explores the same prefix
 * with either expander, so the bound keeps the comparison exact), and with
 * symmetry and partial-order reduction on the first three scenarios of
 * each model.
 */
const cells = bundledModels.flatMap((m) =>
  Object.keys(m.scenarios ?? {}).map((scenario, k) => ({
    m,
    scenario,
    label: `${m.name}/${scenario}`,
    // symmetry and partial-order reduction on the first scenarios of each model (the test's time grows with the models)
    reduced: k < 3,
  })),
);

/** Everything but timing. */
function outcome(r: SearchResult): unknown {
  const { elapsedMs: _e, ...rest } = r;
  return rest;
}

function run(inst: Instance, o: Partial<SearchOptions>): SearchResult {
  return new Search(inst, o).runSlice()!;
}

/**
 * Walks the first `max` states breadth first with both expanders side by
 * side: each state loaded into both must have the same options per thread,
 * and each option the same successor encoding and fingerprint.
 */
function walkBoth(inst: Instance, max: number, symmetry: boolean): string[] {
  const canon = symmetry ? symmetryOf(inst) : undefined;
  const plain: Expander = new PlainExpander(inst, canon);
  const fast: Expander = new FastExpander(inst, canon, false);
  const c = new StateCodec();
  const init = c.decode(c.buf.slice(0, c.encode(inst.init)), 0) as never;
  canon?.(init);
  const queue = [c.buf.slice(0, c.encode(init))];
  const seen = new Set<string>([queue[0]!.join()]);
  const differences: string[] = [];
  for (let k = 0; k < queue.length && k < max && differences.length === 0; k++) {
    plain.load(queue[k]!, 0);
    fast.load(queue[k]!, 0);
    const counts = plain.options.map((o) => o?.length ?? 0);
    if (fast.options.some((o, tid) => (o?.length ?? 0) !== counts[tid]))
      differences.push(`state ${k}: options ${fast.options.map((o) => o?.length ?? 0)}, not ${counts}`);
    for (let tid = 0; tid < counts.length; tid++) {
      for (let o = 0; o < counts[tid]!; o++) {
        const n = plain.apply(tid, o);
        const want = plain.codec.buf.slice(0, n);
        const m = fast.apply(tid, o);
        fast.materialise();
        const got = fast.codec.buf.subarray(0, m);
        const key = want.join();
        if (m !== n || got.join() !== key || fast.hi !== plain.hi || fast.lo !== plain.lo)
          differences.push(`state ${k}, thread ${tid}, option ${o}: a different successor`);
        else if (fast.check(0)?.property !== plain.check(0)?.property)
          differences.push(`state ${k}, thread ${tid}, option ${o}: a different property verdict`);
        if (!seen.has(key)) {
          seen.add(key);
          queue.push(want);
        }
      }
    }
  }
  if (queue.length < 2) differences.push('nothing was compared');
  return differences;
}

describe('the plain and the fast expander agree', () => {
  it.each(cells)('$label: successor by successor, and search by search', ({ m, scenario, reduced }) => {
    const inst = (): Instance => instantiate(m, { scenario });
    expect(walkBoth(inst(), 100, false)).toEqual([]);
    const o = { maxStates: 2000 };
    expect(outcome(run(inst(), o))).toEqual(outcome(run(inst(), { ...o, cache: false })));
    if (!reduced) return;
    // symmetry over the vCPUs (every bundled model declares it), with partial-order reduction
    expect(walkBoth(inst(), 50, true)).toEqual([]);
    const r = { maxStates: 800, symmetry: true, por: 'on' } as const;
    expect(outcome(run(inst(), r))).toEqual(outcome(run(inst(), { ...r, cache: false })));
  });
});
