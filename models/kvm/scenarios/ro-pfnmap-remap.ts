import type { KvmScenario } from '../kit/scenario.ts';
import { TODAY_MODELS, holdsOn, violatedOn } from './expect.ts';
import { barVma } from './seed-race.ts';

/**
 * A writable slot over a writable BAR mapping; the VMM then maps the same
 * BAR read-only over it (mmap(MAP_FIXED, PROT_READ)). A write fault must not
 * get a writable leaf. Before bd2fae8da794 (v5.12) the generic
 * hva_to_pfn_remapped reported every VM_PFNMAP page writable, so x86 has the
 * bug as well as arm64.
 */
export const roPfnmapRemap: KvmScenario = {
  name: 'ro-pfnmap-remap',
  description:
    'a writable slot whose VM_PFNMAP VMA is remapped read-only (mmap MAP_FIXED PROT_READ); vCPUs write',
  hvaPages: 1,
  gfns: 1,
  ramFrames: 1,
  vmas: [barVma(true)],
  slots: [{ id: 0, base: 0, npages: 1, hva: 0, ro: false, logDirty: false }],
  vmm: () => [[{ op: 'mmap-fixed', vma: barVma(false), populate: true }]],
  access: [0],
  expect: {
    ...violatedOn('stage2-write-permission', 'arm64-v5.4', 'x86-v5.4'),
    ...holdsOn('arm64-v5.13', 'arm64-v6.3', ...TODAY_MODELS),
  },
};
