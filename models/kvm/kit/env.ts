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
] as const;
export type Ablation = (typeof ABLATIONS)[number];

/** Source files a version's steps cite (they moved between versions). */
export interface KernelFiles {
  /** The arch MMU file: virt/kvm/arm/mmu.c (arm64 ≤ v5.7), arch/arm64/kvm/mmu.c, arch/x86/kvm/mmu.c … */
  readonly mmu: string;
  /** The arch file with kvm_arch_prepare/commit_memory_region and flush_shadow_memslot. */
  readonly arch: string;
}

/** Everything a component needs to build its steps for one model instance. */
export interface KvmEnv {
  /** e.g. `v5.4` */
  readonly version: string;
  readonly files: KernelFiles;
  readonly locks: KvmLocks;
  readonly ablation: Ablation;
  /** Notifier flavour: v5.4–v5.14 count unconditionally; v5.15+ count only on a memslot hit and track mn_active. */
  readonly notifier: 'unconditional' | 'mn-active';
  /** kvm_arch_flush_shadow_memslot: the slot's range (arm64) or everything (x86 kvm_mmu_zap_all_fast). */
  readonly flush: 'slot-range' | 'all';
  /** How memslot arrays are published: install_new_memslots (≤ v5.16) or kvm_swap_active_memslots (v5.17+). */
  readonly publish: 'install_new_memslots' | 'kvm_swap_active_memslots';
  /**
   * KVM's change_pte callback (KSM, COW): arm64 installs a read-only leaf of
   * the new pfn for every published slot covering the address (INVALID
   * ones included); x86 only rewrites leaves that exist (kvm_set_pte_rmapp).
   */
  readonly changePte: 'install' | 'update-existing';
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
