import type { KvmScenario } from '../kit/scenario.ts';
import { ALL_MODELS, TODAY_MODELS, holdsOn, violatedOn } from './expect.ts';

/** Anonymous memory at hva 0, faulted in, behind slot 0 at gfn 0. */
const anonLayout = {
  hvaPages: 1,
  gfns: 1,
  ramFrames: 2,
  vmas: [{ start: 0, pages: 1, kind: 'anon', write: true, pgoff: 0, faultPfn: 0 }],
  faultedIn: [0],
  slots: [{ id: 0, base: 0, npages: 1, hva: 0, ro: false, logDirty: false }],
  access: [0],
} as const satisfies Partial<KvmScenario>;

/**
 * The invariant every version must keep: page migration (no mmap_sem) of
 * guest memory racing with stage-2 faults. The mmu_notifier_seq/count
 * retry protocol is what makes it safe.
 */
export const migration: KvmScenario = {
  name: 'migration',
  description: 'page migration of anonymous guest memory (rmap-based, no mmap_sem) vs stage-2 faults',
  ...anonLayout,
  vmm: () => [],
  invalidator: [{ op: 'migrate', hva: 0 }],
  expect: holdsOn(...ALL_MODELS, ...TODAY_MODELS),
};

/** Ablation: the fault path without the mmu_notifier_retry check. */
export const migrationNoRetry: KvmScenario = {
  ...migration,
  name: 'migration-no-retry',
  description: 'ablation: migration vs faults whose install skips mmu_notifier_retry',
  params: { ablation: 'no-retry' },
  expect: violatedOn('stage2-coherence', ...ALL_MODELS, ...TODAY_MODELS),
};

/** Ablation: the seq snapshot taken after the pfn lookup instead of before. */
export const migrationSeqAfterGup: KvmScenario = {
  ...migration,
  name: 'migration-seq-after-gup',
  description: 'ablation: migration vs faults that read mmu_notifier_seq after the pfn lookup',
  params: { ablation: 'seq-after-gup' },
  expect: violatedOn('stage2-coherence', ...ALL_MODELS, ...TODAY_MODELS),
};

/** Ablation: the fault path maps without mmu_lock. */
export const faultNoMmuLock: KvmScenario = {
  ...migration,
  name: 'fault-no-mmu-lock',
  description: 'ablation: faults that write stage-2 without mmu_lock',
  params: { ablation: 'no-mmu-lock' },
  expect: violatedOn('stage2-under-mmu-lock', ...ALL_MODELS, ...TODAY_MODELS),
};

export { anonLayout };
