import type { KvmScenario } from '../kit/scenario.ts';
import { TODAY_MODELS, holdsOn, violatedOn } from './expect.ts';
import { roPfnmapRemap } from './ro-pfnmap-remap.ts';

/**
 * The same write-permission bug reached through mprotect(PROT_READ) on the
 * BAR mapping (change_protection between notifier start and end) instead
 * of a remap.
 */
export const roPfnmapMprotect: KvmScenario = {
  ...roPfnmapRemap,
  name: 'ro-pfnmap-mprotect',
  description: 'a writable slot whose VM_PFNMAP VMA is mprotect()ed read-only; vCPUs write',
  vmm: () => [[{ op: 'mprotect', hva: 0, pages: 1, write: false }]],
  expect: {
    ...violatedOn('stage2-write-permission', 'arm64-v5.4', 'x86-v5.4'),
    ...holdsOn('arm64-v5.13', 'arm64-v6.3', ...TODAY_MODELS),
  },
};
