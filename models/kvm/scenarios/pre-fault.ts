import type { KvmScenario } from '../kit/scenario.ts';
import { PRIVATE_MEM_MODELS, holdsOn } from './expect.ts';
import { anonLayout } from './migration.ts';
import { gmemLayout } from './private-memory.ts';

/** KVM_PRE_FAULT_MEMORY of gfn 0 while another VMM thread munmaps the memory behind it. */
export const preFaultMunmap: KvmScenario = {
  ...anonLayout,
  name: 'pre-fault-munmap',
  description: 'vmm0 pre-faults gfn 0 (KVM_PRE_FAULT_MEMORY) while vmm1 munmaps its memory; vCPUs fault',
  vmm: () => [[{ op: 'pre-fault', gfn: 0 }], [{ op: 'munmap', hva: 0, pages: 1 }]],
  expect: holdsOn(...PRIVATE_MEM_MODELS),
};

/**
 * KVM_PRE_FAULT_MEMORY of gfn 0 while another VMM thread deletes its slot.
 * v6.10–v6.17 retry in place on the KVM_MEMSLOT_INVALID slot, inside the
 * SRCU read section that the deletion's synchronize_srcu waits for: neither
 * ends (3ccbf6f47098, Fixes: 6e01b7601dfe; v6.18 returns -EAGAIN).
 */
export const preFaultDelete: KvmScenario = {
  ...anonLayout,
  name: 'pre-fault-delete',
  description: 'vmm0 pre-faults gfn 0 while vmm1 deletes its slot (no vCPUs)',
  vmm: () => [
    [{ op: 'pre-fault', gfn: 0 }],
    [{ op: 'set-memory-region', region: { change: 'delete', id: 0 } }],
  ],
  params: { vcpus: 0 },
  expect: { 'x86-v6.12': { verdict: 'deadlock' }, ...holdsOn('x86-v6.18') },
};

/** KVM_PRE_FAULT_MEMORY of the shared gfn 0 while it is converted to private. */
export const preFaultConvert: KvmScenario = {
  ...gmemLayout,
  name: 'pre-fault-convert',
  description: 'vmm0 pre-faults gfn 0 while vmm1 converts it to private; vCPUs fault',
  vmm: () => [[{ op: 'pre-fault', gfn: 0 }], [{ op: 'set-attributes', gfn: 0, pages: 1, private: true }]],
  expect: holdsOn(...PRIVATE_MEM_MODELS),
};
