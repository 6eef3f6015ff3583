import { boolParam, defineModel, intParam, invariant } from '../../src/index.ts';
import type { ThreadSpec } from '../../src/index.ts';
import { ANON, DEVPFN, PFNMAP, mmapSem, mmuLock } from './bench-state.ts';
import type { BenchG } from './bench-state.ts';
import { migrateProgram } from './bench-migrate.ts';
import { createProgram, remapProgram } from './bench-vmm.ts';
import { vcpuProgram } from './bench-vcpu.ts';

export type { BenchG } from './bench-state.ts';

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
