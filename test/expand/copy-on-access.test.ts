import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Expander } from '../../src/expand/fast-expander.ts';
import { explore } from '../../src/explore/search.ts';
import { applyStep } from '../../src/semantics/successors.ts';
import { instantiate } from '../../src/model/instance.ts';
import type { Instance } from '../../src/model/instance.ts';
import type { State } from '../../src/model/state.ts';
import { StateCodec } from '../../src/state/codec.ts';
import { naiveReachable } from '../explore/reference-explorer.ts';
import { buildShapeModel, shapeModelArb } from './shape-models.ts';

/**
 * Walks the state space breadth first with the engine's expander and checks
 * every transition against Immer's `produce` (applyStep, the reference
 * semantics): the successor object, the decoded encoding, and the parent
 * left untouched by all its successors.
 */
function checkTransitions(inst: Instance, maxStates: number): number {
  const x = new Expander(inst, undefined);
  const c = new StateCodec();
  const seen = new Set<string>();
  let level: Int32Array[] = [c.buf.slice(0, c.encode(inst.init))];
  let checked = 0;
  while (level.length > 0 && seen.size < maxStates) {
    const next: Int32Array[] = [];
    for (const w of level) {
      x.load(w, 0);
      const before = JSON.stringify(x.parent);
      const reference = c.decode(w, 0) as State;
      for (let tid = 0; tid < x.options.length; tid++) {
        const opts = x.options[tid];
        if (!opts) continue;
        for (let k = 0; k < opts.length; k++) {
          const n = x.apply(tid, k);
          const words = x.codec.buf.slice(0, n);
          // one canonical object everywhere: the same keys in the same order
          const want = JSON.stringify(applyStep(inst, reference, tid, opts[k]));
          expect(JSON.stringify(x.next)).toBe(want);
          expect(JSON.stringify(c.decode(words, 0))).toBe(want);
          checked++;
          if (!seen.has(want)) {
            seen.add(want);
            next.push(words);
          }
        }
      }
      expect(JSON.stringify(x.parent)).toBe(before);
    }
    level = next;
  }
  return checked;
}

describe('successors by copy on access', () => {
  it('every transition gives exactly the state of the Immer recipe, and leaves its parent alone', () => {
    fc.assert(
      fc.property(shapeModelArb, (gen) => {
        checkTransitions(instantiate(buildShapeModel(gen)), 300);
      }),
      { numRuns: 60 },
    );
  });

  it('the search visits exactly the states of a naive canonical-JSON explorer', () => {
    fc.assert(
      fc.property(shapeModelArb, (gen) => {
        const inst = instantiate(buildShapeModel(gen));
        const r = explore(inst, { checkDeadlock: false });
        const naive = naiveReachable(inst);
        expect([r.states, r.transitions]).toEqual([naive.states, naive.transitions]);
      }),
      { numRuns: 40 },
    );
  });

  it('covers each kind of step on its own', () => {
    for (const op of [
      'toggle-key',
      'reorder',
      'toggle-object',
      'enumerate',
      'other-thread',
      'alias',
    ] as const) {
      const gen = { threads: [[{ op, k: 1, choose: true }], [{ op: 'push' as const, k: 2, choose: false }]] };
      expect(checkTransitions(instantiate(buildShapeModel(gen)), 300)).toBeGreaterThan(4);
    }
  });
});
