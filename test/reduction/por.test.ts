import { describe, expect, it } from 'vitest';
import bench from '../../models/bench/kvm-bench.ts';
import type { BenchG } from '../../models/bench/kvm-bench.ts';
import { explore } from '../../src/driver/explore.ts';
import { defineModel, invariant, mutex, program } from '../../src/index.ts';
import type { Model } from '../../src/index.ts';
import { instantiate } from '../../src/model/instance.ts';
import abba from '../examples/abba.ts';
import lostUpdate from '../examples/lost-update.ts';

const VISIBLE = ['s2', 's2w', 'cnt', 'pte', 'ptew', 'vkind', 'vwrite', 'pgoff'] as const;

/** kvm-bench with one more property that records every valuation of the visible variables. */
function recording(seen: Set<string>): Model<BenchG> {
  return defineModel<BenchG>({
    ...bench,
    properties: [
      ...bench.properties,
      invariant<BenchG>({
        name: 'record',
        description: 'records the visible projection; always holds',
        reads: [...VISIBLE],
        holds: (s) => (seen.add(JSON.stringify(VISIBLE.map((k) => s.g[k]))), true),
      }),
    ],
  });
}

describe('partial-order reduction', () => {
  const variants: [string, Record<string, unknown>][] = [
    ['fixed, 1 vCPU', { vcpus: 1 }],
    ['seed race', { prefault: true }],
    ['no retry', { retry: false }],
    ['follow_pfn writable', { wbug: true, remapPfn: true }],
    ['seed race, 1 vCPU', { prefault: true, vcpus: 1 }],
  ];
  for (const [name, params] of variants)
    for (const symmetry of [false, true])
      it(`kvm-bench ${name}${symmetry ? ' + symmetry' : ''}: --por check agrees (fewer states when it holds)`, () => {
        const inst = instantiate(bench, { params });
        const opts = { checkDeadlock: false, symmetry };
        const checked = explore(inst, { ...opts, por: 'check' });
        expect(checked.error).toBeUndefined();
        const off = explore(inst, { ...opts, por: 'off' });
        expect(checked.verdict).toBe(off.verdict);
        if (off.verdict === 'holds') expect(checked.states).toBeLessThan(off.states);
        else expect(checked.trace!.length).toBeGreaterThanOrEqual(off.trace!.length);
      });

  it('reaches exactly the same valuations of the visible variables (stuttering equivalence)', () => {
    const full = new Set<string>();
    const reduced = new Set<string>();
    const a = explore(instantiate(recording(full), { params: { vcpus: 1 } }), { checkDeadlock: false });
    const b = explore(instantiate(recording(reduced), { params: { vcpus: 1 } }), {
      checkDeadlock: false,
      por: 'on',
    });
    expect(b.states).toBeLessThan(a.states);
    expect([...reduced].sort()).toEqual([...full].sort());
  });

  it('keeps deadlocks (ABBA) and holds verdicts (same order), in BFS and DFS', () => {
    for (const search of ['bfs', 'dfs'] as const) {
      expect(explore(instantiate(abba, { scenario: 'abba' }), { por: 'on', search }).verdict).toBe(
        'deadlock',
      );
      expect(explore(instantiate(abba, { scenario: 'ordered' }), { por: 'on', search }).verdict).toBe(
        'holds',
      );
    }
  });

  it('does not reduce steps without a declared footprint (lost-update declares none)', () => {
    const inst = instantiate(lostUpdate, { params: { threads: 3, locked: true } });
    expect(explore(inst, { por: 'on' }).states).toBe(explore(inst, {}).states);
  });

  it('reports a jump that the control-flow graph does not know as a model error', () => {
    const l = mutex('l');
    const target = ['again', 'x'].join('').slice(0, 5); // not a literal in run's source
    const m = defineModel<{ n: number }>({
      name: 'hidden-jump',
      description: 'a computed label',
      locks: [l],
      init: () => ({ n: 0 }),
      threads: () =>
        [0, 1].map((i) => ({
          name: `t${i}`,
          local: {},
          program: program<{ n: number }, object>('p', [
            { label: 'again', acquire: l.lock, release: l.lock },
            { label: 'local', reads: [], writes: [], run: () => undefined },
            { label: 'bump', reads: ['n'], writes: ['n'], run: ({ g }) => (++g.n < 3 ? target : undefined) },
          ]),
        })),
      properties: [invariant({ name: 'p', description: 'small', reads: ['n'], holds: (s) => s.g.n < 9 })],
    });
    const r = explore(instantiate(m), { por: 'on' });
    expect(r.verdict).toBe('error');
    expect(r.error?.code).toBe('E_MODEL_INVALID');
    expect(r.error?.message).toContain('jumps');
  });
});
