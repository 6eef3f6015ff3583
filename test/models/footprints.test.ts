import { describe, expect, it } from 'vitest';
import { bundledModels } from '../../models/index.ts';
import { explore } from '../../src/driver/explore.ts';
import { instantiate } from '../../src/model/instance.ts';
import { searchedReduced } from '../reduction/reduced-cells.ts';

/**
 * Partial-order reduction trusts the steps' declared footprints; under
 * `--por on` the engine checks every recorded read and write against them
 * and stops with E_FOOTPRINT on the first one missing. Every bundled model
 * and scenario must pass that check. Small bounds keep the test cheap: a
 * few hundred states breadth first (the first steps of every thread) and
 * depth first (one long run deep into each scenario's later steps).
 *
 * The cells test/reduction/kvm-footprints.test.ts searches to the end
 * breadth first under `--por on` (reduced-cells.ts) have had every
 * execution of this breadth-first prefix checked there (the search is
 * deterministic: a bounded one is a prefix of the whole one); for them only
 * the depth-first run is made here.
 */
const cells = bundledModels.flatMap((m) =>
  Object.keys(m.scenarios ?? {}).map((scenario) => ({ m, scenario })),
);

describe('the bundled models declare every read and write (--por on, small bounds)', () => {
  it.each(cells.map((c) => [`${c.m.name}/${c.scenario}`, c] as const))('%s', (_label, { m, scenario }) => {
    const searches = searchedReduced(m.name, scenario) ? (['dfs'] as const) : (['bfs', 'dfs'] as const);
    for (const search of searches) {
      const r = explore(instantiate(m, { scenario }), { por: 'on', search, maxStates: 200 });
      if (r.verdict === 'error') expect.fail(`${search}: ${r.error?.code} ${r.error?.message}`);
      expect(r.states).toBeGreaterThan(1);
    }
  });
});
