import fc from 'fast-check';
import { defineModel, invariant } from '../../src/index.ts';
import type { Model, StepSpec } from '../../src/index.ts';

/**
 * Small random models for law tests: a few threads, each a straight-line
 * program over a handful of shared cells with values 0..2. A step may be
 * guarded (blocks until a cell holds a value), may choose between two
 * values, and writes one cell. The property says a target cell never holds
 * the value 2, so many random models have counterexamples.
 */
export interface StepDesc {
  readonly guard: { cell: number; value: number } | null;
  readonly write: number;
  /** The written value: a constant, or one of two values chosen nondeterministically. */
  readonly value:
    { kind: 'const'; v: number } | { kind: 'choose'; a: number; b: number } | { kind: 'inc'; from: number };
}
export interface ModelDesc {
  readonly cells: number;
  readonly threads: readonly (readonly StepDesc[])[];
  readonly target: number;
}

interface G {
  c: number[];
}

export const modelDescArb = (maxThreads = 3, maxSteps = 4): fc.Arbitrary<ModelDesc> =>
  fc.integer({ min: 2, max: 3 }).chain((cells) => {
    const cell = fc.integer({ min: 0, max: cells - 1 });
    const val = fc.integer({ min: 0, max: 2 });
    const stepArb: fc.Arbitrary<StepDesc> = fc.record({
      guard: fc.option(fc.record({ cell, value: val }), { freq: 3 }),
      write: cell,
      value: fc.oneof(
        fc.record({ kind: fc.constant('const' as const), v: val }),
        fc.record({ kind: fc.constant('choose' as const), a: val, b: val }),
        fc.record({ kind: fc.constant('inc' as const), from: cell }),
      ),
    });
    return fc.record({
      cells: fc.constant(cells),
      threads: fc.array(fc.array(stepArb, { minLength: 1, maxLength: maxSteps }), {
        minLength: 1,
        maxLength: maxThreads,
      }),
      target: cell,
    });
  });

export function buildModel(d: ModelDesc): Model<G> {
  const programOf = (steps: readonly StepDesc[], t: number) => ({
    name: `prog${t}`,
    steps: steps.map((sd, i): StepSpec<G, null, number> => {
      const label = `t${t}: step ${i} writes c${sd.write}`;
      const guard = sd.guard;
      const base = guard ? { guard: ({ g }: { g: G }) => g.c[guard.cell] === guard.value } : {};
      switch (sd.value.kind) {
        case 'const': {
          const v = sd.value.v;
          return { label, ...base, run: ({ g }) => void (g.c[sd.write] = v) };
        }
        case 'choose': {
          const opts = [sd.value.a, sd.value.b];
          return { label, ...base, choose: () => opts, run: ({ g }, v) => void (g.c[sd.write] = v) };
        }
        case 'inc': {
          const from = sd.value.from;
          return { label, ...base, run: ({ g }) => void (g.c[sd.write] = (g.c[from]! + 1) % 3) };
        }
      }
    }),
  });
  return defineModel<G>({
    name: 'random',
    description: 'a random small model',
    init: () => ({ c: new Array<number>(d.cells).fill(0) }),
    threads: () =>
      d.threads.map((steps, t) => ({ name: `t${t}`, program: programOf(steps, t), local: null })),
    properties: [
      invariant<G>({
        name: 'target-below-2',
        description: `c${d.target} never holds 2`,
        holds: (s) => s.g.c[d.target] !== 2,
      }),
    ],
  });
}
