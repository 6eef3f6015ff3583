import type { KvmState, Pte, Vma } from '../kit/state.ts';
import { isRamPfn } from '../kit/state.ts';

/**
 * The host mm: VMAs, PTEs and page frames. These are plain functions over the
 * state (or an Immer draft of it); the steps that call them decide the
 * locking (mmap_sem, or none for rmap-based kernel invalidators).
 *
 * Simplifications: no VMA splitting (operations cover whole VMAs), no huge
 * pages, no zero page and no COW (an anonymous fault allocates a frame
 * mapped with the VMA's write permission), no swap cache (a page faulted in
 * again after reclaim is a fresh frame).
 */

/** find_vma_intersection(mm, hva, hva + 1) */
export function findVma(g: KvmState, hva: number): Vma | undefined {
  return g.vmas.find((v) => hva >= v.start && hva < v.start + v.pages);
}

export function isPfnmap(v: Vma): boolean {
  return v.kind !== 'anon';
}

/** A present PTE at hva (not none, not a migration entry). */
export function presentPte(g: KvmState, hva: number): Pte | null {
  const p = g.ptes[hva];
  return p && !p.migration ? p : null;
}

/** The page allocator: the lowest free RAM frame, with one reference; 0 when memory is exhausted. */
export function allocFrame(g: KvmState): number {
  for (let pfn = 1; pfn < g.frames.length; pfn++) {
    if (g.frames[pfn] === 0) {
      g.frames[pfn] = 1;
      return pfn;
    }
  }
  return 0;
}

/** get_page / kvm_get_pfn: take a reference (no-op for device pfns). */
export function getPage(g: KvmState, pfn: number): void {
  if (isRamPfn(g, pfn)) g.frames[pfn] = (g.frames[pfn] ?? 0) + 1;
}

/** put_page / kvm_release_pfn_clean: drop a reference; the frame is free at 0. */
export function putPage(g: KvmState, pfn: number): void {
  if (isRamPfn(g, pfn)) g.frames[pfn] = (g.frames[pfn] ?? 0) - 1;
}

/**
 * handle_mm_fault for `hva` in `vma` (GUP's fault-in, fixup_user_fault).
 * Anonymous: allocate a frame on a missing PTE; make a present PTE writable
 * on a write fault when the VMA allows it. VM_PFNMAP: the driver's .fault
 * handler inserts its PFN (vmf_insert_pfn); without one the fault fails.
 * Returns false on failure (-EFAULT / SIGBUS / -ENOMEM).
 */
export function handleMmFault(g: KvmState, vma: Vma, hva: number, write: boolean): boolean {
  if (write && !vma.write) return false;
  const pte = g.ptes[hva];
  if (pte) {
    if (pte.migration) return false;
    if (write) pte.w = true;
    return true;
  }
  if (isPfnmap(vma)) {
    if (vma.faultPfn === 0) return false;
    g.ptes[hva] = { pfn: vma.faultPfn + (hva - vma.start), w: vma.write, migration: false };
    return true;
  }
  const pfn = allocFrame(g);
  if (pfn === 0) return false;
  g.ptes[hva] = { pfn, w: vma.write, migration: false };
  return true;
}

/** remap_pfn_range over the whole VMA at mmap time (vfio-pci ≤ 5.7 populated BAR mappings so). */
export function remapPfnRange(g: KvmState, vma: Vma): void {
  for (let i = 0; i < vma.pages; i++)
    g.ptes[vma.start + i] = { pfn: vma.pgoff + i, w: vma.write, migration: false };
}

/**
 * zap_pte_range over [hva, hva+pages): clear the PTEs and unmap the pages
 * (page_remove_rmap). Returns the RAM pages whose mapping reference must be
 * dropped once the TLB is flushed (the mmu_gather batch).
 */
export function zapPtes(g: KvmState, hva: number, pages: number): number[] {
  const batch: number[] = [];
  for (let h = hva; h < hva + pages; h++) {
    const p = g.ptes[h];
    if (!p) continue;
    if (isRamPfn(g, p.pfn) && !p.migration) batch.push(p.pfn);
    g.ptes[h] = null;
  }
  return batch;
}
