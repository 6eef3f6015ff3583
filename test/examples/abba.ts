import { boolParam, defineModel, mutex, program } from '../../src/index.ts';

/** Two threads take two mutexes; in opposite orders (the ABBA pattern) they can deadlock. */
const a = mutex('lock_a');
const b = mutex('lock_b');

const ordered = (first: typeof a, second: typeof a, name: string) =>
  program<Record<string, never>, Record<string, never>>(name, [
    { label: `lock ${first.name}`, acquire: first.lock },
    { label: `lock ${second.name}`, acquire: second.lock },
    { label: `unlock ${second.name}`, release: second.lock },
    { label: `unlock ${first.name}`, release: first.lock },
  ]);

export default defineModel<Record<string, never>>({
  name: 'abba',
  description: 'two threads, two mutexes; opposite acquisition orders deadlock',
  params: { sameOrder: boolParam({ default: false, description: 'both threads take lock_a first' }) },
  scenarios: {
    abba: { description: 'opposite orders', params: { sameOrder: false }, expect: { verdict: 'deadlock' } },
    ordered: { description: 'same order', params: { sameOrder: true }, expect: { verdict: 'holds' } },
  },
  locks: [a, b],
  init: () => ({}),
  threads: ({ params }) => [
    { name: 'left', program: ordered(a, b, 'a-then-b'), local: {} },
    {
      name: 'right',
      program: params.sameOrder ? ordered(a, b, 'a-then-b') : ordered(b, a, 'b-then-a'),
      local: {},
    },
  ],
  properties: [],
});
