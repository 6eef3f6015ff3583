import fc from 'fast-check';
import { DONE, at, defineModel, invariant, mutex, program } from '../../src/index.ts';
import type { Model, StepSpec, ThreadSpec } from '../../src/index.ts';

/**
 * Random small models whose steps declare exact footprints, for testing
 * partial-order reduction against the unreduced search: shared cells
 * v[0..2] (values 0..2), a mutex (held over two steps), a thread-local
 * cursor `i` that `at`
 * footprints depend on, and loops (jumps back to the first step, without
 * bound: the state space stays finite, the graph has cycles).
 */
export type Op =
  | { readonly op: 'set'; readonly v: number; readonly k: number }
  | { readonly op: 'copy'; readonly from: number; readonly to: number }
  | { readonly op: 'wait'; readonly v: number; readonly k: number }
  | { readonly op: 'choose'; readonly v: number }
  | { readonly op: 'cursor' }
  | { readonly op: 'at-set'; readonly k: number }
  | { readonly op: 'locked'; readonly v: number }
  | { readonly op: 'local' };

export interface StepGen {
  readonly op: Op;
  /** Jump back to the first step after this one (only on the last step). */
  readonly loop: boolean;
  /** Declare per-cell paths (`v.1`) instead of the whole array (`v`). */
  readonly fine: boolean;
}

export interface ModelGen {
  readonly threads: readonly (readonly StepGen[])[];
  /** The first program run by two threads of a symmetry group (and the second by one more thread). */
  readonly symmetric: boolean;
  /** The cells the property reads. */
  readonly visible: readonly number[];
}

const cell = fc.nat(2);
const opArb: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ op: fc.constant('set' as const), v: cell, k: fc.nat(2) }),
  fc.record({ op: fc.constant('copy' as const), from: cell, to: cell }),
  fc.record({ op: fc.constant('wait' as const), v: cell, k: fc.nat(2) }),
  fc.record({ op: fc.constant('choose' as const), v: cell }),
  fc.constant({ op: 'cursor' as const }),
  fc.record({ op: fc.constant('at-set' as const), k: fc.nat(2) }),
  fc.record({ op: fc.constant('locked' as const), v: cell }),
  fc.constant({ op: 'local' as const }),
);
const stepArb = fc.record({ op: opArb, loop: fc.boolean(), fine: fc.boolean() });

export const modelGenArb: fc.Arbitrary<ModelGen> = fc.record({
  threads: fc.array(fc.array(stepArb, { minLength: 1, maxLength: 3 }), { minLength: 1, maxLength: 3 }),
  symmetric: fc.boolean(),
  visible: fc.uniqueArray(cell, { minLength: 1, maxLength: 3 }),
});

type G = { v: number[] };
type L = { i: number; n: number };
const m = mutex('m');

function stepsOf(s: StepGen, si: number, last: boolean): StepSpec<G, L, number>[] {
  const path = (v: number): string => (s.fine ? `v.${v}` : 'v');
  const flow = (): string | typeof DONE | undefined => (last ? (s.loop ? 's0' : DONE) : undefined);
  const label = `s${si}`;
  const o = s.op;
  const jumps: (string | typeof DONE)[] = last ? [flow()!] : [];
  if (o.op === 'locked')
    return [
      { label, acquire: m.lock, reads: [path(o.v)], writes: [], run: ({ g }) => void g.v[o.v] },
      {
        label: `${label}b`,
        jumps,
        release: m.lock,
        reads: [],
        writes: [path(o.v)],
        run: ({ g }) => ((g.v[o.v] = (g.v[o.v]! + 1) % 3), flow()),
      },
    ];
  return [{ ...stepOf(o, label, path, flow), jumps }];
}

function stepOf(
  o: Exclude<Op, { op: 'locked' }>,
  label: string,
  path: (v: number) => string,
  flow: () => string | typeof DONE | undefined,
): StepSpec<G, L, number> {
  const fine = path(0) !== 'v';
  switch (o.op) {
    case 'set':
      return { label, reads: [], writes: [path(o.v)], run: ({ g }) => ((g.v[o.v] = o.k), flow()) };
    case 'copy':
      return {
        label,
        reads: [path(o.from)],
        writes: [path(o.to)],
        run: ({ g }) => ((g.v[o.to] = g.v[o.from]!), flow()),
      };
    case 'wait':
      return { label, reads: [path(o.v)], writes: [], guard: ({ g }) => g.v[o.v] === o.k, run: () => flow() };
    case 'choose':
      return {
        label,
        reads: [],
        writes: [path(o.v)],
        choose: () => [0, 1],
        run: ({ g }, c) => ((g.v[o.v] = c), flow()),
      };
    case 'cursor':
      return { label, reads: [], writes: [], run: ({ local }) => ((local.i = (local.i + 1) % 2), flow()) };
    case 'at-set':
      return {
        label,
        reads: [],
        writes: fine ? [at<G, L>('v', ({ local }) => local.i)] : ({ local }) => [`v.${local.i}`],
        run: ({ g, local }) => ((g.v[local.i] = o.k), flow()),
      };
    case 'local':
      return { label, reads: [], writes: [], run: ({ local }) => ((local.n = 1 - local.n), flow()) };
  }
}

/** The model; `record` sees every state the search stores (through an always-true property). */
export function buildModel(gen: ModelGen, record: (s: { g: G; threads: unknown }) => void): Model<G> {
  const progs = gen.threads.map((steps, ti) =>
    program<G, L>(
      `p${ti}`,
      steps.map((s, si) => stepsOf(s, si, si === steps.length - 1)),
    ),
  );
  // At most three threads: with symmetry, two copies of the first program and one other thread.
  const threads: ThreadSpec<G, L>[] = gen.symmetric
    ? [
        ...['a', 'b'].map((name) => ({ name, program: progs[0]!, local: { i: 0, n: 0 }, symmetry: 'a' })),
        ...progs.slice(1, 2).map((p, i) => ({ name: `t${i + 1}`, program: p, local: { i: 0, n: 0 } })),
      ]
    : progs.map((p, i) => ({ name: `t${i}`, program: p, local: { i: 0, n: 0 } }));
  return defineModel<G>({
    name: 'random-footprints',
    description: 'random model with exact footprints',
    locks: [m],
    init: () => ({ v: [0, 0, 0] }),
    threads: () => threads,
    properties: [
      invariant<G>({
        name: 'record',
        description: 'records the states the search stores; always holds',
        reads: gen.visible.map((v) => `v.${v}`),
        holds: (s) => (record(s as never), true),
      }),
    ],
  });
}
