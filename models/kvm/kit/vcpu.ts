import { DONE, at } from '../../../src/index.ts';
import type { Flow, StepContext, StepSpec } from '../../../src/index.ts';
import type { KvmEnv } from './env.ts';
import { putPage } from '../mm/mm.ts';
import type { KvmState, Leaf } from './state.ts';

/**
 * What every vCPU thread shares, whatever the architecture: the guest's
 * memory accesses that trap into a stage-2 fault, and the bookkeeping at the
 * end of a fault. A vCPU completes `faults` faults; a fault that bails out
 * on mmu_notifier_retry is taken again (the guest re-executes the access)
 * without counting.
 */
export interface VcpuLocal {
  /** Faults left to complete. */
  left: number;
  /** The faulting gfn (aligned down to its block once a block mapping is chosen). */
  gfn: number;
  write: boolean;
  /** An instruction fetch (arm64 kvm_vcpu_trap_is_iabt; EPT exec violation). */
  exec: boolean;
  /** The hva and slot flags seen at abort entry. */
  hva: number;
  ro: boolean;
  logDirty: boolean;
  /** The slot seen at abort entry (base gfn, hva, pages), for the block-mapping alignment check. */
  slotBase: number;
  slotHva: number;
  slotPages: number;
  /** vma_pagesize in pages (1, or BLOCK for a block mapping) and force_pte. */
  size: number;
  force: boolean;
  /** The pfn is mapped with device attributes (arm64: kvm_is_device_pfn). */
  device: boolean;
  /** mmu_seq: the snapshot of mmu_notifier_seq. */
  seq: number;
  /** The result of the pfn lookup, and whether we hold a page reference on it. */
  pfn: number;
  w: boolean;
  ref: boolean;
  /** The install step bailed out on mmu_notifier_retry (the release step then re-faults). */
  retry: boolean;
  /** x86 TDP MMU: the generation of the root the vCPU ran the guest with (loaded at the last guest entry). */
  root: number;
  /** v6.8+: a private fault (PFERR_PRIVATE_ACCESS / KVM_MEMORY_ATTRIBUTE_PRIVATE at fault entry). */
  priv: boolean;
  /** arm64: a permission fault (a write to a read-only leaf), handled by relaxing the leaf's permissions. */
  perm: boolean;
  /** x86 fast_page_fault: the SPTE it read locklessly (null: not on the fast path). */
  old: Leaf | null;
}

export const idleVcpu = (faults: number): VcpuLocal => ({
  left: faults,
  gfn: -1,
  write: false,
  exec: false,
  hva: -1,
  ro: false,
  logDirty: false,
  slotBase: 0,
  slotHva: 0,
  slotPages: 0,
  size: 1,
  force: false,
  device: false,
  seq: 0,
  pfn: 0,
  w: false,
  ref: false,
  retry: false,
  root: 0,
  priv: false,
  perm: false,
  old: null,
});

export const ACCESS = 'guest: memory access';
const SOURCE = 'models/kvm/kit/vcpu.ts';

/** How the guest touches memory: a load, a store, an instruction fetch. */
export type AccessKind = 'read' | 'write' | 'exec';

export type Access = { readonly gfn: number; readonly kind: AccessKind } | 'halt';

/**
 * The guest touches a gfn and the access traps: no leaf (any kind), a write
 * to a read-only leaf, or an instruction fetch from a non-executable leaf.
 * Only accesses that trap are offered (an access that hits stage-2 never
 * reaches KVM); `halt` is offered when none would trap or no faults are
 * left. `kinds` are those the scenario's guest makes (default read, write).
 */
export function accessStep(
  gfns: readonly number[],
  kernel: string,
  kinds: readonly AccessKind[] = ['read', 'write'],
): StepSpec<KvmState, VcpuLocal, Access> {
  return {
    id: 'guest.access',
    label: ACCESS,
    kernel,
    source: SOURCE,
    // The leaves of the gfns it may touch; a vCPU with no fault left reads nothing.
    reads: [at<KvmState, VcpuLocal>('s2', ({ local }) => (local.left === 0 ? null : gfns))],
    choose: ({ g, local }) => {
      if (local.left === 0) return ['halt'];
      const out: Access[] = [];
      for (const gfn of gfns) {
        const leaf = g.s2[gfn];
        for (const kind of kinds)
          if (!leaf || (kind === 'write' && !leaf.w) || (kind === 'exec' && !leaf.x)) out.push({ gfn, kind });
      }
      return out.length ? out : ['halt'];
    },
    showChoice: (a) => (a === 'halt' ? 'halt (no access would fault)' : `${a.kind} gfn ${a.gfn}`),
    run: ({ local }, a) => {
      if (a === 'halt') {
        local.left = 0;
        return DONE;
      }
      local.gfn = a.gfn;
      local.write = a.kind === 'write';
      local.exec = a.kind === 'exec';
      return undefined;
    },
  };
}

type Ctx = StepContext<KvmState, VcpuLocal>;

/**
 * Leaves the fault: releases the page reference if one is still held
 * (kvm_release_pfn_clean), srcu_read_unlock if inside the section, resets
 * the per-fault locals and returns to the guest. `retry` means the guest
 * will take the same fault again (mmu_notifier_retry, -EAGAIN).
 */
export function leaveFault(ctx: Ctx, env: KvmEnv, outcome: 'done' | 'retry'): Flow {
  const l = ctx.local;
  if (l.ref) putPage(ctx.g, l.pfn);
  if (ctx.holds(env.locks.srcu)) ctx.release(env.locks.srcu.read);
  const left = outcome === 'done' ? l.left - 1 : l.left;
  Object.assign(l, idleVcpu(left));
  return ACCESS;
}
