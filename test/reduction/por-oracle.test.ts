import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { explore } from '../../src/driver/explore.ts';
import type { SearchOptions } from '../../src/explore/options.ts';
import { enabledOptions, stuckIsDeadlock } from '../../src/semantics/successors.ts';
import { instantiate } from '../../src/model/instance.ts';
import type { State } from '../../src/model/state.ts';
import { buildModel, modelGenArb } from './random-footprint-models.ts';
import type { ModelGen } from './random-footprint-models.ts';

/**
 * The oracle of partial-order reduction on random models with cycles,
 * locks and state-dependent footprints: the reduced search (persistent
 * sets, with and without sleep sets, BFS and DFS, with and without
 * symmetry) must reach exactly the valuations of the visible cells that
 * the unreduced search reaches, and exactly its deadlocked states.
 */
interface Seen {
  readonly visible: Set<string>;
  readonly deadlocks: Set<string>;
  readonly states: number;
  readonly transitions: number;
}

/**
 * The states and valuations one search stores; undefined when the model is
 * too big for a unit test. The recording property keeps the states it is
 * shown (it reads only what it declares, the visible cells) and they are
 * looked at after the search; the transition cache is off, so that it is
 * shown every state.
 */
function run(gen: ModelGen, options: Partial<SearchOptions>): Seen | undefined {
  const stored: State[] = [];
  const model = buildModel(gen, (s) => void stored.push(s as unknown as State));
  const inst = instantiate(model);
  const r = explore(inst, { checkDeadlock: false, maxStates: 20_000, cache: false, ...options });
  if (r.verdict === 'incomplete') return undefined;
  expect(r.verdict).toBe('holds');
  const visible = new Set<string>();
  const deadlocks = new Set<string>();
  for (const st of stored) {
    visible.add(JSON.stringify(gen.visible.map((v) => (st.g as { v: number[] }).v[v])));
    if (st.threads.every((_, t) => !enabledOptions(inst, st, t)) && stuckIsDeadlock(inst, st))
      deadlocks.add(JSON.stringify(st));
  }
  return { visible, deadlocks, states: r.states, transitions: r.transitions };
}

const sorted = (s: Set<string>): string[] => [...s].sort();

describe('partial-order reduction on random models (oracle: the unreduced search)', () => {
  it('reaches the same visible valuations and the same deadlocks', () => {
    fc.assert(
      fc.property(modelGenArb, (gen) => {
        for (const symmetry of gen.symmetric ? [false, true] : [false]) {
          const full = run(gen, { symmetry });
          fc.pre(full !== undefined);
          for (const search of ['bfs', 'dfs'] as const)
            for (const sleepSets of [false, true]) {
              const red = run(gen, { symmetry, search, por: 'on', sleepSets, maxStates: Infinity })!;
              expect(sorted(red.visible)).toEqual(sorted(full.visible));
              expect(sorted(red.deadlocks)).toEqual(sorted(full.deadlocks));
              expect(red.transitions).toBeLessThanOrEqual(full.transitions);
            }
        }
      }),
      { numRuns: 80 },
    );
  });

  it('regression: the shrunk case that catches a missing cycle proviso', () => {
    // symmetric threads a, b set v[i] once; a third thread loops on a local step forever
    const gen: ModelGen = JSON.parse(
      '{"threads":[[{"op":{"op":"at-set","k":1},"loop":false,"fine":true}],[{"op":{"op":"local"},"loop":true,"fine":false}]],"symmetric":true,"visible":[0]}',
    );
    for (const symmetry of [false, true]) {
      const full = run(gen, { symmetry })!;
      for (const search of ['bfs', 'dfs'] as const)
        for (const sleepSets of [false, true]) {
          const red = run(gen, { symmetry, search, por: 'on', sleepSets })!;
          expect(sorted(red.visible)).toEqual(sorted(full.visible));
          expect(sorted(red.deadlocks)).toEqual(sorted(full.deadlocks));
        }
    }
  });
});
