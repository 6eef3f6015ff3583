import { findVma, handleMmFault, isPfnmap, normVma, remapPfnRange } from '../mm/mm.ts';
import type { KvmScenario } from './scenario.ts';
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
    memslots: sc.slots.map((s) => ({ ...s, invalid: false })),
    count: 0,
    seq: 0,
    mnActive: 0,
    range: [0, 0],
    s2: new Array(sc.gfns).fill(null),
    ghost: {
      updating: false,
      unlockedWrite: null,
      mustBeEmpty: [],
      activeInvalidations: 0,
      held: new Array(frames).fill(0),
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
  if (eagerMapAtCreate) {
    for (const s of g.memslots) {
      for (let i = 0; i < s.npages; i++) {
        const v = findVma(g, s.hva + i);
        if (v && isPfnmap(v))
          g.s2[s.base + i] = {
            pfn: v.pgoff + (s.hva + i - v.start),
            w: !s.ro,
            x: false,
            dev: true,
            block: false,
          };
      }
    }
  }
  return g;
}
