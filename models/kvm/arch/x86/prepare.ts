import type { PrepareBuilder } from '../../virt/kvm/memslots.ts';

/** x86: kvm_arch_prepare_memory_region does no VMA work (MOVE only allocates arch metadata). */
export function noPrepare(): PrepareBuilder {
  return () => ({ main: [], error: [], canFail: false });
}
