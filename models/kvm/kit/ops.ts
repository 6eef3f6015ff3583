import type { Slot, SlotInit, Vma } from './state.ts';

/**
 * The operations a scenario gives its threads. VMM threads (userspace, e.g.
 * QEMU) run memslot ioctls and VMA syscalls in order; the kernel invalidator
 * thread runs rmap-based invalidations that take no mmap_sem.
 */

/** KVM_SET_USER_MEMORY_REGION, classified as __kvm_set_memory_region does. */
export type SlotChange =
  | { readonly change: 'create'; readonly slot: SlotInit }
  | { readonly change: 'delete'; readonly id: number }
  /** The ioctl passes all flags: a MOVE may also set KVM_MEM_LOG_DIRTY_PAGES (default off). */
  | { readonly change: 'move'; readonly id: number; readonly base: number; readonly logDirty?: boolean }
  | { readonly change: 'flags-only'; readonly id: number; readonly logDirty: boolean };

/** Does the slot this change installs have KVM_MEM_LOG_DIRTY_PAGES? */
export function newLogDirty(r: SlotChange): boolean {
  if (r.change === 'create') return r.slot.logDirty;
  if (r.change === 'delete') return false;
  return r.logDirty ?? false;
}

/** The VMM operations the kit builds (kit/op-builders.ts); an extension adds its own (`CustomOp`). */
export type BuiltinVmmOp =
  | { readonly op: 'set-memory-region'; readonly region: SlotChange }
  | { readonly op: 'munmap'; readonly hva: number; readonly pages: number }
  /** mmap(MAP_FIXED) over [vma.start, vma.start+vma.pages): unmaps what is there, then maps `vma`. */
  | { readonly op: 'mmap-fixed'; readonly vma: Vma; readonly populate: boolean }
  | { readonly op: 'mprotect'; readonly hva: number; readonly pages: number; readonly write: boolean }
  /** fallocate(FALLOC_FL_PUNCH_HOLE) on the VM's guest_memfd over file indices [index, index+pages) (v6.8+). */
  | { readonly op: 'punch-hole'; readonly index: number; readonly pages: number }
  /** KVM_SET_MEMORY_ATTRIBUTES over [gfn, gfn+pages): private (KVM_MEMORY_ATTRIBUTE_PRIVATE) or shared (v6.8+). */
  | { readonly op: 'set-attributes'; readonly gfn: number; readonly pages: number; readonly private: boolean }
  /** KVM_PRE_FAULT_MEMORY of one page at gfn, issued on a vCPU fd by a VMM thread (x86 v6.10+). */
  | { readonly op: 'pre-fault'; readonly gfn: number };

export type BuiltinInvalidatorOp =
  /** Page migration of the anonymous page at hva (migrate_pages → unmap_and_move). */
  | { readonly op: 'migrate'; readonly hva: number }
  /** Reclaim of the anonymous page at hva (shrink_page_list → try_to_unmap → __remove_mapping). */
  | { readonly op: 'reclaim'; readonly hva: number }
  /** KSM merging the anonymous page at hva into a new read-only KSM page (replace_page → set_pte_at_notify). */
  | { readonly op: 'ksm-merge'; readonly hva: number }
  /** VFIO-style BAR zap: unmap_mapping_range over a device mapping (vfio-pci memory disable / reset). */
  | { readonly op: 'bar-zap'; readonly hva: number; readonly pages: number };

/** A scenario operation the kit does not know: its `op` names the extension's builder. */
export interface CustomOp {
  readonly op: string;
  readonly [field: string]: unknown;
}

export type VmmOp = BuiltinVmmOp | CustomOp;
export type InvalidatorOp = BuiltinInvalidatorOp | CustomOp;

const VMM_OPS: readonly string[] = [
  'set-memory-region',
  'munmap',
  'mmap-fixed',
  'mprotect',
  'punch-hole',
  'set-attributes',
  'pre-fault',
];
const INVALIDATOR_OPS: readonly string[] = ['migrate', 'reclaim', 'ksm-merge', 'bar-zap'];

export function isBuiltinVmmOp(op: VmmOp): op is BuiltinVmmOp {
  return VMM_OPS.includes(op.op);
}

export function isBuiltinInvalidatorOp(op: InvalidatorOp): op is BuiltinInvalidatorOp {
  return INVALIDATOR_OPS.includes(op.op);
}

/** Locals of a VMM thread. */
export interface VmmLocal {
  /** The memslots array before the ioctl (restored on error). */
  orig: Slot[] | null;
  /** The new slot of a CREATE/MOVE/FLAGS_ONLY (`new` in __kvm_set_memory_region). */
  next: Slot | null;
  /** kvm_arch_prepare_memory_region's position in the slot, in pages. */
  cursor: number;
  /** Pages gathered by zap_pte_range, freed at tlb_finish_mmu. */
  batch: number[];
  /** Locals of extension operations (reset between operations). */
  x: Record<string, number | boolean | string | null>;
  /** KVM_PRE_FAULT_MEMORY: the fault it runs (the locals a vCPU fault keeps), null otherwise. */
  fault: PreFaultLocal | null;
}

/** The per-fault locals of a KVM_PRE_FAULT_MEMORY call (see arch/x86/pre-fault.ts). */
export interface PreFaultLocal {
  gfn: number;
  /** The root loaded by kvm_mmu_reload at the start of the ioctl (its generation). */
  root: number;
  /** PFERR_PRIVATE_ACCESS: the gfn was private when the ioctl started. */
  priv: boolean;
  hva: number;
  seq: number;
  pfn: number;
  w: boolean;
  ref: boolean;
}

export const idleVmm = (): VmmLocal => ({ orig: null, next: null, cursor: 0, batch: [], x: {}, fault: null });

/** Locals of the kernel invalidator thread. */
export interface InvalidatorLocal {
  /** The page being migrated/reclaimed, and the migration target (or the old page when migration failed). */
  old: number;
  new: number;
  batch: number[];
  /** Locals of extension operations (reset between operations). */
  x: Record<string, number | boolean | string | null>;
}

export const idleInvalidator = (): InvalidatorLocal => ({ old: 0, new: 0, batch: [], x: {} });
