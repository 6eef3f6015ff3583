import { invariant } from '../src/index.ts';
import type { KvmState } from '../models/kvm/kit/state.ts';

/**
 * I8, device attributes: a leaf that maps device memory is never
 * executable (an instruction fetch from device memory is refused,
 * -ENOEXEC, since 6d674e28f642) and never part of a block mapping. Device
 * memory is the leaf's `dev` attribute: arm64's stage-2 device memory
 * type, set when kvm_is_device_pfn says so (x86's EPT has no such type).
 */
export function deviceViolation(g: KvmState): string | null {
  for (let gfn = 0; gfn < g.s2.length; gfn++) {
    const leaf = g.s2[gfn];
    if (!leaf || !leaf.dev) continue;
    if (leaf.x) return `gfn ${gfn} maps device memory (pfn ${leaf.pfn}) executable`;
    if (leaf.block) return `gfn ${gfn} maps device memory (pfn ${leaf.pfn}) with a block mapping`;
  }
  return null;
}

export const stage2DeviceAttributes = invariant<KvmState>({
  name: 'stage2-device-attributes',
  description: 'I8: stage-2 leaves of device memory are neither executable nor block mappings',
  bugs: [
    '6d674e28f642 "KVM: arm/arm64: Properly handle faulting of device mappings" (v5.5): an instruction fetch from device memory was mapped executable',
    '91a2c34b7d6f "Force PTE mapping on fault resulting in a device mapping" (v5.10): a huge mapping computed for an MMIO pfn',
  ],
  reads: ['s2'],
  holds: (s) => deviceViolation(s.g) === null,
  explain: (s) => deviceViolation(s.g) ?? 'device leaves are page-sized and not executable',
});
