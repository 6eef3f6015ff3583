import { findVma, getPage, handleMmFault, isPfnmap, presentPte } from '../../mm/mm.ts';
import { isRamPfn } from '../../kit/state.ts';
import type { KvmState } from '../../kit/state.ts';

/**
 * hva_to_pfn (virt/kvm/kvm_main.c): the generic pfn lookup behind
 * gfn_to_pfn_prot / __gfn_to_pfn_memslot, shared by arm64 and x86.
 *
 * `remapped` selects hva_to_pfn_remapped for VM_IO|VM_PFNMAP VMAs:
 * - `follow_pfn` (≤ v5.11): follow_pfn, fixup_user_fault when no PTE, and
 *   `*writable = true` unconditionally (the bug fixed by bd2fae8da794);
 * - `follow_pte` (v5.12+): follow_pte under the PTE lock; a write fault on a
 *   read-only PTE gives KVM_PFN_ERR_RO_FAULT, and writable = pte_write().
 */
export type Remapped = 'follow_pfn' | 'follow_pte';

export type PfnResult =
  | { readonly ok: true; readonly pfn: number; readonly writable: boolean; readonly ref: boolean }
  | { readonly ok: false; readonly why: string };

/** GUP would sleep in migration_entry_wait (the step waits until the migration ends). */
export function gupMustWait(g: KvmState, hva: number): boolean {
  const p = g.ptes[hva];
  return p !== null && p !== undefined && p.migration;
}

/** hva_to_pfn_fast (lockless __get_user_pages_fast, write=1) would succeed: no mmap_sem needed. */
export function gupFastOk(g: KvmState, hva: number): boolean {
  const p = presentPte(g, hva);
  return p !== null && p.w && isRamPfn(g, p.pfn);
}

/**
 * The lookup itself. The caller's step must already satisfy `gupMustWait`
 * false, and hold (or be able to take) mmap_sem for read unless `gupFastOk`.
 * Takes a page reference on RAM pfns (released by kvm_release_pfn_clean).
 */
export function hvaToPfn(g: KvmState, hva: number, write: boolean, remapped: Remapped): PfnResult {
  if (gupFastOk(g, hva)) {
    const p = presentPte(g, hva)!;
    getPage(g, p.pfn);
    return { ok: true, pfn: p.pfn, writable: true, ref: true };
  }
  const vma = findVma(g, hva);
  if (!vma) return { ok: false, why: 'no VMA at hva: KVM_PFN_ERR_FAULT' };
  if (!isPfnmap(vma)) {
    // hva_to_pfn_slow: get_user_pages_unlocked (faults the page in), then a
    // read fault tries __get_user_pages_fast(write=1) to map it writable.
    const cur = presentPte(g, hva);
    if (!cur || (write && !cur.w)) {
      if (!handleMmFault(g, vma, hva, write)) return { ok: false, why: 'GUP failed: KVM_PFN_ERR_FAULT' };
    }
    const p = presentPte(g, hva)!;
    getPage(g, p.pfn);
    return { ok: true, pfn: p.pfn, writable: p.w, ref: true };
  }
  // hva_to_pfn_remapped
  if (!presentPte(g, hva) && !handleMmFault(g, vma, hva, write))
    return { ok: false, why: 'fixup_user_fault failed: KVM_PFN_ERR_FAULT' };
  const p = presentPte(g, hva)!;
  if (remapped === 'follow_pte' && write && !p.w)
    return { ok: false, why: 'read-only PTE on a write fault: KVM_PFN_ERR_RO_FAULT' };
  const ref = isRamPfn(g, p.pfn);
  if (ref) getPage(g, p.pfn);
  return { ok: true, pfn: p.pfn, writable: remapped === 'follow_pfn' ? true : p.w, ref };
}
