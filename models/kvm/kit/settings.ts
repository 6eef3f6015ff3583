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

export const SETTINGS = {
  mmuLock: setting({
    values: ['spinlock', 'rwlock'],
    default: 'spinlock',
    doc: 'kvm->mmu_lock: a spinlock, or an rwlock whose read side the stage-2 fault takes (the map then races with other faults under the same read lock)',
    kernel: 'arm64 rwlock from v5.15 (f22c0a4d7b4b), faults under read_lock from v6.2 (parallel faults)',
  }),
  notifier: setting({
    values: ['unconditional', 'mn-active'],
    default: 'unconditional',
    doc: 'invalidate_range_start/end: count on every invalidation, or (v5.15+) raise mn_active_invalidate_count first and take mmu_lock and count only when a memslot is hit; publication then waits for mn_active_invalidate_count == 0',
    kernel: '52ac8b358b0c, 071064f14d87 (v5.15)',
  }),
  flush: setting({
    values: ['slot-range', 'all'],
    default: 'slot-range',
    doc: "kvm_arch_flush_shadow_memslot: unmap the deleted slot's range, or zap everything",
    kernel: 'arm64 unmap_stage2_range; x86 v5.4 kvm_mmu_zap_all_fast',
  }),
  changePte: setting({
    values: ['install', 'update-existing'],
    default: 'install',
    doc: "KVM's change_pte callback: map the new pfn read-only in every covering slot, or only rewrite a leaf that exists",
    kernel: 'arm64 kvm_set_spte_handler; x86 kvm_set_pte_rmapp',
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
