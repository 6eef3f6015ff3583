import { boolParam, defineModel, intParam, invariant, mutex, program } from '../../src/index.ts';

/**
 * The lost update: N threads each read a shared counter into a local, then
 * write back local + 1. Without the mutex two reads can see the same value
 * and one increment is lost.
 */
interface G {
  counter: number;
  finished: number;
}
interface L {
  tmp: number;
}

const lock = mutex('counter_lock');

const incrementer = (locked: boolean) =>
  program<G, L>(locked ? 'increment-locked' : 'increment', [
    locked ? [{ label: 'mutex_lock', acquire: lock.lock }] : [],
    { label: 'read', run: ({ g, local }) => void (local.tmp = g.counter) },
    { label: 'write', run: ({ g, local }) => void (g.counter = local.tmp + 1) },
    locked ? [{ label: 'mutex_unlock', release: lock.lock }] : [],
    { label: 'finish', run: ({ g }) => void (g.finished += 1) },
  ]);

export default defineModel<G>({
  name: 'lost-update',
  description: 'N threads increment a shared counter, with or without a mutex',
  params: {
    threads: intParam({ default: 2, min: 1, max: 6, description: 'number of incrementing threads' }),
    locked: boolParam({ default: false, description: 'take the mutex around read/write' }),
  },
  scenarios: {
    racy: {
      description: 'no lock',
      params: { locked: false },
      expect: { verdict: 'violated', property: 'no-lost-update' },
    },
    locked: { description: 'with the mutex', params: { locked: true }, expect: { verdict: 'holds' } },
  },
  locks: [lock],
  init: () => ({ counter: 0, finished: 0 }),
  threads: ({ params }) => {
    const prog = incrementer(params.locked === true);
    return Array.from({ length: params.threads as number }, (_, i) => ({
      name: `t${i}`,
      program: prog,
      local: { tmp: 0 },
      symmetry: 'incrementer',
    }));
  },
  properties: [
    invariant<G>({
      name: 'no-lost-update',
      description: 'when every thread has finished, the counter equals the number of threads',
      holds: (s) => s.g.finished < s.threads.length || s.g.counter === s.threads.length,
      explain: (s) => `all ${s.threads.length} threads finished but the counter is ${s.g.counter}`,
    }),
  ],
});
