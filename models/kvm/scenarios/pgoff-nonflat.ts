import { BAR0, MMAP_COOKIE } from '../kit/scenario.ts';
import type { KvmScenario } from '../kit/scenario.ts';
import { createSlot0 } from './seed-race.ts';
import { TODAY_MODELS, holdsOn } from './expect.ts';

/**
 * The seed thread's second question: a VM_PFNMAP VMA whose vm_pgoff is an
 * mmap cookie (the driver's fault handler inserts the real PFN). arm64 v5.4's
 * prepare reads vm_pgoff as a physical address and maps it: one thread, no
 * race needed. The fault path asks the host (follow_pfn / fixup_user_fault).
 */
export const pgoffNonflat: KvmScenario = {
  name: 'pgoff-nonflat',
  description: 'a slot is created over a VM_PFNMAP VMA whose vm_pgoff is a cookie, not a PFN; vCPUs fault',
  hvaPages: 1,
  gfns: 1,
  ramFrames: 1,
  vmas: [{ start: 0, pages: 1, kind: 'pfnmap-cookie', write: true, pgoff: MMAP_COOKIE, faultPfn: BAR0 }],
  slots: [],
  vmm: () => [[createSlot0]],
  access: [0],
  expect: {
    'arm64-v5.4': { verdict: 'violated', property: 'stage2-coherence' },
    ...holdsOn('arm64-v5.13', 'arm64-v6.3', 'x86-v5.4', ...TODAY_MODELS),
  },
};
