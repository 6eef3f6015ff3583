import { DONE, at } from '../../../../src/index.ts';
import type { StepSpec, StepView } from '../../../../src/index.ts';
import { KVM_MAIN, atLeast, kfn, mmapCall, stamp } from '../../kit/env.ts';
import type { KvmEnv } from '../../kit/env.ts';
import { mmuGuard, mmuSection, range } from '../../kit/footprints.ts';
import type { SlotChange, VmmLocal } from '../../kit/ops.ts';
import { idleVmm } from '../../kit/ops.ts';
import { unmapAll, unmapRange, writeProtectRange } from '../../kit/stage2.ts';
import { slotOf } from '../../kit/state.ts';
import { tdpZapAllFast } from '../../arch/x86/tdp-roots.ts';
import type { KvmState, Slot } from '../../kit/state.ts';

/**
 * KVM_SET_USER_MEMORY_REGION as __kvm_set_memory_region runs it: under
 * slots_lock, build a private copy of the memslots array; for DELETE/MOVE
 * first publish a copy with the old slot marked KVM_MEMSLOT_INVALID, wait for
 * SRCU readers (synchronize_srcu) and flush the old slot from stage-2; then
 * kvm_arch_prepare_memory_region; then publish the final array and wait for
 * readers again; then kvm_arch_commit_memory_region.
 *
 * From v5.15 (52ac8b358b0c) a publication also waits until no MMU-notifier
 * invalidation is in progress (mn_active_invalidate_count == 0).
 */
export interface PrepareSteps {
  /** Run between the flush and the publication. */
  readonly main: StepSpec<KvmState, VmmLocal>[];
  /** Error-path steps, entered by a jump from `main`; they end by jumping to the ioctl's error exit. */
  readonly error: StepSpec<KvmState, VmmLocal>[];
  /** Can prepare fail for this change at all? (Without it the ioctl's error exit is left out.) */
  readonly canFail: boolean;
  /** Prepare returns holding mmap_sem for read, released after the publication (the tempting fix). */
  readonly holdsMmapSem?: boolean;
}

export type PrepareBuilder = (
  env: KvmEnv,
  region: SlotChange,
  tag: string,
  errorLabel: string,
) => PrepareSteps;

type V = StepView<KvmState, VmmLocal>;
const SOURCE = 'models/kvm/virt/kvm/memslots.ts';

function newSlot(orig: readonly Slot[], r: SlotChange): Slot | null {
  if (r.change === 'create') return slotOf(r.slot);
  const old = orig.find((s) => s.id === r.id);
  if (!old || r.change === 'delete') return null;
  if (r.change === 'move') return { ...old, base: r.base, logDirty: r.logDirty ?? false, invalid: false };
  return { ...old, logDirty: r.logDirty, invalid: false };
}

/** update_memslots: the final array the ioctl publishes. */
function finalArray(orig: readonly Slot[], r: SlotChange, next: Slot | null): Slot[] {
  const id = r.change === 'create' ? r.slot.id : r.id;
  const out = orig.filter((s) => s.id !== id).map((s) => ({ ...s }));
  if (next) out.push({ ...next });
  return out.sort((a, b) => a.base - b.base);
}

function oldSlot(orig: readonly Slot[], r: SlotChange): Slot | undefined {
  return r.change === 'create' ? undefined : orig.find((s) => s.id === r.id);
}

export function setMemoryRegion(
  env: KvmEnv,
  region: SlotChange,
  prepare: PrepareBuilder,
  tag: string,
  after: string | undefined,
): StepSpec<KvmState, VmmLocal>[] {
  return stamp(SOURCE, memslotSteps(env, region, prepare, tag, after));
}

/** What the steps of one KVM_SET_USER_MEMORY_REGION share. */
interface Call {
  readonly env: KvmEnv;
  readonly region: SlotChange;
  readonly after: string | undefined;
  readonly l: (s: string) => string;
  /** v5.17 reworked memslot updates (kvm_swap_active_memslots); only the names differ here. */
  readonly swap: boolean;
  readonly publishGuard: ((v: V) => boolean) | undefined;
  readonly waitNote: string;
  readonly deleting: boolean;
}

function memslotSteps(
  env: KvmEnv,
  region: SlotChange,
  prepare: PrepareBuilder,
  tag: string,
  after: string | undefined,
): StepSpec<KvmState, VmmLocal>[] {
  const l = (s: string): string => `${s}${tag}`;
  const waitsForInvalidations = env.settings.notifier === 'mn-active' && env.ablation !== 'no-mn-active-wait';
  const c: Call = {
    env,
    region,
    after,
    l,
    swap: atLeast(env, 5, 17),
    publishGuard: waitsForInvalidations ? (v: V) => v.g.mnActive === 0 : undefined,
    waitNote: waitsForInvalidations ? ' (waits for mn_active_invalidate_count == 0)' : '',
    deleting: region.change === 'delete' || region.change === 'move',
  };
  const errorLabel = l('__kvm_set_memory_region: error, restore memslots');
  const prep = prepare(env, region, tag, errorLabel);
  const publish = publishStep(c);
  const afterFlush = prep.main[0]?.label ?? publish.label;
  return [
    beginStep(c),
    ...(c.deleting ? [invalidateStep(c), ...flushSteps(env, region, afterFlush, l)] : []),
    ...prep.main,
    publish,
    ...(prep.holdsMmapSem
      ? [
          {
            id: 'kvm_arch_prepare_memory_region.unlock_after_publish',
            label: l(`${mmapCall(env, 'read', 'unlock')} after publication (the tempting fix)`),
            kernel: kfn(env, 'kvm_arch_prepare_memory_region', env.files.arch),
            release: env.locks.mmapSem.read,
          },
        ]
      : []),
    commitStep(c),
    ...(prep.canFail ? [...prep.error, errorStep(c, errorLabel)] : []),
  ];
}

function beginStep({ env, region, l }: Call): StepSpec<KvmState, VmmLocal> {
  return {
    id: '__kvm_set_memory_region.begin',
    label: l(`__kvm_set_memory_region: mutex_lock(slots_lock), check, copy memslots (${region.change})`),
    kernel: kfn(env, '__kvm_set_memory_region', KVM_MAIN),
    acquire: env.locks.slotsLock.lock,
    reads: ['memslots'],
    run: ({ g, local }) => {
      local.orig = g.memslots.map((s) => ({ ...s }));
      local.next = newSlot(g.memslots, region);
    },
  };
}

/** DELETE/MOVE: publish a copy with the old slot marked KVM_MEMSLOT_INVALID first. */
function invalidateStep({
  env,
  region,
  l,
  swap,
  publishGuard,
  waitNote,
}: Call): StepSpec<KvmState, VmmLocal> {
  const targetId = region.change === 'create' ? region.slot.id : region.id;
  return {
    id: 'kvm_invalidate_memslot',
    label: l(
      swap
        ? `kvm_invalidate_memslot: KVM_MEMSLOT_INVALID, kvm_swap_active_memslots${waitNote}`
        : `__kvm_set_memory_region: KVM_MEMSLOT_INVALID, install_new_memslots${waitNote}`,
    ),
    kernel: kfn(env, swap ? 'kvm_invalidate_memslot' : 'install_new_memslots', KVM_MAIN),
    ...(publishGuard ? { guard: publishGuard } : {}),
    ...(env.ablation === 'no-srcu-sync' ? {} : { synchronize: env.locks.srcu }),
    reads: ['mnActive'],
    writes: ['memslots'],
    run: ({ g, local }) => {
      g.memslots = (local.orig ?? []).map((s) => ({ ...s, invalid: s.invalid || s.id === targetId }));
    },
  };
}

/** The final array's publication; the slots it covers again need no longer be empty in stage-2. */
function publishStep({ env, region, l, swap, publishGuard, waitNote }: Call): StepSpec<KvmState, VmmLocal> {
  return {
    id: 'install_new_memslots',
    label: l(
      swap
        ? `kvm_swap_active_memslots: publish, synchronize_srcu${waitNote}`
        : `install_new_memslots: rcu_assign_pointer, synchronize_srcu${waitNote}`,
    ),
    kernel: kfn(env, swap ? 'kvm_swap_active_memslots' : 'install_new_memslots', KVM_MAIN),
    ...(publishGuard ? { guard: publishGuard } : {}),
    synchronize: env.locks.srcu,
    reads: ['mnActive'],
    writes: ['memslots', 'ghost.updating', 'ghost.mustBeEmpty'],
    run: ({ g, local }) => {
      g.memslots = finalArray(local.orig ?? [], region, local.next);
      g.ghost.updating = false;
      g.ghost.mustBeEmpty = g.ghost.mustBeEmpty.filter(
        (gfn) => !g.memslots.some((s) => !s.invalid && gfn >= s.base && gfn < s.base + s.npages),
      );
    },
  };
}

function commitStep({ env, region, after, l }: Call): StepSpec<KvmState, VmmLocal> {
  return {
    id: 'kvm_arch_commit_memory_region',
    label: l('kvm_arch_commit_memory_region, mutex_unlock(slots_lock)'),
    kernel: kfn(env, 'kvm_arch_commit_memory_region', env.files.arch),
    release: env.locks.slotsLock.lock,
    ...mmuGuard(env),
    reads: mmuSection(env),
    // kvm_mmu_wp_memory_region: the new slot's leaves, when dirty logging is turned on.
    writes: [
      at<KvmState, VmmLocal>('s2', ({ local }) => {
        const n = local.next;
        return n && n.logDirty && region.change === 'flags-only' ? range(n.base, n.npages) : null;
      }),
    ],
    jumps: [after ?? DONE],
    run: (ctx) => {
      const n = ctx.local.next;
      if (n && n.logDirty && region.change === 'flags-only') {
        ctx.acquire(env.locks.mmuWrite);
        writeProtectRange(ctx, env.locks, n.base, n.npages, 'kvm_mmu_wp_memory_region');
        ctx.release(env.locks.mmuWrite);
      }
      Object.assign(ctx.local, idleVmm());
      return after ?? DONE;
    },
  };
}

/** The ioctl's error exit, which prepare's error path jumps to. */
function errorStep({ env, after, deleting }: Call, errorLabel: string): StepSpec<KvmState, VmmLocal> {
  return {
    id: '__kvm_set_memory_region.error',
    label: errorLabel,
    kernel: kfn(env, '__kvm_set_memory_region', KVM_MAIN),
    release: env.locks.slotsLock.lock,
    writes: ['memslots', 'ghost.updating'],
    jumps: after === undefined ? [] : [after],
    run: ({ g, local }) => {
      // out_slots: DELETE/MOVE re-install the original array (its synchronize_srcu is not modelled).
      if (deleting) g.memslots = (local.orig ?? []).map((s) => ({ ...s }));
      g.ghost.updating = false;
      Object.assign(local, idleVmm());
      return after;
    },
  };
}

/** kvm_arch_flush_shadow_memslot for a DELETE/MOVE (x86 TDP MMU: tdp-roots.ts). */
function flushSteps(
  env: KvmEnv,
  region: SlotChange,
  afterFlush: string,
  l: (s: string) => string,
): StepSpec<KvmState, VmmLocal>[] {
  if (env.settings.flush === 'tdp-roots')
    return tdpZapAllFast(
      env,
      l,
      (g, local) => {
        const old = oldSlot(local.orig ?? [], region);
        if (old) for (let i = 0; i < old.npages; i++) g.ghost.mustBeEmpty.push(old.base + i);
      },
      afterFlush,
    );
  return [
    {
      id: 'kvm_arch_flush_shadow_memslot',
      label: l(
        env.settings.flush === 'all'
          ? 'kvm_arch_flush_shadow_memslot → kvm_mmu_zap_all_fast'
          : 'kvm_arch_flush_shadow_memslot: unmap the old slot',
      ),
      kernel: kfn(env, 'kvm_arch_flush_shadow_memslot', env.files.arch),
      ...mmuGuard(env),
      reads: mmuSection(env),
      writes: [
        'ghost.mustBeEmpty',
        env.settings.flush === 'all'
          ? 's2'
          : at<KvmState, VmmLocal>('s2', ({ local }) => {
              const old = oldSlot(local.orig ?? [], region);
              return old ? range(old.base, old.npages) : null;
            }),
        // unmapRange walks the invalidated x86 TDP MMU root too, when there is one
        env.settings.flush === 'all'
          ? 'obsolete'
          : at<KvmState, VmmLocal>('obsolete', ({ g, local }) => {
              const old = oldSlot(local.orig ?? [], region);
              return old && g.obsolete ? range(old.base, old.npages) : null;
            }),
      ],
      run: (ctx) => {
        const old = oldSlot(ctx.local.orig ?? [], region);
        ctx.acquire(env.locks.mmuWrite);
        if (env.settings.flush === 'all') unmapAll(ctx, env.locks, 'kvm_arch_flush_shadow_memslot');
        else if (old) unmapRange(ctx, env.locks, old.base, old.npages, 'kvm_arch_flush_shadow_memslot');
        ctx.release(env.locks.mmuWrite);
        if (old) for (let i = 0; i < old.npages; i++) ctx.g.ghost.mustBeEmpty.push(old.base + i);
      },
    },
  ];
}
