import { describe, expect, it } from 'vitest';
import { bundledModels } from '../../models/index.ts';
import { explore } from '../../src/driver/explore.ts';
import { instantiate } from '../../src/model/instance.ts';
import type { State } from '../../src/model/state.ts';
import { dependent } from '../../src/reduction/bitset.ts';
import { Footprints } from '../../src/reduction/footprints.ts';
import { reducedCells } from './reduced-cells.ts';

/**
 * The KVM models' footprints (per gfn, per hva, per pfn: models/kvm/footprints.ts)
 * on every model × scenario: with partial-order reduction (persistent and
 * sleep sets) the search reaches the verdict the scenario expects, which
 * test/models/verdict-table.test.ts establishes without reduction — so
 * the reduced and the unreduced verdicts agree (what `--por check` checks),
 * here without running the unreduced search twice. The cells are those of
 * reduced-cells.ts (test/models/footprints.test.ts relies on them being
 * searched here to the end, breadth first).
 */
for (const m of bundledModels.filter((x) => reducedCells.some((c) => c.m === x)))
  describe(`${m.name}: reduced verdicts`, () => {
    for (const { scenario } of reducedCells.filter((c) => c.m === m)) {
      const exp = m.scenarios[scenario]!.expect!;
      it(scenario, () => {
        const r = explore(instantiate(m, { scenario }), { por: 'on', maxStates: 2_000_000 });
        expect(r.error).toBeUndefined();
        expect([r.verdict, r.property]).toEqual([exp.verdict, 'property' in exp ? exp.property : undefined]);
      });
    }
  });

describe('per-page footprints', () => {
  const m = bundledModels.find((x) => x.name === 'arm64-v5.13')!;
  const inst = instantiate(m, { scenario: 'dirty-log' });
  const fp = new Footprints(inst);
  const vcpus = inst.threads.flatMap((t, tid) => (t.name.startsWith('vcpu') ? [tid] : []));
  const install = inst.threads[vcpus[0]!]!.program.steps.findIndex((s) =>
    s.label.includes('mmu_notifier_retry'),
  );
  /** The initial state with the two vCPUs about to install leaves for these gfns. */
  const at = (gfns: [number, number]): State => {
    const s = structuredClone(inst.init) as State;
    const threads = s.threads.map((t) => ({ ...t })) as { pc: number; local: unknown }[];
    vcpus.forEach((tid, k) => {
      threads[tid] = { pc: install, local: { ...(threads[tid]!.local as object), gfn: gfns[k], seq: 0 } };
    });
    return { ...s, threads };
  };

  it('two installs on different gfns commute; on the same gfn they do not', () => {
    const [a, b] = vcpus as [number, number];
    const apart = at([0, 1]);
    expect(dependent(fp.current(apart, a), fp.current(apart, b))).toBe(false);
    const same = at([1, 1]);
    expect(dependent(fp.current(same, a), fp.current(same, b))).toBe(true);
  });

  it('an install that will bail out on mmu_notifier_retry writes no leaf', () => {
    const s = at([0, 1]);
    const retrying: State = { ...s, g: { ...(s.g as object), seq: 1 } };
    const [a] = vcpus as [number];
    const t = fp.current(retrying, a);
    expect(t.w.some((x) => x !== 0)).toBe(false);
  });
});
