import type { Slot, Vma } from './state.ts';

/**
 * The operations a scenario gives its threads. VMM threads (userspace, e.g.
 * QEMU) run memslot ioctls and VMA syscalls in order; the kernel invalidator
 * thread runs rmap-based invalidations that take no mmap_sem.
 */

/** KVM_SET_USER_MEMORY_REGION, classified as __kvm_set_memory_region does. */
export type SlotChange =
  | { readonly change: 'create'; readonly slot: Omit<Slot, 'invalid'> }
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

export type VmmOp =
  | { readonly op: 'set-memory-region'; readonly region: SlotChange }
  | { readonly op: 'munmap'; readonly hva: number; readonly pages: number }
  /** mmap(MAP_FIXED) over [vma.start, vma.start+vma.pages): unmaps what is there, then maps `vma`. */
  | { readonly op: 'mmap-fixed'; readonly vma: Vma; readonly populate: boolean }
  | { readonly op: 'mprotect'; readonly hva: number; readonly pages: number; readonly write: boolean };

export type InvalidatorOp =
  /** Page migration of the anonymous page at hva (migrate_pages → unmap_and_move). */
  | { readonly op: 'migrate'; readonly hva: number }
  /** Reclaim of the anonymous page at hva (shrink_page_list → try_to_unmap → __remove_mapping). */
  | { readonly op: 'reclaim'; readonly hva: number }
  /** KSM merging the anonymous page at hva into a new read-only KSM page (replace_page → set_pte_at_notify). */
  | { readonly op: 'ksm-merge'; readonly hva: number }
  /** VFIO-style BAR zap: unmap_mapping_range over a device mapping (vfio-pci memory disable / reset). */
  | { readonly op: 'bar-zap'; readonly hva: number; readonly pages: number };

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
}

export const idleVmm = (): VmmLocal => ({ orig: null, next: null, cursor: 0, batch: [] });

/** Locals of the kernel invalidator thread. */
export interface InvalidatorLocal {
  /** The page being migrated/reclaimed, and the migration target (or the old page when migration failed). */
  old: number;
  new: number;
  batch: number[];
}

export const idleInvalidator = (): InvalidatorLocal => ({ old: 0, new: 0, batch: [] });
