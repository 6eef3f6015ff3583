import { at, program } from '../../src/index.ts';
import { mmuLock } from './bench-state.ts';
import type { BenchG, OldL } from './bench-state.ts';

/** The migration rules of kvm-bench.m: page migration of the anon page at hva 0, without mmap_sem. */
export const migrateProgram = program<BenchG, OldL>('migrate', [
  {
    label: 'migrate pick',
    kernel: 'migrate_pages() mm/migrate.c v5.4',
    reads: ['pte.0'],
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
    writes: ['cnt', 's2.0', 's2w.0'],
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
    writes: ['pte.0'],
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
    writes: [at<BenchG, OldL>('used', ({ local }) => local.old)],
    run: ({ g, local }) => void (g.used[local.old] = false),
  },
]);
