import type { FootprintEntry, StepContext } from '../../../src/index.ts';
import type { KvmLocks } from './locks.ts';
import type { KvmSettings } from './settings.ts';
import type { KvmState } from './state.ts';

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
  /**
   * KVM's invalidate_range_start raises the count but unmaps nothing: a leaf
   * outlives the start, so only change_pte can keep it coherent (as before
   * v3.9, when KSM's set_pte_at_notify was not wrapped in start/end).
   */
  'no-start-unmap',
] as const;
export type Ablation = (typeof ABLATIONS)[number];

/** The ablations every version accepts (later ones add those of their own checks). */
export const COMMON_ABLATIONS: readonly Ablation[] = [
  'none',
  'no-retry',
  'seq-after-gup',
  'no-mmu-lock',
  'no-srcu-sync',
  'no-start-unmap',
];

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
  /** `arm64`, `x86` (the spec's `kernel.arch`). */
  readonly arch: string;
  readonly files: KernelFiles;
  readonly locks: KvmLocks;
  readonly ablation: Ablation;
  /** The version's protocol choices (kit/settings.ts), defaults filled in. */
  readonly settings: KvmSettings;
  /** Notifier consumers registered by the extensions, in order (KVM's stage-2 handler is built in). */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  readonly consumers: readonly NotifierConsumer<any>[];
  /** What the VMM created the VM with (the scenario's): KVM_CAP_ARM_MTE. */
  readonly vm: { readonly mte: boolean };
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

/** Sets `source` on the steps that have none (a component stamps the steps it builds). */
export function stamp<T extends { readonly source?: string }>(source: string, steps: T[]): T[] {
  return steps.map((s) => (s.source === undefined ? { ...s, source } : s));
}

export interface HvaRange {
  readonly hva: number;
  readonly pages: number;
}

/** A step a notifier consumer contributes to an invalidation; the kit prefixes the label with the caller's. */
export interface NotifierStep<X extends object> {
  readonly label: string;
  readonly kernel: string;
  readonly id?: string;
  readonly reads?: readonly FootprintEntry<KvmState & X>[];
  readonly writes?: readonly FootprintEntry<KvmState & X>[];
  readonly run: (ctx: StepContext<KvmState & X, unknown>) => void;
}

/** A consumer's part of change_pte: runs inside the step of set_pte_at_notify, after KVM's callback. */
export interface ChangePteHook<X extends object> {
  readonly reads?: readonly FootprintEntry<KvmState & X>[];
  readonly writes?: readonly FootprintEntry<KvmState & X>[];
  readonly run: (ctx: StepContext<KvmState & X, unknown>, newPfn: number) => void;
}

/**
 * A notifier consumer. Its `start` is its own atomic step of every
 * invalidate_range_start, placed where KVM calls
 * gfn_to_pfn_cache_invalidate_start: after mn_active_invalidate_count++
 * (v5.15+), before the count is raised under mmu_lock and stage-2 is
 * unmapped. Its `end` is a step after KVM's count-- and seq++ (before
 * mn_active_invalidate_count-- on v5.15+).
 */
export interface NotifierConsumer<X extends object> {
  readonly start?: (env: KvmEnv, r: HvaRange) => NotifierStep<X>;
  readonly end?: (env: KvmEnv, r: HvaRange) => NotifierStep<X>;
  readonly changePte?: (env: KvmEnv, hva: number) => ChangePteHook<X>;
}
