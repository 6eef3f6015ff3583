import type { KvmScenario } from '../kit/scenario.ts';
import { allBut, holdsOn, violatedOn } from './expect.ts';

/**
 * 5f9466b50c1b (v6.17, Fixes: 6d674e28f642 of v5.5): user_mem_abort takes
 * a page reference in the pfn lookup, then returns -ENOEXEC for an
 * instruction fetch from memory it maps as device, without releasing it.
 * Since 873ba463914c (v5.14) arm64 calls device any pfn outside the linear
 * map — so ZONE_DEVICE memory (fsdax / device-dax, refcounted, GUP-able)
 * behind a slot is "device": a guest executing from it leaks a reference
 * per fault. The layout: frame 1 is ZONE_DEVICE, mapped by a DAX VMA at
 * hva 0, behind slot 0 at gfn 0; one vCPU fetches instructions there.
 */
export const daxExecLeak: KvmScenario = {
  name: 'dax-exec-leak',
  description: 'a vCPU executes from a slot backed by DAX (ZONE_DEVICE) memory',
  hvaPages: 1,
  gfns: 1,
  ramFrames: 1,
  vmas: [{ start: 0, pages: 1, kind: 'dax', write: true, pgoff: 1, faultPfn: 0 }],
  pages: { zoneDevice: [1] },
  slots: [{ id: 0, base: 0, npages: 1, hva: 0, ro: false, logDirty: false }],
  vmm: () => [],
  access: [0],
  accessKinds: ['exec'],
  params: { vcpus: 1 },
  expect: {
    ...violatedOn('reference-balance', 'arm64-v6.3', 'arm64-v6.6', 'arm64-v6.12'),
    ...holdsOn(...allBut('arm64-v6.3', 'arm64-v6.6', 'arm64-v6.12')),
  },
};

/** The fix as a setting: the early return releases the page (5f9466b50c1b). */
export const daxExecLeakFixed: KvmScenario = {
  ...daxExecLeak,
  name: 'dax-exec-leak-fixed',
  description: 'dax-exec-leak with 5f9466b50c1b (the -ENOEXEC return releases the page)',
  settings: { earlyExitRelease: true },
  expect: holdsOn('arm64-v6.3', 'arm64-v6.6', 'arm64-v6.12'),
};
