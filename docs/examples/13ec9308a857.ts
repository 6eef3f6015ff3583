// 13ec9308a857 (v6.3): user_mem_abort chose the block size (vma_shift) from
// the VMA under mmap_lock but read the sequence only after unlocking, so a
// VMA replaced in between went unnoticed and a block was mapped from a
// stale vma_shift. The fix, written as two step edits on v5.13: read the
// sequence in the VMA lookup step, drop the later snapshot.
import { arm64V513, defineExtension, kvmModel } from 'kvmcheck/kvm';
import type { KvmScenario } from 'kvmcheck/kvm';

const buggy = 'arm64-v5.13-vma-shift';
const fixed = 'arm64-v5.13-13ec9308a857';
const anon = { start: 0, pages: 2, kind: 'anon', write: true, pgoff: 0, faultPfn: 0 } as const;

/** A hugetlbfs VMA (one block, faulted in) behind slot 0, replaced by small pages by vmm0. */
const scenario: KvmScenario = {
  name: 'hugetlb-replaced',
  description: 'vmm0 mmaps small pages over a hugetlbfs VMA while a vCPU faults a block mapping',
  hvaPages: 2,
  gfns: 2,
  ramFrames: 3,
  vmas: [{ ...anon, pageSize: 2 }],
  faultedIn: [0],
  slots: [{ id: 0, base: 0, npages: 2, hva: 0, ro: false, logDirty: false }],
  vmm: () => [[{ op: 'mmap-fixed', vma: anon, populate: false }]],
  access: [0],
  params: { vcpus: 1 },
  expect: { [buggy]: { verdict: 'violated', property: 'stage2-coherence' }, [fixed]: { verdict: 'holds' } },
};

const seqUnderMmapLock = defineExtension({
  name: '13ec9308a857',
  steps: [
    {
      id: 'user_mem_abort.vma_lookup',
      replace: (old) => ({
        ...old,
        label: 'user_mem_abort: mmap_read_lock, vma_lookup, mmu_seq = mmu_invalidate_seq, mmap_read_unlock',
        reads: [...(old.reads as never[]), 'seq'],
        run: (ctx, c) => {
          ctx.local.seq = ctx.g.seq;
          return old.run!(ctx, c);
        },
      }),
    },
    { id: 'user_mem_abort.mmu_seq', remove: true },
  ],
});

export default kvmModel({ ...arm64V513, name: fixed, scenarios: [scenario], extensions: [seqUnderMmapLock] });
export const unpatched = kvmModel({ ...arm64V513, name: buggy, scenarios: [scenario] });
