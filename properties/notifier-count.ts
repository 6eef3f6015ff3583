import { invariant } from '../src/index.ts';
import type { KvmState } from '../models/kvm/kit/state.ts';

/**
 * I9, counters: mmu_notifier_count never goes negative, and it is back to
 * zero whenever no invalidate_range_start is waiting for its
 * invalidate_range_end (each start matched by an end that sees the same
 * memslots).
 */
function problem(g: KvmState): string | null {
  if (g.count < 0) return `mmu_notifier_count is ${g.count} (the kernel hits BUG_ON)`;
  if (g.ghost.activeInvalidations === 0 && g.count !== 0)
    return `no invalidation is in progress but mmu_notifier_count is ${g.count}: faults retry forever`;
  return null;
}

export const notifierCount = invariant<KvmState>({
  name: 'notifier-count',
  description: 'I9: mmu_notifier_count >= 0 and balanced across invalidate_range_start/end',
  bugs: [
    '52ac8b358b0c "KVM: Block memslot updates across range_start() and range_end()" (v5.15): with the notifier locking only on a memslot hit, a memslot published between start and end unbalances the count',
  ],
  reads: ['count', 'ghost.activeInvalidations'],
  holds: (s) => problem(s.g) === null,
  explain: (s) => problem(s.g) ?? 'balanced',
});
