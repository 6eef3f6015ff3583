import type { KvmScenario } from '../kit/scenario.ts';
import { allBut, holdsOn, violatedOn } from './expect.ts';

/**
 * CVE-2021-22543 (f8be156be163, v5.13): a driver maps RAM that is not
 * refcounted (tail pages of a non-compound higher-order allocation, count 0)
 * with remap_pfn_range, and the VMM makes it guest memory. GUP-fast refuses
 * the special PTE; hva_to_pfn_remapped's kvm_get_pfn takes the page from 0
 * to 1, and kvm_release_pfn_clean after the install drops it to 0: the page
 * is freed to the allocator while stage-2 (and the driver) still map it.
 * The fix refuses such pages (-EFAULT). The layout: slot 0 at gfn 0 over
 * anonymous memory at hva 0; vmm0 maps the driver's page (frame 1, not
 * refcounted) there with mmap(MAP_FIXED), populated by remap_pfn_range —
 * after the slot's creation, so arm64 v5.4's creation-time mapping of
 * VM_PFNMAP slots does not cover it and the fault path does.
 */
export const pfnmapUnref: KvmScenario = {
  name: 'pfnmap-unref',
  description:
    "vmm0 maps a driver's RAM that is not refcounted (VM_PFNMAP, count 0) behind a slot; a vCPU faults on it",
  hvaPages: 1,
  gfns: 1,
  ramFrames: 2,
  vmas: [{ start: 0, pages: 1, kind: 'anon', write: true, pgoff: 0, faultPfn: 0 }],
  pages: { unref: [1] },
  slots: [{ id: 0, base: 0, npages: 1, hva: 0, ro: false, logDirty: false }],
  vmm: () => [
    [
      {
        op: 'mmap-fixed',
        vma: { start: 0, pages: 1, kind: 'pfnmap-flat', write: true, pgoff: 1, faultPfn: 0 },
        populate: true,
      },
    ],
  ],
  access: [0],
  params: { vcpus: 1 },
  expect: {
    ...violatedOn('no-freed-frame-mapped', 'arm64-v5.4', 'x86-v5.4'),
    ...holdsOn(...allBut('arm64-v5.4', 'x86-v5.4')),
  },
};

/** The fix as a setting: kvm_try_get_pfn refuses a page whose count is 0 (f8be156be163). */
export const pfnmapUnrefFixed: KvmScenario = {
  ...pfnmapUnref,
  name: 'pfnmap-unref-fixed',
  description: 'pfnmap-unref with f8be156be163 (kvm_try_get_pfn: -EFAULT on a page that is not refcounted)',
  settings: { remappedRef: 'try_get' },
  expect: holdsOn('arm64-v5.4', 'x86-v5.4'),
};

/**
 * The later fix (v6.13: KVM takes no reference on VM_PFNMAP pages at all):
 * stage-2 maps the page at count 0, which is valid and simply not
 * refcounted — `no-freed-frame-mapped` must not call it freed.
 */
export const pfnmapUnrefNoRef: KvmScenario = {
  ...pfnmapUnref,
  name: 'pfnmap-unref-noref',
  description:
    'pfnmap-unref when KVM takes no reference on VM_PFNMAP pages (v6.13): mapped at count 0, not freed',
  settings: { remappedRef: 'none' },
  expect: holdsOn('arm64-v5.4', 'x86-v5.4'),
};
