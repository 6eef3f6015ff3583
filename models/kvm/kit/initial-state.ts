import { allocFrame, findVma, isPfnmap, remapPfnRange } from '../mm/mm.ts';
import type { KvmScenario } from './scenario.ts';
import type { KvmState } from './state.ts';

/**
 * The state a scenario starts from: its VMAs (flat VM_PFNMAP ones populated
 * as remap_pfn_range does at mmap time), its faulted-in anonymous pages, its
 * published memslots and — for versions whose prepare maps VM_PFNMAP
 * regions eagerly — the stage-2 leaves that creating those slots made.
 */
export function initialState(sc: KvmScenario, eagerMapAtCreate: boolean): KvmState {
  const g: KvmState = {
    vmas: sc.vmas.map((v) => ({ ...v })),
    ptes: new Array(sc.hvaPages).fill(null),
    frames: new Array(sc.ramFrames + 1).fill(0),
    memslots: sc.slots.map((s) => ({ ...s, invalid: false })),
    count: 0,
    seq: 0,
    mnActive: 0,
    s2: new Array(sc.gfns).fill(null),
    ghost: { updating: false, unlockedWrite: null, mustBeEmpty: [], activeInvalidations: 0 },
  };
  for (const v of g.vmas) if (v.kind === 'pfnmap-flat') remapPfnRange(g, v);
  for (const hva of sc.faultedIn ?? []) {
    const v = findVma(g, hva);
    const pfn = allocFrame(g);
    if (!v || pfn === 0) throw new Error(`scenario '${sc.name}': cannot fault in hva ${hva}`);
    g.ptes[hva] = { pfn, w: v.write, migration: false };
  }
  if (eagerMapAtCreate) {
    for (const s of g.memslots) {
      for (let i = 0; i < s.npages; i++) {
        const v = findVma(g, s.hva + i);
        if (v && isPfnmap(v))
          g.s2[s.base + i] = { pfn: v.pgoff + (s.hva + i - v.start), w: !s.ro, dev: true };
      }
    }
  }
  return g;
}
