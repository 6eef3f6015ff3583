import { boolParam, defineModel, invariant, program } from '../../src/index.ts';
import type { StepSpec } from '../../src/index.ts';

/**
 * Peterson's mutual exclusion for two threads. With `broken`, a thread sets
 * `turn` before raising its flag, which lets both enter the critical section.
 */
interface G {
  flag: [boolean, boolean];
  turn: number;
  inCs: number;
}
interface L {
  me: number;
}

const raiseFlag: StepSpec<G, L> = {
  label: 'flag[me] = 1',
  run: ({ g, local }) => void (g.flag[local.me] = true),
};
const giveTurn: StepSpec<G, L> = {
  label: 'turn = other',
  run: ({ g, local }) => void (g.turn = 1 - local.me),
};

const peterson = (broken: boolean) =>
  program<G, L>('peterson', [
    broken ? [giveTurn, raiseFlag] : [raiseFlag, giveTurn],
    { label: 'wait', guard: ({ g, local }) => !g.flag[1 - local.me] || g.turn === local.me },
    { label: 'enter', run: ({ g }) => void (g.inCs += 1) },
    { label: 'leave', run: ({ g }) => void (g.inCs -= 1) },
    { label: 'flag[me] = 0', run: ({ g, local }) => void (g.flag[local.me] = false) },
  ]);

export default defineModel<G>({
  name: 'peterson',
  description: "Peterson's algorithm for two threads (broken: turn written before flag)",
  params: { broken: boolParam({ default: false, description: 'write turn before raising the flag' }) },
  scenarios: {
    correct: { description: 'the textbook order', params: { broken: false }, expect: { verdict: 'holds' } },
    broken: {
      description: 'turn before flag',
      params: { broken: true },
      expect: { verdict: 'violated', property: 'mutual-exclusion' },
    },
  },
  init: () => ({ flag: [false, false], turn: 0, inCs: 0 }),
  threads: ({ params }) => {
    const prog = peterson(params.broken === true);
    return [
      { name: 'p0', program: prog, local: { me: 0 } },
      { name: 'p1', program: prog, local: { me: 1 } },
    ];
  },
  properties: [
    invariant<G>({
      name: 'mutual-exclusion',
      description: 'at most one thread is in its critical section',
      holds: (s) => s.g.inCs <= 1,
      explain: (s) => `${s.g.inCs} threads are in the critical section`,
    }),
  ],
});
