import type { KvmLocks } from './locks.ts';

/**
 * Protocol deviations a model can be run with (`--param ablation=...`), to
 * show that the properties are not vacuous: each removes one piece of the
 * protocol and must make some scenario fail.
 */
export const ABLATIONS = [
  'none',
  /** The fault path installs without the mmu_notifier_retry check. */
  'no-retry',
  /** The fault path reads mmu_notifier_seq after the pfn lookup instead of before. */
  'seq-after-gup',
  /** The fault path writes stage-2 without taking mmu_lock. */
  'no-mmu-lock',
  /** DELETE/MOVE publish the INVALID slot without synchronize_srcu before the flush. */
  'no-srcu-sync',
  /** v5.15+: memslot publication does not wait for mn_active_invalidate_count == 0. */
  'no-mn-active-wait',
  /** x86 TDP MMU: fast_page_fault stores the SPTE without cmpxchg (lockless path). */
  'no-cmpxchg',
  /** x86 TDP MMU: is_page_fault_stale does not check whether the root was invalidated (a955cad84cda undone). */
  'no-stale-root-check',
  /** v6.8+ private memory: the private/shared mismatch check runs before the mmu_invalidate_seq snapshot. */
  'attr-check-before-seq',
  /** guest_memfd: PUNCH_HOLE truncates without kvm_gmem_invalidate_begin/end. */
  'no-gmem-invalidate',
] as const;
export type Ablation = (typeof ABLATIONS)[number];

/** Source files a version's steps cite (they moved between versions). */
export interface KernelFiles {
  /** The arch MMU file: virt/kvm/arm/mmu.c (arm64 ≤ v5.7), arch/arm64/kvm/mmu.c, arch/x86/kvm/mmu.c … */
  readonly mmu: string;
  /** The arch file with kvm_arch_prepare/commit_memory_region and flush_shadow_memslot. */
  readonly arch: string;
}

/**
 * Fixes of the TDP-MMU / guest_memfd era that a version has or lacks; the
 * versions that lack one reproduce its bug (docs/models.md).
 */
export interface KvmFixes {
  /** a955cad84cda (v5.16): is_page_fault_stale retries a fault whose root was invalidated by a memslot update. */
  readonly staleRootCheck: boolean;
  /** 3a0f64de479c (v5.16, CVE-2021-47094): the TDP MMU iterator does not advance past the entry it yielded at. */
  readonly iterRestart: boolean;
  /** x86 (v5.17+ per our reading): a fault on a KVM_MEMSLOT_INVALID slot returns RET_PF_RETRY instead of emulating. */
  readonly invalidSlotRetry: boolean;
  /** 3ccbf6f47098 (v6.18): KVM_PRE_FAULT_MEMORY returns -EAGAIN on a slot being deleted instead of retrying in place. */
  readonly prefaultEagain: boolean;
}

export const ALL_FIXES: KvmFixes = {
  staleRootCheck: true,
  iterRestart: true,
  invalidSlotRetry: true,
  prefaultEagain: true,
};

/** Everything a component needs to build its steps for one model instance. */
export interface KvmEnv {
  /** e.g. `v5.4` */
  readonly version: string;
  readonly files: KernelFiles;
  readonly locks: KvmLocks;
  readonly ablation: Ablation;
  /** Notifier flavour: v5.4–v5.14 count unconditionally; v5.15+ count only on a memslot hit and track mn_active. */
  readonly notifier: 'unconditional' | 'mn-active';
  /**
   * kvm_arch_flush_shadow_memslot: the slot's range (arm64), everything (x86
   * v5.4 kvm_mmu_zap_all_fast), or, with the x86 TDP MMU, invalidating every
   * root under the write lock and zapping the invalid roots afterwards under
   * the read lock (kvm_tdp_mmu_zap_invalidated_roots).
   */
  readonly flush: 'slot-range' | 'all' | 'tdp-roots';
  /**
   * What the fault's retry check reads of an invalidation in progress:
   * `count` (mmu_notifier_retry / arm64 mmu_invalidate_retry: any),
   * `hva-range` (x86 v5.12+ mmu_notifier_retry_hva: only if the fault's hva is
   * in the range), `gfn-range` (x86 v6.7+ mmu_invalidate_retry_gfn).
   */
  readonly retry: 'count' | 'hva-range' | 'gfn-range';
  readonly fixes: KvmFixes;
  /** How memslot arrays are published: install_new_memslots (≤ v5.16) or kvm_swap_active_memslots (v5.17+). */
  readonly publish: 'install_new_memslots' | 'kvm_swap_active_memslots';
  /**
   * KVM's change_pte callback (KSM, COW): arm64 installs a read-only leaf of
   * the new pfn for every published slot covering the address (INVALID
   * ones included); x86 only rewrites leaves that exist (kvm_set_pte_rmapp).
   * `install-skip-invalid`: arm64 after Gavin Shan's fix (v6.4,
   * kvm_change_spte_gfn skips KVM_MEMSLOT_INVALID slots); `none`: the
   * callback is gone (v6.9, "KVM: Drop .change_pte() MMU notifier").
   */
  readonly changePte: 'install' | 'update-existing' | 'install-skip-invalid' | 'none';
}

/** Is the model's kernel at least `major.minor`? (`env.version` is like `v5.13`.) */
export function atLeast(env: { readonly version: string }, major: number, minor: number): boolean {
  const m = /^v(\d+)\.(\d+)/.exec(env.version);
  if (!m) return false;
  const [maj, min] = [Number(m[1]), Number(m[2])];
  return maj > major || (maj === major && min >= minor);
}

/**
 * How a step names an mmap_sem operation: `down_read(mmap_sem)` … up to
 * v5.7, `mmap_read_lock(mmap_lock)` … from v5.8 (the lock was renamed).
 */
export function mmapCall(env: KvmEnv, mode: 'read' | 'write', op: 'lock' | 'unlock'): string {
  if (!atLeast(env, 5, 8)) return `${op === 'lock' ? 'down' : 'up'}_${mode}(mmap_sem)`;
  return `mmap_${mode}_${op}(mmap_lock)`;
}

/** The `kernel` field of a step: function, file and version. */
export function kfn(env: KvmEnv, fn: string, file: string): string {
  return `${fn}() ${file} ${env.version}`;
}

export const KVM_MAIN = 'virt/kvm/kvm_main.c';
