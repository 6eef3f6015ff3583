// CVE-2021-22543, fixed by f8be156be163 (v5.13): hva_to_pfn_remapped took a
// reference on a VM_PFNMAP page that is not refcounted (count 0 → 1), and
// releasing it freed the page while stage-2 still mapped it. The fix,
// written here as a step after the pfn lookup: such a page is refused.
import { ACCESS, defineExtension, kvmModel, leaveFault, pfnmapUnref, x86V54 } from 'kvmcheck/kvm';
import type { KvmScenario, KvmState, StepSpec, VcpuLocal } from 'kvmcheck/kvm';

const buggy = 'x86-v5.4-cve-2021-22543';
const fixed = 'x86-v5.4-kvm-try-get-pfn';

/** A driver's RAM page (frame 1, not refcounted) is mmap'd behind slot 0 after the slot exists. */
const scenario: KvmScenario = {
  name: 'unrefcounted-pfnmap',
  description: 'vmm0 maps an unrefcounted driver page (VM_PFNMAP) behind a slot; a vCPU faults on it',
  hvaPages: 1,
  gfns: 1,
  ramFrames: 2,
  vmas: [{ start: 0, pages: 1, kind: 'anon', write: true, pgoff: 0, faultPfn: 0 }],
  pages: { unref: [1] },
  slots: [{ id: 0, base: 0, npages: 1, hva: 0, ro: false, logDirty: false }],
  vmm: () => [
    [{ op: 'mmap-fixed', populate: true, vma: { ...pfnmapUnref.vmas[0]!, kind: 'pfnmap-flat', pgoff: 1 } }],
  ],
  access: [0],
  params: { vcpus: 1 },
  expect: {
    [buggy]: { verdict: 'violated', property: 'no-freed-frame-mapped' },
    [fixed]: { verdict: 'holds' },
  },
};

/** kvm_try_get_pfn: get_page_unless_zero failed, so the reference was never taken: -EFAULT. */
const kvmTryGetPfn = defineExtension({
  name: 'kvm_try_get_pfn',
  steps: [
    {
      id: 'hva_to_pfn',
      after: (_old, env): StepSpec<KvmState, VcpuLocal> => ({
        label: 'hva_to_pfn_remapped: kvm_try_get_pfn (f8be156be163)',
        kernel: 'hva_to_pfn_remapped() virt/kvm/kvm_main.c v5.13',
        reads: ['pageKind', env.locks.srcu],
        writes: ['frames'],
        jumps: [ACCESS],
        run: (ctx) => {
          const { g, local } = ctx;
          if (!local.ref || g.pageKind[local.pfn] !== 'unref') return undefined;
          g.frames[local.pfn]--; // back to 0: no reference was taken
          local.ref = false;
          return leaveFault(ctx, env, 'done');
        },
      }),
    },
  ],
});

export default kvmModel({ ...x86V54, name: fixed, scenarios: [scenario], extensions: [kvmTryGetPfn] });
export const unpatched = kvmModel({ ...x86V54, name: buggy, scenarios: [scenario] });
