import type { KvmScenario } from '../kit/scenario.ts';
import { ARM64_MODELS, X86_MODELS, holdsOn } from './expect.ts';
import { seedRace } from './seed-race.ts';

/**
 * The tempting fix for the seed race: kvm_arch_prepare_memory_region keeps
 * mmap_sem (read) until the new memslots are published, so no munmap can
 * run between the eager mapping and the publication. It closes the seed
 * race — and deadlocks as soon as a vCPU faults on another, already
 * published slot: the publication's synchronize_srcu waits for that vCPU,
 * which is inside kvm->srcu and waits for mmap_sem behind the munmap's
 * queued writer, which waits for prepare's read hold. Layout: the seed race
 * (the BAR at hva 0, slot 0 being created) plus slot 1 of anonymous memory
 * at hva 1 / gfn 1, already published, where the vCPUs fault.
 */
export const temptingFixDeadlock: KvmScenario = {
  ...seedRace,
  name: 'tempting-fix-deadlock',
  description:
    'the seed race with prepare holding mmap_sem until publication, while vCPUs fault on another, published slot',
  hvaPages: 2,
  gfns: 2,
  ramFrames: 1,
  vmas: [...seedRace.vmas, { start: 1, pages: 1, kind: 'anon', write: true, pgoff: 0, faultPfn: 0 }],
  slots: [{ id: 1, base: 1, npages: 1, hva: 1, ro: false, logDirty: false }],
  access: [1],
  settings: { prepareHoldsMmapSem: true },
  params: { vcpus: 1 },
  expect: {
    ...Object.fromEntries(ARM64_MODELS.map((m) => [m, { verdict: 'deadlock' } as const])),
    // x86's prepare takes no mmap_sem: the patch changes nothing there.
    ...holdsOn(...X86_MODELS),
  },
};

/** The same patch on the seed race alone: it closes the race, and no vCPU ever waits on mmap_sem inside SRCU. */
export const seedRaceTemptingFix: KvmScenario = {
  ...seedRace,
  name: 'seed-race-tempting-fix',
  description: 'the seed race with prepare holding mmap_sem until publication (the deadlock stays hidden)',
  settings: { prepareHoldsMmapSem: true },
  expect: holdsOn('arm64-v5.4', 'arm64-v5.13'),
};
