import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { memoryIo } from '../../src/cli/io.ts';
import { runCli } from '../../src/cli/main.ts';
import type { KernelRow } from '../../src/cli/kernel-index.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

const cli = async (...argv: string[]) => {
  const io = memoryIo();
  const code = await runCli(argv, io);
  return { code, out: io.stdout, err: io.stderr };
};

/**
 * `kvmcheck list --kernel`: kernel function → model file and step, built
 * from the bundled models' steps. The question of issue 13: where is
 * kvm_mmu_notifier_invalidate_range_start modelled?
 */
describe('kvmcheck list --kernel', () => {
  it('answers where a kernel function is modelled, per version', async () => {
    const r = await cli(
      'list',
      '--kernel',
      '--function',
      'kvm_mmu_notifier_invalidate_range_start',
      '--json',
    );
    expect(r.code).toBe(0);
    const rows = (JSON.parse(r.out) as { kernel: KernelRow[] }).kernel;
    const kit = rows.filter((x) => x.source.startsWith('models/kvm/'));
    expect(kit.map((x) => x.source)).toContain('models/kvm/virt/kvm/mmu-notifier.ts');
    expect(kit.every((x) => x.function === 'kvm_mmu_notifier_invalidate_range_start')).toBe(true);
    const models = kit.flatMap((x) => x.models);
    for (const m of ['arm64-v5.4 (v5.4)', 'arm64-v5.13 (v5.13)', 'arm64-v6.3 (v6.3)', 'x86-v5.4 (v5.4)'])
      expect(models).toContain(m);
  });

  it('every row of the kit points at a model file that exists, with a step id', async () => {
    const r = await cli('list', '--kernel', '--json');
    const rows = (JSON.parse(r.out) as { kernel: KernelRow[] }).kernel;
    const kit = rows.filter((x) => x.source.startsWith('models/kvm/'));
    expect(kit.length).toBeGreaterThan(30);
    for (const x of kit) {
      expect(existsSync(ROOT + x.source), x.source).toBe(true);
      expect(x.id, x.label).not.toBeNull();
    }
    for (const fn of ['user_mem_abort', 'hva_to_pfn', '__kvm_set_memory_region', 'zap_pte_range'])
      expect(
        rows.some((x) => x.function === fn || x.label.includes(fn)),
        fn,
      ).toBe(true);
  });

  it('text output groups by function', async () => {
    const r = await cli('list', '--kernel', '--function', 'user_mem_abort');
    expect(r.code).toBe(0);
    for (const file of ['virt/kvm/arm/mmu.c', 'arch/arm64/kvm/mmu.c'])
      expect(r.out).toMatch(
        new RegExp(
          `^user_mem_abort\\(\\) {2}${file}\\n(.*\\n)* {2}models/kvm/arch/arm64/user-mem-abort\\.ts `,
          'm',
        ),
      );
    expect(r.out).not.toContain('tdp_page_fault');
  });
});
