import type { StepSpec } from '../../../../src/index.ts';
import { kfn, stamp } from '../../kit/env.ts';
import type { KvmEnv } from '../../kit/env.ts';
import { mmuSection } from '../../kit/footprints.ts';
import type { VmmLocal } from '../../kit/ops.ts';
import type { KvmState, Leaf } from '../../kit/state.ts';

/**
 * kvm_arch_flush_shadow_memslot with the x86 TDP MMU (v5.15+):
 * kvm_mmu_zap_all_fast marks every root invalid under the write lock and
 * asks the vCPUs to reload (a new, empty root), then
 * kvm_tdp_mmu_zap_invalidated_roots zaps the invalid roots under the *read*
 * lock, concurrently with faults. The zap may yield mmu_lock between entries
 * (tdp_mmu_iter_cond_resched, when the lock is contended or the task must
 * reschedule); before 3a0f64de479c (v5.16) the iterator, restarted after the
 * yield, was advanced once more and skipped the entry it had stopped at.
 *
 * Model: the valid root is `s2`, the invalidated root(s) `obsolete` (merged:
 * every invalid root is zapped by the same call). `onZapped` runs when the
 * zap is complete (the DELETE/MOVE's old range must then be empty).
 */
type Step = StepSpec<KvmState, VmmLocal, 'all' | number>;

const TDP = 'arch/x86/kvm/mmu/tdp_mmu.c';
const SOURCE = 'models/kvm/arch/x86/tdp-roots.ts';

export function tdpZapAllFast(
  env: KvmEnv,
  l: (s: string) => string,
  onZapped: (g: KvmState, local: VmmLocal) => void,
  /** The label of the step after the flush. */
  after: string,
): StepSpec<KvmState, VmmLocal>[] {
  const resume = l('tdp_mmu_iter_cond_resched: yield mmu_lock, tdp_iter_restart; zap_gfn_range goes on');
  const finish = (g: KvmState, local: VmmLocal): void => {
    g.ghost.obsoleteZapped = true;
    onZapped(g, local);
  };
  const zapFrom = (leaves: (Leaf | null)[], from: number): void => {
    for (let gfn = Math.max(0, from); gfn < leaves.length; gfn++) leaves[gfn] = null;
  };
  const invalidate: StepSpec<KvmState, VmmLocal> = {
    id: 'kvm_mmu_zap_all_fast',
    label: l(
      'kvm_arch_flush_shadow_memslot → kvm_mmu_zap_all_fast: write_lock(mmu_lock), mmu_valid_gen++, invalidate all TDP MMU roots, reload request, write_unlock',
    ),
    kernel: kfn(env, 'kvm_mmu_zap_all_fast', 'arch/x86/kvm/mmu/mmu.c'),
    reads: mmuSection(env),
    writes: ['s2', 'obsolete', 'rootGen', 'ghost.obsoleteZapped'],
    run: (ctx) => {
      const g = ctx.g;
      ctx.acquire(env.locks.mmuWrite);
      const old = g.obsolete && !g.ghost.obsoleteZapped ? g.obsolete : null;
      g.obsolete = g.s2.map((x, i) => x ?? old?.[i] ?? null);
      g.s2 = g.s2.map(() => null);
      g.rootGen++;
      g.ghost.obsoleteZapped = false;
      ctx.release(env.locks.mmuWrite);
    },
  };
  const zap: Step = {
    id: 'kvm_tdp_mmu_zap_invalidated_roots',
    label: l('kvm_tdp_mmu_zap_invalidated_roots: read_lock(mmu_lock), zap_gfn_range on each invalid root'),
    kernel: kfn(env, 'kvm_tdp_mmu_zap_invalidated_roots', TDP),
    reads: mmuSection(env),
    writes: ['obsolete', 'ghost'],
    // Where the walk may yield: before a leaf, once it has made progress (zapped one).
    choose: ({ g }) => {
      const leaves = g.obsolete ?? [];
      const at = leaves.flatMap((x, i) => (x ? [i] : []));
      return ['all', ...at.slice(1)];
    },
    showChoice: (c) => (c === 'all' ? 'no yield' : `yields before gfn ${c}`),
    jumps: [after, resume],
    run: (ctx, c) => {
      const { g, local } = ctx;
      ctx.acquire(env.locks.mmuFault);
      const leaves = g.obsolete!;
      if (c === 'all') zapFrom(leaves as (Leaf | null)[], 0);
      else for (let gfn = 0; gfn < c; gfn++) leaves[gfn] = null;
      ctx.release(env.locks.mmuFault);
      if (c === 'all') {
        finish(g as KvmState, local as VmmLocal);
        return after;
      }
      local.cursor = c;
      return resume;
    },
  };
  const cont: StepSpec<KvmState, VmmLocal> = {
    id: 'tdp_mmu_iter_cond_resched',
    label: resume,
    kernel: kfn(env, 'tdp_mmu_iter_cond_resched', TDP),
    reads: mmuSection(env),
    writes: ['obsolete', 'ghost'],
    run: (ctx) => {
      const { g, local } = ctx;
      ctx.acquire(env.locks.mmuFault);
      // Before 3a0f64de479c the loop's tdp_iter_next ran after the restart: one entry skipped.
      zapFrom(g.obsolete! as (Leaf | null)[], env.settings.iterRestart ? local.cursor : local.cursor + 1);
      ctx.release(env.locks.mmuFault);
      local.cursor = 0;
      finish(g as KvmState, local as VmmLocal);
    },
  };
  // The choice is the zap's own; a VMM program holds steps of any choice type.
  return stamp(SOURCE, [invalidate, zap as unknown as StepSpec<KvmState, VmmLocal>, cont]);
}
