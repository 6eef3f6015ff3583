import {
  DONE,
  boolParam,
  defineModel,
  intParam,
  invariant,
  program,
  rwsem,
  spinlock,
} from '../../src/index.ts';
import type { ThreadSpec } from '../../src/index.ts';

/**
 * The shared benchmark model, ported rule for rule from
 * `../shared/bench/kvm-bench.m` (the canonical step granularity: one Murphi
 * rule = one step, one ruleset parameter = one option of `choose`). Same
 * protocol as `kvm-bench.pml` for SPIN: a small slice of arm64 v5.4
 * (`user_mem_abort`, eager VM_PFNMAP mapping in prepare_memory_region,
 * munmap + mmap of hva 1, migration of the anon page at hva 0).
 *
 * Mapping of the Murphi variables: `lock_v[i]`/`lock_o` are the owner of
 * the engine spinlock `mmu_lock`; `readers`/`writer` are the engine rwsem
 * `mmap_sem` (readers as a bitmask of threads: the count is its popcount,
 * and which threads read is fixed by their program counters, so the state
 * spaces are isomorphic); `ch`, `rold`, `mold` are locals of their thread.
 * With no reduction the search visits exactly Rumur's counts.
 *
 * The migrate thread may wait forever for a page that is never faulted in
 * (Rumur runs with `--deadlock-detection off`); it is a daemon thread, so
 * deadlock detection stays on for the others. Each step's `kernel` names the
 * v5.4 function its Murphi rule stands for.
 */

const NONE = 0;
const ANON = 1;
const PFNMAP = 2;
const DEVPFN = 10;

export interface BenchG {
  vkind: number[];
  vwrite: boolean[];
  pgoff: number[];
  pte: number[];
  ptew: boolean[];
  used: boolean[];
  s2: number[];
  s2w: boolean[];
  slot: boolean;
  seq: number;
  cnt: number;
}
interface VcpuL {
  g: number;
  wf: boolean;
  lseq: number;
  pfn: number;
  wr: boolean;
}
interface CreateL {
  ch: number;
}
interface OldL {
  old: number;
}

const mmuLock = spinlock('mmu_lock');
const mmapSem = rwsem('mmap_sem', { writerPreference: false });

function vcpuProgram(retry: boolean, wbug: boolean) {
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

function createProgram(prefault: boolean) {
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
      reads: ['vkind'],
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
      reads: ['pgoff'],
      writes: ['s2', 's2w'],
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

function remapProgram(remapPfn: boolean) {
  return program<BenchG, OldL>('vmm_remap', [
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
      writes: ['cnt', 's2', 's2w'],
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
      reads: ['pte'],
      writes: ['pte', 'ptew', 'vkind', 'vwrite'],
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
      writes: ['used'],
      run: ({ g, local }) => {
        if (local.old > 0 && local.old < DEVPFN) g.used[local.old] = false;
      },
    },
    { label: 'remap up_write', kernel: '__vm_munmap() mm/mmap.c v5.4', release: mmapSem.write },
    { label: 'remap down_write 2', kernel: 'vm_mmap_pgoff() mm/util.c v5.4', acquire: mmapSem.write },
    {
      label: 'remap mmap',
      kernel: 'mmap_region() mm/mmap.c v5.4',
      reads: [],
      writes: ['vkind', 'pgoff', 'vwrite'],
      run: ({ g }) => {
        if (remapPfn) {
          g.vkind[1] = PFNMAP;
          g.pgoff[1] = DEVPFN;
        } else g.vkind[1] = ANON;
        g.vwrite[1] = false;
      },
    },
    { label: 'remap up_write 2', kernel: 'vm_mmap_pgoff() mm/util.c v5.4', release: mmapSem.write },
  ]);
}

const migrateProgram = program<BenchG, OldL>('migrate', [
  {
    label: 'migrate pick',
    kernel: 'migrate_pages() mm/migrate.c v5.4',
    reads: ['pte'],
    writes: [],
    guard: ({ g }) => g.pte[0] !== 0,
    run: ({ g, local }) => void (local.old = g.pte[0]!),
  },
  {
    label: 'migrate lock 1',
    kernel: 'kvm_mmu_notifier_invalidate_range_start() virt/kvm/kvm_main.c v5.4',
    acquire: mmuLock.lock,
  },
  {
    label: 'migrate inval start',
    kernel: 'kvm_mmu_notifier_invalidate_range_start() virt/kvm/kvm_main.c v5.4',
    reads: ['slot'],
    writes: ['cnt', 's2', 's2w'],
    run: ({ g }) => {
      g.cnt += 1;
      if (g.slot) {
        g.s2[0] = 0;
        g.s2w[0] = false;
      }
    },
  },
  {
    label: 'migrate unlock 1',
    kernel: 'kvm_mmu_notifier_invalidate_range_start() virt/kvm/kvm_main.c v5.4',
    release: mmuLock.lock,
  },
  {
    label: 'migrate clear',
    kernel: 'try_to_unmap_one() mm/rmap.c v5.4',
    reads: [],
    writes: ['pte'],
    run: ({ g }) => void (g.pte[0] = 0),
  },
  {
    label: 'migrate lock 2',
    kernel: 'kvm_mmu_notifier_invalidate_range_end() virt/kvm/kvm_main.c v5.4',
    acquire: mmuLock.lock,
  },
  {
    label: 'migrate inval end',
    kernel: 'kvm_mmu_notifier_invalidate_range_end() virt/kvm/kvm_main.c v5.4',
    reads: [],
    writes: ['seq', 'cnt'],
    run: ({ g }) => void ((g.seq += 1), (g.cnt -= 1)),
  },
  {
    label: 'migrate unlock 2',
    kernel: 'kvm_mmu_notifier_invalidate_range_end() virt/kvm/kvm_main.c v5.4',
    release: mmuLock.lock,
  },
  {
    label: 'migrate free',
    kernel: 'migrate_pages() mm/migrate.c v5.4',
    reads: [],
    writes: ['used'],
    run: ({ g, local }) => void (g.used[local.old] = false),
  },
]);

const hostt = (g: BenchG, h: number): number =>
  g.pte[h] !== 0 ? g.pte[h]! : g.vkind[h] === PFNMAP ? g.pgoff[h]! : 0;
const hostw = (g: BenchG, h: number): boolean =>
  !g.vwrite[h] ? false : g.pte[h] !== 0 ? g.ptew[h]! : g.vkind[h] === PFNMAP;
const coh = (g: BenchG, h: number): boolean =>
  g.s2[h] === 0 || g.cnt > 0 || (g.s2[h] === hostt(g, h) && (!g.s2w[h] || hostw(g, h)));

export default defineModel<BenchG>({
  name: 'kvm-bench',
  description: 'the shared SPIN/Rumur benchmark (kvm-bench.m), rule for rule',
  kernel: { arch: 'arm64', version: 'v5.4', notes: 'benchmark slice; see ../shared/bench/kvm-bench.pml' },
  params: {
    vcpus: intParam({ default: 2, min: 1, max: 6, description: 'number of vCPU threads (NV)' }),
    prefault: boolParam({
      default: false,
      description: 'eager VM_PFNMAP mapping before publication (PREFAULT)',
    }),
    retry: boolParam({ default: true, description: 'mmu_notifier_retry check under mmu_lock (RETRY)' }),
    wbug: boolParam({ default: false, description: 'follow_pfn reports every PFNMAP pte writable (WBUG)' }),
    remapPfn: boolParam({ default: false, description: 'remap hva 1 as a read-only VM_PFNMAP (REMAP_PFN)' }),
  },
  scenarios: {
    fixed: { description: 'the fixed protocol', expect: { verdict: 'holds' } },
    'seed-race': {
      description: 'eager mapping before publication (PREFAULT=1)',
      params: { prefault: true },
      expect: { verdict: 'violated', property: 'stage2-coherence' },
    },
    'no-retry': {
      description: 'no mmu_notifier_retry (RETRY=0)',
      params: { retry: false },
      expect: { verdict: 'violated', property: 'stage2-coherence' },
    },
    'follow-pfn-writable': {
      description: 'follow_pfn "writable" over a read-only PFNMAP remap (WBUG=1 REMAP_PFN=1)',
      params: { wbug: true, remapPfn: true },
      expect: { verdict: 'violated', property: 'stage2-coherence' },
    },
  },
  locks: [mmuLock, mmapSem],
  init: () => ({
    vkind: [ANON, PFNMAP],
    vwrite: [true, true],
    pgoff: [0, DEVPFN],
    pte: [0, 0],
    ptew: [false, false],
    used: new Array<boolean>(12).fill(false),
    s2: [0, 0],
    s2w: [false, false],
    slot: false,
    seq: 0,
    cnt: 0,
  }),
  threads: ({ params }) => {
    const vcpu = vcpuProgram(params.retry === true, params.wbug === true);
    const threads: ThreadSpec<BenchG>[] = [
      { name: 'vmm_create', program: createProgram(params.prefault === true), local: { ch: 0 } },
      { name: 'vmm_remap', program: remapProgram(params.remapPfn === true), local: { old: 0 } },
      { name: 'migrate', program: migrateProgram, local: { old: 0 }, daemon: true },
    ];
    for (let i = 0; i < (params.vcpus as number); i++)
      threads.push({
        name: `vcpu${i}`,
        program: vcpu,
        local: { g: 0, wf: false, lseq: 0, pfn: 0, wr: false },
        symmetry: 'vcpu',
      });
    return threads;
  },
  properties: [
    invariant<BenchG>({
      name: 'stage2-coherence',
      description:
        'with no invalidation in progress, every stage-2 entry maps what the host maps at its hva, writable only if the host is',
      reads: ['s2', 's2w', 'cnt', 'pte', 'ptew', 'vkind', 'vwrite', 'pgoff'],
      holds: (s) => coh(s.g, 0) && coh(s.g, 1),
      explain: (s) =>
        [0, 1]
          .filter((h) => !coh(s.g, h))
          .map(
            (h) =>
              `gfn ${h}: stage-2 maps pfn ${s.g.s2[h]}${s.g.s2w[h] ? ' writable' : ''}, host maps ${hostt(s.g, h)}${hostw(s.g, h) ? ' writable' : ''}`,
          )
          .join('; '),
    }),
  ],
});
