import { findVma, getPage, handleMmFault, isPfnmap, presentPte } from '../../mm/mm.ts';
import type { KvmSettings } from '../../kit/settings.ts';
import { isRamPfn } from '../../kit/state.ts';
import type { KvmState } from '../../kit/state.ts';

/**
 * hva_to_pfn (virt/kvm/kvm_main.c): the generic pfn lookup behind
 * gfn_to_pfn_prot / __gfn_to_pfn_memslot, shared by arm64 and x86.
 *
 * For VM_IO|VM_PFNMAP VMAs, hva_to_pfn_remapped, per settings:
 * - `remapped`: `follow_pfn` (≤ v5.11) reports the page writable
 *   unconditionally (the bug fixed by bd2fae8da794); `follow_pte` (v5.12+)
 *   gives KVM_PFN_ERR_RO_FAULT on a write fault to a read-only PTE and
 *   writable = pte_write();
 * - `remappedRef`: `kvm_get_pfn` takes a reference on any page with a
 *   struct page, taking an unrefcounted one from 0 to 1 (CVE-2021-22543);
 *   `try_get` (f8be156be163) refuses a page whose count is 0 with -EFAULT;
 *   `none` takes no reference on VM_PFNMAP pages at all (v6.13).
 */
export type Remapped = KvmSettings['remapped'];

export type PfnResult =
  | { readonly ok: true; readonly pfn: number; readonly writable: boolean; readonly ref: boolean }
  | { readonly ok: false; readonly why: string };

/** How hva_to_pfn_remapped behaves (defaults: v5.4). */
export interface RemappedMode {
  readonly remapped: Remapped;
  readonly remappedRef?: KvmSettings['remappedRef'];
}

/** GUP would sleep in migration_entry_wait (the step waits until the migration ends). */
export function gupMustWait(g: KvmState, hva: number): boolean {
  const p = g.ptes[hva];
  return p !== null && p !== undefined && p.migration;
}

/**
 * hva_to_pfn_fast (lockless __get_user_pages_fast, write=1) would succeed:
 * a present, writable PTE of a page with a struct page that is not
 * pte_special (GUP-fast refuses VM_PFNMAP's special PTEs). No mmap_sem needed.
 */
export function gupFastOk(g: KvmState, hva: number): boolean {
  const p = presentPte(g, hva);
  return p !== null && p.w && !p.special && isRamPfn(g, p.pfn);
}

/**
 * The lookup itself. The caller's step must already satisfy `gupMustWait`
 * false, and hold (or be able to take) mmap_sem for read unless `gupFastOk`.
 * Takes a page reference on pages with a struct page, as described above
 * (released by kvm_release_pfn_clean).
 */
export function hvaToPfn(g: KvmState, hva: number, write: boolean, mode: Remapped | RemappedMode): PfnResult {
  const m: RemappedMode = typeof mode === 'string' ? { remapped: mode } : mode;
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
  if (m.remapped === 'follow_pte' && write && !p.w)
    return { ok: false, why: 'read-only PTE on a write fault: KVM_PFN_ERR_RO_FAULT' };
  const writable = m.remapped === 'follow_pfn' ? true : p.w;
  const refMode = m.remappedRef ?? 'kvm_get_pfn';
  if (!isRamPfn(g, p.pfn) || refMode === 'none') return { ok: true, pfn: p.pfn, writable, ref: false };
  if (refMode === 'try_get' && g.frames[p.pfn] === 0)
    return { ok: false, why: 'page not refcounted (kvm_try_get_pfn): -EFAULT' };
  getPage(g, p.pfn);
  return { ok: true, pfn: p.pfn, writable, ref: true };
}
