import type { KvmScenario } from '../kit/scenario.ts';
import { BAR0 } from '../kit/scenario.ts';
import { ALL_MODELS, ARM64_MODELS, EVERY_MODEL, allBut, holdsOn } from './expect.ts';

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
  params: { vcpus: 1, faults: 2 },
  expect: holdsOn(...ARM64_MODELS),
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
  expect: holdsOn(...EVERY_MODEL),
};

/**
 * The guest executes from a BAR (a slot over a flat VM_PFNMAP VMA): arm64
 * v5.4 mapped device memory executable on an instruction fetch (bug 3 of
 * the reference, 6d674e28f642 in v5.5: -ENOEXEC, the fetch aborts in the
 * guest); x86 maps MMIO through its own path (UC, here a device leaf that
 * EPT leaves executable — not this property's concern on x86).
 */
export const barExec: KvmScenario = {
  name: 'bar-exec',
  description: 'a vCPU fetches instructions from a slot over a device BAR (flat VM_PFNMAP)',
  hvaPages: 1,
  gfns: 1,
  ramFrames: 1,
  vmas: [{ start: 0, pages: 1, kind: 'pfnmap-flat', write: true, pgoff: BAR0, faultPfn: 0 }],
  slots: [{ id: 0, base: 0, npages: 1, hva: 0, ro: false, logDirty: false }],
  vmm: () => [],
  access: [0],
  accessKinds: ['read', 'exec'],
  params: { vcpus: 1 },
  expect: {
    'arm64-v5.4': { verdict: 'violated', property: 'stage2-device-attributes' },
    ...holdsOn(...allBut('arm64-v5.4')),
  },
};
