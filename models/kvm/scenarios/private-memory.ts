import type { KvmScenario } from '../kit/scenario.ts';
import { PRIVATE_MEM_MODELS, holdsOn, violatedOn } from './expect.ts';
import { anonLayout } from './migration.ts';

/**
 * Slot 0 is bound to a one-page guest_memfd at index 0 and backed by
 * anonymous memory at hva 0 for its shared view; the file's page exists.
 */
const gmemLayout = {
  ...anonLayout,
  ramFrames: 3,
  slots: [{ id: 0, base: 0, npages: 1, hva: 0, ro: false, logDirty: false, gmem: 0 }],
  gmemPages: 1,
  gmemAllocated: [0],
} as const satisfies Partial<KvmScenario>;

/**
 * fallocate(PUNCH_HOLE) of a private page while vCPUs fault on it: the
 * truncation is bracketed by kvm_gmem_invalidate_begin/end, so a fault that
 * got the old page (kvm_gmem_get_pfn) retries, and a leaf installed earlier
 * is zapped before the page leaves the file.
 */
export const punchHoleRace: KvmScenario = {
  ...gmemLayout,
  name: 'punch-hole-race',
  description: 'vmm0 punches the private page out of guest_memfd while vCPUs fault on the private gfn',
  privateGfns: [0],
  vmm: () => [[{ op: 'punch-hole', index: 0, pages: 1 }]],
  expect: holdsOn(...PRIVATE_MEM_MODELS),
};

/** Ablation: PUNCH_HOLE truncates without kvm_gmem_invalidate_begin/end. */
export const punchHoleNoInvalidate: KvmScenario = {
  ...punchHoleRace,
  name: 'punch-hole-no-invalidate',
  description: 'ablation: PUNCH_HOLE without kvm_gmem_invalidate_begin/end',
  params: { ablation: 'no-gmem-invalidate' },
  expect: violatedOn('private-memory', ...PRIVATE_MEM_MODELS),
};

/** Ablation: the private fault installs without mmu_invalidate_retry_gfn. */
export const punchHoleNoRetry: KvmScenario = {
  ...punchHoleRace,
  name: 'punch-hole-no-retry',
  description: 'ablation: a private fault installs without mmu_invalidate_retry_gfn, across PUNCH_HOLE',
  params: { ablation: 'no-retry' },
  expect: violatedOn('private-memory', ...PRIVATE_MEM_MODELS),
};

/**
 * KVM_SET_MEMORY_ATTRIBUTES turns the shared gfn 0 private while vCPUs fault
 * on it: the conversion unmaps under kvm_mmu_invalidate_begin/end, and the
 * fault checks private vs shared after its mmu_invalidate_seq snapshot, so
 * it either sees the conversion or retries.
 */
export const conversionRace: KvmScenario = {
  ...gmemLayout,
  name: 'conversion-race',
  description:
    'vmm0 converts gfn 0 from shared to private (KVM_SET_MEMORY_ATTRIBUTES) while vCPUs fault on it',
  vmm: () => [[{ op: 'set-attributes', gfn: 0, pages: 1, private: true }]],
  expect: holdsOn(...PRIVATE_MEM_MODELS),
};

/** Ablation: the private/shared mismatch check runs before the seq snapshot. */
export const conversionRaceCheckBeforeSeq: KvmScenario = {
  ...conversionRace,
  name: 'conversion-race-attr-check-before-seq',
  description: 'ablation: the fault checks private vs shared before snapshotting mmu_invalidate_seq',
  params: { ablation: 'attr-check-before-seq' },
  expect: violatedOn('private-memory', ...PRIVATE_MEM_MODELS),
};

export { gmemLayout };
