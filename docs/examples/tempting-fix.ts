// The tempting fix for the seed race (2019 kvmarm thread): keep mmap_sem
// from kvm_arch_prepare_memory_region until the new memslots are published.
// Written as step edits on arm64 v5.4, it deadlocks as soon as a vCPU
// faults on another, published slot: synchronize_srcu waits for that vCPU,
// which waits for mmap_sem behind the munmap's queued writer, which waits
// for prepare's read hold. (A reader-preferring mmap_sem would hide it.)
import { arm64V54, defineExtension, kvmModel, temptingFixDeadlock } from 'kvmcheck/kvm';
import type { KvmScenario } from 'kvmcheck/kvm';

const patched = 'arm64-v5.4-prepare-keeps-mmap-sem';
const fair = 'arm64-v5.4-prepare-keeps-mmap-sem-reader-preferring';

/** The seed race plus slot 1 (gfn 1, anonymous memory), published, where the vCPU faults. */
const scenario: KvmScenario = {
  ...temptingFixDeadlock,
  settings: {},
  expect: { [patched]: { verdict: 'deadlock' }, [fair]: { verdict: 'holds' } },
};

const keepMmapSem = defineExtension({
  name: 'prepare keeps mmap_sem',
  steps: [
    // prepare returns without up_read(mmap_sem) …
    {
      id: 'kvm_arch_prepare_memory_region.unlock',
      replace: { label: 'kvm_arch_prepare_memory_region: stage2_flush_memslot (mmap_sem kept)', release: [] },
    },
    // … which is released once install_new_memslots (and its synchronize_srcu) is done.
    {
      id: 'install_new_memslots',
      after: (old, env) => ({
        label: 'up_read(mmap_sem) after publication',
        kernel: 'kvm_arch_prepare_memory_region() virt/kvm/arm/mmu.c v5.4',
        release: env.locks.mmapSem.read,
      }),
    },
  ],
});

export default kvmModel({ ...arm64V54, name: patched, scenarios: [scenario], extensions: [keepMmapSem] });
export const readerPreferring = kvmModel({
  ...arm64V54,
  name: fair,
  settings: { ...arm64V54.settings, mmapSemFairness: 'reader-preferring' },
  scenarios: [scenario],
  extensions: [keepMmapSem],
});
