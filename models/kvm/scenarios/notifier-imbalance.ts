import type { KvmScenario } from '../kit/scenario.ts';
import { TODAY_MODELS, violatedOn } from './expect.ts';
import { seedRace } from './seed-race.ts';

/**
 * Ablation on v5.15+: the notifier counts only when the range hits a memslot
 * (071064f14d87), but publication does not wait for active invalidations
 * (52ac8b358b0c removed): a slot published between a munmap's
 * invalidate_range_start and _end makes _end decrement a count that _start
 * never incremented.
 */
export const seedRaceNoMnWait: KvmScenario = {
  ...seedRace,
  name: 'seed-race-no-mn-wait',
  description: 'ablation: the seed race with memslot publication not waiting for mn_active_invalidate_count',
  params: { ablation: 'no-mn-active-wait' },
  expect: violatedOn('notifier-count', 'arm64-v6.3', ...TODAY_MODELS),
};
