import { mutex, rwlock, rwsem, spinlock, srcu } from '../../../src/index.ts';
import type { LockDef, LockOp, RwLock, StepView } from '../../../src/index.ts';

/**
 * The locks of the protocol, created once per model (a model lists them in
 * `locks`). `mmuWrite` is how invalidations and memslot flushes take
 * kvm->mmu_lock; `mmuFault` is how the fault path takes it (read on arm64
 * v6.x, where mmu_lock is an rwlock; the spinlock everywhere else).
 */
export interface KvmLocks {
  /** kvm->slots_lock: serialises memslot writers. */
  readonly slotsLock: ReturnType<typeof mutex>;
  /** kvm->srcu: memslot readers (faults, notifiers); writers synchronize_srcu. */
  readonly srcu: ReturnType<typeof srcu>;
  /** mm->mmap_sem (mmap_lock from v5.8): writer-preferring like the kernel's rwsem, unless the setting says otherwise. */
  readonly mmapSem: RwLock;
  readonly mmuLock: LockDef;
  readonly mmuWrite: LockOp;
  readonly mmuFault: LockOp;
  readonly all: readonly LockDef[];
}

/**
 * `mmapName`: mm->mmap_sem, renamed mmap_lock in v5.8. `fairness`: the
 * kernel's rwsem prefers writers (a queued writer makes new readers wait);
 * `reader-preferring` lets readers join readers whatever is queued (a
 * what-if, see the setting `mmapSemFairness`).
 */
export function kvmLocks(
  mmuLockKind: 'spinlock' | 'rwlock',
  mmapName: 'mmap_sem' | 'mmap_lock',
  fairness: 'writer-preferring' | 'reader-preferring' = 'writer-preferring',
): KvmLocks {
  const slotsLock = mutex('slots_lock');
  const kvmSrcu = srcu('kvm->srcu');
  const mmapSem = rwsem(mmapName, { writerPreference: fairness === 'writer-preferring' });
  if (mmuLockKind === 'spinlock') {
    const mmu = spinlock('mmu_lock');
    return {
      slotsLock,
      srcu: kvmSrcu,
      mmapSem,
      mmuLock: mmu,
      mmuWrite: mmu.lock,
      mmuFault: mmu.lock,
      all: [slotsLock, kvmSrcu, mmapSem, mmu],
    };
  }
  const mmu = rwlock('mmu_lock');
  return {
    slotsLock,
    srcu: kvmSrcu,
    mmapSem,
    mmuLock: mmu,
    mmuWrite: mmu.write,
    mmuFault: mmu.read,
    all: [slotsLock, kvmSrcu, mmapSem, mmu],
  };
}

/**
 * Could this thread take mmap_sem for read right now? (No writer holds it and,
 * the rwsem being writer-preferring, none is queued.) Used by steps that take
 * mmap_sem only on some paths, e.g. GUP's slow path.
 */
export function canDownRead(v: StepView<unknown, unknown>, sem: RwLock): boolean {
  const s = v.state.locks[sem.name];
  if (!s || (s.kind !== 'rwsem' && s.kind !== 'rwlock')) return false;
  return s.writer === -1 && !(sem.writerPreference && s.waitingWriters !== 0);
}
