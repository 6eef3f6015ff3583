import { BAR0 } from '../kit/scenario.ts';
import type { KvmScenario } from '../kit/scenario.ts';
import { createSlot0 } from './seed-race.ts';
import { TODAY_MODELS, holdsOn } from './expect.ts';

/**
 * The seed race without munmap (an inference in the reference, §4): an
 * invalidation that takes no mmap_sem — a VFIO BAR zap (unmap_mapping_range
 * on memory disable/reset) — runs while prepare holds mmap_sem for read.
 * Here the BAR has a fault handler that re-inserts its PFN (vfio-pci ≥ 5.8).
 */
export const barZapRace: KvmScenario = {
  name: 'bar-zap-race',
  description:
    'vmm0 creates a slot over a BAR mapping while the kernel zaps the BAR (no mmap_sem); vCPUs fault',
  hvaPages: 1,
  gfns: 1,
  ramFrames: 1,
  vmas: [{ start: 0, pages: 1, kind: 'pfnmap-flat', write: true, pgoff: BAR0, faultPfn: BAR0 }],
  slots: [],
  vmm: () => [[createSlot0]],
  invalidator: [{ op: 'bar-zap', hva: 0, pages: 1 }],
  access: [0],
  expect: {
    'arm64-v5.4': { verdict: 'violated', property: 'stage2-coherence' },
    ...holdsOn('arm64-v5.13', 'arm64-v6.3', 'x86-v5.4', ...TODAY_MODELS),
  },
};
