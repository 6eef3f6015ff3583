import { describe, expect, it } from 'vitest';
import { bundledModelFiles, bundledModels } from '../../models/index.ts';
import { loadModelWithSource } from '../../src/cli/load-model.ts';

describe('the bundled model registry', () => {
  it('names each model once and points at the file whose default export it is', async () => {
    const names = bundledModels.map((m) => m.name);
    expect(new Set(names).size).toBe(names.length);
    expect(Object.keys(bundledModelFiles).sort()).toEqual([...names].sort());
    for (const name of names) {
      const loaded = await loadModelWithSource(name);
      const mod = (await import(loaded.module)) as { default: unknown };
      expect(mod.default).toBe(loaded.model);
    }
  });
});
