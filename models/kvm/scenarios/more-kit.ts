import type { KvmScenario } from '../kit/scenario.ts';
import { ALL_MODELS, holdsOn } from './expect.ts';

const anonVma = (start: number, more: object = {}) => ({
  start,
  pages: 1,
  kind: 'anon' as const,
  write: true,
  pgoff: 0,
  faultPfn: 0,
  ...more,
});

/**
 * DELETE of one of two slots while vCPUs fault on the other: x86 v5.4's
 * flush zaps every leaf (kvm_mmu_zap_all_fast), arm64's only the deleted
 * slot's; both are correct, and only this scenario tells them apart.
 */
export const deleteOtherSlot: KvmScenario = {
  name: 'delete-other-slot',
  description: 'vmm0 deletes slot 0 while vCPUs fault on slot 1 (anonymous memory behind both)',
  hvaPages: 2,
  gfns: 2,
  ramFrames: 2,
  vmas: [anonVma(0), anonVma(1)],
  faultedIn: [0, 1],
  slots: [
    { id: 0, base: 0, npages: 1, hva: 0, ro: false, logDirty: false },
    { id: 1, base: 1, npages: 1, hva: 1, ro: false, logDirty: false },
  ],
  vmm: () => [[{ op: 'set-memory-region', region: { change: 'delete', id: 0 } }]],
  access: [1],
  expect: holdsOn(...ALL_MODELS),
};

/**
 * A VM with MTE (KVM_CAP_ARM_MTE) whose memory comes from a VMA without
 * VM_MTE_ALLOWED: from v5.14 user_mem_abort refuses it with -EFAULT after
 * the pfn lookup, and releases the page on the way out (out_unlock).
 */
export const mteVma: KvmScenario = {
  name: 'mte-vma',
  description: 'a VM with MTE faults on memory from a VMA without VM_MTE_ALLOWED (-EFAULT, page released)',
  hvaPages: 1,
  gfns: 1,
  ramFrames: 1,
  vmas: [anonVma(0, { mte: false })],
  faultedIn: [0],
  slots: [{ id: 0, base: 0, npages: 1, hva: 0, ro: false, logDirty: false }],
  vmm: () => [],
  access: [0],
  mte: true,
  params: { vcpus: 1 },
  expect: holdsOn(...ALL_MODELS),
};

/**
 * Transparent huge pages: the guest's memory is a THP (one block) and
 * transparent_hugepage_adjust maps it with a block leaf, while vmm0
 * munmaps it. Coherence is judged page by page over the block.
 */
export const thpMunmap: KvmScenario = {
  name: 'thp-munmap',
  description: 'vCPUs fault block mappings of a transparent huge page while vmm0 munmaps it',
  hvaPages: 2,
  gfns: 2,
  ramFrames: 2,
  vmas: [{ ...anonVma(0, { thp: true }), pages: 2 }],
  faultedIn: [0],
  slots: [{ id: 0, base: 0, npages: 2, hva: 0, ro: false, logDirty: false }],
  vmm: () => [[{ op: 'munmap', hva: 0, pages: 2 }]],
  access: [0, 1],
  params: { vcpus: 1 },
  expect: holdsOn(...ALL_MODELS),
};
