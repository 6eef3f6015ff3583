import { KvmcheckError } from '../../../src/index.ts';

/**
 * The protocol choices a kernel version makes, as data. A version spec
 * states its settings (`models/arm64-v5.4.ts`); the components read them
 * from `env.settings`. Each setting says which kernel change it stands for,
 * and when it can matter at all (`applies`): a setting that no bundled
 * scenario can observe is a defect, and test/models/observability.test.ts
 * flips every applicable setting of every bundled version to prove it is
 * not one.
 */
export interface SettingSpec<V> {
  readonly values: readonly V[];
  /** The value a spec that does not state the setting gets (the older kernel behaviour). */
  readonly default: V;
  readonly doc: string;
  /** The commit(s) or kernel functions the values stand for. */
  readonly kernel: string;
  /** Can this setting change anything for a version with these settings and this arch? (default: yes) */
  readonly applies?: (s: Readonly<Record<string, unknown>>, arch: string) => boolean;
}

function setting<const V>(s: SettingSpec<V>): SettingSpec<V> {
  return s;
}

const arm64 = (_: unknown, arch: string): boolean => arch === 'arm64';
const tdp = (s: Readonly<Record<string, unknown>>, arch: string): boolean =>
  arch === 'x86' && s.x86Mmu === 'tdp-mmu';

export const SETTINGS = {
  mmuLock: setting({
    values: ['spinlock', 'rwlock'],
    default: 'spinlock',
    doc: 'kvm->mmu_lock: a spinlock, or an rwlock whose read side the stage-2 fault takes (the map then races with other faults under the same read lock)',
    kernel:
      'arm64 rwlock from v5.15 (f22c0a4d7b4b), faults under read_lock from v6.2 (parallel faults); x86-64 rwlock from v5.11 (531810caa9f4), which the TDP MMU requires',
    // The x86 TDP MMU exists only with the rwlock (KVM_HAVE_MMU_RWLOCK): no kernel pairs it with a spinlock.
    applies: (s, arch): boolean => !tdp(s, arch),
  }),
  notifier: setting({
    values: ['unconditional', 'mn-active'],
    default: 'unconditional',
    doc: 'invalidate_range_start/end: count on every invalidation, or (v5.15+) raise mn_active_invalidate_count first and take mmu_lock and count only when a memslot is hit; publication then waits for mn_active_invalidate_count == 0',
    kernel: '52ac8b358b0c, 071064f14d87 (v5.15)',
  }),
  flush: setting({
    values: ['slot-range', 'all', 'tdp-roots'],
    default: 'slot-range',
    doc: "kvm_arch_flush_shadow_memslot: unmap the deleted slot's range, zap everything, or (x86 TDP MMU) invalidate every root under the write lock and zap the invalid roots afterwards under the read lock",
    kernel:
      'arm64 unmap_stage2_range; x86 v5.4 kvm_mmu_zap_all_fast; x86 TDP MMU kvm_mmu_zap_all_fast → kvm_tdp_mmu_invalidate_all_roots + kvm_tdp_mmu_zap_invalidated_roots (b7cccd397f31, v5.11+)',
  }),
  changePte: setting({
    values: ['install', 'update-existing', 'install-skip-invalid', 'none'],
    default: 'install',
    doc: "KVM's change_pte callback: map the new pfn read-only in every covering slot, only rewrite a leaf that exists, map it but skip slots marked KVM_MEMSLOT_INVALID, or no callback at all",
    kernel:
      'arm64 kvm_set_spte_handler; x86 kvm_set_pte_rmapp; kvm_change_spte_gfn skips INVALID slots (Gavin Shan, v6.4, Fixes: d5d8184d35c9); callback dropped in v6.9',
    // 'update-existing' and 'none' differ only when a leaf outlives invalidate_range_start
    // (no bundled kernel: the reason v6.9 dropped the callback); `ksm-no-start-unmap` shows it.
  }),
  retry: setting({
    values: ['count', 'hva-range', 'gfn-range'],
    default: 'count',
    doc: "the fault's retry check: any invalidation in progress (mmu_notifier_retry), or only one whose range holds the fault's hva (mmu_notifier_retry_hva) or gfn (mmu_invalidate_retry_gfn); a moved sequence retries in every case",
    kernel:
      '4a42d848db95 (x86 hva range, v5.12); 8569992d64b8 (gfn range, v6.7); arm64 keeps mmu_invalidate_retry',
  }),
  x86Mmu: setting({
    values: ['legacy', 'tdp-mmu'],
    default: 'legacy',
    doc: 'the x86 fault path: tdp_page_fault/__direct_map under the spinlock (v5.4), or the TDP MMU (faults under the read side of mmu_lock, atomic SPTEs, roots invalidated by memslot updates, lockless fast_page_fault)',
    kernel: 'arch/x86/kvm/mmu/tdp_mmu.c (v5.10+, default from v5.15)',
    applies: (_, arch): boolean => arch === 'x86',
  }),
  staleRootCheck: setting({
    values: [false, true],
    default: false,
    doc: 'is_page_fault_stale: under mmu_lock a fault retries when the root it walks was invalidated by a memslot update',
    kernel: 'a955cad84cda (v5.16)',
    applies: tdp,
  }),
  iterRestart: setting({
    values: [false, true],
    default: false,
    doc: 'after the TDP MMU zap yields mmu_lock, the restarted iterator resumes at the entry it stopped at (before: it was advanced once more, skipping that entry)',
    kernel: '3a0f64de479c (v5.16, CVE-2021-47094)',
    applies: tdp,
  }),
  invalidSlotRetry: setting({
    values: [false, true],
    default: false,
    doc: 'a fault on a slot marked KVM_MEMSLOT_INVALID returns RET_PF_RETRY (before: an error pfn, emulated as MMIO)',
    kernel: 'kvm_faultin_pfn (x86, v5.17+ per our reading)',
    applies: tdp,
  }),
  privateMem: setting({
    values: [false, true],
    default: false,
    doc: 'guest_memfd private memory: a private fault gets its pfn from kvm_gmem_get_pfn, after a private/shared mismatch check that follows the mmu_invalidate_seq snapshot; KVM_PRE_FAULT_MEMORY exists',
    kernel: '8dd2eee9d526, 44f42ef308f9 (v6.8); 6e01b7601dfe (pre-fault, v6.10)',
    applies: tdp,
  }),
  earlyRetry: setting({
    values: [false, true],
    default: false,
    doc: 'the fault checks mmu_invalidate_retry_gfn_unsafe before the pfn lookup and retries without taking mmu_lock',
    kernel: 'kvm_faultin_pfn, "Retry fault before acquiring mmu_lock if mapping is changing" (v6.9)',
    applies: tdp,
  }),
  prefaultEagain: setting({
    values: [false, true],
    default: false,
    doc: 'KVM_PRE_FAULT_MEMORY returns -EAGAIN on a slot being deleted or moved (before: it retried in place, inside the SRCU section the deletion waits for)',
    kernel: '3ccbf6f47098 (v6.18, Fixes: 6e01b7601dfe)',
    applies: (s, arch): boolean => tdp(s, arch) && s.privateMem === true,
  }),
  relaxPerms: setting({
    values: [false, true],
    default: false,
    doc: 'a permission fault on a page-sized leaf relaxes that leaf (kvm_pgtable_stage2_relax_perms: the write bit of the leaf still there, nothing if it is gone) instead of mapping the looked-up pfn again',
    kernel: 'arch/arm64/kvm/mmu.c user_mem_abort (modelled from v6.6)',
    applies: arm64,
  }),
  prepare: setting({
    values: ['eager-map', 'vma-check', 'none'],
    default: 'none',
    doc: 'kvm_arch_prepare_memory_region: map VM_PFNMAP regions into stage-2 from vm_pgoff at creation, only walk the VMAs to refuse dirty logging on VM_PFNMAP, or do no VMA work',
    kernel: '8eef91239e57 (eager map, arm64 v3.18 … v5.12), fd6f17bade21 (removed in v5.13); x86 does none',
  }),
  prepareWriteCheck: setting({
    values: [false, true],
    default: false,
    doc: "prepare's VMA walk refuses a writable slot over a VMA without VM_WRITE (-EPERM)",
    kernel: 'arm64 v5.4.0 kvm_arch_prepare_memory_region; removed in v5.5-rc2 (Jia He)',
    applies: (s): boolean => s.prepare !== 'none',
  }),
  seqBeforeMmapUnlock: setting({
    values: [false, true],
    default: false,
    doc: 'user_mem_abort reads mmu_invalidate_seq under mmap_lock, right after the VMA lookup (and vma_shift), instead of after mmap_read_unlock',
    kernel: '13ec9308a857 (v6.3)',
    applies: arm64,
  }),
  slotSource: setting({
    values: ['relookup', 'abort'],
    default: 'relookup',
    doc: 'the pfn lookup looks the gfn up again in the published memslots (gfn_to_pfn_prot), or uses the slot seen at abort entry',
    kernel: '10ba2d17d297 (arm64 v5.13)',
    applies: arm64,
  }),
  remapped: setting({
    values: ['follow_pfn', 'follow_pte'],
    default: 'follow_pfn',
    doc: 'hva_to_pfn_remapped: follow_pfn and writable = true, or follow_pte under the PTE lock and writable = pte_write()',
    kernel: 'bd2fae8da794 (v5.12)',
  }),
  remappedRef: setting({
    values: ['kvm_get_pfn', 'try_get', 'none'],
    default: 'kvm_get_pfn',
    doc: "hva_to_pfn_remapped's page reference: kvm_get_pfn even on a page whose count is 0 (0 → 1, freed at release), refuse such a page with -EFAULT (kvm_try_get_pfn), or take no reference on VM_PFNMAP pages at all",
    kernel:
      'f8be156be163 (CVE-2021-22543, v5.13); "KVM: Stop grabbing references to PFNMAP\'d pages" (v6.13)',
  }),
  deviceTest: setting({
    values: ['pfn_valid', 'pfn_is_map_memory'],
    default: 'pfn_valid',
    doc: 'kvm_is_device_pfn: no struct page, or not in the linear map (then ZONE_DEVICE memory — fsdax, device-dax — is mapped as device although KVM took a page reference on it)',
    kernel: '873ba463914c (arm64 v5.14)',
    applies: arm64,
  }),
  deviceExec: setting({
    values: ['map', 'enoexec'],
    default: 'map',
    doc: 'an instruction fetch from device memory: mapped executable, or refused with -ENOEXEC right after the pfn lookup',
    kernel: '6d674e28f642 (arm64 v5.5)',
    applies: arm64,
  }),
  earlyExitRelease: setting({
    values: [false, true],
    default: false,
    doc: "user_mem_abort's early error returns after the pfn lookup (-ENOEXEC) release the page reference",
    kernel: '5f9466b50c1b (arm64 v6.17, Fixes: 6d674e28f642)',
    // Only a device pfn with a struct page carries a reference to leak: ZONE_DEVICE memory, device since 873ba463914c.
    applies: (s, arch): boolean =>
      arch === 'arm64' && s.deviceExec === 'enoexec' && s.deviceTest === 'pfn_is_map_memory',
  }),
  mte: setting({
    values: [false, true],
    default: false,
    doc: "MTE support: when the VMM enabled it on the VM (a scenario's `mte`), a fault on a VMA without VM_MTE_ALLOWED returns -EFAULT under mmu_lock after the pfn lookup (out_unlock releases the page)",
    kernel: 'ea7fc1bb1cd1 (arm64 v5.14); checked under mmu_lock since 8c2e8ac8ad4b (v6.3)',
    applies: arm64,
  }),
  mmapSemFairness: setting({
    values: ['writer-preferring', 'reader-preferring'],
    default: 'writer-preferring',
    doc: "mm->mmap_sem: once a writer queues new readers wait (the kernel's rwsem), or readers may always join readers",
    kernel: 'kernel/locking/rwsem.c (writer-preferring); reader-preferring is a what-if',
  }),
  prepareHoldsMmapSem: setting({
    values: [false, true],
    default: false,
    doc: 'the tempting fix for the seed race, never merged: kvm_arch_prepare_memory_region keeps mmap_sem (read) until the new memslots are published',
    kernel: 'proposed in the 2019 kvmarm thread; deadlocks against synchronize_srcu',
    applies: (s): boolean => s.prepare !== 'none',
  }),
  guestCache: setting({
    values: ['none', 'hva-cache', 'map-gfn', 'pfncache-v5.17', 'pfncache'],
    default: 'none',
    doc: 'how KVM itself writes guest memory it caches (steal time, Xen shared info): gfn_to_hva_cache (through the host page tables), kvm_map_gfn (a cached pfn, no invalidation), the gfn→pfn cache as in v5.17, or as fixed',
    kernel:
      'kvm_write_guest_cached; 917248144db9 (kvm_map_gfn, v5.6) … 7e2175ebd695 (v5.16); 982ed0de4753 (pfncache, v5.17); 58cd407ca4c6 (v5.19)',
  }),
} as const;

export type SettingName = keyof typeof SETTINGS;

export type KvmSettings = {
  readonly [K in SettingName]: (typeof SETTINGS)[K] extends SettingSpec<infer V> ? V : never;
};

/** The spec's settings with the defaults filled in; an unknown name or value is a model error. */
export function resolveSettings(model: string, given: Partial<KvmSettings>): KvmSettings {
  const out: Record<string, unknown> = {};
  for (const [k, spec] of Object.entries(SETTINGS) as [SettingName, SettingSpec<unknown>][])
    out[k] = given[k] ?? spec.default;
  for (const [k, v] of Object.entries(given)) {
    const spec = (SETTINGS as Record<string, SettingSpec<unknown>>)[k];
    if (!spec)
      throw new KvmcheckError(
        'E_MODEL_INVALID',
        `model '${model}': unknown setting '${k}'`,
        `settings: ${settingNames()} (docs/writing-models.md)`,
      );
    if (!spec.values.includes(v))
      throw new KvmcheckError(
        'E_MODEL_INVALID',
        `model '${model}': setting ${k} is ${JSON.stringify(v)}`,
        `one of ${spec.values.map((x) => JSON.stringify(x)).join(', ')}`,
      );
  }
  return out as KvmSettings;
}

export function settingNames(): string {
  return Object.keys(SETTINGS).join(', ');
}

/** Does the setting matter for this version (arch and other settings)? */
export function settingApplies(name: SettingName, s: KvmSettings, arch: string): boolean {
  const spec = SETTINGS[name] as SettingSpec<unknown>;
  return spec.applies ? spec.applies(s, arch) : true;
}
