import { at } from '../../../../src/index.ts';
import type { AtKey, StepContext, StepSpec, StepView } from '../../../../src/index.ts';
import type { KvmEnv } from '../../kit/env.ts';
import { FRAME_COUNT, framesAtHva, mmuSection, pageRefs, unlockedWrite } from '../../kit/footprints.ts';
import { canDownRead } from '../../kit/locks.ts';
import { setLeaf } from '../../kit/stage2.ts';
import { BLOCK, gfnToHva, isRamPfn, leaf, slotOfGfn } from '../../kit/state.ts';
import type { KvmState } from '../../kit/state.ts';
import { ACCESS, leaveFault } from '../../kit/vcpu.ts';
import type { VcpuLocal } from '../../kit/vcpu.ts';
import { findVma, getPage, headOf, presentPte, putPage } from '../../mm/mm.ts';
import { gupFastOk, gupMustWait, hvaToPfn } from './hva-to-pfn.ts';
import { mustRetry } from './mmu-notifier.ts';

/**
 * The steps every stage-2 fault path shares (arm64 user_mem_abort, x86
 * tdp_page_fault / direct_page_fault): the mmu_notifier_seq snapshot, the
 * pfn lookup, and the install under mmu_lock guarded by the retry check,
 * with block (PMD) mappings and transparent_hugepage_adjust. The arch
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

export interface InstallOptions {
  /**
   * arm64 (setting `relaxPerms`): a permission fault on a page-sized leaf
   * goes to kvm_pgtable_stage2_relax_perms, which only sets the write
   * permission of the leaf still there (its own pfn) and does nothing
   * (-EAGAIN) when the leaf is gone; other faults map.
   */
  readonly relaxPerms?: boolean;
  /** arm64 exec permission: only exec faults (or an exec leaf being upgraded) map executable; x86 leaves are. */
  readonly execOnDemand: boolean;
  /**
   * arm64 stage-2 has a device memory type for device pfns (PAGE_S2_DEVICE /
   * KVM_PGTABLE_PROT_DEVICE); x86's EPT has none (MMIO gets a cache type,
   * and stays executable), so its leaves are not marked `dev`.
   */
  readonly deviceType?: boolean;
  /** arm64 with MTE: a VMA without VM_MTE_ALLOWED fails the fault with -EFAULT under mmu_lock. */
  readonly mteCheck: boolean;
  /** The labels of the two steps when faults map under the read side of an rwlock: the check, the map. */
  readonly splitLabels?: readonly [string, string];
}

/** The leaves the install may write: the gfn, or its whole block (a block mapping, or THP). */
function installGfns(v: V): number[] {
  const l = v.local;
  const base = l.gfn - (l.gfn % BLOCK);
  const thp = l.size === 1 && !l.force && !l.device && presentPte(v.g, l.hva)?.huge === true;
  return l.size > 1 || thp ? [base, base + 1] : [l.gfn];
}

/**
 * transparent_hugepage_adjust: when nothing forces page mappings and the
 * host maps a huge page at hva (PageTransCompoundMap / the host page
 * tables), map the whole block, from its head page (the reference moves to
 * the head, the same compound page), if the slot's alignment allows.
 */
function thpAdjust(ctx: Ctx): void {
  const { g, local: l } = ctx;
  if (l.size !== 1 || l.force || l.device) return;
  const p = presentPte(g, l.hva);
  if (!p?.huge || p.pfn !== l.pfn || !slotAllowsBlock(l, l.hva)) return;
  const off = l.hva % BLOCK;
  if (l.ref) {
    putPage(g, l.pfn);
    getPage(g, l.pfn - off);
  }
  l.pfn -= off;
  l.gfn -= off;
  l.hva -= off;
  l.size = BLOCK;
}

/** Map the gfn, or the block from its first gfn, as one leaf per gfn (or relax a leaf's permissions). */
function mapLeaves(ctx: Ctx, env: KvmEnv, o: InstallOptions, who: string): void {
  const { g, local: l } = ctx;
  if (o.relaxPerms && l.perm && l.size === 1) {
    // stage2_update_leaf_attrs: only a valid leaf is changed (cmpxchg); none: -EAGAIN.
    const cur = g.s2[l.gfn];
    if (cur && l.w) setLeaf(ctx, env.locks, l.gfn, { ...cur, w: true }, who);
    return;
  }
  for (let i = 0; i < l.size; i++) {
    const gfn = l.gfn + i;
    const old = g.s2[gfn];
    const x =
      !o.execOnDemand ||
      l.exec ||
      (old !== null && old !== undefined && old.x === true && old.pfn === l.pfn + i);
    const dev = l.device && (o.deviceType ?? true);
    setLeaf(ctx, env.locks, gfn, leaf(l.pfn + i, l.w, dev, { x, block: l.size > 1 }), who);
  }
}

/**
 * Under mmu_lock: if the retry check fires — an invalidation in progress or
 * the sequence moved — bail out; else transparent_hugepage_adjust, the MTE
 * check, and map. With a spinlock (or the write side) this is one step. When
 * faults map under the read side of an rwlock (arm64 v6.2+), the check and
 * the map are two steps holding the read lock, so faults run them in
 * parallel, as kvm_pgtable_stage2_map's shared walks do.
 */
export function installStep(
  env: KvmEnv,
  label: string,
  kernel: string,
  releaseLabel: string,
  id: string,
  o: InstallOptions = { execOnDemand: false, mteCheck: false },
): Step | Step[] {
  const locked = env.ablation !== 'no-mmu-lock';
  const split = locked && env.locks.mmuFault.mode === 'read';
  const retries = (g: KvmState, l: VcpuLocal): boolean =>
    env.ablation !== 'no-retry' && mustRetry(env, g, l.seq, l.gfn, l.hva);
  const mteRefused = (g: KvmState, l: VcpuLocal): boolean =>
    o.mteCheck && env.settings.mte && env.vm.mte && !l.device && !(findVma(g, l.hva)?.mte ?? true);
  const leave = (ctx: Ctx, outcome: 'done' | 'retry') => {
    if (ctx.local.ref) {
      ctx.local.retry = outcome === 'retry';
      return releaseLabel;
    }
    return leaveFault(ctx, env, outcome);
  };
  const checkReads = [
    'count',
    'seq',
    FRAME_COUNT,
    ...(env.settings.retry === 'count' ? [] : ['inv']),
    env.locks.srcu,
    ...(o.relaxPerms ? [at<KvmState, VcpuLocal>('s2', (v) => (v.local.perm ? v.local.gfn : null))] : []),
  ];
  const leafWrites = (skip: (v: V) => boolean) =>
    at<KvmState, VcpuLocal>('s2', (v): AtKey => (skip(v) ? null : installGfns(v)));
  const thpRefs = pageRefs<VcpuLocal>((v) =>
    v.local.ref && v.local.size === 1 ? [headOf(v.g, v.local.pfn), v.local.pfn] : null,
  );
  const lookHost = [
    at<KvmState, VcpuLocal>('ptes', ({ local }) => local.hva),
    ...(o.mteCheck && env.settings.mte && env.vm.mte ? ['vmas'] : []),
  ];
  if (!split) {
    return {
      id,
      label,
      kernel,
      reads: [...checkReads, ...lookHost, ...(locked ? mmuSection(env) : []), ...unlockedWrite(env)],
      writes: [leafWrites((v) => retries(v.g, v.local)), ...thpRefs, ...unlockedWrite(env)],
      jumps: [releaseLabel, ACCESS],
      run: (ctx) => {
        const { g, local } = ctx;
        if (locked) ctx.acquire(env.locks.mmuFault);
        const retry = retries(g, local);
        let refused = false;
        if (!retry) {
          thpAdjust(ctx);
          refused = mteRefused(g, local);
          if (!refused) mapLeaves(ctx, env, o, label);
        }
        if (locked) ctx.release(env.locks.mmuFault);
        return leave(ctx, retry ? 'retry' : 'done');
      },
    };
  }
  const [checkLabel, mapLabel] = o.splitLabels ?? [`${label} (check)`, `${label} (map)`];
  return [
    {
      id,
      label: checkLabel,
      kernel,
      acquire: env.locks.mmuFault,
      reads: [...checkReads, ...lookHost],
      writes: [...thpRefs],
      jumps: [releaseLabel, ACCESS],
      run: (ctx) => {
        const { g, local } = ctx;
        if (retries(g, local)) {
          ctx.release(env.locks.mmuFault);
          return leave(ctx, 'retry');
        }
        thpAdjust(ctx);
        if (mteRefused(g, local)) {
          ctx.release(env.locks.mmuFault);
          return leave(ctx, 'done');
        }
        return undefined;
      },
    },
    {
      id: `${id}.map`,
      label: mapLabel,
      kernel,
      release: env.locks.mmuFault,
      reads: [
        FRAME_COUNT,
        env.locks.srcu, // leaveFault releases the SRCU read section
        ...(o.relaxPerms ? [at<KvmState, VcpuLocal>('s2', (v) => (v.local.perm ? v.local.gfn : null))] : []),
      ],
      writes: [leafWrites(() => false)],
      jumps: [releaseLabel, ACCESS],
      run: (ctx) => {
        mapLeaves(ctx, env, o, mapLabel);
        return leave(ctx, 'done');
      },
    },
  ];
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
