import { at } from '../../../../src/index.ts';
import type { StepContext, StepSpec, StepView } from '../../../../src/index.ts';
import type { KvmEnv } from '../../kit/env.ts';
import { FRAME_COUNT, framesAtHva, pageRefs } from '../../kit/footprints.ts';
import { canDownRead } from '../../kit/locks.ts';
import { BLOCK, gfnToHva, isRamPfn, slotOfGfn } from '../../kit/state.ts';
import type { KvmState } from '../../kit/state.ts';
import { ACCESS, leaveFault } from '../../kit/vcpu.ts';
import type { VcpuLocal } from '../../kit/vcpu.ts';
import { findVma } from '../../mm/mm.ts';
import { gupFastOk, gupMustWait, hvaToPfn } from './hva-to-pfn.ts';

/**
 * The steps every stage-2 fault path shares (arm64 user_mem_abort, x86
 * tdp_page_fault / direct_page_fault): the mmu_notifier_seq snapshot, the
 * pfn lookup with the mapping size it allows, and the release of the page
 * reference; the install under mmu_lock is in fault-install.ts. The arch
 * builders give labels and kernel references, and put them in their order.
 */
type V = StepView<KvmState, VcpuLocal>;
type Ctx = StepContext<KvmState, VcpuLocal>;
type Step = StepSpec<KvmState, VcpuLocal>;

/** mmu_seq = kvm->mmu_notifier_seq; smp_rmb() */
export function seqSnapshot(label: string, kernel: string, id: string): Step {
  return { id, label, kernel, reads: ['seq'], run: ({ g, local }) => void (local.seq = g.seq) };
}

/**
 * Where the pfn lookup reads the slot: `abort` reuses the slot seen at abort
 * entry (v5.13+, 10ba2d17d297; x86 passes its slot), `relookup` looks the gfn
 * up again in the currently published array (arm64 v5.4 gfn_to_pfn_prot).
 */
export type SlotSource = 'abort' | 'relookup';

interface Target {
  readonly hva: number;
  readonly error?: string;
}

/** The hva the lookup reads (null on an error: no page touched). */
function hvaOf(v: V, src: SlotSource): number | null {
  const t = target(v.g, v.local, src);
  return t.error || t.hva < 0 ? null : t.hva;
}

function target(g: KvmState, l: VcpuLocal, src: SlotSource): Target {
  if (src === 'abort') return { hva: l.hva };
  const slot = slotOfGfn(g.memslots, l.gfn);
  if (!slot || slot.invalid) return { hva: -1, error: 'KVM_PFN_NOSLOT' };
  if (l.write && slot.ro) return { hva: -1, error: 'KVM_PFN_ERR_RO_FAULT' };
  return { hva: gfnToHva(slot, l.gfn) };
}

/**
 * fault_supports_stage2_huge_mapping (arm64) / the lpage_info alignment of
 * x86: a block mapping needs the slot's gpa and hva to have the same offset
 * within a block, and the whole block around hva inside the slot.
 */
export function slotAllowsBlock(l: VcpuLocal, hva: number): boolean {
  const base = hva - (hva % BLOCK);
  return (
    l.slotBase % BLOCK === l.slotHva % BLOCK && base >= l.slotHva && base + BLOCK <= l.slotHva + l.slotPages
  );
}

/**
 * The page size the VMA allows (vma_kernel_pagesize / get_vma_page_shift:
 * hugetlbfs, else a page), cut to a page when dirty logging is on, for
 * VM_PFNMAP, or when the slot's alignment forbids a block (then force_pte).
 * Sets `size`, `force`, and aligns `gfn` and `hva` down to the block.
 */
export function chooseMappingSize(g: KvmState, l: VcpuLocal, hva: number): void {
  const vma = findVma(g, hva);
  const logging = l.logDirty && !l.ro;
  const pfnmap = vma !== undefined && vma.kind !== 'anon' && vma.kind !== 'dax';
  let size = logging || pfnmap ? 1 : (vma?.pageSize ?? 1);
  if (size > 1 && !slotAllowsBlock(l, hva)) size = 1;
  l.size = size;
  l.force = size === 1 && (logging || pfnmap || (vma?.pageSize ?? 1) > 1);
  if (size > 1) {
    l.gfn -= l.gfn % size;
    l.hva -= l.hva % size;
  }
}

/** kvm_is_device_pfn, per arch and version (arm64 v5.14+: not in the linear map). */
export function isDevicePfn(env: KvmEnv, g: KvmState, pfn: number): boolean {
  if (!isRamPfn(g, pfn)) return true;
  return (
    env.arch === 'arm64' &&
    env.settings.deviceTest === 'pfn_is_map_memory' &&
    g.pageKind[pfn] === 'zone-device'
  );
}

export interface LookupOptions {
  /** arm64: with dirty logging a read fault on normal memory maps read-only (x86 maps and marks dirty). */
  readonly logDirtyReadOnly: boolean;
}

/**
 * __gfn_to_pfn_memslot → hva_to_pfn. Waits while GUP would sleep on a
 * migration entry; needs mmap_sem for read unless the lockless fast GUP
 * succeeds. On failure the fault returns -EFAULT (or emulates) with no leaf.
 * Then the pfn is classified (device or not).
 */
export function pfnLookup(
  env: KvmEnv,
  label: string,
  kernel: string,
  src: SlotSource,
  o: LookupOptions,
): Step {
  const s = env.settings;
  return {
    id: 'hva_to_pfn',
    label,
    kernel,
    reads: [
      ...(src === 'relookup' ? ['memslots'] : []),
      'vmas',
      'pageKind', // special, compound and ZONE_DEVICE pages (kvm_is_device_pfn, GUP)
      at<KvmState, VcpuLocal>('ptes', (v) => hvaOf(v, src)),
      env.locks.mmapSem,
      env.locks.srcu,
    ],
    writes: [
      at<KvmState, VcpuLocal>('ptes', (v) => hvaOf(v, src)),
      ...pageRefs<VcpuLocal>((v) => framesAtHva(v, hvaOf(v, src))),
    ],
    jumps: [ACCESS],
    guard: (v: V) => {
      const t = target(v.g, v.local, src);
      if (t.error) return true;
      if (gupMustWait(v.g, t.hva)) return false;
      return gupFastOk(v.g, t.hva) || canDownRead(v as StepView<unknown, unknown>, env.locks.mmapSem);
    },
    run: (ctx: Ctx) => {
      const { g, local } = ctx;
      const t = target(g, local, src);
      if (t.error) return leaveFault(ctx, env, 'done');
      const r = hvaToPfn(g, t.hva, local.write, { remapped: s.remapped, remappedRef: s.remappedRef });
      if (!r.ok) return leaveFault(ctx, env, 'done');
      local.pfn = r.pfn;
      local.ref = r.ref;
      local.w = r.writable;
      local.device = isDevicePfn(env, g, r.pfn);
      if (local.device) local.force = true;
      else if (o.logDirtyReadOnly && local.logDirty && !local.ro && !local.write) local.w = false;
      return undefined;
    },
  };
}

/** kvm_release_pfn_clean (after mmu_lock is dropped), then back to the guest. */
export function releaseStep(env: KvmEnv, label: string, kernel: string, id: string): Step {
  return {
    id,
    label,
    kernel,
    reads: [env.locks.srcu, FRAME_COUNT],
    writes: pageRefs<VcpuLocal>(({ g, local }) => (local.ref && isRamPfn(g, local.pfn) ? local.pfn : null)),
    jumps: [ACCESS],
    run: (ctx) => {
      const retry = ctx.local.retry;
      ctx.local.retry = false;
      return leaveFault(ctx, env, retry ? 'retry' : 'done');
    },
  };
}
