import { describe, expect, it } from 'vitest';
import { loadModel } from '../../src/cli/load-model.ts';
import { explore } from '../../src/driver/explore.ts';
import { instantiate } from '../../src/model/instance.ts';

/**
 * The two worked examples of docs/writing-models.md, loaded the way
 * `npx kvmcheck check ./file.ts` loads them: a new kernel-version variant
 * (arm64 v5.12) and a new scenario on bundled versions (munmap-anon).
 */
async function verifyAll(ref: string): Promise<[string, string, string][]> {
  const m = await loadModel(ref);
  return Object.entries(m.scenarios).map(([name, sc]) => {
    const r = explore(instantiate(m, { scenario: name }));
    const got = r.verdict === 'violated' ? `violated: ${r.property}` : r.verdict;
    const want =
      sc.expect?.verdict === 'violated' ? `violated: ${sc.expect.property}` : (sc.expect?.verdict ?? '?');
    return [name, got, want];
  });
}

describe('user model files (docs/writing-models.md)', () => {
  it('arm64-v5.12: the write-permission fix without the removal of the eager map', async () => {
    const cells = await verifyAll('test/models/fixtures/arm64-v5.12.ts');
    expect(cells.length).toBe(6);
    for (const [, got, want] of cells) expect(got).toBe(want);
    expect(cells.find((c) => c[0] === 'seed-race')?.[1]).toBe('violated: stage2-coherence');
    expect(cells.find((c) => c[0] === 'ro-pfnmap-remap')?.[1]).toBe('holds');
  });

  for (const ref of [
    'test/models/fixtures/munmap-anon.ts',
    'test/models/fixtures/munmap-anon.ts#x86-v5.4-munmap-anon',
  ]) {
    it(`munmap-anon (${ref.split('#')[1] ?? 'default export'})`, async () => {
      const cells = await verifyAll(ref);
      expect(cells).toEqual([['munmap-anon', 'holds', 'holds']]);
    });
  }
});
