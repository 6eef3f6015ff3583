import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { kernelVersionModels } from '../../models/index.ts';
import { STEP_IDS } from '../../models/kvm/index.ts';
import { instantiate } from '../../src/model/instance.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/**
 * Every step of the kernel-version models carries a stable id from the
 * kit's registry (what step edits name) and the model file that defines it
 * (what `list --kernel` shows); every id of the registry is used.
 */
describe('step ids and sources of the KVM models', () => {
  const used = new Set<string>();
  const problems: string[] = [];
  for (const m of kernelVersionModels)
    for (const scenario of Object.keys(m.scenarios))
      for (const t of instantiate(m, { scenario, params: { vcpus: 1 } }).threads)
        for (const s of t.program.steps) {
          if (!s.spec) continue; // engine-made steps (writer queueing, SRCU grace period)
          const { id, source } = s.spec;
          if (id === undefined || !(id in STEP_IDS)) problems.push(`${m.name} ${s.label}: id ${id}`);
          else used.add(id);
          if (!source || !/^models\/kvm\/(mm|virt\/kvm|arch\/[a-z0-9]+|kit)\/[a-z0-9-]+\.ts$/.test(source))
            problems.push(`${m.name} ${s.label}: source ${source}`);
          else if (!existsSync(ROOT + source)) problems.push(`${m.name} ${s.label}: no file ${source}`);
        }

  it('every step has a registered id and a kit source file', () => {
    expect(problems).toEqual([]);
  });

  it('every registered id is used by some bundled model', () => {
    expect(Object.keys(STEP_IDS).filter((id) => !used.has(id))).toEqual([]);
  });
});
