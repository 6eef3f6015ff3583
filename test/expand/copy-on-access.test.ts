import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Successors } from '../../src/expand/copy-on-access.ts';
import { explore } from '../../src/driver/explore.ts';
import { runStep } from '../../src/semantics/run-step.ts';
import { applyStep, enabledOptions } from '../../src/semantics/successors.ts';
import { instantiate } from '../../src/model/instance.ts';
import type { Instance } from '../../src/model/instance.ts';
import type { State } from '../../src/model/state.ts';
import { StateCodec } from '../../src/state/codec.ts';
import { rootById } from '../../src/state/shape-node.ts';
import { canonicalJson, naiveReachable } from '../explore/reference-explorer.ts';
import { buildShapeModel, shapeModelArb } from './shape-models.ts';

/**
 * Walks the state space breadth first making successors by copy on access
 * (as the fast expander does) and checks every transition against Immer's
 * `produce` (applyStep, the reference semantics): the successor object, the
 * decoded encoding, and the parent left untouched by all its successors.
 */
function checkTransitions(inst: Instance, maxStates: number): number {
  const succ = new Successors();
  const out = new StateCodec();
  const c = new StateCodec();
  const seen = new Set<string>();
  let level: Int32Array[] = [c.buf.slice(0, c.encode(inst.init))];
  let checked = 0;
  while (level.length > 0 && seen.size < maxStates) {
    const next: Int32Array[] = [];
    for (const w of level) {
      const parent = c.decode(w, 0) as State;
      succ.begin(parent, w, rootById(w[0]!));
      const before = canonicalJson(parent);
      const reference = c.decode(w, 0) as State;
      for (let tid = 0; tid < inst.threads.length; tid++) {
        const opts = enabledOptions(inst, parent, tid);
        if (!opts) continue;
        for (let k = 0; k < opts.length; k++) {
          let succState: State;
          let n: number;
          if (succ.active) {
            succState = succ.make(tid);
            runStep(inst, succState, succState as never, tid, opts[k], succ);
            n = succ.encode(out);
            succState = succ.complete();
          } else {
            succState = out.decode(w, 0) as State;
            runStep(inst, succState, succState as never, tid, opts[k]);
            n = out.encode(succState);
          }
          const words = out.buf.slice(0, n);
          const ref = applyStep(inst, reference, tid, opts[k]);
          const want = canonicalJson(ref);
          expect(canonicalJson(succState)).toBe(want);
          // the canonical object, keys in the same order, is the reference's (the expander's `next` is it)
          expect(JSON.stringify(c.decode(words, 0))).toBe(JSON.stringify(ref));
          checked++;
          if (!seen.has(want)) {
            seen.add(want);
            next.push(words);
          }
        }
      }
      expect(canonicalJson(parent)).toBe(before);
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
