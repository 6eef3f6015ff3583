import type { LockState } from '../model/state.ts';

/** Renames thread ids in a lock state: thread `i` becomes `map[i]` (owners, bitmasks, SRCU waits). */
export function permuteLock(l: LockState, map: Int32Array): LockState {
  switch (l.kind) {
    case 'mutex':
    case 'spinlock':
      return l.owner < 0 ? l : { ...l, owner: map[l.owner]! };
    case 'rwsem':
    case 'rwlock':
      return {
        ...l,
        writer: l.writer < 0 ? l.writer : map[l.writer]!,
        readers: permuteBits(l.readers, map),
        waitingWriters: permuteBits(l.waitingWriters, map),
      };
    case 'srcu': {
      const owed = l.owed.slice();
      for (let i = 0; i < l.owed.length; i++) owed[map[i]!] = permuteBits(l.owed[i]!, map);
      return { ...l, readers: permuteBits(l.readers, map), owed };
    }
  }
}

export function permuteBits(mask: number, map: Int32Array): number {
  let out = 0;
  for (let m = mask, i = 0; m !== 0; m >>>= 1, i++) if (m & 1) out |= 1 << map[i]!;
  return out;
}
