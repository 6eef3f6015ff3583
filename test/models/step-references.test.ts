import { describe, expect, it } from 'vitest';
import { bundledModels } from '../../models/index.ts';
import { instantiate } from '../../src/model/instance.ts';

/**
 * Every step of every bundled model names the kernel function, source file
 * and version it stands for (`user_mem_abort() virt/kvm/arm/mmu.c v5.4`),
 * the version being the model's own.
 */
const REF = /\b[a-z_0-9]+\(\) [a-z0-9_/.-]+\.c v\d+\.\d+$/;

describe('kernel references of the steps', () => {
  for (const m of bundledModels) {
    it(m.name, () => {
      const missing: string[] = [];
      for (const scenario of Object.keys(m.scenarios)) {
        const inst = instantiate(m, { scenario, params: { vcpus: 1 } });
        for (const t of inst.threads)
          for (const s of t.program.steps)
            if (!s.kernel || !REF.test(s.kernel) || !s.kernel.endsWith(` ${m.kernel!.version}`))
              missing.push(`${scenario} ${t.program.name}: ${s.label} → ${s.kernel ?? '(none)'}`);
      }
      expect(missing).toEqual([]);
    });
  }
});
