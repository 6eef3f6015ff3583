import type { KvmScenario } from '../kit/scenario.ts';
import { barZapRace } from './bar-zap-race.ts';
import { daxExecLeak, daxExecLeakFixed } from './dax-exec-leak.ts';
import { deleteKsm, deleteKsmFixed, ksmNoStartUnmap } from './delete-ksm.ts';
import { deleteSlot, deleteSlotNoSync } from './delete-slot.ts';
import { dirtyLog } from './dirty-log.ts';
import { faultNoMmuLock, migration, migrationNoRetry, migrationSeqAfterGup } from './migration.ts';
import { barExec, deleteOtherSlot, mteVma, thpMunmap } from './more-kit.ts';
import { moveRace } from './move-race.ts';
import { seedRaceNoMnWait } from './notifier-imbalance.ts';
import { pgoffNonflat } from './pgoff-nonflat.ts';
import { pfncacheRace, pfncacheRaceFixed } from './pfncache-race.ts';
import { pfnmapUnref, pfnmapUnrefFixed, pfnmapUnrefNoRef } from './pfnmap-unref.ts';
import { roPfnmapMprotect } from './ro-pfnmap-mprotect.ts';
import { roPfnmapRemap } from './ro-pfnmap-remap.ts';
import { roVmaCreate } from './ro-vma-create.ts';
import { seedRace } from './seed-race.ts';
import { seedRaceTemptingFix, temptingFixDeadlock } from './tempting-fix.ts';
import { vmaShiftRace, vmaShiftRaceFixed } from './vma-shift-race.ts';
import {
  deleteRootRace,
  deleteRootRaceNoCheck,
  deleteSlotYield,
  rangedRetry,
  rangedRetryWidened,
} from './delete-root-race.ts';
import { preFaultConvert, preFaultDelete, preFaultMunmap } from './pre-fault.ts';
import {
  conversionRace,
  conversionRaceCheckBeforeSeq,
  punchHoleNoInvalidate,
  punchHoleNoRetry,
  punchHoleRace,
} from './private-memory.ts';
import { spteRace, spteRaceNoCmpxchg } from './spte-race.ts';

/** The verdict table of issue 6, one scenario per row (a model runs those that name it). */
export const tableScenarios: readonly KvmScenario[] = [
  seedRace,
  moveRace,
  pgoffNonflat,
  roPfnmapRemap,
  migration,
  deleteSlot,
];

/** Further races (inferences of the reference) and the ablations that show the properties are not vacuous. */
export const extraScenarios: readonly KvmScenario[] = [
  barZapRace,
  roPfnmapMprotect,
  roVmaCreate,
  dirtyLog,
  deleteKsm,
  migrationNoRetry,
  migrationSeqAfterGup,
  faultNoMmuLock,
  deleteSlotNoSync,
  seedRaceNoMnWait,
];

/** The new paths of today's kernels (issue 16): TDP MMU roots and SPTEs, guest_memfd, pre-faulting. */
export const todayScenarios: readonly KvmScenario[] = [
  spteRace,
  deleteRootRace,
  deleteSlotYield,
  rangedRetry,
  rangedRetryWidened,
  punchHoleRace,
  conversionRace,
  preFaultMunmap,
  preFaultDelete,
  preFaultConvert,
  spteRaceNoCmpxchg,
  deleteRootRaceNoCheck,
  punchHoleNoInvalidate,
  punchHoleNoRetry,
  conversionRaceCheckBeforeSeq,
];

/**
 * The catalogue of issue 13: real bugs of this area, each on the versions
 * that had it and with its fix as a setting (`…-fixed`), and the kit's
 * components (block mappings, MTE, a second slot) exercised.
 */
export const catalogueScenarios: readonly KvmScenario[] = [
  pfnmapUnref,
  pfnmapUnrefFixed,
  pfnmapUnrefNoRef,
  vmaShiftRace,
  vmaShiftRaceFixed,
  daxExecLeak,
  daxExecLeakFixed,
  pfncacheRace,
  pfncacheRaceFixed,
  deleteKsmFixed,
  ksmNoStartUnmap,
  temptingFixDeadlock,
  seedRaceTemptingFix,
  barExec,
  deleteOtherSlot,
  mteVma,
  thpMunmap,
];

export const allScenarios: readonly KvmScenario[] = [
  ...tableScenarios,
  ...extraScenarios,
  ...todayScenarios,
  ...catalogueScenarios,
];
