import { bundledModels } from '../../models/index.ts';
import type { Model } from '../../src/index.ts';

/**
 * The cells kvm-footprints.test.ts searches to the end breadth first with
 * partial-order reduction (`--por on`, which checks every read and write
 * against the declared footprints): every KVM model's scenarios that state
 * the verdict they expect.
 */
export const reducedCells: readonly { readonly m: Model; readonly scenario: string }[] = bundledModels
  .filter((m) => m.name !== 'kvm-bench')
  .flatMap((m) =>
    Object.entries(m.scenarios).flatMap(([scenario, sc]) => (sc.expect ? [{ m, scenario }] : [])),
  );

/** Does kvm-footprints.test.ts search this cell to the end under `--por on`? */
export function searchedReduced(model: string, scenario: string): boolean {
  return reducedCells.some((c) => c.m.name === model && c.scenario === scenario);
}
