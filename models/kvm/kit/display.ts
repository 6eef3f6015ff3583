import type { StateDisplay } from '../../../src/index.ts';
/* eslint-disable @typescript-eslint/no-explicit-any */
import type { KvmExtension } from './extension.ts';

/** The state pane's groups (host mm, KVM, stage-2) and the tables indexed by page numbers. */
const KVM_DISPLAY: StateDisplay = {
  groups: [
    { title: 'VMAs', fields: ['vmas'] },
    { title: 'host PTEs', fields: ['ptes', 'frames', 'pageKind'] },
    { title: 'memslots', fields: ['memslots'] },
    { title: 'MMU notifier', fields: ['count', 'seq', 'mnActive', 'inv'] },
    { title: 'stage-2', fields: ['s2', 'obsolete', 'rootGen'] },
    { title: 'guest_memfd', fields: ['gmem', 'priv'] },
    { title: 'guest cache', fields: ['gpc'] },
    { title: 'ghost', fields: ['ghost'] },
  ],
  tables: {
    ptes: 'hva',
    frames: 'pfn',
    pageKind: 'pfn',
    s2: 'gfn',
    obsolete: 'gfn',
    gmem: 'index',
    priv: 'gfn',
  },
};

/** The kit's groups, then one per extension that names its state's fields. */
export function displayOf(exts: readonly KvmExtension<any>[]): StateDisplay {
  const own = exts.flatMap((x) => (x.display ? [x.display] : []));
  return own.length === 0 ? KVM_DISPLAY : { ...KVM_DISPLAY, groups: [...(KVM_DISPLAY.groups ?? []), ...own] };
}
