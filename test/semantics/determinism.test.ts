import { describe, expect, it } from 'vitest';
import { reconstruct, storedFingerprint } from '../../src/trace/reconstruct.ts';
import type { VisitedStore } from '../../src/visited/visited-set.ts';
import { recordingOf, replay } from '../../src/counterexample/replay.ts';
import { explore } from '../../src/driver/explore.ts';
import { Search } from '../../src/explore/search.ts';
import { PC_DONE, defineModel, invariant, program } from '../../src/index.ts';
import type { Model } from '../../src/index.ts';
import { instantiate } from '../../src/model/instance.ts';

interface G {
  n: number;
  seen: number;
}

/**
 * One thread bumps `n` three times, then records `pick()` in `seen` and
 * finishes, which the property forbids. `pick` is where a test puts a
 * value the state does not hold.
 */
function model(pick: () => number): Model<G> {
  return defineModel<G>({
    name: 'outside-value',
    description: 'a step that reads a value kept outside the state',
    locks: [],
    init: () => ({ n: 0, seen: 0 }),
    threads: () => [
      {
        name: 'worker',
        local: {},
        program: program<G, object>('p', [
          { label: 'bump', run: ({ g }) => (++g.n < 3 ? 'bump' : undefined) },
          { label: 'record', run: ({ g }) => void (g.seen = pick()) },
        ]),
      },
      {
        name: 'other',
        local: {},
        program: program<G, object>('q', [{ label: 'idle', run: () => undefined }]),
      },
    ],
    properties: [
      invariant<G>({
        name: 'unfinished',
        description: 'the worker never finishes',
        holds: (s) => s.threads[0]!.pc !== PC_DONE,
      }),
    ],
  });
}

describe('model non-determinism is a coded error naming the step', () => {
  it('a step whose result alternates between runs: found by the search, with the cache and without', () => {
    for (const cache of [true, false]) {
      let calls = 0;
      const r = explore(instantiate(model(() => calls++ % 2)), { cache, checkDeadlock: false });
      expect(r.verdict).toBe('error');
      expect(r.error?.code).toBe('E_NONDETERMINISTIC');
      expect(r.error?.message).toContain("step 'record' of worker");
    }
  });

  it('trace reconstruction: a step that gives another result after the search names itself', () => {
    let later = false;
    const inst = instantiate(model(() => (later ? 7 : 0)));
    const s = new Search(inst, { checkDeadlock: false, cache: false });
    const r = s.runSlice()!;
    expect(r.verdict).toBe('violated'); // the state after 'record' ran with the value of the search
    later = true;
    const visited = (s as unknown as { visited: VisitedStore }).visited;
    const target = visited.size - 1;
    const rebuild = (): unknown =>
      reconstruct(
        inst,
        visited,
        target,
        storedFingerprint(() => {}),
      );
    expect(rebuild).toThrow(expect.objectContaining({ code: 'E_NONDETERMINISTIC' }));
    expect(rebuild).toThrow(/worker 'record'/);
  });

  it('replay runs each step twice and reports a step that differs', () => {
    let calls = 0;
    const inst = instantiate(model(() => calls++ % 2));
    const schedule = [0, 0, 0, 0].map(() => ({ tid: 0, choice: 0 }));
    const rep = replay(inst, recordingOf(inst, schedule, { kind: 'violated', property: 'unfinished' }));
    expect(rep.verdict).toBe('error');
    expect(rep.run.outcome).toMatchObject({ kind: 'error', at: 3, error: { code: 'E_NONDETERMINISTIC' } });
    expect(rep.summary).toContain("'record'");
  });

  it('a deterministic model passes every check (same results as before, trace rebuilt)', () => {
    const r = explore(instantiate(model(() => 5)), { checkDeadlock: false });
    expect(r.verdict).toBe('violated');
    expect(r.trace!.map((t) => t.step)).toEqual(['bump', 'bump', 'bump', 'record']);
  });
});
