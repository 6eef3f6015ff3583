import type { KvmScenario } from '../kit/scenario.ts';
import { allBut, holdsOn, violatedOn } from './expect.ts';

/**
 * 13ec9308a857 (v6.3): user_mem_abort chooses the block size (vma_shift)
 * from the VMA under mmap_lock but read mmu_invalidate_seq only after
 * mmap_read_unlock. vmm0 replaces a hugetlbfs mapping by small anonymous
 * pages (mmap MAP_FIXED) in that window: its invalidation ends before the
 * snapshot, so nothing retries, and a block mapping is installed from the
 * stale vma_shift over a small page — the block's other page maps a frame
 * the host does not map there. The layout: a two-page (one block) hugetlbfs
 * VMA at hva 0, faulted in, behind slot 0 (gfn 0–1, aligned). x86 v5.4 took
 * its mapping level from the VMA the same way (kvm_host_page_size).
 */
export const vmaShiftRace: KvmScenario = {
  name: 'vma-shift-race',
  description:
    'vmm0 replaces a hugetlbfs VMA by small anonymous pages (mmap MAP_FIXED) while a vCPU faults a block mapping',
  hvaPages: 2,
  gfns: 2,
  ramFrames: 3,
  vmas: [{ start: 0, pages: 2, kind: 'anon', write: true, pgoff: 0, faultPfn: 0, pageSize: 2 }],
  faultedIn: [0],
  slots: [{ id: 0, base: 0, npages: 2, hva: 0, ro: false, logDirty: false }],
  vmm: () => [
    [
      {
        op: 'mmap-fixed',
        vma: { start: 0, pages: 2, kind: 'anon', write: true, pgoff: 0, faultPfn: 0 },
        populate: false,
      },
    ],
  ],
  access: [0],
  params: { vcpus: 1 },
  expect: {
    ...violatedOn('stage2-coherence', 'arm64-v5.4', 'arm64-v5.13', 'x86-v5.4'),
    ...holdsOn(...allBut('arm64-v5.4', 'arm64-v5.13', 'x86-v5.4')),
  },
};

/**
 * The fix as a setting: the sequence is read before mmap_read_unlock
 * (13ec9308a857), on the arm64 versions that lack it. (x86 closed the window
 * otherwise: its later fault paths take the level from the host page tables
 * under mmu_lock.)
 */
export const vmaShiftRaceFixed: KvmScenario = {
  ...vmaShiftRace,
  name: 'vma-shift-race-fixed',
  description: 'vma-shift-race with 13ec9308a857 (mmu_invalidate_seq read before mmap_read_unlock)',
  settings: { seqBeforeMmapUnlock: true },
  expect: holdsOn('arm64-v5.4', 'arm64-v5.13'),
};
