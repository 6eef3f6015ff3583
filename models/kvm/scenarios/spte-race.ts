import type { KvmScenario } from '../kit/scenario.ts';
import { ARM64_TODAY, X86_TDP_MODELS, holdsOn, violatedOn } from './expect.ts';
import { anonLayout } from './migration.ts';

/**
 * Concurrent faults racing on one SPTE: the slot logs dirty pages, so its
 * leaf is write-protected; vCPUs write to it while the page migrates. On x86
 * the write fault takes fast_page_fault, which reads the SPTE without
 * mmu_lock and restores the write bit with a cmpxchg that fails if the
 * migration's invalidation zapped the SPTE in between; on arm64 (v6.6+) it
 * is a permission fault, handled by kvm_pgtable_stage2_relax_perms under the
 * read lock after mmu_invalidate_retry, on the leaf still there.
 */
export const spteRace: KvmScenario = {
  ...anonLayout,
  name: 'spte-race',
  description:
    'write faults on a dirty-logged (write-protected) leaf racing with page migration: fast_page_fault cmpxchg (x86), relax_perms (arm64)',
  slots: [{ id: 0, base: 0, npages: 1, hva: 0, ro: false, logDirty: true }],
  mapped: [0],
  vmm: () => [],
  invalidator: [{ op: 'migrate', hva: 0 }],
  expect: holdsOn(...ARM64_TODAY, ...X86_TDP_MODELS),
};

/** Ablation: fast_page_fault stores the SPTE without cmpxchg. */
export const spteRaceNoCmpxchg: KvmScenario = {
  ...spteRace,
  name: 'spte-race-no-cmpxchg',
  description: 'ablation: fast_page_fault writes the SPTE back without cmpxchg, over a zap',
  params: { ablation: 'no-cmpxchg' },
  expect: violatedOn('stage2-coherence', ...X86_TDP_MODELS),
};
