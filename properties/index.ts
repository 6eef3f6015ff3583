import type { Property } from '../src/index.ts';
import type { KvmState } from '../models/kvm/kit/state.ts';
import { deletedSlotEmpty } from './deleted-slot-empty.ts';
import { gpcCoherence } from './gpc-coherence.ts';
import { noFreedFrameMapped } from './no-freed-frame-mapped.ts';
import { notifierCount } from './notifier-count.ts';
import { obsoleteRootEmpty } from './obsolete-root-empty.ts';
import { privateMemory } from './private-memory.ts';
import { referenceBalance } from './reference-balance.ts';
import { stage2Coherence } from './stage2-coherence.ts';
import { stage2DeviceAttributes } from './stage2-device-attributes.ts';
import { stage2UnderMmuLock } from './stage2-under-mmu-lock.ts';
import { stage2WritePermission } from './stage2-write-permission.ts';

/**
 * The properties every KVM model checks, in the order a state is judged (the
 * first one violated is the one reported).
 */
export const kvmProperties: readonly Property<KvmState>[] = [
  stage2Coherence,
  stage2WritePermission,
  stage2DeviceAttributes,
  deletedSlotEmpty,
  privateMemory,
  obsoleteRootEmpty,
  stage2UnderMmuLock,
  noFreedFrameMapped,
  notifierCount,
  gpcCoherence,
  referenceBalance,
];

export {
  deletedSlotEmpty,
  gpcCoherence,
  noFreedFrameMapped,
  notifierCount,
  obsoleteRootEmpty,
  privateMemory,
  referenceBalance,
  stage2Coherence,
  stage2DeviceAttributes,
  stage2UnderMmuLock,
  stage2WritePermission,
};
