import { DONE, program } from '../../src/index.ts';
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
      reads: ['vkind'],
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
    {
      label: 'vcpu gfn_to_pfn',
      kernel: 'hva_to_pfn() virt/kvm/kvm_main.c v5.4',
      reads: ['vkind', 'vwrite', 'pgoff', 'pte', 'ptew', 'used'],
      writes: ['pte', 'ptew', 'used'],
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
    },
    {
      label: 'vcpu up_read 2',
      kernel: 'hva_to_pfn() virt/kvm/kvm_main.c v5.4',
      reads: [],
      writes: [],
      release: mmapSem.read,
      run: ({ local }) => (local.pfn === 0 || (local.wf && !local.wr) ? DONE : undefined),
    },
    { label: 'vcpu lock mmu', kernel: 'user_mem_abort() virt/kvm/arm/mmu.c v5.4', acquire: mmuLock.lock },
    {
      label: 'vcpu retry check / install',
      kernel: 'user_mem_abort() virt/kvm/arm/mmu.c v5.4',
      reads: ['cnt', 'seq'],
      writes: ['s2', 's2w', mmuLock],
      run: (ctx) => {
        const { g, local } = ctx;
        if (retry && (g.cnt > 0 || g.seq !== local.lseq)) {
          ctx.release(mmuLock.lock);
          return 'vcpu memslot lookup';
        }
        g.s2[local.g] = local.pfn;
        g.s2w[local.g] = local.wr;
        return undefined;
      },
    },
    { label: 'vcpu unlock mmu', kernel: 'user_mem_abort() virt/kvm/arm/mmu.c v5.4', release: mmuLock.lock },
  ]);
}
