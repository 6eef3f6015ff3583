import { at, program } from '../../src/index.ts';
import type { StepSpec } from '../../src/index.ts';
import { ANON, DEVPFN, NONE, PFNMAP, mmapSem, mmuLock } from './bench-state.ts';
import type { BenchG, CreateL, OldL } from './bench-state.ts';

/** The VMM rules of kvm-bench.m: KVM_SET_USER_MEMORY_REGION(CREATE) with the eager map, and munmap + mmap of hva 1. */
export function createProgram(prefault: boolean) {
  return program<BenchG, CreateL>('vmm_create', [
    {
      label: 'create down_read',
      kernel: 'kvm_arch_prepare_memory_region() virt/kvm/arm/mmu.c v5.4',
      acquire: mmapSem.read,
      reads: [],
      writes: [],
      run: ({ local }) => void (local.ch = 0),
    },
    {
      label: 'create loop',
      kernel: 'kvm_arch_prepare_memory_region() virt/kvm/arm/mmu.c v5.4',
      reads: [at<BenchG, CreateL>('vkind', ({ local }) => (local.ch < 2 ? local.ch : null))],
      writes: [],
      run: ({ g, local }) => {
        if (local.ch === 2) return 'create up_read';
        if (g.vkind[local.ch] === PFNMAP && prefault) return undefined;
        local.ch += 1;
        return 'create loop';
      },
    },
    {
      label: 'create lock',
      kernel: 'kvm_arch_prepare_memory_region() virt/kvm/arm/mmu.c v5.4',
      acquire: mmuLock.lock,
    },
    {
      label: 'create map',
      kernel: 'kvm_arch_prepare_memory_region() virt/kvm/arm/mmu.c v5.4',
      reads: [at<BenchG, CreateL>('pgoff', ({ local }) => local.ch)],
      writes: [
        at<BenchG, CreateL>('s2', ({ local }) => local.ch),
        at<BenchG, CreateL>('s2w', ({ local }) => local.ch),
      ],
      run: ({ g, local }) => {
        g.s2[local.ch] = g.pgoff[local.ch]!;
        g.s2w[local.ch] = true;
      },
    },
    {
      label: 'create unlock',
      kernel: 'kvm_arch_prepare_memory_region() virt/kvm/arm/mmu.c v5.4',
      release: mmuLock.lock,
      reads: [],
      writes: [],
      run: ({ local }) => {
        local.ch += 1;
        return 'create loop';
      },
    },
    {
      label: 'create up_read',
      kernel: 'kvm_arch_prepare_memory_region() virt/kvm/arm/mmu.c v5.4',
      release: mmapSem.read,
    },
    {
      label: 'create publish',
      kernel: 'install_new_memslots() virt/kvm/kvm_main.c v5.4',
      reads: [],
      writes: ['slot'],
      run: ({ g }) => void (g.slot = true),
    },
  ]);
}

export function remapProgram(remapPfn: boolean) {
  return program<BenchG, OldL>('vmm_remap', [...munmapPage1(), ...mmapPage1(remapPfn)]);
}

/** munmap of page 1: the notifier invalidation around the PTE clear, then the frame freed. */
function munmapPage1(): StepSpec<BenchG, OldL>[] {
  return [
    { label: 'remap down_write', kernel: '__vm_munmap() mm/mmap.c v5.4', acquire: mmapSem.write },
    {
      label: 'remap lock 1',
      kernel: 'kvm_mmu_notifier_invalidate_range_start() virt/kvm/kvm_main.c v5.4',
      acquire: mmuLock.lock,
    },
    {
      label: 'remap inval start',
      kernel: 'kvm_mmu_notifier_invalidate_range_start() virt/kvm/kvm_main.c v5.4',
      reads: ['slot'],
      writes: ['cnt', 's2.1', 's2w.1'],
      run: ({ g }) => {
        g.cnt += 1;
        if (g.slot) {
          g.s2[1] = 0;
          g.s2w[1] = false;
        }
      },
    },
    {
      label: 'remap unlock 1',
      kernel: 'kvm_mmu_notifier_invalidate_range_start() virt/kvm/kvm_main.c v5.4',
      release: mmuLock.lock,
    },
    {
      label: 'remap clear',
      kernel: 'unmap_region() mm/mmap.c v5.4',
      reads: ['pte.1'],
      writes: ['pte.1', 'ptew.1', 'vkind.1', 'vwrite.1'],
      run: ({ g, local }) => {
        local.old = g.pte[1]!;
        g.pte[1] = 0;
        g.ptew[1] = false;
        g.vkind[1] = NONE;
        g.vwrite[1] = false;
      },
    },
    {
      label: 'remap lock 2',
      kernel: 'kvm_mmu_notifier_invalidate_range_end() virt/kvm/kvm_main.c v5.4',
      acquire: mmuLock.lock,
    },
    {
      label: 'remap inval end',
      kernel: 'kvm_mmu_notifier_invalidate_range_end() virt/kvm/kvm_main.c v5.4',
      reads: [],
      writes: ['seq', 'cnt'],
      run: ({ g }) => void ((g.seq += 1), (g.cnt -= 1)),
    },
    {
      label: 'remap unlock 2',
      kernel: 'kvm_mmu_notifier_invalidate_range_end() virt/kvm/kvm_main.c v5.4',
      release: mmuLock.lock,
    },
    {
      label: 'remap free',
      kernel: 'tlb_finish_mmu() mm/mmu_gather.c v5.4',
      reads: [],
      writes: [
        at<BenchG, OldL>('used', ({ local }) => (local.old > 0 && local.old < DEVPFN ? local.old : null)),
      ],
      run: ({ g, local }) => {
        if (local.old > 0 && local.old < DEVPFN) g.used[local.old] = false;
      },
    },
    { label: 'remap up_write', kernel: '__vm_munmap() mm/mmap.c v5.4', release: mmapSem.write },
  ];
}

/** mmap of page 1 again: anonymous memory, or a PFN map of the device page. */
function mmapPage1(remapPfn: boolean): StepSpec<BenchG, OldL>[] {
  return [
    { label: 'remap down_write 2', kernel: 'vm_mmap_pgoff() mm/util.c v5.4', acquire: mmapSem.write },
    {
      label: 'remap mmap',
      kernel: 'mmap_region() mm/mmap.c v5.4',
      reads: [],
      writes: ['vkind.1', 'pgoff.1', 'vwrite.1'],
      run: ({ g }) => {
        if (remapPfn) {
          g.vkind[1] = PFNMAP;
          g.pgoff[1] = DEVPFN;
        } else g.vkind[1] = ANON;
        g.vwrite[1] = false;
      },
    },
    { label: 'remap up_write 2', kernel: 'vm_mmap_pgoff() mm/util.c v5.4', release: mmapSem.write },
  ];
}
