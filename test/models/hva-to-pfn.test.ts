import { describe, expect, it } from 'vitest';
import { hvaToPfn } from '../../models/kvm/virt/kvm/hva-to-pfn.ts';
import { pte } from '../../models/kvm/mm/mm.ts';
import type { KvmState, Vma } from '../../models/kvm/kit/state.ts';

/**
 * hva_to_pfn on one page, both flavours of hva_to_pfn_remapped: the
 * difference between them (bd2fae8da794) is what ro-pfnmap-remap detects.
 */
function state(vma: Vma, p: KvmState['ptes'][number]): KvmState {
  return {
    vmas: [vma],
    ptes: [p],
    frames: [0, 0],
    pageKind: ['normal', 'normal'],
    memslots: [],
    count: 0,
    seq: 0,
    mnActive: 0,
    s2: [null],
    obsolete: null,
    rootGen: 0,
    inv: null,
    gmem: [],
    priv: [],
    ghost: {
      updating: false,
      unlockedWrite: null,
      mustBeEmpty: [],
      activeInvalidations: 0,
      held: [0, 0],
      obsoleteZapped: false,
    },
  };
}
const bar = (write: boolean, faultPfn = 0): Vma => ({
  start: 0,
  pages: 1,
  kind: 'pfnmap-flat',
  write,
  pgoff: 0x10,
  faultPfn,
});
const anon: Vma = { start: 0, pages: 1, kind: 'anon', write: true, pgoff: 0, faultPfn: 0 };

describe('hva_to_pfn_remapped', () => {
  const roPte = pte(0x10, false, { special: true });
  it('follow_pfn (≤ v5.11) reports a read-only BAR page writable', () => {
    expect(hvaToPfn(state(bar(false), roPte), 0, false, 'follow_pfn')).toEqual({
      ok: true,
      pfn: 0x10,
      writable: true,
      ref: false,
    });
    expect(hvaToPfn(state(bar(false), roPte), 0, true, 'follow_pfn')).toMatchObject({
      ok: true,
      writable: true,
    });
  });
  it('follow_pte (v5.12+) honours pte_write and refuses a write fault', () => {
    expect(hvaToPfn(state(bar(false), roPte), 0, false, 'follow_pte')).toEqual({
      ok: true,
      pfn: 0x10,
      writable: false,
      ref: false,
    });
    expect(hvaToPfn(state(bar(false), roPte), 0, true, 'follow_pte').ok).toBe(false);
  });
  it('without a PTE, fixup_user_fault runs the driver fault handler, or fails without one', () => {
    const g = state(bar(true, 0x20), null);
    expect(hvaToPfn(g, 0, false, 'follow_pte')).toEqual({ ok: true, pfn: 0x20, writable: true, ref: false });
    expect(g.ptes[0]).toEqual(pte(0x20, true, { special: true }));
    expect(hvaToPfn(state(bar(true), null), 0, false, 'follow_pfn').ok).toBe(false);
  });
});

describe('GUP on anonymous memory', () => {
  it('faults a page in, takes a reference, and maps it writable', () => {
    const g = state(anon, null);
    expect(hvaToPfn(g, 0, false, 'follow_pte')).toEqual({ ok: true, pfn: 1, writable: true, ref: true });
    expect(g.frames[1]).toBe(2); // the mapping's reference and GUP's
  });
  it('fails when memory is exhausted', () => {
    const g = state(anon, null);
    g.frames[1] = 1; // the only frame is in use
    expect(hvaToPfn(g, 0, false, 'follow_pte').ok).toBe(false);
  });
});

describe('page references of hva_to_pfn_remapped (CVE-2021-22543)', () => {
  /** A VM_PFNMAP mapping of RAM frame 1, which a driver maps without refcounting it (count 0). */
  const unref = (): KvmState => {
    const g = state({ ...bar(true), pgoff: 1 }, pte(1, true, { special: true }));
    g.pageKind[1] = 'unref';
    return g;
  };
  it('GUP-fast refuses the special PTE; kvm_get_pfn takes the page from 0 to 1 (v5.4)', () => {
    const g = unref();
    expect(hvaToPfn(g, 0, true, { remapped: 'follow_pte', remappedRef: 'kvm_get_pfn' })).toEqual({
      ok: true,
      pfn: 1,
      writable: true,
      ref: true,
    });
    expect(g.frames[1]).toBe(1);
  });
  it('kvm_try_get_pfn refuses it (f8be156be163); no reference at all leaves it alone (v6.13)', () => {
    const g = unref();
    expect(hvaToPfn(g, 0, true, { remapped: 'follow_pte', remappedRef: 'try_get' }).ok).toBe(false);
    expect(hvaToPfn(g, 0, true, { remapped: 'follow_pte', remappedRef: 'none' })).toMatchObject({
      ok: true,
      ref: false,
    });
    expect(g.frames[1]).toBe(0);
  });
});
