/**
 * The global state shared by every KVM model: the host mm (VMAs, PTEs, page
 * frames), KVM's memslots, the notifier counters and the stage-2 tables, plus
 * ghost fields that only the properties read.
 *
 * Addresses are page numbers: `hva` indexes host virtual pages, `gfn` guest
 * frames, `pfn` host physical frames. RAM pfns are 1..frames.length-1 (pfn 0
 * means "none"); device pfns are DEVICE_PFN_BASE and above (no struct page,
 * `pfn_valid()` false).
 */

/**
 * - `anon`: private anonymous memory (struct pages, GUP-able); `pageSize: 2`
 *   makes it hugetlbfs, `thp` lets faults allocate transparent huge pages.
 * - `pfnmap-flat`: VM_IO|VM_PFNMAP where vm_pgoff is the first PFN (vfio-pci
 *   ≤ 5.x BARs; or RAM frames a driver owns), populated at mmap time.
 * - `pfnmap-cookie`: VM_PFNMAP whose vm_pgoff is an mmap cookie; the driver's
 *   fault handler inserts the real PFN.
 * - `dax`: VM_MIXEDMAP of ZONE_DEVICE frames (fsdax / device-dax): struct
 *   pages, refcounted, GUP-able, but not in the kernel's linear map;
 *   vm_pgoff is the first PFN, populated at mmap time.
 */
export type VmaKind = 'anon' | 'pfnmap-flat' | 'pfnmap-cookie' | 'dax';

export interface Vma {
  start: number;
  pages: number;
  kind: VmaKind;
  /** VM_WRITE */
  write: boolean;
  /** vm_pgoff, in pages. */
  pgoff: number;
  /** VM_PFNMAP: the PFN the driver's fault handler inserts for the first page (0: no fault handler). */
  faultPfn: number;
  /** hugetlbfs: the huge page size in pages (the model's PMD is 2 pages); 1 otherwise. */
  pageSize?: number;
  /** anon: transparent huge pages may back it (an aligned block fully inside it faults in as one). */
  thp?: boolean;
  /** VM_MTE_ALLOWED (arm64; anonymous and shmem mappings have it): default true. */
  mte?: boolean;
}

/**
 * A host PTE. `migration` is a non-present migration entry (GUP waits for
 * the migration to finish); `special` is pte_special (remap_pfn_range,
 * vmf_insert_pfn: GUP-fast refuses it); `huge` maps part of a PMD-size
 * compound page (hugetlbfs or THP).
 */
export interface Pte {
  pfn: number;
  w: boolean;
  migration: boolean;
  special: boolean;
  huge: boolean;
}

/** The model's PMD: a block of this many pages (a scaled-down 2 MiB). */
export const BLOCK = 2;

/**
 * What owns a RAM frame, apart from the references counted in `frames`:
 * - `normal`: the page allocator (free at count 0);
 * - `driver`: a driver that allocated it and holds one reference (remap_pfn_range of its own RAM);
 * - `unref`: valid but not refcounted (count 0 while in use: tail pages of a
 *   non-compound higher-order allocation mapped by a driver, f8be156be163);
 * - `zone-device`: ZONE_DEVICE memory (fsdax/device-dax), refcounted, one reference held by its pgmap;
 * - `tail`: a tail page of a PMD-size compound page (hugetlbfs, THP): its
 *   references are counted on the head (the frame BLOCK-aligned below it).
 * A frame whose count drops to 0 through put_page becomes `normal` (freed),
 * with its tails.
 */
export type PageKind = 'normal' | 'driver' | 'unref' | 'zone-device' | 'tail';

/** A memslot as stored in a memslots array (flags: KVM_MEM_READONLY, KVM_MEM_LOG_DIRTY_PAGES, KVM_MEMSLOT_INVALID). */
export interface Slot {
  id: number;
  base: number;
  npages: number;
  hva: number;
  ro: boolean;
  logDirty: boolean;
  invalid: boolean;
  /**
   * KVM_MEM_GUEST_MEMFD (v6.8+): the guest_memfd file index of the slot's
   * first gfn (slot->gmem.pgoff), or -1 when the slot has no guest_memfd.
   */
  gmem: number;
}

/** A memslot as a scenario writes it (no INVALID flag; `gmem` defaults to -1, no guest_memfd). */
export type SlotInit = Omit<Slot, 'invalid' | 'gmem'> & { readonly gmem?: number };

/** The slot a scenario describes, as the state stores it. */
export function slotOf(s: SlotInit, invalid = false): Slot {
  return { ...s, gmem: s.gmem ?? -1, invalid };
}

/** A stage-2 (or EPT) leaf. */
export interface Leaf {
  pfn: number;
  w: boolean;
  /** Device memory attributes (PAGE_S2_DEVICE / UC). */
  dev: boolean;
  /**
   * Executable: arm64 maps exec only on exec faults (recorded only when
   * set); x86 EPT leaves are executable and do not record it.
   */
  x?: true;
  /** Part of a block (PMD-level) mapping: unmapping any page of it removes the whole block. Recorded only when set. */
  block?: true;
  /** A private leaf (guest_memfd page, v6.8+ private memory); absent on shared leaves, which map the hva's page. */
  priv?: true;
  /**
   * x86 SPTE_MMU_WRITABLE (with host-writable): a read-only leaf that
   * fast_page_fault may make writable without mmu_lock (after dirty-log
   * write protection). Absent otherwise, and always on arm64. (These flags
   * are left out when false so that traces of older models read as before.)
   */
  mw?: true;
}

/** A leaf; `priv`, `mw`, `x` and `block` are recorded only when set. */
export function leaf(
  pfn: number,
  w: boolean,
  dev: boolean,
  extra?: { priv?: boolean; mw?: boolean; x?: boolean; block?: boolean },
): Leaf {
  const l: Leaf = { pfn, w, dev };
  if (extra?.priv) l.priv = true;
  if (extra?.mw) l.mw = true;
  if (extra?.x) l.x = true;
  if (extra?.block) l.block = true;
  return l;
}

/** State that no kernel code reads; it exists so that properties can judge a state. */
export interface Ghost {
  /** A memslot update is between prepare_memory_region and the publication of its array. */
  updating: boolean;
  /** The label of the first step that wrote stage-2 without holding mmu_lock, if any (no thread name: vCPUs are symmetric). */
  unlockedWrite: string | null;
  /** gfns of DELETEd/MOVEd slots whose flush has run; none may hold a leaf until a slot covers them again. */
  mustBeEmpty: number[];
  /** invalidate_range_start calls whose invalidate_range_end has not run yet. */
  activeInvalidations: number;
  /** Page references held by KVM objects that outlive a thread's step (a v5.17 pfncache, kvm_map_gfn), per pfn. */
  held: number[];
  /** x86 TDP MMU: kvm_tdp_mmu_zap_invalidated_roots has zapped the invalidated root (it must stay empty). */
  obsoleteZapped: boolean;
}

/** KVM's cache of one guest page (gfn_to_pfn_cache, or kvm_map_gfn's), when a scenario has a cache user. */
export interface Gpc {
  /** gpc->valid (map-gfn: a pfn is cached) */
  valid: boolean;
  /** gpc->pfn (0: KVM_PFN_ERR_FAULT) */
  pfn: number;
  /** gpc->uhva (-1: none) */
  uhva: number;
}

export interface KvmState {
  vmas: Vma[];
  /** Host PTEs, one per hva page (null: none). */
  ptes: (Pte | null)[];
  /** Reference count of each RAM frame; 0 is free (or not refcounted, see `pageKind`). Index 0 is unused. */
  frames: number[];
  /** Who owns each RAM frame (index 0 unused). */
  pageKind: PageKind[];
  /** The published memslots array (kvm->memslots, read under kvm->srcu). */
  memslots: Slot[];
  /** mmu_notifier_count (mmu_invalidate_in_progress from v6.0). */
  count: number;
  /** mmu_notifier_seq (mmu_invalidate_seq from v6.0). */
  seq: number;
  /** mn_active_invalidate_count (v5.15+, 52ac8b358b0c). */
  mnActive: number;
  /** Stage-2 leaves, one per gfn (null: none); on x86 with the TDP MMU, those of the valid root. */
  s2: (Leaf | null)[];
  /**
   * x86 TDP MMU: the leaves of the root(s) that kvm_mmu_zap_all_fast marked
   * invalid and kvm_tdp_mmu_zap_invalidated_roots has not freed yet (null:
   * no invalidated root). A vCPU that loaded the root before the
   * invalidation still walks it.
   */
  obsolete: (Leaf | null)[] | null;
  /** x86 TDP MMU: the generation of the valid root (kvm->arch.mmu_valid_gen); bumped when roots are invalidated. */
  rootGen: number;
  /**
   * The range of the invalidations in progress (mmu_notifier_range_start/end
   * in hvas from v5.12, mmu_invalidate_range_start/end in gfns from v6.7);
   * null when none was added since the count last left zero.
   */
  inv: { lo: number; hi: number } | null;
  /** guest_memfd's page cache: the pfn of each file index (0: no folio). Empty without guest_memfd. */
  gmem: number[];
  /** KVM_MEMORY_ATTRIBUTE_PRIVATE of each gfn (kvm->mem_attr_array). Empty without private memory. */
  priv: boolean[];
  ghost: Ghost;
  /** The guest-memory cache (virt/kvm/pfncache.ts), in scenarios with a `cacheUser`. */
  gpc?: Gpc;
}

export const DEVICE_PFN_BASE = 0x10;

/** pfn_valid(): does the pfn have a struct page (RAM)? */
export function isRamPfn(g: KvmState, pfn: number): boolean {
  return pfn >= 1 && pfn < g.frames.length;
}

/** kvm_mem_is_private */
export function isPrivate(g: KvmState, gfn: number): boolean {
  return g.priv[gfn] === true;
}

/** The guest_memfd index of gfn in a guest_memfd slot (kvm_gmem_get_index). */
export function gmemIndex(slot: Slot, gfn: number): number {
  return slot.gmem + (gfn - slot.base);
}

/** The slot of `slots` that contains gfn (invalid ones included). */
export function slotOfGfn(slots: readonly Slot[], gfn: number): Slot | undefined {
  return slots.find((s) => gfn >= s.base && gfn < s.base + s.npages);
}

/** __gfn_to_hva_memslot */
export function gfnToHva(slot: Slot, gfn: number): number {
  return slot.hva + (gfn - slot.base);
}

/** Does the slot's hva range overlap [hva, hva+pages)? */
export function slotOverlapsHva(slot: Slot, hva: number, pages: number): boolean {
  return slot.hva < hva + pages && hva < slot.hva + slot.npages;
}
