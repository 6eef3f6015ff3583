import fc from 'fast-check';
import { DONE, defineModel, invariant, mutex, program } from '../../../src/index.ts';
import type { Model, StepSpec } from '../../../src/index.ts';

/**
 * Random models that read the state in every way a step can — single `g`
 * members, arrays inside `g`, the thread's local, a lock held in a guard,
 * another thread's local through `ctx.state` — so that the transition
 * cache meets every kind of read slot.
 */
export type Member = 'a' | 'b' | 'c';
export interface CacheStepGen {
  kind: 'load' | 'store' | 'choose' | 'peek' | 'array' | 'locked' | 'state-guard';
  src: Member;
  dst: Member;
  k: number;
  guardLocal: number | null;
  loopBack: boolean;
}
export interface CacheModelGen {
  threads: CacheStepGen[][];
  bad: { m: Member; k: number; n: Member; j: number } | null;
}

const member = fc.constantFrom<Member>('a', 'b', 'c');

const stepArb: fc.Arbitrary<CacheStepGen> = fc.record({
  kind: fc.constantFrom('load', 'store', 'choose', 'peek', 'array', 'locked', 'state-guard'),
  src: member,
  dst: member,
  k: fc.nat(2),
  guardLocal: fc.option(fc.nat(2), { nil: null }),
  loopBack: fc.boolean(),
});

export const cacheModelArb: fc.Arbitrary<CacheModelGen> = fc.record({
  threads: fc.array(fc.array(stepArb, { minLength: 1, maxLength: 4 }), { minLength: 1, maxLength: 3 }),
  bad: fc.option(fc.record({ m: member, k: fc.nat(2), n: member, j: fc.nat(2) }), { nil: null }),
});

type G = { a: number; b: number; c: number; arr: number[]; loops: number };
type L = { x: number };

const lock = mutex('m');

export function buildCacheModel(gen: CacheModelGen): Model<G> {
  const n = gen.threads.length;
  const progs = gen.threads.map((steps, ti) =>
    program<G, L>(
      `p${ti}`,
      steps.flatMap((s, si): StepSpec<G, L, number>[] => {
        const last = si === steps.length - 1;
        const end = (g: G): string | typeof DONE | undefined => {
          if (s.loopBack && last && g.loops < 2) {
            g.loops += 1;
            return 's0';
          }
          return last ? DONE : undefined;
        };
        const label = `s${si}`;
        const guard = s.guardLocal === null ? {} : { guard: (v: { local: L }) => v.local.x !== s.guardLocal };
        switch (s.kind) {
          case 'load':
            return [{ label, ...guard, run: (c) => ((c.local.x = c.g[s.src]), end(c.g)) }];
          case 'store':
            return [{ label, ...guard, run: (c) => ((c.g[s.dst] = (c.local.x + s.k) % 3), end(c.g)) }];
          case 'choose':
            return [
              {
                label,
                guard: ({ g }) => g[s.src] !== s.k,
                choose: ({ g }) => [g[s.src], s.k],
                run: (c, v) => ((c.g[s.dst] = v), end(c.g)),
              },
            ];
          case 'peek':
            return [
              {
                label,
                run: (c) => {
                  c.g[s.dst] = (c.state.threads[(c.tid + 1) % n]!.local as L).x;
                  return end(c.g);
                },
              },
            ];
          case 'array':
            return [{ label, run: (c) => ((c.g.arr[s.k % 2] = c.g[s.src]), end(c.g)) }];
          case 'state-guard':
            return [
              {
                label,
                guard: (v) => v.state.threads[(v.tid + 1) % n]!.pc !== s.k,
                run: (c) => ((c.local.x = (c.local.x + 1) % 3), end(c.g)),
              },
            ];
          case 'locked':
            return [
              { label, acquire: lock.lock, run: (c) => void (c.g[s.dst] = c.g.arr[0]!) },
              {
                label: `${label}u`,
                guard: (v) => v.holds(lock),
                release: lock.lock,
                run: (c) => end(c.g),
              },
            ];
        }
      }),
    ),
  );
  const bad = gen.bad;
  return defineModel<G>({
    name: 'cache-random',
    description: 'random model reading every kind of slot',
    locks: [lock],
    init: () => ({ a: 0, b: 1, c: 2, arr: [0, 0], loops: 0 }),
    threads: () => progs.map((p, i) => ({ name: `t${i}`, program: p, local: { x: i % 3 } })),
    properties: bad
      ? [
          invariant<G>({
            name: 'not-bad',
            description: 'never both',
            holds: (s) => !(s.g[bad.m] === bad.k && s.g[bad.n] === bad.j),
          }),
          invariant<G>({
            name: 'arr-small',
            description: 'arr stays in range',
            holds: (s) => s.g.arr.every((v) => v < 3) && s.threads.every((t) => t.pc >= -1),
          }),
        ]
      : [],
  });
}
