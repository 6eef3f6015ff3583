import { rwsem, spinlock } from '../../src/index.ts';

/** State, locals and locks of the kvm-bench port (the Murphi `var` section of kvm-bench.m). */

export const NONE = 0;
export const ANON = 1;
export const PFNMAP = 2;
export const DEVPFN = 10;

export interface BenchG {
  vkind: number[];
  vwrite: boolean[];
  pgoff: number[];
  pte: number[];
  ptew: boolean[];
  used: boolean[];
  s2: number[];
  s2w: boolean[];
  slot: boolean;
  seq: number;
  cnt: number;
}
export interface VcpuL {
  g: number;
  wf: boolean;
  lseq: number;
  pfn: number;
  wr: boolean;
}
export interface CreateL {
  ch: number;
}
export interface OldL {
  old: number;
}

export const mmuLock = spinlock('mmu_lock');
export const mmapSem = rwsem('mmap_sem', { writerPreference: false });
