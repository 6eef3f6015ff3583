import { describe, expect, it } from 'vitest';
import {
  acquireLock,
  canAcquire,
  gracePeriodOver,
  holdsLock,
  mutex,
  queueWriter,
  releaseLock,
  rwsem,
  spinlock,
  srcu,
  startGracePeriod,
} from '../../src/model/locks.ts';
import { KvmcheckError } from '../../src/errors.ts';

const code = (f: () => unknown): string => {
  try {
    f();
  } catch (e) {
    return e instanceof KvmcheckError ? e.code : 'not coded';
  }
  return 'no error';
};

describe('mutex and spinlock', () => {
  for (const def of [mutex('m'), spinlock('s')]) {
    it(`${def.kind}: exclusive ownership`, () => {
      let s = def.initial(3);
      expect(canAcquire(def, s, 0, 'exclusive')).toBe(true);
      s = acquireLock(def, s, 0, 'exclusive');
      expect(holdsLock(s, 0)).toBe(true);
      expect(canAcquire(def, s, 1, 'exclusive')).toBe(false);
      s = releaseLock(def, s, 0, 'exclusive');
      expect(canAcquire(def, s, 1, 'exclusive')).toBe(true);
    });
    it(`${def.kind}: misuse is a coded model error`, () => {
      const held = acquireLock(def, def.initial(2), 0, 'exclusive');
      expect(code(() => acquireLock(def, held, 0, 'exclusive'))).toBe('E_LOCK_RECURSION');
      expect(code(() => releaseLock(def, held, 1, 'exclusive'))).toBe('E_LOCK_NOT_HELD');
      expect(code(() => releaseLock(def, def.initial(2), 0, 'exclusive'))).toBe('E_LOCK_NOT_HELD');
    });
  }
});

describe('rwsem', () => {
  it('readers share, a writer excludes readers and writers', () => {
    const sem = rwsem('mmap_sem', { writerPreference: false });
    let s = sem.initial(3);
    s = acquireLock(sem, s, 0, 'read');
    expect(canAcquire(sem, s, 1, 'read')).toBe(true);
    s = acquireLock(sem, s, 1, 'read');
    expect(canAcquire(sem, s, 2, 'write')).toBe(false);
    s = releaseLock(sem, releaseLock(sem, s, 0, 'read'), 1, 'read');
    expect(canAcquire(sem, s, 2, 'write')).toBe(true);
    s = acquireLock(sem, s, 2, 'write');
    expect(canAcquire(sem, s, 0, 'read')).toBe(false);
    expect(canAcquire(sem, s, 0, 'write')).toBe(false);
    expect(code(() => releaseLock(sem, s, 2, 'read'))).toBe('E_LOCK_NOT_HELD');
  });
  it('with writer preference a queued writer blocks new readers but not the running ones', () => {
    const sem = rwsem('mmap_sem');
    let s = acquireLock(sem, sem.initial(3), 0, 'read');
    s = queueWriter(sem, s, 2);
    expect(canAcquire(sem, s, 1, 'read')).toBe(false);
    expect(canAcquire(sem, s, 2, 'write')).toBe(false);
    s = releaseLock(sem, s, 0, 'read');
    expect(canAcquire(sem, s, 2, 'write')).toBe(true);
    s = acquireLock(sem, s, 2, 'write');
    expect(s.kind === 'rwsem' && s.waitingWriters).toBe(0);
  });
  it('re-acquiring while holding is recursion', () => {
    const sem = rwsem('x');
    const s = acquireLock(sem, sem.initial(2), 0, 'read');
    expect(code(() => acquireLock(sem, s, 0, 'read'))).toBe('E_LOCK_RECURSION');
    expect(code(() => queueWriter(sem, s, 0))).toBe('E_LOCK_RECURSION');
  });
});

describe('srcu', () => {
  it('synchronize waits only for readers that were inside when it started', () => {
    const sr = srcu('kvm->srcu');
    let s = acquireLock(sr, sr.initial(3), 0, 'read');
    s = startGracePeriod(sr, s, 2);
    expect(gracePeriodOver(s, 2)).toBe(false);
    s = acquireLock(sr, s, 1, 'read'); // a new reader does not extend the grace period
    s = releaseLock(sr, s, 0, 'read');
    expect(gracePeriodOver(s, 2)).toBe(true);
    expect(holdsLock(s, 1)).toBe(true);
  });
  it('a reader that leaves and re-enters no longer holds the grace period', () => {
    const sr = srcu('s');
    let s = acquireLock(sr, sr.initial(2), 0, 'read');
    s = startGracePeriod(sr, s, 1);
    s = acquireLock(sr, releaseLock(sr, s, 0, 'read'), 0, 'read');
    expect(gracePeriodOver(s, 1)).toBe(true);
  });
  it('synchronize inside its own read section is misuse', () => {
    const sr = srcu('s');
    const s = acquireLock(sr, sr.initial(2), 0, 'read');
    expect(code(() => startGracePeriod(sr, s, 0))).toBe('E_LOCK_MISUSE');
    expect(code(() => releaseLock(sr, sr.initial(2), 1, 'read'))).toBe('E_LOCK_NOT_HELD');
  });
});
