import type { KvmScenario } from '../kit/scenario.ts';
import { ARM64_TODAY, X86_TDP_FIXED, holdsOn, violatedOn } from './expect.ts';
import { barVma, takeAway } from './seed-race.ts';

/**
 * The MOVE variant of the seed race: vmm1 moves slot 0 over the BAR from gfn 0 to
 * gfn 1 while vmm0 unmaps the BAR. The published INVALID old slot has the
 * same hva, so the munmap's notifier unmaps the *old* gfn range; v5.4's
 * prepare has already mapped the *new* one.
 */
export const moveRace: KvmScenario = {
  name: 'move-race',
  description:
    'vmm1 moves a slot over a flat VM_PFNMAP VMA to another gfn while vmm0 unmaps the VMA; vCPUs fault',
  hvaPages: 1,
  gfns: 2,
  ramFrames: 1,
  vmas: [barVma()],
  slots: [{ id: 0, base: 0, npages: 1, hva: 0, ro: false, logDirty: false }],
  vmm: (p) => [
    [takeAway(p.remap)],
    [{ op: 'set-memory-region', region: { change: 'move', id: 0, base: 1 } }],
  ],
  access: [0, 1],
  expect: {
    'arm64-v5.4': { verdict: 'violated', property: 'stage2-coherence' },
    ...holdsOn('arm64-v5.13', 'arm64-v6.3', 'x86-v5.4', ...ARM64_TODAY, ...X86_TDP_FIXED),
    // a955cad84cda: a fault that entered the guest before the MOVE installs into the invalidated root.
    ...violatedOn('obsolete-root-empty', 'x86-v5.15'),
  },
};
