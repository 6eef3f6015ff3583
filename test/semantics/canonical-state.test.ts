import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { explore, exploreAsync } from '../../src/driver/explore.ts';
import { defineModel, invariant, program } from '../../src/index.ts';
import type { Model } from '../../src/index.ts';
import { instantiate } from '../../src/model/instance.ts';
import { randomSearch } from '../../src/schedule/random-search.ts';
import { runSchedule } from '../../src/schedule/run-schedule.ts';
import twoPhase from '../fixtures/two-phase.ts';

/**
 * TwoPhase.tla with the seeded bug, explored directly from its TLA+
 * definition (sets as sorted lists, one canonical text per state): the
 * oracle kvmcheck's port must agree with, as TLC does.
 */
function twoPhaseOracle(): { states: number; shortestViolation: number } {
  const RM = ['r1', 'r2'];
  interface S {
    rm: Record<string, string>;
    tm: string;
    prepared: string[];
    msgs: string[];
  }
  const add = (xs: string[], x: string): string[] => [...new Set([...xs, x])].sort();
  const next = (s: S): S[] => {
    const out: S[] = [];
    const upd = (rm: string, v: string, msgs = s.msgs): S => ({ ...s, rm: { ...s.rm, [rm]: v }, msgs });
    for (const r of RM) {
      if (s.tm === 'init' && s.msgs.includes(`Prepared:${r}`))
        out.push({ ...s, prepared: add(s.prepared, r) });
      if (s.rm[r] === 'working')
        out.push(upd(r, 'prepared', add(s.msgs, `Prepared:${r}`)), upd(r, 'aborted'));
      if (s.msgs.includes('Commit')) out.push(upd(r, 'committed'));
      if (s.msgs.includes('Abort')) out.push(upd(r, 'aborted'));
    }
    if (s.tm === 'init' && s.prepared.length > 0)
      out.push({ ...s, tm: 'committed', msgs: add(s.msgs, 'Commit') });
    if (s.tm === 'init') out.push({ ...s, tm: 'aborted', msgs: add(s.msgs, 'Abort') });
    return out;
  };
  const bad = (s: S): boolean =>
    Object.values(s.rm).includes('committed') && Object.values(s.rm).includes('aborted');
  const init: S = { rm: { r1: 'working', r2: 'working' }, tm: 'init', prepared: [], msgs: [] };
  const seen = new Set([JSON.stringify(init)]);
  let level = [init];
  let depth = 0;
  let shortest = -1;
  while (level.length) {
    if (shortest < 0 && level.some(bad)) shortest = depth;
    const nxt: S[] = [];
    for (const s of level)
      for (const t of next(s)) {
        const k = JSON.stringify(t);
        if (!seen.has(k)) {
          seen.add(k);
          nxt.push(t);
        }
      }
    level = nxt;
    depth++;
  }
  return { states: seen.size, shortestViolation: shortest };
}

describe('one canonical object everywhere (search, reconstruction, replay, random search, workers)', () => {
  const oracle = twoPhaseOracle();

  it('the TwoPhase port agrees with TLA+: violated in the shortest number of steps, the same state graph', () => {
    expect(oracle.shortestViolation).toBe(5);
    for (const cache of [true, false]) {
      const r = explore(instantiate(twoPhase), { checkDeadlock: false, cache });
      expect(r.verdict).toBe('violated');
      expect(r.property).toBe('TCConsistent');
      expect(r.trace).toHaveLength(oracle.shortestViolation);
      // replay of the reconstructed schedule reaches the same violation
      const run = runSchedule(instantiate(twoPhase), r.schedule!);
      expect(run.outcome).toMatchObject({ kind: 'violated', at: 5, property: 'TCConsistent' });
    }
    const full = explore(instantiate(twoPhase, { properties: [] }), { checkDeadlock: false });
    expect(full.states).toBe(oracle.states);
  });

  it('random search runs the same steps on the same objects: it finds the violation too', async () => {
    const r = await randomSearch(instantiate(twoPhase), { runs: 200, seed: 3 });
    expect(r.verdict).toBe('violated');
    expect(r.trace!.length).toBeGreaterThanOrEqual(oracle.shortestViolation);
  });

  it('workers see the same objects (2 workers, same result)', async () => {
    const inst = instantiate(twoPhase);
    const modelModule = fileURLToPath(new URL('../fixtures/two-phase.ts', import.meta.url));
    const one = explore(inst, { checkDeadlock: false });
    const two = await exploreAsync(inst, { checkDeadlock: false, workers: 2, modelModule });
    expect({ ...two, elapsedMs: 0 }).toEqual({ ...one, elapsedMs: 0 });
  });

  it('a step that sets a member to undefined is a model error naming the path, in every mode', async () => {
    const inst = instantiate(twoPhase, { params: { unset: true } });
    const r = explore(inst, { checkDeadlock: false });
    expect(r.verdict).toBe('error');
    expect(r.error?.code).toBe('E_NOT_SERIALISABLE');
    expect(r.error?.message).toContain("'g.working.r1'");
    expect(r.failedStep).toEqual({ thread: 'system', step: 'Next' });
    expect(explore(inst, { checkDeadlock: false, cache: false }).error?.code).toBe('E_NOT_SERIALISABLE');
    const run = runSchedule(inst, [{ tid: 0, choice: 1 }]); // TMAbort is option 0, RMPrepare(r1) option 1
    expect(run.outcome).toMatchObject({ kind: 'error', error: { code: 'E_NOT_SERIALISABLE' } });
    const rs = await randomSearch(inst, { runs: 50, seed: 1 });
    expect(rs.error?.code).toBe('E_NOT_SERIALISABLE');
  });
});

interface G {
  o: Record<string, number>;
  n: number;
  first: string;
}

/** A thread that reads `Object.keys(...)[0]` in its guard, effect and a property, on objects written out of order. */
function keyOrderModel(init: () => G, write: (g: G) => void): Model<G> {
  return defineModel<G>({
    name: 'key-order',
    description: 'reads key order',
    locks: [],
    init,
    threads: () => [
      {
        name: 't',
        local: {},
        program: program<G, object>('p', [
          { label: 'write', run: ({ g }) => write(g) },
          {
            label: 'look',
            guard: ({ g }) => Object.keys(g.o)[0] === 'a',
            run: ({ g }) => void (g.first = Object.keys(g.o).join('')),
          },
        ]),
      },
    ],
    properties: [
      invariant<G>({
        name: 'sorted',
        description: 'the object is seen with its keys sorted',
        holds: (s) => JSON.stringify(Object.keys(s.g.o)) === JSON.stringify(Object.keys(s.g.o).sort()),
      }),
    ],
  });
}

describe('the canonical form: keys sorted, the same in every view', () => {
  it('an initial state written out of order is seen sorted by guards, effects and properties', () => {
    const m = keyOrderModel(
      () => ({ o: { b: 1, a: 2 }, n: 0, first: '' }),
      (g) => void (g.n = 1),
    );
    const inst = instantiate(m);
    expect(Object.keys(inst.init.g as G)).toEqual(['first', 'n', 'o']);
    const r = explore(inst);
    expect(r.verdict).toBe('holds');
    expect(r.coverage.unfired).toEqual([]);
    const run = runSchedule(inst, [
      { tid: 0, choice: 0 },
      { tid: 0, choice: 0 },
    ]);
    expect((run.states.at(-1)!.g as G).first).toBe('ab');
  });

  it('a successor written out of order is seen sorted by the properties of the search', () => {
    const m = keyOrderModel(
      () => ({ o: {}, n: 0, first: '' }),
      (g) => void (g.o = { b: 1, a: 2 }),
    );
    for (const cache of [true, false]) {
      const r = explore(instantiate(m), { cache });
      expect(r.verdict).toBe('holds');
      expect(r.coverage.unfired).toEqual([]);
    }
  });
});

describe('getters, setters and undefined are not state data', () => {
  const model = (
    init: () => unknown,
    write?: (g: Record<string, unknown>) => void,
  ): Model<Record<string, unknown>> =>
    defineModel<Record<string, unknown>>({
      name: 'accessors',
      description: 'accessor properties',
      locks: [],
      init: init as () => Record<string, unknown>,
      threads: () => [
        {
          name: 't',
          local: {},
          program: program<Record<string, unknown>, object>('p', [
            { label: 'w', run: ({ g }) => (write ? write(g) : undefined) },
          ]),
        },
      ],
      properties: [],
    });

  it('a getter in the initial state is rejected, naming the path', () => {
    const m = model(() => ({
      x: {
        get r() {
          return Math.random();
        },
      },
    }));
    expect(() => instantiate(m)).toThrow(expect.objectContaining({ code: 'E_NOT_SERIALISABLE' }));
    expect(() => instantiate(m)).toThrow(/accessor property.*'g\.x\.r'/);
  });

  it('undefined in the initial state is rejected, naming the path', () => {
    expect(() => instantiate(model(() => ({ a: { k: undefined } })))).toThrow(/undefined at 'g\.a\.k'/);
  });

  it('a step that stores a getter or a setter is a model error naming the path (cache on and off)', () => {
    const steps: [string, (g: Record<string, unknown>) => void][] = [
      [
        'g.x.v',
        (g) =>
          void (g.x = {
            get v() {
              return Math.random();
            },
          }),
      ],
      [
        'g.y',
        (g) => void Object.defineProperty(g, 'y', { get: () => 1, enumerable: true, configurable: true }),
      ],
      ['g.z[0]', (g) => void (g.z = [undefined])],
    ];
    for (const [path, write] of steps)
      for (const cache of [true, false]) {
        const r = explore(instantiate(model(() => ({ n: 0 }), write)), { cache });
        expect(r.error?.code).toBe('E_NOT_SERIALISABLE');
        expect(r.error?.message).toContain(`'${path}'`);
      }
  });
});
