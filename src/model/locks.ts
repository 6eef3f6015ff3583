import { KvmcheckError } from '../errors.ts';
import type { ExclusiveLockState, LockState, RwLockState, SrcuState } from './state.ts';

/**
 * Kernel lock primitives. A lock is declared once (usually at module scope
 * of a model component) and listed in the model's `locks`; its state lives
 * in `state.locks[name]`. Acquisition is a blocking step: the step is
 * disabled while the lock cannot be taken. Misuse (releasing a lock that is
 * not held, re-acquiring a held non-recursive lock) is a model error.
 */
export type LockKind = 'mutex' | 'spinlock' | 'rwsem' | 'rwlock' | 'srcu';
export type LockMode = 'exclusive' | 'read' | 'write';

export interface LockDef {
  readonly name: string;
  readonly kind: LockKind;
  /** rwsem/rwlock: a queued writer blocks new readers (the kernel's rwsem and qrwlock behave so). */
  readonly writerPreference: boolean;
  initial(threadCount: number): LockState;
}

/** A lock operation: the value passed as a step's `acquire` and to `ctx.release`. */
export interface LockOp {
  readonly lock: LockDef;
  readonly mode: LockMode;
  /** Kernel call this operation stands for, e.g. `down_read(&mm->mmap_sem)`. */
  readonly call: string;
}

export interface ExclusiveLock extends LockDef {
  /** mutex_lock / spin_lock */
  readonly lock: LockOp;
}
export interface RwLock extends LockDef {
  readonly read: LockOp;
  readonly write: LockOp;
}
export interface Srcu extends LockDef {
  /** srcu_read_lock */
  readonly read: LockOp;
}

const bit = (tid: number): number => 1 << tid;

function exclusive(kind: 'mutex' | 'spinlock', name: string): ExclusiveLock {
  const def: ExclusiveLock = {
    name,
    kind,
    writerPreference: false,
    initial: (): ExclusiveLockState => ({ kind, owner: -1 }),
    get lock(): LockOp {
      return {
        lock: def,
        mode: 'exclusive',
        call: kind === 'mutex' ? `mutex_lock(${name})` : `spin_lock(${name})`,
      };
    },
  };
  return def;
}

export function mutex(name: string): ExclusiveLock {
  return exclusive('mutex', name);
}

export function spinlock(name: string): ExclusiveLock {
  return exclusive('spinlock', name);
}

function readerWriter(kind: 'rwsem' | 'rwlock', name: string, writerPreference: boolean): RwLock {
  const [r, w] = kind === 'rwsem' ? ['down_read', 'down_write'] : ['read_lock', 'write_lock'];
  const def: RwLock = {
    name,
    kind,
    writerPreference,
    initial: (): RwLockState => ({ kind, writer: -1, readers: 0, waitingWriters: 0 }),
    get read(): LockOp {
      return { lock: def, mode: 'read', call: `${r}(${name})` };
    },
    get write(): LockOp {
      return { lock: def, mode: 'write', call: `${w}(${name})` };
    },
  };
  return def;
}

/**
 * A sleeping reader/writer semaphore (mmap_sem / mmap_lock).
 * `writerPreference` (default true, as the kernel's rwsem): once a writer
 * queues, new readers wait behind it. A writer's acquisition is then two
 * steps: queue, then take the lock when it is free.
 */
export function rwsem(name: string, opts: { writerPreference?: boolean } = {}): RwLock {
  return readerWriter('rwsem', name, opts.writerPreference ?? true);
}

/** A spinning reader/writer lock (arm64 mmu_lock from v5.15 on). */
export function rwlock(name: string, opts: { writerPreference?: boolean } = {}): RwLock {
  return readerWriter('rwlock', name, opts.writerPreference ?? true);
}

/** Sleepable RCU (kvm->srcu): read sections and synchronize_srcu. */
export function srcu(name: string): Srcu {
  const def: Srcu = {
    name,
    kind: 'srcu',
    writerPreference: false,
    initial: (n: number): SrcuState => ({ kind: 'srcu', readers: 0, owed: new Array<number>(n).fill(0) }),
    get read(): LockOp {
      return { lock: def, mode: 'read', call: `srcu_read_lock(${name})` };
    },
  };
  return def;
}

function misuse(code: 'E_LOCK_NOT_HELD' | 'E_LOCK_RECURSION' | 'E_LOCK_MISUSE', msg: string): KvmcheckError {
  const hint =
    code === 'E_LOCK_NOT_HELD'
      ? 'release only locks the thread took; check the control flow that reaches this step'
      : code === 'E_LOCK_RECURSION'
        ? 'kernel mutexes, spinlocks and rwsems are not recursive: release before taking again'
        : 'check the lock operation against the primitive (see docs/model-api.md)';
  return new KvmcheckError(code, msg, hint);
}

/** True when `tid` holds the lock (in any mode, or in `mode` when given). */
export function holdsLock(s: LockState, tid: number, mode?: LockMode): boolean {
  switch (s.kind) {
    case 'mutex':
    case 'spinlock':
      return s.owner === tid;
    case 'rwsem':
    case 'rwlock':
      if (mode === 'read') return (s.readers & bit(tid)) !== 0;
      if (mode === 'write') return s.writer === tid;
      return s.writer === tid || (s.readers & bit(tid)) !== 0;
    case 'srcu':
      return (s.readers & bit(tid)) !== 0;
  }
}

/** Whether the blocking acquisition by `tid` can complete now. */
export function canAcquire(def: LockDef, s: LockState, tid: number, mode: LockMode): boolean {
  switch (s.kind) {
    case 'mutex':
    case 'spinlock':
      return s.owner === -1 || s.owner === tid; // re-acquire is reported as misuse when it runs
    case 'rwsem':
    case 'rwlock':
      if (mode === 'write') return s.writer === -1 && (s.readers & ~bit(tid)) === 0;
      if (s.writer === tid || (s.readers & bit(tid)) !== 0) return true; // misuse, reported by acquire
      return s.writer === -1 && !(def.writerPreference && s.waitingWriters !== 0);
    case 'srcu':
      return true;
  }
}

export function acquireLock(def: LockDef, s: LockState, tid: number, mode: LockMode): LockState {
  const who = `thread ${tid}`;
  switch (s.kind) {
    case 'mutex':
    case 'spinlock':
      if (s.owner === tid)
        throw misuse('E_LOCK_RECURSION', `${who} takes ${def.name} which it already holds`);
      return { ...s, owner: tid };
    case 'rwsem':
    case 'rwlock':
      if (s.writer === tid || (s.readers & bit(tid)) !== 0)
        throw misuse('E_LOCK_RECURSION', `${who} takes ${def.name} (${mode}) while already holding it`);
      if (mode === 'write') return { ...s, writer: tid, waitingWriters: s.waitingWriters & ~bit(tid) };
      return { ...s, readers: s.readers | bit(tid) };
    case 'srcu':
      if ((s.readers & bit(tid)) !== 0)
        throw misuse(
          'E_LOCK_RECURSION',
          `${who} nests srcu_read_lock(${def.name}); model one section per thread`,
        );
      return { ...s, readers: s.readers | bit(tid) };
  }
}

/** Marks `tid` as a queued writer (writer-preferring rwsem/rwlock). */
export function queueWriter(def: LockDef, s: LockState, tid: number): LockState {
  if (s.kind !== 'rwsem' && s.kind !== 'rwlock')
    throw misuse('E_LOCK_MISUSE', `${def.name} is a ${s.kind}; only rwsem/rwlock writers queue`);
  if (s.writer === tid || (s.readers & bit(tid)) !== 0)
    throw misuse('E_LOCK_RECURSION', `thread ${tid} queues for ${def.name} while already holding it`);
  return { ...s, waitingWriters: s.waitingWriters | bit(tid) };
}

export function releaseLock(def: LockDef, s: LockState, tid: number, mode: LockMode): LockState {
  const who = `thread ${tid}`;
  switch (s.kind) {
    case 'mutex':
    case 'spinlock':
      if (s.owner !== tid)
        throw misuse('E_LOCK_NOT_HELD', `${who} releases ${def.name} which it does not hold`);
      return { ...s, owner: -1 };
    case 'rwsem':
    case 'rwlock':
      if (mode === 'write') {
        if (s.writer !== tid)
          throw misuse('E_LOCK_NOT_HELD', `${who} releases ${def.name} for write but is not the writer`);
        return { ...s, writer: -1 };
      }
      if ((s.readers & bit(tid)) === 0)
        throw misuse('E_LOCK_NOT_HELD', `${who} releases ${def.name} for read but holds no read lock`);
      return { ...s, readers: s.readers & ~bit(tid) };
    case 'srcu': {
      if ((s.readers & bit(tid)) === 0)
        throw misuse('E_LOCK_NOT_HELD', `${who} calls srcu_read_unlock(${def.name}) outside a read section`);
      const m = ~bit(tid);
      return { ...s, readers: s.readers & m, owed: s.owed.map((o) => o & m) };
    }
  }
}

/** synchronize_srcu, first half: the grace period waits for the readers inside a section now. */
export function startGracePeriod(def: LockDef, s: LockState, tid: number): LockState {
  if (s.kind !== 'srcu') throw misuse('E_LOCK_MISUSE', `${def.name} is a ${s.kind}, not an SRCU`);
  if ((s.readers & bit(tid)) !== 0)
    throw misuse(
      'E_LOCK_MISUSE',
      `thread ${tid} calls synchronize_srcu(${def.name}) inside its own read section`,
    );
  const owed = s.owed.slice();
  owed[tid] = s.readers;
  return { ...s, owed };
}

/** synchronize_srcu, second half: true once every pre-existing reader has left. */
export function gracePeriodOver(s: LockState, tid: number): boolean {
  return s.kind === 'srcu' && (s.owed[tid] ?? 0) === 0;
}
