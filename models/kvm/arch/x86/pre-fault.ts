import { DONE, at } from '../../../../src/index.ts';
import type { StepContext, StepSpec, StepView } from '../../../../src/index.ts';
import { KVM_MAIN, kfn, stamp } from '../../kit/env.ts';
import type { KvmEnv } from '../../kit/env.ts';
import { FRAME_COUNT, framesAtHva, mmuSection, pageRefs } from '../../kit/footprints.ts';
import { gmemGetPfn, gmemLookupWrites } from '../../virt/kvm/guest-memfd.ts';
import { gupFastOk, gupMustWait, hvaToPfn } from '../../virt/kvm/hva-to-pfn.ts';
import { canDownRead } from '../../kit/locks.ts';
import { putPage } from '../../mm/mm.ts';
import { mustRetry } from '../../virt/kvm/mmu-notifier.ts';
import type { PreFaultLocal, VmmLocal, VmmOp } from '../../kit/ops.ts';
import { setRootLeaf } from '../../kit/stage2.ts';
import { gfnToHva, isPrivate, isRamPfn, leaf, slotOfGfn } from '../../kit/state.ts';
import type { KvmState } from '../../kit/state.ts';
import { tdpNames } from './tdp-mmu.ts';

/**
 * KVM_PRE_FAULT_MEMORY (x86, v6.10+; kvm_vcpu_pre_fault_memory in
 * virt/kvm/kvm_main.c, kvm_arch_vcpu_pre_fault_memory and kvm_tdp_map_page
 * in arch/x86/kvm/mmu/mmu.c): a VMM thread maps a guest page into the TDP
 * MMU before the guest touches it, through the fault path with `prefetch`
 * set, inside one SRCU read section for the whole call. It is the modern
 * cousin of the 2019 eager map in prepare, with the protections the eager
 * map lacked: the mmu_invalidate_seq snapshot and the retry under mmu_lock.
 *
 * kvm_tdp_map_page retries RET_PF_RETRY in place (cond_resched, no return to
 * userspace, SRCU still held). Up to v6.17 that includes a fault on a slot
 * marked KVM_MEMSLOT_INVALID, whose deletion waits in synchronize_srcu for
 * this very reader: a deadlock, fixed by 3ccbf6f47098 ("KVM: x86/mmu: Return
 * -EAGAIN if userspace deletes/moves memslot during prefault", v6.18). The
 * model renders a retry loop that re-runs the same checks as a wait until
 * one of them can change (the slot stops being INVALID), so a loop that
 * cannot end is reported as a deadlock.
 */
type Step = StepSpec<KvmState, VmmLocal>;
const SOURCE = 'models/kvm/arch/x86/pre-fault.ts';
type V = StepView<KvmState, VmmLocal>;
type Ctx = StepContext<KvmState, VmmLocal>;

const f = (l: VmmLocal): PreFaultLocal => l.fault!;

/** What the steps of one KVM_PRE_FAULT_MEMORY share: the version's names, the labels jumped to, the exit. */
interface PreFault {
  readonly env: KvmEnv;
  readonly n: ReturnType<typeof tdpNames>;
  readonly l: (s: string) => string;
  readonly next: string | typeof DONE;
  readonly retryLabel: string;
  readonly done: string;
  /** Drop the page reference, leave the SRCU read section, and return to the VMM's next operation. */
  readonly finish: (ctx: Ctx) => string | typeof DONE;
}

export function preFault(
  env: KvmEnv,
  op: Extract<VmmOp, { op: 'pre-fault' }>,
  tag: string,
  after: string | undefined,
): Step[] {
  const l = (s: string): string => `${s}${tag}`;
  const next = after ?? DONE;
  const n = tdpNames(env);
  const retryLabel = l(
    `kvm_tdp_map_page → kvm_mmu_do_page_fault (prefetch): kvm_vcpu_gfn_to_memslot, mmu_seq = ${n.seq}, private/shared mismatch check`,
  );
  const done = l(`kvm_vcpu_pre_fault_memory: ${n.release}, srcu_read_unlock, vcpu_put`);
  const finish = (ctx: Ctx): string | typeof DONE => {
    const pf = f(ctx.local);
    if (pf.ref) putPage(ctx.g, pf.pfn);
    ctx.release(env.locks.srcu.read);
    ctx.local.fault = null;
    return next;
  };
  const p: PreFault = { env, n, l, next, retryLabel, done, finish };
  return stamp<Step>(SOURCE, [
    {
      id: 'kvm_vcpu_pre_fault_memory.begin',
      label: l(
        'kvm_vcpu_pre_fault_memory: vcpu_load, srcu_read_lock; kvm_arch_vcpu_pre_fault_memory: kvm_mmu_reload, kvm_mem_is_private',
      ),
      kernel: kfn(env, 'kvm_vcpu_pre_fault_memory', KVM_MAIN),
      acquire: env.locks.srcu.read,
      reads: ['rootGen', 'priv'],
      run: ({ g, local }) => {
        local.fault = {
          gfn: op.gfn,
          root: g.rootGen,
          priv: isPrivate(g, op.gfn),
          hva: -1,
          seq: 0,
          pfn: 0,
          w: false,
          ref: false,
        };
      },
    },
    faultStep(p),
    lookupStep(p),
    mapStep(p),
    {
      id: 'kvm_vcpu_pre_fault_memory.end',
      label: done,
      kernel: kfn(env, 'kvm_vcpu_pre_fault_memory', KVM_MAIN),
      reads: [env.locks.srcu, FRAME_COUNT],
      // put_page: the page's count (its compound head's) and kind
      writes: pageRefs<VmmLocal>((v) =>
        f(v.local).ref && isRamPfn(v.g, f(v.local).pfn) ? f(v.local).pfn : null,
      ),
      jumps: [next],
      run: (ctx) => finish(ctx),
    },
  ]);
}

/** kvm_tdp_map_page: the memslot, the seq snapshot and the private/shared check; RET_PF_RETRY loops here. */
function faultStep(p: PreFault): Step {
  const { env, n, next, retryLabel, finish } = p;
  return {
    id: 'kvm_tdp_map_page.fault',
    label: retryLabel,
    kernel: kfn(env, 'kvm_tdp_map_page', n.file),
    reads: ['memslots', 'seq', 'priv', env.locks.srcu],
    // RET_PF_RETRY on a slot being deleted or moved: v6.10–v6.17 spin here, in SRCU.
    guard: (v: V) => {
      if (env.settings.prefaultEagain) return true;
      const slot = slotOfGfn(v.g.memslots, f(v.local).gfn);
      return !slot || !slot.invalid;
    },
    jumps: [next],
    run: (ctx) => {
      const { g, local } = ctx;
      const pf = f(local);
      const slot = slotOfGfn(g.memslots, pf.gfn);
      pf.seq = g.seq;
      if (!slot) return finish(ctx); // RET_PF_EMULATE: -ENOENT
      if (slot.invalid) return finish(ctx); // v6.18: -EAGAIN
      if (pf.priv !== isPrivate(g, pf.gfn)) return finish(ctx); // -EFAULT (memory fault exit)
      pf.hva = gfnToHva(slot, pf.gfn);
      pf.w = !slot.ro;
      return undefined;
    },
  };
}

/** The pfn lookup: kvm_gmem_get_pfn for a private gfn, else hva_to_pfn as a read fault. */
function lookupStep(p: PreFault): Step {
  const { env, n, l, next, finish } = p;
  return {
    id: 'kvm_tdp_map_page.lookup',
    label: l(`${n.faultin}: ${n.gmem} → kvm_gmem_get_pfn, or ${n.shared} → hva_to_pfn`),
    kernel: kfn(env, n.faultin, n.file),
    reads: [
      'vmas',
      'memslots',
      'gmem',
      'pageKind', // hva_to_pfn: special, compound and ZONE_DEVICE pages
      at<KvmState, VmmLocal>('ptes', (v) => (f(v.local).priv ? null : f(v.local).hva)),
      env.locks.mmapSem,
      env.locks.srcu,
    ],
    writes: [
      at<KvmState, VmmLocal>('ptes', (v) => (f(v.local).priv ? null : f(v.local).hva)),
      at<KvmState, VmmLocal>('frames', (v) => (f(v.local).priv ? null : framesAtHva(v, f(v.local).hva))),
      ...gmemLookupWrites<VmmLocal>((v) => f(v.local).priv),
    ],
    jumps: [next],
    guard: (v: V) => {
      const pf = f(v.local);
      if (pf.priv) return true;
      if (gupMustWait(v.g, pf.hva)) return false;
      return gupFastOk(v.g, pf.hva) || canDownRead(v as StepView<unknown, unknown>, env.locks.mmapSem);
    },
    run: (ctx) => {
      const { g, local } = ctx;
      const pf = f(local);
      if (pf.priv) {
        const pfn = gmemGetPfn(g, pf.gfn);
        if (!pfn) return finish(ctx);
        pf.pfn = pfn;
        pf.ref = true;
        return undefined;
      }
      // The prefault is a read fault (PFERR_GUEST_FINAL_MASK, no write bit).
      const r = hvaToPfn(g, pf.hva, false, 'follow_pte');
      if (!r.ok) return finish(ctx);
      pf.pfn = r.pfn;
      pf.ref = r.ref;
      pf.w = pf.w && r.writable;
      return undefined;
    },
  };
}

/** The install under the read side of mmu_lock, or RET_PF_RETRY back to the fault step. */
function mapStep(p: PreFault): Step {
  const { env, n, l, retryLabel, done } = p;
  return {
    id: 'kvm_tdp_map_page.map',
    label: l(`${n.pf}: read_lock(mmu_lock), is_page_fault_stale, kvm_tdp_mmu_map, read_unlock`),
    kernel: kfn(env, 'kvm_tdp_mmu_map', 'arch/x86/kvm/mmu/tdp_mmu.c'),
    reads: ['count', 'seq', 'inv', 'rootGen', 'pageKind', FRAME_COUNT, ...mmuSection(env)],
    writes: [
      at<KvmState, VmmLocal>('s2', (v) => f(v.local).gfn),
      at<KvmState, VmmLocal>('obsolete', (v) => (v.g.obsolete ? f(v.local).gfn : null)),
      at<KvmState, VmmLocal>('frames', (v) =>
        f(v.local).ref && isRamPfn(v.g, f(v.local).pfn) ? f(v.local).pfn : null,
      ),
    ],
    jumps: [done, retryLabel],
    run: (ctx) => {
      const { g, local } = ctx;
      const pf = f(local);
      ctx.acquire(env.locks.mmuFault);
      const stale =
        (env.settings.staleRootCheck && pf.root !== g.rootGen) ||
        (env.ablation !== 'no-retry' && mustRetry(env, g, pf.seq, pf.gfn, pf.hva));
      if (!stale) {
        const w = pf.w;
        const lf = leaf(pf.pfn, w, !isRamPfn(g, pf.pfn), { priv: pf.priv, mw: w && !pf.priv });
        setRootLeaf(ctx, env.locks, pf.root, pf.gfn, lf, 'kvm_tdp_map_page');
      }
      ctx.release(env.locks.mmuFault);
      if (!stale) return done;
      // RET_PF_RETRY: drop the page and fault again, with the root loaded at the start.
      if (pf.ref) putPage(g, pf.pfn);
      pf.ref = false;
      return retryLabel;
    },
  };
}
