import type { KvmScenario } from '../kit/scenario.ts';
import { TODAY_MODELS, holdsOn, violatedOn } from './expect.ts';
import { barVma, createSlot0 } from './seed-race.ts';

/**
 * A writable slot created over a BAR mapped without VM_WRITE (QEMU maps
 * PROT_NONE/PROT_READ first and changes it later). arm64 v5.4.0 refuses it
 * with -EPERM (removed in v5.5-rc2, Jia He: "Remove excessive permission
 * check") — a functional bug, and one that happens to hide the
 * hva_to_pfn_remapped writable bug there. x86 v5.4 accepts the slot and maps
 * the read-only BAR writable on the first fault; v5.13+ map it read-only.
 */
export const roVmaCreate: KvmScenario = {
  name: 'ro-vma-create',
  description: 'a writable slot is created over a read-only VM_PFNMAP VMA (v5.4.0: -EPERM); vCPUs fault',
  hvaPages: 1,
  gfns: 1,
  ramFrames: 1,
  vmas: [barVma(false)],
  slots: [],
  vmm: () => [[createSlot0]],
  access: [0],
  expect: {
    ...holdsOn('arm64-v5.4', 'arm64-v5.13', 'arm64-v6.3', ...TODAY_MODELS),
    ...violatedOn('stage2-write-permission', 'x86-v5.4'),
  },
};
