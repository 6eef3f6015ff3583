import { DONE, defineModel, invariant, program, rwsem, srcu } from '../../src/index.ts';
import type { ProgramItem } from '../../src/index.ts';

/** Builds a one-shot model from a program per thread, for engine tests. */
export function tiny<G>(
  name: string,
  g: G,
  progs: readonly (readonly ProgramItem<G, Record<string, unknown>>[])[],
  extra: { locks?: Parameters<typeof defineModel>[0]['locks']; holds?: (g: G) => boolean } = {},
) {
  return defineModel<G>({
    name,
    description: 'engine test model',
    locks: extra.locks ?? [],
    init: () => g,
    threads: () => progs.map((steps, i) => ({ name: `t${i}`, program: program(`p${i}`, steps), local: {} })),
    properties: extra.holds
      ? [invariant<G>({ name: 'prop', description: 'test property', holds: (s) => extra.holds!(s.g) })]
      : [],
  });
}

/**
 * SRCU publication: a writer publishes a new pointer then waits for readers;
 * a reader that read the old pointer inside its section must be done before
 * the writer frees the old object.
 */
export function srcuModel(withSync: boolean) {
  const s = srcu('srcu');
  type G = { ptr: number; freed: number[]; usingFreed: boolean };
  type L = { seen: number };
  const reader = program<G, L>('reader', [
    { label: 'srcu_read_lock', acquire: s.read },
    { label: 'read ptr', run: ({ g, local }) => void (local.seen = g.ptr) },
    { label: 'use', run: ({ g, local }) => void (g.usingFreed ||= g.freed.includes(local.seen)) },
    { label: 'srcu_read_unlock', release: s.read },
  ]);
  const writer = program<G, L>('writer', [
    withSync
      ? { label: 'publish + synchronize_srcu', synchronize: s, run: ({ g }) => void (g.ptr = 2) }
      : { label: 'publish', run: ({ g }) => void (g.ptr = 2) },
    { label: 'free old', run: ({ g }) => void g.freed.push(1) },
  ]);
  return defineModel<G>({
    name: withSync ? 'srcu-sync' : 'srcu-nosync',
    description: 'SRCU publication',
    locks: [s],
    init: () => ({ ptr: 1, freed: [], usingFreed: false }),
    threads: () => [
      { name: 'reader', program: reader, local: { seen: 0 } },
      { name: 'writer', program: writer, local: { seen: 0 } },
    ],
    properties: [
      invariant<G>({ name: 'no-use-after-free', description: 'uaf', holds: (st) => !st.g.usingFreed }),
    ],
  });
}

/** A writer-preferring rwsem: reader R1 holds, writer W queues, reader R2 then waits behind W. */
export function rwsemModel(writerPreference: boolean) {
  const sem = rwsem('mmap_sem', { writerPreference });
  type G = { order: string[] };
  const reader = (n: string) =>
    program<G, Record<string, never>>(n, [
      { label: 'down_read', acquire: sem.read, run: ({ g }) => void g.order.push(n) },
      { label: 'up_read', release: sem.read },
    ]);
  const writer = program<G, Record<string, never>>('w', [
    { label: 'down_write', acquire: sem.write, run: ({ g }) => void g.order.push('w') },
    { label: 'up_write', release: sem.write, next: DONE },
  ]);
  return defineModel<G>({
    name: 'rwsem',
    description: 'rwsem fairness',
    locks: [sem],
    init: () => ({ order: [] }),
    threads: () => [
      { name: 'r1', program: reader('r1'), local: {} },
      { name: 'w', program: writer, local: {} },
      { name: 'r2', program: reader('r2'), local: {} },
    ],
    properties: [
      invariant<G>({
        name: 'r2-never-overtakes-queued-w',
        description: 'once w has queued behind r1, r2 does not enter before w',
        holds: (st) => !(st.g.order.join() === 'r1,r2,w' && st.locks.mmap_sem!.kind === 'rwsem'),
      }),
    ],
  });
}
