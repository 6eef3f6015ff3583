import fc from 'fast-check';
import { DONE, defineModel, invariant, program } from '../../src/index.ts';
import type { Model, StepSpec } from '../../src/index.ts';

/** A random small concurrent program over shared variables v[0..2] with values 0..3. */
export interface StepGen {
  guard: { v: number; eq: number } | null;
  op: 'set' | 'add' | 'choose';
  v: number;
  k: number;
  loopBack: boolean;
}
export interface ModelGen {
  threads: StepGen[][];
  bad: { a: number; ka: number; b: number; kb: number } | null;
}

const stepArb: fc.Arbitrary<StepGen> = fc.record({
  guard: fc.option(fc.record({ v: fc.nat(2), eq: fc.nat(3) }), { nil: null }),
  op: fc.constantFrom('set', 'add', 'choose'),
  v: fc.nat(2),
  k: fc.nat(3),
  loopBack: fc.boolean(),
});

export const modelGenArb: fc.Arbitrary<ModelGen> = fc.record({
  threads: fc.array(fc.array(stepArb, { minLength: 1, maxLength: 4 }), { minLength: 1, maxLength: 3 }),
  bad: fc.option(fc.record({ a: fc.nat(2), ka: fc.nat(3), b: fc.nat(2), kb: fc.nat(3) }), { nil: null }),
});

type G = { v: number[]; loops: number };

export function buildModel(gen: ModelGen, withProperty = true): Model<G> {
  const progs = gen.threads.map((steps, ti) =>
    program<G, Record<string, never>>(
      `p${ti}`,
      steps.map((s, si): StepSpec<G, Record<string, never>, number> => ({
        label: `s${si}`,
        ...(s.guard ? { guard: ({ g }) => g.v[s.guard!.v] === s.guard!.eq } : {}),
        ...(s.op === 'choose' ? { choose: () => [s.k, (s.k + 1) % 4] } : {}),
        run: ({ g }, c) => {
          if (s.op === 'set') g.v[s.v] = s.k;
          else if (s.op === 'add') g.v[s.v] = (g.v[s.v]! + s.k) % 4;
          else g.v[s.v] = c;
          // bounded loop: at most two jumps back in the whole run keeps the space finite and small
          if (s.loopBack && si === steps.length - 1 && g.loops < 2) {
            g.loops += 1;
            return 's0';
          }
          return si === steps.length - 1 ? DONE : undefined;
        },
      })),
    ),
  );
  const bad = gen.bad;
  return defineModel<G>({
    name: 'random',
    description: 'random test model',
    init: () => ({ v: [0, 0, 0], loops: 0 }),
    threads: () => progs.map((p, i) => ({ name: `t${i}`, program: p, local: {} })),
    properties:
      withProperty && bad
        ? [
            invariant<G>({
              name: 'not-bad',
              description: 'never v[a]=ka and v[b]=kb',
              holds: (s) => !(s.g.v[bad.a] === bad.ka && s.g.v[bad.b] === bad.kb),
            }),
          ]
        : [],
  });
}
