import type { KvmState, Pte, Vma } from '../kit/state.ts';
import { BLOCK, isRamPfn } from '../kit/state.ts';

/**
 * The host mm: VMAs, PTEs and page frames. These are plain functions over the
 * state (or an Immer draft of it); the steps that call them decide the
 * locking (mmap_sem, or none for rmap-based kernel invalidators).
 *
 * Page references: a frame's count in `frames` is what get_page/put_page
 * see. A PTE holds a reference on the page it maps when the page is the
 * allocator's (`normal`) and the PTE is not special; a driver's or a
 * ZONE_DEVICE frame carries its owner's reference instead; an `unref`
 * frame is in use at count 0 (see `PageKind`). put_page to 0 frees a frame,
 * whoever owned it.
 *
 * Huge pages: the model's PMD is BLOCK (2) pages. A hugetlbfs VMA
 * (`pageSize: 2`) faults in whole aligned blocks; an anonymous VMA with
 * `thp` does when the aligned block lies inside it and is empty. Both map
 * the block's PTEs `huge`, on an aligned pair of frames.
 *
 * Simplifications: no VMA splitting (operations cover whole VMAs), no zero
 * page and no COW (an anonymous fault allocates a frame mapped with the
 * VMA's write permission), no swap cache (a page faulted in again after
 * reclaim is a fresh frame), no THP split or collapse.
 */

/** find_vma_intersection(mm, hva, hva + 1) */
export function findVma(g: KvmState, hva: number): Vma | undefined {
  return g.vmas.find((v) => hva >= v.start && hva < v.start + v.pages);
}

/** VM_PFNMAP (VM_IO): no struct pages behind it as far as GUP is concerned. */
export function isPfnmap(v: Vma): boolean {
  return v.kind === 'pfnmap-flat' || v.kind === 'pfnmap-cookie';
}

/** A VMA with every optional field present (state objects keep one shape). */
export function normVma(v: Vma): Vma {
  return { ...v, pageSize: v.pageSize ?? 1, thp: v.thp ?? false, mte: v.mte ?? true };
}

/** A present PTE at hva (not none, not a migration entry). */
export function presentPte(g: KvmState, hva: number): Pte | null {
  const p = g.ptes[hva];
  return p && !p.migration ? p : null;
}

export function pte(pfn: number, w: boolean, o: { special?: boolean; huge?: boolean } = {}): Pte {
  return { pfn, w, migration: false, special: o.special ?? false, huge: o.huge ?? false };
}

/** The frame whose count holds a page's references: itself, or the head of its compound page. */
export function headOf(g: KvmState, pfn: number): number {
  return isRamPfn(g, pfn) && g.pageKind[pfn] === 'tail' ? pfn - (pfn % BLOCK) : pfn;
}

/**
 * Does this PTE hold a reference on the page it maps (an allocator page,
 * not a special mapping)? A huge mapping holds one, through its first PTE.
 */
export function pteHoldsRef(g: KvmState, p: Pte): boolean {
  return !p.special && isRamPfn(g, p.pfn) && g.pageKind[p.pfn] === 'normal';
}

/** The page allocator: the lowest free frame, with one reference; 0 when memory is exhausted. */
export function allocFrame(g: KvmState): number {
  for (let pfn = 1; pfn < g.frames.length; pfn++) {
    if (g.frames[pfn] === 0 && g.pageKind[pfn] === 'normal') {
      g.frames[pfn] = 1;
      return pfn;
    }
  }
  return 0;
}

/** A PMD-size compound page: the lowest free aligned BLOCK of frames, one reference on its head; 0 when none. */
export function allocBlock(g: KvmState): number {
  for (let pfn = BLOCK; pfn + BLOCK <= g.frames.length; pfn += BLOCK) {
    let free = true;
    for (let i = 0; i < BLOCK; i++) free &&= g.frames[pfn + i] === 0 && g.pageKind[pfn + i] === 'normal';
    if (!free) continue;
    g.frames[pfn] = 1;
    for (let i = 1; i < BLOCK; i++) g.pageKind[pfn + i] = 'tail';
    return pfn;
  }
  return 0;
}

/** get_page / kvm_get_pfn: take a reference (no-op for pfns without a struct page; a tail's goes to its head). */
export function getPage(g: KvmState, pfn: number): void {
  if (!isRamPfn(g, pfn)) return;
  const h = headOf(g, pfn);
  g.frames[h] = (g.frames[h] ?? 0) + 1;
}

/** put_page / kvm_release_pfn_clean: drop a reference; at 0 the frame (and its tails) go back to the allocator. */
export function putPage(g: KvmState, pfn: number): void {
  if (!isRamPfn(g, pfn)) return;
  const h = headOf(g, pfn);
  g.frames[h] = (g.frames[h] ?? 0) - 1;
  if (g.frames[h] !== 0) return;
  g.pageKind[h] = 'normal';
  if (h % BLOCK === 0)
    for (let i = h + 1; i < h + BLOCK && i < g.pageKind.length; i++)
      if (g.pageKind[i] === 'tail') g.pageKind[i] = 'normal';
}

/** The aligned block of hva, when it lies inside the VMA. */
function blockIn(vma: Vma, hva: number): number | null {
  const base = hva - (hva % BLOCK);
  return base >= vma.start && base + BLOCK <= vma.start + vma.pages ? base : null;
}

/**
 * handle_mm_fault for `hva` in `vma` (GUP's fault-in, fixup_user_fault).
 * Anonymous: allocate a frame on a missing PTE (a whole block for
 * hugetlbfs, or for THP when the aligned block is empty); make a present
 * PTE writable on a write fault when the VMA allows it. VM_PFNMAP: the
 * driver's .fault handler inserts its PFN (vmf_insert_pfn); without one
 * the fault fails. DAX: the PFN at vm_pgoff is inserted (vmf_insert_mixed).
 * Returns false on failure (-EFAULT / SIGBUS / -ENOMEM).
 */
export function handleMmFault(g: KvmState, vma: Vma, hva: number, write: boolean): boolean {
  if (write && !vma.write) return false;
  const cur = g.ptes[hva];
  if (cur) {
    if (cur.migration) return false;
    if (write) cur.w = true;
    return true;
  }
  if (isPfnmap(vma)) {
    if (vma.faultPfn === 0) return false;
    g.ptes[hva] = pte(vma.faultPfn + (hva - vma.start), vma.write, { special: true });
    return true;
  }
  if (vma.kind === 'dax') {
    g.ptes[hva] = pte(vma.pgoff + (hva - vma.start), vma.write);
    return true;
  }
  const base = blockIn(vma, hva);
  const hugetlb = (vma.pageSize ?? 1) >= BLOCK;
  if (hugetlb && base === null) return false; // a hugetlbfs VMA is block-aligned
  if (base !== null && (hugetlb || vma.thp) && g.ptes.slice(base, base + BLOCK).every((p) => !p)) {
    const pfn = allocBlock(g);
    if (pfn === 0) return hugetlb ? false : smallPage(g, vma, hva);
    for (let i = 0; i < BLOCK; i++) g.ptes[base + i] = pte(pfn + i, vma.write, { huge: true });
    return true;
  }
  return smallPage(g, vma, hva);
}

function smallPage(g: KvmState, vma: Vma, hva: number): boolean {
  const pfn = allocFrame(g);
  if (pfn === 0) return false;
  g.ptes[hva] = pte(pfn, vma.write);
  return true;
}

/**
 * Populating a VMA at mmap time: remap_pfn_range for a flat VM_PFNMAP
 * (vfio-pci ≤ 5.7 BARs, a driver's RAM), special PTEs; the ZONE_DEVICE
 * pages of a DAX mapping.
 */
export function remapPfnRange(g: KvmState, vma: Vma): void {
  for (let i = 0; i < vma.pages; i++)
    g.ptes[vma.start + i] = pte(vma.pgoff + i, vma.write, { special: vma.kind !== 'dax' });
}

/**
 * zap_pte_range over [hva, hva+pages): clear the PTEs and unmap the pages
 * (page_remove_rmap). Returns the pages whose mapping reference must be
 * dropped once the TLB is flushed (the mmu_gather batch).
 */
export function zapPtes(g: KvmState, hva: number, pages: number): number[] {
  const batch: number[] = [];
  for (let h = hva; h < hva + pages; h++) {
    const p = g.ptes[h];
    if (!p) continue;
    if (!p.migration && pteHoldsRef(g, p)) batch.push(p.pfn); // a huge mapping's one reference: its head's PTE
    g.ptes[h] = null;
  }
  return batch;
}
