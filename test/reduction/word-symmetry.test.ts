import { describe, expect, it } from 'vitest';
import { successors } from '../../src/semantics/successors.ts';
import { instantiate } from '../../src/model/instance.ts';
import type { Instance } from '../../src/model/instance.ts';
import type { State } from '../../src/model/state.ts';
import { symmetryOf } from '../../src/reduction/symmetry.ts';
import { WordCanon } from '../../src/reduction/word-symmetry.ts';
import { StateCodec } from '../../src/state/codec.ts';
import { bundledModels } from '../../models/index.ts';
import benchModel from '../../models/bench/kvm-bench.ts';
import { canonicalJson } from '../explore/reference-explorer.ts';
import { Search } from '../../src/explore/search.ts';
import type { SearchResult } from '../../src/explore/result.ts';
import { CachedCanon } from '../../src/expand/cache/cached-canon.ts';
import { DONE, defineModel, mutex, program } from '../../src/index.ts';

/** Up to `max` states reachable from the initial one (breadth-first, no reduction). */
function reachable(inst: Instance, max: number): State[] {
  const seen = new Set<string>([canonicalJson(inst.init)]);
  const out: State[] = [inst.init];
  for (let i = 0; i < out.length && out.length < max; i++)
    for (const t of successors(inst, out[i]!)) {
      const k = canonicalJson(t.next);
      if (seen.has(k)) continue;
      seen.add(k);
      out.push(t.next);
    }
  return out;
}

/** Words and permutation of the object canonicaliser, then of the word one, for each state. */
function compareOn(inst: Instance, states: readonly State[]): { moved: number; handled: number } {
  const canon = symmetryOf(inst)!;
  const words = new WordCanon(inst, canon);
  const codec = new StateCodec();
  let moved = 0;
  let handled = 0;
  for (const s of states) {
    const copy = codec.decode(codec.buf.slice(0, codec.encode(s)), 0) as State;
    canon(copy);
    const want = codec.buf.slice(0, codec.encode(copy));
    const wantPerm = [...canon.perm];
    if (wantPerm.some((p, i) => p !== i)) moved++;
    const w = codec.buf.slice(0, codec.encode(s));
    if (!words.apply(w, w.length)) continue;
    handled++;
    expect([...w]).toEqual([...want]);
    expect([...canon.perm]).toEqual(wantPerm);
  }
  return { moved, handled };
}

describe('canonicalisation on words', () => {
  it('gives the words and permutation of the canonicaliser on objects, on states of every bundled model', () => {
    let moved = 0;
    let handled = 0;
    let total = 0;
    for (const m of bundledModels) {
      const scenario = Object.keys(m.scenarios ?? {})[0];
      const inst = instantiate(m, scenario === undefined ? {} : { scenario });
      if (!symmetryOf(inst)) continue;
      const states = reachable(inst, 500);
      const r = compareOn(inst, states);
      moved += r.moved;
      handled += r.handled;
      total += states.length;
    }
    // the comparison bit: states that had to be reordered, most of them handled on words
    expect(moved).toBeGreaterThan(100);
    expect(handled).toBeGreaterThan(total * 0.9);
  });

  it('kvm-bench with three interchangeable vCPUs (an rwsem with reader bitmasks, owners)', () => {
    const inst = instantiate(benchModel, { params: { vcpus: 3 } });
    const states = reachable(inst, 4000);
    const r = compareOn(inst, states);
    expect(r.moved).toBeGreaterThan(500);
    expect(r.handled).toBe(states.length); // one shape for the three vCPUs: every state on words
  });

  it('interchangeable threads of different shapes are put in order through the objects, with the same search', () => {
    // each worker's list grows as it goes, so two workers at different points differ in shape
    type G = { total: number };
    const lock = mutex('m');
    const worker = program<G, { items: number[] }>('work', [
      { label: 'take', acquire: lock.lock, run: ({ g, local }) => void local.items.push(g.total++ % 2) },
      {
        label: 'put',
        release: lock.lock,
        run: ({ local }) => (local.items.length < 2 ? 'take' : DONE),
      },
    ]);
    const m = defineModel<G>({
      name: 'growing-locals',
      description: 'interchangeable workers whose locals grow',
      locks: [lock],
      init: () => ({ total: 0 }),
      threads: () =>
        [0, 1, 2].map((i) => ({
          name: `w${i}`,
          program: worker,
          local: { items: [] as number[] },
          symmetry: 'w',
        })),
      properties: [],
    });
    const through = { objects: 0 };
    const orig = CachedCanon.prototype.canonicalise;
    CachedCanon.prototype.canonicalise = function (this: CachedCanon, ...a: Parameters<typeof orig>) {
      const n = orig.apply(this, a);
      if (this.decoded !== undefined) through.objects++;
      return n;
    };
    let on: SearchResult;
    try {
      on = new Search(instantiate(m), { symmetry: true, checkDeadlock: false }).runSlice()!;
    } finally {
      CachedCanon.prototype.canonicalise = orig;
    }
    expect(through.objects).toBeGreaterThan(0);
    const off = new Search(instantiate(m), {
      symmetry: true,
      checkDeadlock: false,
      cache: false,
    }).runSlice()!;
    const { elapsedMs: _a, ...a } = on;
    const { elapsedMs: _b, ...b } = off;
    expect(a).toEqual(b);
  });
});
