import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { kernelVersionModels } from '../../models/index.ts';
import { cellTag, parseTables, renderTables, replaceTables } from '../../scripts/models-table-render.ts';
import { runCell } from './run-cell.ts';

/**
 * docs/models.md's state-count tables (written by `npm run
 * docs:models-table`) cannot go stale silently: every cell of the matrix
 * has its entry and no other cell is listed; each entry shows the verdict
 * the scenario expects; and the small cells (up to SMALL states, a third
 * of the matrix, a few seconds) are searched again here and must show the
 * count the search computes. A change of a large cell's count is caught
 * by the next regeneration (the script refuses a matrix that disagrees).
 */
const SMALL = 100;
const doc = readFileSync(new URL('../../docs/models.md', import.meta.url), 'utf8');
const table = parseTables(doc);

const matrix = kernelVersionModels.flatMap((m) =>
  Object.entries(m.scenarios).flatMap(([scenario, sc]) =>
    sc.expect ? [{ model: m.name, scenario, expect: sc.expect }] : [],
  ),
);

describe('docs/models.md state-count tables', () => {
  it('list exactly the cells of the matrix', () => {
    const want = matrix.map((c) => `${c.model}/${c.scenario}`).sort();
    expect([...table.keys()].sort()).toEqual(want);
  });

  it('show the expected verdict of each cell', () => {
    for (const c of matrix)
      expect(table.get(`${c.model}/${c.scenario}`)?.tag, `${c.model}/${c.scenario}`).toBe(
        cellTag({ verdict: c.expect.verdict, property: 'property' in c.expect ? c.expect.property : null }),
      );
  });

  const small = matrix.filter((c) => (table.get(`${c.model}/${c.scenario}`)?.states ?? 0) <= SMALL);
  it(`show the count the search computes (the ${small.length} cells of at most ${SMALL} states)`, () => {
    expect(small.length).toBeGreaterThan(40);
    for (const c of small) {
      const r = runCell(c.model, c.scenario);
      const shown = table.get(`${c.model}/${c.scenario}`)!;
      expect({ tag: cellTag(r), states: r.states }, `${c.model}/${c.scenario}`).toEqual(shown);
    }
  });

  it('render and parse back the same cells', () => {
    const cells = [
      { model: 'arm64-v5.4', scenario: 'a', verdict: 'violated', property: 'stage2-coherence', states: 1234 },
      { model: 'x86-v6.18', scenario: 'b', verdict: 'holds', states: 7 },
      { model: 'x86-v5.4', scenario: 'b', verdict: 'deadlock', states: 14 },
    ];
    const page = replaceTables(
      'x\n<!-- models-table:start (npm run docs:models-table writes this part) -->\nold\n<!-- models-table:end -->\ny',
      renderTables(cells),
    );
    expect(Object.fromEntries(parseTables(page))).toEqual({
      'arm64-v5.4/a': { tag: 'I2', states: 1234 },
      'x86-v5.4/b': { tag: 'deadlock', states: 14 },
      'x86-v6.18/b': { tag: '', states: 7 },
    });
  });
});
