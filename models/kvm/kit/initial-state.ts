import { allocFrame, findVma, handleMmFault, isPfnmap, normVma, remapPfnRange } from '../mm/mm.ts';
import type { KvmScenario } from './scenario.ts';
import { gfnToHva, gmemIndex, isPrivate, isRamPfn, leaf, slotOf, slotOfGfn } from './state.ts';
import type { KvmState, PageKind } from './state.ts';

/**
 * The state a scenario starts from: its VMAs (flat VM_PFNMAP and DAX ones
 * populated at mmap time), its page owners, its faulted-in anonymous pages,
 * its published memslots and — for versions whose prepare maps VM_PFNMAP
 * regions eagerly — the stage-2 leaves that creating those slots made.
 */
export function initialState(sc: KvmScenario, eagerMapAtCreate: boolean): KvmState {
  const frames = sc.ramFrames + 1;
  const g: KvmState = {
    vmas: sc.vmas.map(normVma),
    ptes: new Array(sc.hvaPages).fill(null),
    frames: new Array(frames).fill(0),
    pageKind: new Array<PageKind>(frames).fill('normal'),
    memslots: sc.slots.map((s) => slotOf(s)),
    count: 0,
    seq: 0,
    mnActive: 0,
    s2: new Array(sc.gfns).fill(null),
    obsolete: null,
    rootGen: 0,
    inv: null,
    gmem: new Array(sc.gmemPages ?? 0).fill(0),
    priv: sc.gmemPages ? new Array(sc.gfns).fill(false) : [],
    ghost: {
      updating: false,
      unlockedWrite: null,
      mustBeEmpty: [],
      activeInvalidations: 0,
      held: new Array(frames).fill(0),
      obsoleteZapped: false,
    },
  };
  const own = (pfns: readonly number[] | undefined, kind: PageKind, count: number): void => {
    for (const pfn of pfns ?? []) {
      if (pfn < 1 || pfn >= frames) throw new Error(`scenario '${sc.name}': page ${pfn} is not a RAM frame`);
      g.pageKind[pfn] = kind;
      g.frames[pfn] = count;
    }
  };
  own(sc.pages?.driver, 'driver', 1);
  own(sc.pages?.unref, 'unref', 0);
  own(sc.pages?.zoneDevice, 'zone-device', 1);
  for (const v of g.vmas) if (v.kind === 'pfnmap-flat' || v.kind === 'dax') remapPfnRange(g, v);
  for (const hva of sc.faultedIn ?? []) {
    const v = findVma(g, hva);
    if (!v || (!g.ptes[hva] && !handleMmFault(g, v, hva, false)))
      throw new Error(`scenario '${sc.name}': cannot fault in hva ${hva}`);
  }
  for (const index of sc.gmemAllocated ?? []) {
    const pfn = allocFrame(g); // the page cache's reference
    if (pfn === 0) throw new Error(`scenario '${sc.name}': no frame for guest_memfd index ${index}`);
    g.gmem[index] = pfn;
  }
  for (const gfn of sc.privateGfns ?? []) g.priv[gfn] = true;
  for (const gfn of sc.mapped ?? []) {
    const s = slotOfGfn(g.memslots, gfn);
    if (!s) throw new Error(`scenario '${sc.name}': gfn ${gfn} is mapped but no slot covers it`);
    if (isPrivate(g, gfn) && s.gmem >= 0) {
      const pfn = g.gmem[gmemIndex(s, gfn)] ?? 0;
      if (pfn === 0) throw new Error(`scenario '${sc.name}': private gfn ${gfn} has no guest_memfd page`);
      g.s2[gfn] = leaf(pfn, true, false, { priv: true });
      continue;
    }
    const pte = g.ptes[gfnToHva(s, gfn)];
    if (!pte) throw new Error(`scenario '${sc.name}': gfn ${gfn} is mapped but the host maps nothing`);
    // A slot with dirty logging was write-protected when logging started
    // (kvm_mmu_slot_remove_write_access): the leaf is read-only; x86 keeps it
    // MMU-writable, so fast_page_fault may restore the write permission.
    const w = pte.w && !s.ro;
    g.s2[gfn] = leaf(pte.pfn, w && !s.logDirty, !isRamPfn(g, pte.pfn), { mw: w && s.logDirty });
  }
  if (eagerMapAtCreate) {
    for (const s of g.memslots) {
      for (let i = 0; i < s.npages; i++) {
        const v = findVma(g, s.hva + i);
        if (v && isPfnmap(v)) g.s2[s.base + i] = leaf(v.pgoff + (s.hva + i - v.start), !s.ro, true);
      }
    }
  }
  return g;
}
