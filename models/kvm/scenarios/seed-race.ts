import type { Vma } from '../kit/state.ts';
import { BAR0 } from '../kit/scenario.ts';
import type { KvmScenario } from '../kit/scenario.ts';
import type { VmmOp } from '../kit/ops.ts';
import { TODAY_MODELS, holdsOn } from './expect.ts';

/** A flat VM_PFNMAP mapping of a device BAR at hva 0 (vfio-pci ≤ 5.7: pgoff is the PFN, PTEs populated at mmap). */
export const barVma = (write = true): Vma => ({
  start: 0,
  pages: 1,
  kind: 'pfnmap-flat',
  write,
  pgoff: BAR0,
  faultPfn: 0,
});

/** The other VMM thread's way of taking the VMA away (`--param remap=`). */
export function takeAway(remap: unknown): VmmOp {
  return remap === 'mmap-fixed'
    ? {
        op: 'mmap-fixed',
        vma: { start: 0, pages: 1, kind: 'anon', write: true, pgoff: 0, faultPfn: 0 },
        populate: false,
      }
    : { op: 'munmap', hva: 0, pages: 1 };
}

/** KVM_SET_USER_MEMORY_REGION creating slot 0: gfn 0 → hva 0, one page, writable. */
export const createSlot0: VmmOp = {
  op: 'set-memory-region',
  region: { change: 'create', slot: { id: 0, base: 0, npages: 1, hva: 0, ro: false, logDirty: false } },
};

/**
 * The seed thread's first question (§4 of the reference): vmm1 creates a
 * slot over a VM_PFNMAP VMA while vmm0 unmaps it. On arm64 v5.4 prepare maps
 * the BAR into stage-2 before the slot is published; the munmap's notifier
 * walks the old array, finds no slot, unmaps nothing; the slot is then
 * published with a leaf the host no longer maps.
 */
export const seedRace: KvmScenario = {
  name: 'seed-race',
  description:
    'vmm1 creates a slot over a flat VM_PFNMAP VMA while vmm0 munmaps (or mmap(MAP_FIXED)s) it; vCPUs fault',
  hvaPages: 1,
  gfns: 1,
  ramFrames: 1,
  vmas: [barVma()],
  slots: [],
  vmm: (p) => [[takeAway(p.remap)], [createSlot0]],
  access: [0],
  expect: {
    'arm64-v5.4': { verdict: 'violated', property: 'stage2-coherence' },
    ...holdsOn('arm64-v5.13', 'arm64-v6.3', 'x86-v5.4', ...TODAY_MODELS),
  },
};
