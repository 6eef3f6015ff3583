import { BAR0 } from '../kit/scenario.ts';
import type { KvmScenario } from '../kit/scenario.ts';
import { ALL_MODELS, TODAY_MODELS, holdsOn } from './expect.ts';

/**
 * FLAGS_ONLY: vmm0 turns dirty logging on for a slot of anonymous memory
 * (commit write-protects its leaves) and then for a slot over a BAR (arm64
 * refuses dirty logging on VM_PFNMAP with -EINVAL; x86 accepts), while
 * vCPUs fault on both.
 */
export const dirtyLog: KvmScenario = {
  name: 'dirty-log',
  description:
    'vmm0 enables dirty logging (FLAGS_ONLY) on an anonymous slot and on a BAR slot while vCPUs fault',
  hvaPages: 2,
  gfns: 2,
  ramFrames: 2,
  vmas: [
    { start: 0, pages: 1, kind: 'anon', write: true, pgoff: 0, faultPfn: 0 },
    { start: 1, pages: 1, kind: 'pfnmap-flat', write: true, pgoff: BAR0, faultPfn: 0 },
  ],
  faultedIn: [0],
  slots: [
    { id: 0, base: 0, npages: 1, hva: 0, ro: false, logDirty: false },
    { id: 1, base: 1, npages: 1, hva: 1, ro: false, logDirty: false },
  ],
  vmm: () => [
    [
      { op: 'set-memory-region', region: { change: 'flags-only', id: 0, logDirty: true } },
      { op: 'set-memory-region', region: { change: 'flags-only', id: 1, logDirty: true } },
    ],
  ],
  access: [0, 1],
  expect: holdsOn(...ALL_MODELS, ...TODAY_MODELS),
};
