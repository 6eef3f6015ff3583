import { DONE, at, program } from '../../src/index.ts';
import type { StepSpec } from '../../src/index.ts';
import { ANON, NONE, mmapSem, mmuLock } from './bench-state.ts';
import type { BenchG, VcpuL } from './bench-state.ts';

/** The vCPU rules of kvm-bench.m: one stage-2 fault following arm64 v5.4 user_mem_abort. */
export function vcpuProgram(retry: boolean, wbug: boolean) {
  return program<BenchG, VcpuL>('vcpu', [
    {
      label: 'vcpu pick gfn',
      kernel: 'kvm_handle_guest_abort() virt/kvm/arm/mmu.c v5.4',
      reads: [],
      writes: [],
      choose: () => [0, 1],
      run: ({ local }, gg: number) => void (local.g = gg),
    },
    {
      label: 'vcpu pick write',
      kernel: 'kvm_handle_guest_abort() virt/kvm/arm/mmu.c v5.4',
      reads: [],
      writes: [],
      choose: () => [false, true],
      run: ({ local }, w: boolean) => void (local.wf = w),
    },
    {
      label: 'vcpu memslot lookup',
      kernel: 'kvm_handle_guest_abort() virt/kvm/arm/mmu.c v5.4',
      reads: ['slot'],
      writes: [],
      run: ({ g }) => (g.slot ? undefined : DONE),
    },
    { label: 'vcpu down_read 1', kernel: 'user_mem_abort() virt/kvm/arm/mmu.c v5.4', acquire: mmapSem.read },
    {
      label: 'vcpu find_vma + up_read',
      kernel: 'user_mem_abort() virt/kvm/arm/mmu.c v5.4',
      reads: [at<BenchG, VcpuL>('vkind', ({ local }) => local.g)],
      writes: [],
      release: mmapSem.read,
      run: ({ g, local }) => (g.vkind[local.g] === NONE ? DONE : undefined),
    },
    {
      label: 'vcpu seq snapshot',
      kernel: 'user_mem_abort() virt/kvm/arm/mmu.c v5.4',
      reads: ['seq'],
      writes: [],
      run: ({ g, local }) => void (local.lseq = g.seq),
    },
    { label: 'vcpu down_read 2', kernel: 'hva_to_pfn() virt/kvm/kvm_main.c v5.4', acquire: mmapSem.read },
    gfnToPfn(wbug),
    {
      label: 'vcpu up_read 2',
      kernel: 'hva_to_pfn() virt/kvm/kvm_main.c v5.4',
      reads: [],
      writes: [],
      release: mmapSem.read,
      run: ({ local }) => (local.pfn === 0 || (local.wf && !local.wr) ? DONE : undefined),
    },
    { label: 'vcpu lock mmu', kernel: 'user_mem_abort() virt/kvm/arm/mmu.c v5.4', acquire: mmuLock.lock },
    retryOrInstall(retry),
    { label: 'vcpu unlock mmu', kernel: 'user_mem_abort() virt/kvm/arm/mmu.c v5.4', release: mmuLock.lock },
  ]);
}

/** hva_to_pfn: fault the page in (anonymous: the first free frame; PFN map: its pgoff). */
function gfnToPfn(wbug: boolean): StepSpec<BenchG, VcpuL> {
  return {
    label: 'vcpu gfn_to_pfn',
    kernel: 'hva_to_pfn() virt/kvm/kvm_main.c v5.4',
    reads: (['vkind', 'vwrite', 'pgoff', 'pte'] as const).map((a) =>
      at<BenchG, VcpuL>(a, ({ local }) => local.g),
    ),
    writes: [
      at<BenchG, VcpuL>('pte', ({ local }) => local.g),
      at<BenchG, VcpuL>('ptew', ({ local }) => local.g),
      // An anonymous page faulted in takes the first free frame of used[1..3].
      at<BenchG, VcpuL>('used', ({ g, local }) =>
        g.vkind[local.g] === ANON && g.pte[local.g] === 0 ? [1, 2, 3] : null,
      ),
    ],
    run: ({ g, local }) => {
      const h = local.g;
      if (g.vkind[h] === NONE) local.pfn = 0;
      else if (g.vkind[h] === ANON) {
        if (g.pte[h] === 0) {
          g.pte[h] = !g.used[1] ? 1 : !g.used[2] ? 2 : 3;
          g.used[g.pte[h]!] = true;
          g.ptew[h] = g.vwrite[h]!;
        }
        local.pfn = g.pte[h]!;
        local.wr = g.ptew[h]!;
      } else {
        if (g.pte[h] === 0) {
          g.pte[h] = g.pgoff[h]!;
          g.ptew[h] = g.vwrite[h]!;
        }
        local.pfn = g.pte[h]!;
        local.wr = wbug ? true : g.ptew[h]!;
      }
    },
  };
}

/** Under mmu_lock: retry on an invalidation or a moved sequence, else install the stage-2 entry. */
function retryOrInstall(retry: boolean): StepSpec<BenchG, VcpuL> {
  const retries = ({ g, local }: { g: BenchG; local: VcpuL }): boolean =>
    retry && (g.cnt > 0 || g.seq !== local.lseq);
  return {
    label: 'vcpu retry check / install',
    kernel: 'user_mem_abort() virt/kvm/arm/mmu.c v5.4',
    reads: ['cnt', 'seq'],
    // The entry of the faulting gfn, unless it retries (then it drops mmu_lock: a write of the lock).
    writes: [
      at<BenchG, VcpuL>('s2', (v) => (retries(v) ? null : v.local.g)),
      at<BenchG, VcpuL>('s2w', (v) => (retries(v) ? null : v.local.g)),
      mmuLock,
    ],
    run: (ctx) => {
      const { g, local } = ctx;
      if (retries(ctx)) {
        ctx.release(mmuLock.lock);
        return 'vcpu memslot lookup';
      }
      g.s2[local.g] = local.pfn;
      g.s2w[local.g] = local.wr;
      return undefined;
    },
  };
}
