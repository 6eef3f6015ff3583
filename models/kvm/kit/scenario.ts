import type { Expectation, ParamValues } from '../../../src/index.ts';
import type { InvalidatorOp, VmmOp } from './ops.ts';
import type { KvmSettings } from './settings.ts';
import type { AccessKind } from './vcpu.ts';
import type { SlotInit, Vma } from './state.ts';

/**
 * A scenario: the host and KVM layout at the start, the operations of the
 * VMM threads and of the kernel invalidator, the gfns the vCPUs touch, and
 * the verdict each bundled model must compute (its row of the table in
 * docs/models.md). A model runs a scenario only if the scenario names it.
 */
export interface KvmScenario {
  readonly name: string;
  readonly description: string;
  /** Host virtual pages (hva 0 … hvaPages-1). */
  readonly hvaPages: number;
  /** Guest frames (gfn 0 … gfns-1). */
  readonly gfns: number;
  /** RAM page frames for the allocator. */
  readonly ramFrames: number;
  /** VMAs at the start. VM_PFNMAP flat VMAs start populated (remap_pfn_range at mmap time). */
  readonly vmas: readonly Vma[];
  /** Anonymous pages already faulted in at the start (hvas). */
  readonly faultedIn?: readonly number[];
  /** Memslots published at the start (created before the interesting part). */
  readonly slots: readonly SlotInit[];
  /** gfns whose stage-2 leaf exists at the start (mapped by earlier faults: the pfn the host maps at the slot's hva, writable as the PTE). */
  readonly mapped?: readonly number[];
  /** guest_memfd (v6.8+): the file's size in pages; 0 or absent: the VM has no guest_memfd and no private memory. */
  readonly gmemPages?: number;
  /** guest_memfd indices that have a folio at the start (allocated by earlier faults or fallocate). */
  readonly gmemAllocated?: readonly number[];
  /** gfns whose memory attributes are KVM_MEMORY_ATTRIBUTE_PRIVATE at the start. */
  readonly privateGfns?: readonly number[];
  /** One list of operations per VMM thread (they may depend on the parameters). */
  readonly vmm: (p: ParamValues) => readonly (readonly VmmOp[])[];
  readonly invalidator?: readonly InvalidatorOp[];
  /** The gfns the vCPUs access. */
  readonly access: readonly number[];
  /** How the guest touches them (default read and write; exec adds instruction fetches). */
  readonly accessKinds?: readonly AccessKind[];
  /**
   * RAM frames not owned by the page allocator (see `PageKind`): a driver's
   * refcounted pages, valid pages that are not refcounted, ZONE_DEVICE pages.
   */
  readonly pages?: {
    readonly driver?: readonly number[];
    readonly unref?: readonly number[];
    readonly zoneDevice?: readonly number[];
  };

  /**
   * KVM itself writes guest memory at `gfn` through its cache (steal time,
   * Xen shared_info) `uses` times, as the setting `guestCache` says
   * (virt/kvm/pfncache.ts): the thread `kvm-cache`.
   */
  readonly cacheUser?: { readonly gfn: number; readonly uses: number };
  /** The VMM enabled MTE on the VM (KVM_CAP_ARM_MTE); matters on versions with the setting `mte`. */
  readonly mte?: boolean;
  /**
   * Settings this scenario changes on every version that runs it (a fix, or a
   * patch under test, as in `delete-ksm-fixed`); any but `mmuLock`.
   */
  readonly settings?: Partial<KvmSettings>;
  /** Parameter values the scenario sets (e.g. an ablation). */
  readonly params?: Readonly<Record<string, string | number | boolean>>;
  /** Expected verdict per model name. */
  readonly expect: Readonly<Record<string, Expectation>>;
}

/** Device BARs and cookies used by the scenarios (device pfns have no struct page). */
export const BAR0 = 0x10;
export const BAR1 = 0x20;
export const MMAP_COOKIE = 0x40;
