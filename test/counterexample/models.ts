import { defineModel, invariant, lockStep, mutex, unlockStep } from '../../src/index.ts';
import type { Program } from '../../src/index.ts';

/**
 * Test models for counterexample tests.
 *
 * `lostUpdate`: two incrementers read a counter, then write read+1; a
 * bystander thread toggles an unrelated flag several times. The property
 * "once both incrementers are done, the counter is 2" fails when both read
 * before either writes. The bystander is never needed.
 */
interface Counter {
  counter: number;
  done: number;
  noise: number;
}
interface Tmp {
  tmp: number;
}

const incrementer: Program<Counter, Tmp> = {
  name: 'incrementer',
  steps: [
    { label: 'inc: read counter', run: ({ g, local }) => void (local.tmp = g.counter) },
    { label: 'inc: write counter', run: ({ g, local }) => void (g.counter = local.tmp + 1) },
    { label: 'inc: finish', run: ({ g }) => void (g.done += 1) },
  ],
};
const bystander: Program<Counter, Tmp> = {
  name: 'bystander',
  steps: [1, 2, 3].map((i) => ({ label: `noise ${i}`, run: ({ g }) => void (g.noise += 1) })),
};

export const lostUpdate = defineModel<Counter>({
  name: 'lost-update',
  description: 'two unsynchronised incrementers and a bystander',
  init: () => ({ counter: 0, done: 0, noise: 0 }),
  threads: () => [
    { name: 'noise', program: bystander, local: { tmp: 0 } },
    { name: 'cpu0', program: incrementer, local: { tmp: 0 } },
    { name: 'cpu1', program: incrementer, local: { tmp: 0 } },
  ],
  properties: [
    invariant<Counter>({
      name: 'no-lost-update',
      description: 'when both incrementers are done the counter is 2',
      holds: (s) => s.g.done < 2 || s.g.counter === 2,
      explain: (s) => `both incrementers finished but the counter is ${s.g.counter}`,
    }),
  ],
});

/** The same program with the increment under a mutex: no lost update. */
const locked = mutex('counter_lock');
const lockedIncrementer: Program<Counter, Tmp> = {
  name: 'locked-incrementer',
  steps: [
    lockStep('inc: lock', locked.lock),
    { label: 'inc: read counter', run: ({ g, local }) => void (local.tmp = g.counter) },
    { label: 'inc: write counter', run: ({ g, local }) => void (g.counter = local.tmp + 1) },
    unlockStep('inc: unlock', locked.lock),
    { label: 'inc: finish', run: ({ g }) => void (g.done += 1) },
  ],
};
export const lostUpdateFixed = defineModel<Counter>({
  ...lostUpdate,
  name: 'lost-update-fixed',
  description: 'the incrementers take a mutex',
  locks: [locked],
  threads: () => [
    { name: 'noise', program: bystander, local: { tmp: 0 } },
    { name: 'cpu0', program: lockedIncrementer, local: { tmp: 0 } },
    { name: 'cpu1', program: lockedIncrementer, local: { tmp: 0 } },
  ],
});

/** ABBA: two threads take two mutexes in opposite orders; deadlocks. */
const a = mutex('lock_a');
const b = mutex('lock_b');
const order = (first: typeof a, second: typeof a, name: string): Program<null, null> => ({
  name,
  steps: [
    lockStep(`${name}: take first`, first.lock),
    lockStep(`${name}: take second`, second.lock),
    unlockStep(`${name}: drop second`, second.lock),
    unlockStep(`${name}: drop first`, first.lock),
  ],
});
export const abba = defineModel<null>({
  name: 'abba',
  description: 'lock-order inversion',
  locks: [a, b],
  init: () => null,
  threads: () => [
    { name: 'ab', program: order(a, b, 'ab'), local: null },
    { name: 'ba', program: order(b, a, 'ba'), local: null },
  ],
  properties: [],
});
