import { at } from '../../../../src/index.ts';
import type { StepContext, StepSpec, StepView } from '../../../../src/index.ts';
import type { KvmEnv } from '../../kit/env.ts';
import { mustRetry } from './mmu-notifier.ts';
import { FRAME_COUNT, framesAtHva, mmuSection, unlockedWrite } from '../../kit/footprints.ts';
import { gupFastOk, gupMustWait, hvaToPfn } from './hva-to-pfn.ts';
import type { Remapped } from './hva-to-pfn.ts';
import { canDownRead } from '../../kit/locks.ts';
import { setLeaf } from '../../kit/stage2.ts';
import { gfnToHva, isRamPfn, slotOfGfn } from '../../kit/state.ts';
import type { KvmState } from '../../kit/state.ts';
import { ACCESS, leaveFault } from '../../kit/vcpu.ts';
import type { VcpuLocal } from '../../kit/vcpu.ts';

/**
 * The three steps every stage-2 fault path shares (arm64 user_mem_abort and
 * x86 tdp_page_fault): the mmu_notifier_seq snapshot, the pfn lookup, and
 * the install under mmu_lock guarded by mmu_notifier_retry. The arch
 * builders give labels and kernel references, and put them in their order.
 */
type V = StepView<KvmState, VcpuLocal>;
type Ctx = StepContext<KvmState, VcpuLocal>;

/** mmu_seq = kvm->mmu_notifier_seq; smp_rmb() */
export function seqSnapshot(label: string, kernel: string, id: string): StepSpec<KvmState, VcpuLocal> {
  return { id, label, kernel, reads: ['seq'], run: ({ g, local }) => void (local.seq = g.seq) };
}

/**
 * Where the pfn lookup reads the slot: `abort` reuses the slot seen at abort
 * entry (v5.13+, 10ba2d17d297; x86 passes its slot), `relookup` looks the gfn
 * up again in the currently published array (arm64 v5.4 gfn_to_pfn_prot).
 */
export type SlotSource = 'abort' | 'relookup';

interface Target {
  readonly hva: number;
  readonly error?: string;
}

/** The hva the lookup reads (null on an error: no page touched). */
function hvaOf(v: V, src: SlotSource): number | null {
  const t = target(v.g, v.local, src);
  return t.error || t.hva < 0 ? null : t.hva;
}

function target(g: KvmState, l: VcpuLocal, src: SlotSource): Target {
  if (src === 'abort') return { hva: l.hva };
  const slot = slotOfGfn(g.memslots, l.gfn);
  if (!slot || slot.invalid) return { hva: -1, error: 'KVM_PFN_NOSLOT' };
  if (l.write && slot.ro) return { hva: -1, error: 'KVM_PFN_ERR_RO_FAULT' };
  return { hva: gfnToHva(slot, l.gfn) };
}

/**
 * __gfn_to_pfn_memslot → hva_to_pfn. Waits while GUP would sleep on a
 * migration entry; needs mmap_sem for read unless the lockless fast GUP
 * succeeds. On failure the fault returns -EFAULT (or emulates) with no leaf.
 */
export function pfnLookup(
  env: KvmEnv,
  label: string,
  kernel: string,
  src: SlotSource,
  remapped: Remapped,
  /** arm64: with dirty logging a read fault on normal memory maps read-only (x86 maps and marks dirty). */
  logDirtyReadOnly: boolean,
): StepSpec<KvmState, VcpuLocal> {
  return {
    id: 'hva_to_pfn',
    label,
    kernel,
    reads: [
      ...(src === 'relookup' ? ['memslots'] : []),
      'vmas',
      at<KvmState, VcpuLocal>('ptes', (v) => hvaOf(v, src)),
      env.locks.mmapSem,
      env.locks.srcu,
    ],
    writes: [
      at<KvmState, VcpuLocal>('ptes', (v) => hvaOf(v, src)),
      at<KvmState, VcpuLocal>('frames', (v) => framesAtHva(v, hvaOf(v, src))),
    ],
    jumps: [ACCESS],
    guard: (v: V) => {
      const t = target(v.g, v.local, src);
      if (t.error) return true;
      if (gupMustWait(v.g, t.hva)) return false;
      return gupFastOk(v.g, t.hva) || canDownRead(v as StepView<unknown, unknown>, env.locks.mmapSem);
    },
    run: (ctx: Ctx) => {
      const { g, local } = ctx;
      const t = target(g, local, src);
      if (t.error) return leaveFault(ctx, env, 'done');
      const r = hvaToPfn(g, t.hva, local.write, remapped);
      if (!r.ok) return leaveFault(ctx, env, 'done');
      local.pfn = r.pfn;
      local.ref = r.ref;
      local.w = r.writable;
      if (logDirtyReadOnly && local.logDirty && !local.write && isRamPfn(g, r.pfn)) local.w = false;
      return undefined;
    },
  };
}

/**
 * Under mmu_lock (write on a spinlock, read on arm64 v6.x): if
 * mmu_notifier_retry(kvm, mmu_seq) — an invalidation in progress or the
 * sequence moved — bail out; else install the leaf.
 */
export function installStep(
  env: KvmEnv,
  label: string,
  kernel: string,
  releaseLabel: string,
  id: string,
  /**
   * arm64 v5.17+: a permission fault on a page-sized leaf goes to
   * kvm_pgtable_stage2_relax_perms, which only sets the write permission
   * of the leaf still there (its own pfn) and does nothing (-EAGAIN) when
   * the leaf is gone; other faults map.
   */
  relaxPerms = false,
): StepSpec<KvmState, VcpuLocal> {
  const locked = env.ablation !== 'no-mmu-lock';
  const retries = (v: V): boolean =>
    env.ablation !== 'no-retry' && mustRetry(env, v.g, v.local.seq, v.local.gfn, v.local.hva);
  return {
    id,
    label,
    kernel,
    reads: [
      'count',
      'seq',
      FRAME_COUNT,
      ...(env.settings.retry === 'count' ? [] : ['inv']),
      env.locks.srcu,
      ...(locked ? mmuSection(env) : []),
      ...unlockedWrite(env),
      ...(relaxPerms ? [at<KvmState, VcpuLocal>('s2', (v) => (v.local.perm ? v.local.gfn : null))] : []),
    ],
    // The leaf of the faulting gfn, unless mmu_notifier_retry bails out.
    writes: [at<KvmState, VcpuLocal>('s2', (v) => (retries(v) ? null : v.local.gfn)), ...unlockedWrite(env)],
    jumps: [releaseLabel, ACCESS],
    run: (ctx) => {
      const { g, local } = ctx;
      if (locked) ctx.acquire(env.locks.mmuFault);
      const retry = env.ablation !== 'no-retry' && mustRetry(env, g, local.seq, local.gfn, local.hva);
      const cur = g.s2[local.gfn];
      if (!retry && relaxPerms && local.perm) {
        // stage2_update_leaf_attrs: only a valid leaf is changed (cmpxchg); none: -EAGAIN.
        if (cur && local.w) setLeaf(ctx, env.locks, local.gfn, { ...cur, w: true }, label);
      } else if (!retry)
        setLeaf(
          ctx,
          env.locks,
          local.gfn,
          { pfn: local.pfn, w: local.w, dev: !isRamPfn(g, local.pfn) },
          label,
        );
      if (locked) ctx.release(env.locks.mmuFault);
      if (local.ref) {
        local.retry = retry;
        return releaseLabel;
      }
      return leaveFault(ctx, env, retry ? 'retry' : 'done');
    },
  };
}

/** kvm_release_pfn_clean (after mmu_lock is dropped), then back to the guest. */
export function releaseStep(
  env: KvmEnv,
  label: string,
  kernel: string,
  id: string,
): StepSpec<KvmState, VcpuLocal> {
  return {
    id,
    label,
    kernel,
    reads: [env.locks.srcu],
    writes: [
      at<KvmState, VcpuLocal>('frames', ({ g, local }) =>
        local.ref && isRamPfn(g, local.pfn) ? local.pfn : null,
      ),
    ],
    jumps: [ACCESS],
    run: (ctx) => {
      const retry = ctx.local.retry;
      ctx.local.retry = false;
      return leaveFault(ctx, env, retry ? 'retry' : 'done');
    },
  };
}
