import { kvmModel } from './kvm/kit/kvm-model.ts';
import type { KvmModelSpec } from './kvm/kit/kvm-model.ts';
import { allScenarios } from './kvm/scenarios/index.ts';
import { x86V516 } from './x86-v5.16.ts';

/**
 * x86 with the TDP MMU, Linux v5.15: the v5.16 protocol without two fixes
 * that went into v5.16-rc: a955cad84cda (a fault does not check whether its
 * root was invalidated by a memslot update) and 3a0f64de479c (after yielding
 * mmu_lock the zap's iterator skips an entry, CVE-2021-47094). The version
 * that had both bugs, kept to reproduce them.
 */
export const x86V515: KvmModelSpec = {
  ...x86V516,
  name: 'x86-v5.15',
  description:
    'x86 KVM with the TDP MMU, Linux v5.15: no stale-root retry, zap iterator skips after yielding',
  kernel: {
    arch: 'x86',
    version: 'v5.15',
    notes: 'lacks a955cad84cda and 3a0f64de479c (both v5.16); has 52ac8b358b0c, 071064f14d87, bd2fae8da794',
  },
  // steal time still goes through kvm_map_gfn's cached pfn (until 7e2175ebd695, v5.16)
  settings: { ...x86V516.settings, staleRootCheck: false, iterRestart: false, guestCache: 'map-gfn' },
  ablations: x86V516.ablations.filter((a) => a !== 'no-stale-root-check'),
  scenarios: allScenarios,
};

export default kvmModel(x86V515);
