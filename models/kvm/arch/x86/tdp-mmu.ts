import { at } from '../../../../src/index.ts';
import type { FootprintEntry, StepSpec, StepView } from '../../../../src/index.ts';
import { KVM_MAIN, atLeast, kfn, stamp } from '../../kit/env.ts';
import type { KvmEnv } from '../../kit/env.ts';
import type { FaultBuilder } from '../arm64/user-mem-abort.ts';
import { pfnLookup, releaseStep } from '../../virt/kvm/fault-common.ts';
import { FRAME_COUNT, mmuSection, unlockedWrite } from '../../kit/footprints.ts';
import { gmemGetPfn, gmemLookupWrites } from '../../virt/kvm/guest-memfd.ts';
import { mustRetry } from '../../virt/kvm/mmu-notifier.ts';
import { rootLeaves, setRootLeaf } from '../../kit/stage2.ts';
import { gfnToHva, isPrivate, isRamPfn, leaf, slotOfGfn } from '../../kit/state.ts';
import type { KvmState } from '../../kit/state.ts';
import { ACCESS, accessStep, leaveFault } from '../../kit/vcpu.ts';
import type { Access, VcpuLocal } from '../../kit/vcpu.ts';

/**
 * The x86 TDP MMU fault path (arch/x86/kvm/mmu/mmu.c and tdp_mmu.c, v5.15
 * onwards): the fault runs under the *read* side of mmu_lock and installs
 * into the root the vCPU entered the guest with; invalidations and memslot
 * flushes take the write side. A memslot DELETE/MOVE invalidates every root
 * (kvm_mmu_zap_all_fast) and zaps the invalid roots afterwards under the read
 * lock, so a fault that loaded a root before the invalidation may still walk
 * it: is_page_fault_stale (a955cad84cda, v5.16) makes such a fault retry.
 *
 * Steps: the guest access (remembering the root), the fault entry (memslot
 * lookup, and from v6.8 whether the gfn is private), the lockless
 * fast_page_fault for a write to a write-protected leaf (a cmpxchg on the
 * SPTE read earlier), the mmu_invalidate_seq snapshot (then the
 * private/shared mismatch check, v6.8), the pfn lookup (hva_to_pfn, or
 * kvm_gmem_get_pfn for a private fault), and the install under the read lock.
 * Settings: staleRootCheck, invalidSlotRetry, privateMem, earlyRetry, retry.
 */

type V = StepView<KvmState, VcpuLocal>;
type Step = StepSpec<KvmState, VcpuLocal>;

/** The function names of the version (they were renamed along the way). */
export function tdpNames(env: KvmEnv): {
  pf: string;
  faultin: string;
  seq: string;
  file: string;
  shared: string;
  gmem: string;
  release: string;
} {
  return {
    // v6.13 reworked the lookup around struct page (__kvm_faultin_pfn, kvm_release_faultin_page).
    shared: atLeast(env, 6, 13) ? '__kvm_faultin_pfn' : '__gfn_to_pfn_memslot',
    release: atLeast(env, 6, 13)
      ? 'kvm_mmu_finish_page_fault → kvm_release_faultin_page'
      : 'kvm_release_pfn_clean',
    // The private path is kvm_mmu_faultin_pfn_gmem in v6.18 (kvm_faultin_pfn_private before).
    gmem: atLeast(env, 6, 18)
      ? 'kvm_mmu_faultin_pfn_gmem'
      : atLeast(env, 6, 11)
        ? 'kvm_mmu_faultin_pfn_private'
        : 'kvm_faultin_pfn_private',
    // 851bb1a27768 (v6.1) split kvm_tdp_mmu_page_fault out of direct_page_fault.
    pf: atLeast(env, 6, 1) ? 'kvm_tdp_mmu_page_fault' : 'direct_page_fault',
    // try_async_pf became kvm_faultin_pfn with struct kvm_page_fault (v5.16).
    faultin: atLeast(env, 6, 11)
      ? 'kvm_mmu_faultin_pfn'
      : atLeast(env, 5, 16)
        ? 'kvm_faultin_pfn'
        : 'try_async_pf',
    // 29c0039ea120 (v6.0): mmu_notifier_* renamed mmu_invalidate_*.
    seq: atLeast(env, 6, 0) ? 'mmu_invalidate_seq' : 'mmu_notifier_seq',
    file: 'arch/x86/kvm/mmu/mmu.c',
  };
}

const TDP_MMU = 'arch/x86/kvm/mmu/tdp_mmu.c';
const SOURCE = 'models/kvm/arch/x86/tdp-mmu.ts';

/** May fast_page_fault fix this fault without mmu_lock (a write to a write-protected, MMU-writable leaf)? */
function fastCandidate(g: KvmState, l: VcpuLocal): boolean {
  if (!l.write || l.priv) return false;
  const cur = rootLeaves(g as never, l.root)?.[l.gfn];
  return !!cur && !cur.w && cur.mw === true;
}

/** What the steps of one TDP MMU fault share: the version's names, its settings and ablations, the labels jumped to. */
interface Tdp {
  readonly env: KvmEnv;
  readonly o: { readonly privateMem: boolean; readonly earlyRetry: boolean };
  readonly n: ReturnType<typeof tdpNames>;
  readonly pfK: string;
  readonly fast: string;
  readonly checkBeforeSeq: boolean;
  readonly seqLabel: string;
  readonly lookupLabel: string;
  readonly release: string;
  readonly locked: boolean;
  readonly seqAfter: boolean;
  readonly staleRootCheck: boolean;
}

function tdpOf(env: KvmEnv): Tdp {
  const o = { privateMem: env.settings.privateMem, earlyRetry: env.settings.earlyRetry };
  const n = tdpNames(env);
  const checkBeforeSeq = env.ablation === 'attr-check-before-seq';
  return {
    env,
    o,
    n,
    pfK: kfn(env, n.pf, n.file),
    fast: 'fast_page_fault: fast_pf_fix_direct_spte (cmpxchg64 on the SPTE read locklessly)',
    checkBeforeSeq,
    seqLabel: `${n.faultin}: mmu_seq = ${n.seq}, smp_rmb()${o.privateMem && !checkBeforeSeq ? ', private/shared mismatch check' : ''}`,
    lookupLabel: o.privateMem
      ? `${n.faultin}: ${n.gmem} → kvm_gmem_get_pfn, or ${n.shared} → hva_to_pfn`
      : `${n.faultin}: ${n.shared} → hva_to_pfn`,
    release: `${n.pf}: ${n.release}; vcpu_enter_guest: srcu_read_unlock`,
    locked: env.ablation !== 'no-mmu-lock',
    seqAfter: env.ablation === 'seq-after-gup',
    staleRootCheck: env.settings.staleRootCheck && env.ablation !== 'no-stale-root-check',
  };
}

export function x86TdpMmuFault(): FaultBuilder {
  return (env, gfns, kinds) => {
    const t = tdpOf(env);
    const base = accessStep(
      gfns,
      `guest access → EPT violation → ${kfn(env, 'handle_ept_violation', 'arch/x86/kvm/vmx/vmx.c')}`,
      kinds,
    );
    // kvm_mmu_reload at the last guest entry: the root the guest ran on when it faulted.
    const access: StepSpec<KvmState, VcpuLocal, Access> = {
      ...base,
      reads: [...(base.reads as never[]), 'rootGen'],
      run: (ctx, a) => {
        const r = base.run!(ctx, a);
        if (a !== 'halt') ctx.local.root = ctx.g.rootGen;
        return r;
      },
    };
    const seq = seqStep(t);
    const lookup = lookupStep(t);
    const slow = t.seqAfter ? [lookup, seq] : [seq, lookup];
    const release_ = releaseStep(env, t.release, t.pfK, 'kvm_tdp_mmu_page_fault.release');
    return [access, stamp(SOURCE, [entryStep(t), ...slow, installStep(t), release_, fastFixStep(t)])];
  };
}

/** The fault entry: memslot lookup, private or shared, and whether fast_page_fault may fix it. */
function entryStep(t: Tdp): Step {
  const { env, o, n, pfK, fast, checkBeforeSeq } = t;
  const entry: Step = {
    id: 'kvm_tdp_mmu_page_fault.entry',
    label: `kvm_mmu_page_fault → kvm_tdp_page_fault → ${n.pf}: srcu_read_lock, kvm_vcpu_gfn_to_memslot${o.privateMem ? ', kvm_mem_is_private' : ''}; fast_page_fault: walk the SPTE locklessly`,
    kernel: pfK,
    acquire: env.locks.srcu.read,
    reads: [
      'memslots',
      'priv',
      'rootGen', // fastCandidate → rootLeaves: which root the vCPU loaded
      env.locks.srcu,
      at<KvmState, VcpuLocal>('s2', (v) => v.local.gfn),
      at<KvmState, VcpuLocal>('obsolete', (v) => (v.g.obsolete ? v.local.gfn : null)),
    ],
    jumps: [ACCESS, fast],
    run: (ctx) => {
      const { g, local } = ctx;
      const slot = slotOfGfn(g.memslots, local.gfn);
      local.priv = o.privateMem && isPrivate(g, local.gfn);
      // No slot: an MMIO SPTE or emulation (kvm_handle_noslot_fault), no leaf mapping memory.
      if (!slot) return leaveFault(ctx, env, 'done');
      // A slot being deleted or moved: retry (v5.17+), or, before, an error pfn and emulation.
      if (slot.invalid) return leaveFault(ctx, env, env.settings.invalidSlotRetry ? 'retry' : 'done');
      if (local.write && slot.ro) return leaveFault(ctx, env, 'done'); // emulated MMIO write
      local.hva = gfnToHva(slot, local.gfn);
      local.ro = slot.ro;
      local.logDirty = slot.logDirty;
      if (checkBeforeSeq && o.privateMem && local.priv !== isPrivate(g, local.gfn))
        return leaveFault(ctx, env, 'done');
      if (fastCandidate(g, local)) {
        const cur = rootLeaves(g, local.root)![local.gfn]!;
        local.old = { ...cur };
        return fast;
      }
      return undefined;
    },
  };
  return entry;
}

/** fast_page_fault: the lockless cmpxchg on the SPTE read at the entry. */
function fastFixStep(t: Tdp): Step {
  const { env, n, fast, seqLabel, lookupLabel, seqAfter } = t;
  const fastFix: Step = {
    id: 'fast_page_fault',
    label: fast,
    kernel: kfn(env, 'fast_page_fault', n.file),
    reads: ['rootGen', env.locks.srcu],
    writes: [
      at<KvmState, VcpuLocal>('s2', (v) => v.local.gfn),
      at<KvmState, VcpuLocal>('obsolete', (v) => (v.g.obsolete ? v.local.gfn : null)),
    ],
    jumps: [ACCESS, seqAfter ? lookupLabel : seqLabel],
    run: (ctx) => {
      const { g, local } = ctx;
      const leaves = rootLeaves(g, local.root);
      const cur = leaves?.[local.gfn];
      const old = local.old!;
      local.old = null;
      const same = !!cur && cur.pfn === old.pfn && cur.w === old.w && cur.mw === old.mw;
      // Lockless by design (no mmu_lock): the cmpxchg is what orders it against
      // the zaps of invalidations, which change the SPTE first.
      if (leaves && (same || env.ablation === 'no-cmpxchg')) {
        leaves[local.gfn] = { ...old, w: true }; // mark_page_dirty_in_slot follows
        return leaveFault(ctx, env, 'done');
      }
      return seqAfter ? lookupLabel : seqLabel; // the SPTE changed under us: take the slow path
    },
  };
  return fastFix;
}

/** The mmu_invalidate_seq snapshot (then, v6.8, the private/shared mismatch check). */
function seqStep(t: Tdp): Step {
  const { env, o, n, checkBeforeSeq, seqLabel } = t;
  const seq: Step = {
    id: 'kvm_faultin_pfn.mmu_seq',
    label: seqLabel,
    kernel: kfn(env, n.faultin, n.file),
    // leaveFault releases the SRCU read section (a read-side release)
    reads: ['seq', ...(o.privateMem ? ['priv', env.locks.srcu] : [])],
    jumps: [ACCESS],
    run: (ctx) => {
      const { g, local } = ctx;
      local.seq = g.seq;
      // "Now that we have a snapshot of mmu_invalidate_seq we can check for a
      // private vs. shared mismatch": a conversion racing with the fault is
      // caught here or by the retry check under mmu_lock. (KVM_EXIT_MEMORY_FAULT)
      if (o.privateMem && !checkBeforeSeq && local.priv !== isPrivate(g, local.gfn))
        return leaveFault(ctx, env, 'done');
      return undefined;
    },
  };
  return seq;
}

/** The pfn lookup: hva_to_pfn, or kvm_gmem_get_pfn for a private fault. */
function lookupStep(t: Tdp): Step {
  const { env, o, n, lookupLabel } = t;
  const shared = pfnLookup(env, 'hva_to_pfn', kfn(env, n.shared, KVM_MAIN), 'abort', {
    logDirtyReadOnly: false,
  });
  const lookup: Step = {
    id: 'kvm_faultin_pfn.lookup',
    label: lookupLabel,
    kernel: kfn(env, n.faultin, n.file),
    reads: [
      ...(shared.reads as FootprintEntry<KvmState, VcpuLocal>[]),
      ...(o.earlyRetry ? ['count', 'seq', 'inv'] : []),
      ...(o.privateMem ? ['memslots', 'gmem'] : []),
    ],
    writes: [
      ...(shared.writes as FootprintEntry<KvmState, VcpuLocal>[]),
      ...(o.privateMem ? gmemLookupWrites<VcpuLocal>((v) => v.local.priv) : []),
    ],
    jumps: [ACCESS],
    guard: (v: V) => v.local.priv || !shared.guard || shared.guard(v),
    run: (ctx) => {
      const { g, local } = ctx;
      if (o.earlyRetry && env.ablation !== 'no-retry' && mustRetry(env, g, local.seq, local.gfn, local.hva))
        return leaveFault(ctx, env, 'retry');
      if (!local.priv) return shared.run!(ctx, undefined);
      const pfn = gmemGetPfn(g, local.gfn);
      if (!pfn) return leaveFault(ctx, env, 'done'); // -EFAULT: no guest_memfd behind the slot
      local.pfn = pfn;
      local.ref = true;
      local.w = !local.ro;
      return undefined;
    },
  };
  return lookup;
}

/** The install into the loaded root under the read side of mmu_lock, unless the fault must retry. */
function installStep(t: Tdp): Step {
  const { env, n, release, locked, staleRootCheck } = t;
  const install: Step = {
    id: 'kvm_tdp_mmu_map',
    // is_page_fault_stale came with a955cad84cda; before, the fault asked only mmu_notifier_retry_hva.
    label: `${n.pf}: read_lock(mmu_lock), ${env.settings.staleRootCheck ? 'is_page_fault_stale' : 'mmu_notifier_retry_hva'}, kvm_tdp_mmu_map (tdp_mmu_set_spte_atomic), read_unlock`,
    kernel: kfn(env, 'kvm_tdp_mmu_map', TDP_MMU),
    reads: [
      'count',
      'seq',
      'rootGen',
      FRAME_COUNT,
      env.locks.srcu, // leaveFault releases the SRCU read section
      ...(env.settings.retry === 'count' ? [] : ['inv']),
      ...(locked ? mmuSection(env) : []),
      ...unlockedWrite(env),
    ],
    writes: [
      at<KvmState, VcpuLocal>('s2', (v) => v.local.gfn),
      at<KvmState, VcpuLocal>('obsolete', (v) => (v.g.obsolete ? v.local.gfn : null)),
      ...unlockedWrite(env),
    ],
    jumps: [release, ACCESS],
    run: (ctx) => {
      const { g, local } = ctx;
      if (locked) ctx.acquire(env.locks.mmuFault);
      const staleRoot = staleRootCheck && local.root !== g.rootGen;
      const retry =
        staleRoot || (env.ablation !== 'no-retry' && mustRetry(env, g, local.seq, local.gfn, local.hva));
      if (!retry) {
        const w = local.w;
        const l = leaf(local.pfn, w, !isRamPfn(g, local.pfn), { priv: local.priv, mw: w && !local.priv });
        setRootLeaf(ctx, env.locks, local.root, local.gfn, l, install.label);
      }
      if (locked) ctx.release(env.locks.mmuFault);
      if (local.ref) {
        local.retry = retry;
        return release;
      }
      return leaveFault(ctx, env, retry ? 'retry' : 'done');
    },
  };
  return install;
}
