import type { KvmScenario } from '../kit/scenario.ts';
import { ARM64_TODAY, TODAY_MODELS, X86_TDP_FIXED, X86_TDP_MODELS, holdsOn, violatedOn } from './expect.ts';

const twoAnonSlots = {
  hvaPages: 2,
  gfns: 2,
  ramFrames: 3,
  vmas: [{ start: 0, pages: 2, kind: 'anon', write: true, pgoff: 0, faultPfn: 0 }],
  faultedIn: [0, 1],
} as const satisfies Partial<KvmScenario>;

/**
 * Memslot DELETE during a fault on an about-to-be-invalidated root: slot 0
 * is deleted while vCPUs fault on gfn 1 of slot 1. A fault that entered the
 * guest on the old root and takes mmu_lock (read) after kvm_mmu_zap_all_fast
 * installs into the invalidated root, possibly after
 * kvm_tdp_mmu_zap_invalidated_roots has passed: the SPTE and its page table
 * leak. a955cad84cda (v5.16) makes is_page_fault_stale retry such a fault.
 */
export const deleteRootRace: KvmScenario = {
  ...twoAnonSlots,
  name: 'delete-root-race',
  description: 'vmm0 deletes slot 0 while vCPUs fault on slot 1 with the root about to be invalidated',
  slots: [
    { id: 0, base: 0, npages: 1, hva: 0, ro: false, logDirty: false },
    { id: 1, base: 1, npages: 1, hva: 1, ro: false, logDirty: false },
  ],
  vmm: () => [[{ op: 'set-memory-region', region: { change: 'delete', id: 0 } }]],
  access: [1],
  expect: {
    ...violatedOn('obsolete-root-empty', 'x86-v5.15'),
    ...holdsOn(...X86_TDP_FIXED, ...ARM64_TODAY),
  },
};

/** Ablation: is_page_fault_stale without the invalidated-root check. */
export const deleteRootRaceNoCheck: KvmScenario = {
  ...deleteRootRace,
  name: 'delete-root-race-no-stale-root-check',
  description: 'ablation: faults do not check whether their root was invalidated',
  params: { ablation: 'no-stale-root-check' },
  expect: violatedOn('obsolete-root-empty', ...X86_TDP_FIXED),
};

/**
 * DELETE of a two-page slot whose pages are both mapped: the zap of the
 * invalidated roots may yield mmu_lock between the two SPTEs (contended by
 * a faulting vCPU, or need_resched). Before 3a0f64de479c (v5.16,
 * CVE-2021-47094) the restarted iterator skipped the entry it had stopped
 * at, and the deleted slot's SPTE stayed in the root.
 */
export const deleteSlotYield: KvmScenario = {
  ...twoAnonSlots,
  name: 'delete-slot-yield',
  description: 'vmm0 deletes a two-page slot whose pages are mapped; the zap may yield mmu_lock between them',
  slots: [{ id: 0, base: 0, npages: 2, hva: 0, ro: false, logDirty: false }],
  mapped: [0, 1],
  vmm: () => [[{ op: 'set-memory-region', region: { change: 'delete', id: 0 } }]],
  // Both leaves exist: a guest access traps only once the slot is going away,
  // and such a fault ends at the memslot lookup; the race is the zap's own.
  access: [],
  params: { vcpus: 0 },
  expect: {
    ...violatedOn('deleted-slot-empty', 'x86-v5.15'),
    ...holdsOn(...X86_TDP_FIXED, ...ARM64_TODAY),
  },
};

/**
 * Ranged retry: the page behind slot 0 migrates while vCPUs fault on both
 * slots. With `mmu_notifier_retry` any fault retries while the migration is
 * in progress; with `mmu_notifier_retry_hva` (x86 v5.12+) and
 * `mmu_invalidate_retry_gfn` (x86 v6.7+) a fault on slot 1 proceeds, and
 * only one inside the range (or one that saw the sequence move) retries.
 */
export const rangedRetry: KvmScenario = {
  ...twoAnonSlots,
  name: 'ranged-retry',
  description: 'the page of slot 0 migrates while vCPUs fault on slots 0 and 1 (range-checked retry)',
  slots: deleteRootRace.slots,
  vmm: () => [],
  invalidator: [{ op: 'migrate', hva: 0 }],
  access: [0, 1],
  expect: holdsOn(...TODAY_MODELS),
};

/**
 * Ranged retry over a widened range: slots 0 and 1 back gfns 0 and 2 with
 * hvas 0 and 1, slot 2 backs gfn 1 with hva 2. A munmap of hvas 0–1 hits
 * gfns 0 and 2; mmu_invalidate_range_add widens the in-progress gfn range
 * to 0–2, so a fault on gfn 1 retries under `mmu_invalidate_retry_gfn`
 * (x86 v6.7+) while `mmu_notifier_retry_hva` lets it map hva 2.
 */
export const rangedRetryWidened: KvmScenario = {
  name: 'ranged-retry-widened',
  description:
    'a munmap of the hvas behind gfns 0 and 2 while a vCPU faults on gfn 1 (the gfn range is widened over it)',
  hvaPages: 3,
  gfns: 3,
  ramFrames: 3,
  vmas: [{ start: 0, pages: 3, kind: 'anon', write: true, pgoff: 0, faultPfn: 0 }],
  faultedIn: [0, 1, 2],
  slots: [
    { id: 0, base: 0, npages: 1, hva: 0, ro: false, logDirty: false },
    { id: 1, base: 2, npages: 1, hva: 1, ro: false, logDirty: false },
    { id: 2, base: 1, npages: 1, hva: 2, ro: false, logDirty: false },
  ],
  vmm: () => [[{ op: 'munmap', hva: 0, pages: 2 }]],
  access: [1],
  params: { vcpus: 1 },
  expect: holdsOn(...X86_TDP_MODELS, 'x86-v5.17'),
};
