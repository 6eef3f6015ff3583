/* eslint-disable @typescript-eslint/no-explicit-any */
import { describe, expect, it } from 'vitest';
import { explore } from '../../src/driver/explore.ts';
import { instantiate } from '../../src/model/instance.ts';
import type { Model } from '../../src/index.ts';
import { arm64V513 } from '../../models/arm64-v5.13.ts';
import { arm64V63 } from '../../models/arm64-v6.3.ts';
import {
  DONE,
  anonLayout,
  defineExtension,
  editSteps,
  invariant,
  kvmModel,
  program,
} from '../../models/kvm/index.ts';
import type { KvmExtension, KvmModelSpec, KvmScenario, KvmState } from '../../models/kvm/index.ts';

/**
 * The kit's extension points (kit/extension.ts, kit/step-edit.ts), each
 * through a variant that uses only what `kvmcheck/kvm` exports. Verdicts are
 * computed by the search; partial-order reduction is run in `check` mode
 * wherever steps were edited, so the footprints and jumps the edits keep are
 * checked too.
 */
const migrationOnly = (name: string): KvmScenario => ({
  ...anonLayout,
  name: 'migration',
  description: 'migration vs faults',
  vmm: () => [],
  invalidator: [{ op: 'migrate', hva: 0 }],
  expect: { [name]: { verdict: 'holds' } },
});

function variant(base: KvmModelSpec, name: string, ext: KvmExtension<any>, sc?: KvmScenario): Model {
  return kvmModel({ ...base, name, scenarios: [sc ?? migrationOnly(name)], extensions: [ext] });
}

function run(m: Model, por: 'off' | 'check' = 'check', params: Record<string, unknown> = {}) {
  const r = explore(instantiate(m, { scenario: Object.keys(m.scenarios)[0], params }), { por });
  expect(r.error).toBeUndefined();
  return r;
}

const labels = (m: Model, thread: string): string[] =>
  instantiate(m, { scenario: Object.keys(m.scenarios)[0] })
    .threads.find((t) => t.name === thread)!
    .program.steps.map((s) => s.label);

describe('step edits by id', () => {
  it('replace: an install that re-reads the sequence itself breaks migration on every version', () => {
    for (const base of [arm64V513, arm64V63]) {
      const m = variant(base, `${base.name}-late-seq`, {
        name: 'late-seq',
        steps: [
          {
            // mmu_seq read under mmu_lock right before the check: the snapshot protects nothing
            id: 'user_mem_abort.install',
            replace: (old) => ({
              ...old,
              // the old footprint writes the leaf only when the retry check passes on the
              // pre-state's snapshot; this one always passes it (--por check caught that)
              writes: [...(old.writes as never[]), 's2'],
              run: (ctx: any, c: unknown) => {
                ctx.local.seq = ctx.g.seq;
                return old.run!(ctx, c);
              },
            }),
          },
        ],
      });
      const r = run(m);
      expect([r.verdict, r.property]).toEqual(['violated', 'stage2-coherence']);
      expect(run(m, 'off').states).toBe(r.porCheck?.without.states);
    }
  });

  it('after: a step inserted after the VMA lookup runs there, jumps into it stay correct', () => {
    const m = variant(arm64V513, 'after-vma', {
      name: 'check',
      steps: [{ id: 'user_mem_abort.vma_lookup', after: { label: 'my check after vma_lookup', reads: [] } }],
    });
    const l = labels(m, 'vcpu0');
    const at = l.findIndex((x) => x.startsWith('user_mem_abort: mmap_read_lock') || x.includes('find_vma'));
    expect(l[at + 1]).toBe('my check after vma_lookup');
    const r = run(m);
    expect(r.verdict).toBe('holds');
    expect(r.coverage.unfired).not.toContain('my check after vma_lookup');
  });

  it('before and remove: edits keep every program valid and the search sound', () => {
    const m = variant(arm64V63, 'edited', {
      name: 'edits',
      steps: [
        { id: 'user_mem_abort.install', before: { label: 'before install', reads: [] } },
        { id: 'kvm_mmu_notifier_invalidate_range_end.mn_active', remove: true },
      ],
    });
    const l = labels(m, 'vcpu0');
    expect(l[l.findIndex((x) => x.includes('mmu_invalidate_retry')) - 1]).toBe('before install');
    expect(labels(m, 'invalidator').some((x) => x.includes('mn_active_invalidate_count--'))).toBe(false);
    // Without the decrement mn_active_invalidate_count stays raised: harmless for
    // faults here, so the verdict is computed, and POR agrees with the full search.
    expect(run(m).verdict).toBe('holds');
  });

  it('an unknown step id is a model error with the known ids as hint', () => {
    const m = variant(arm64V513, 'typo', {
      name: 't',
      steps: [{ id: 'user_mem_abort.instal', remove: true }],
    });
    expect(() => instantiate(m, { scenario: 'migration' })).toThrow(
      /unknown step id 'user_mem_abort.instal'/,
    );
  });
});

describe('state, threads, properties, notifier consumers, operations', () => {
  interface Seen {
    seen: { starts: number; ends: number };
  }
  const counter = defineExtension<Seen>({
    name: 'counter',
    state: () => ({ seen: { starts: 0, ends: 0 } }),
    notifier: {
      start: (env) => ({
        label: 'my_consumer_invalidate_start',
        kernel: `my_consumer_invalidate_start() virt/kvm/kvm_main.c ${env.version}`,
        writes: ['seen.starts'],
        run: ({ g }) => void g.seen.starts++,
      }),
      end: (env) => ({
        label: 'my_consumer_invalidate_end',
        kernel: `my_consumer_invalidate_end() virt/kvm/kvm_main.c ${env.version}`,
        writes: ['seen.ends'],
        run: ({ g }) => void g.seen.ends++,
      }),
    },
    properties: [
      invariant<KvmState & Seen>({
        name: 'no-invalidation-ends',
        description: 'test property: the consumer never sees an end',
        reads: ['seen'],
        holds: (s) => s.g.seen.ends === 0,
      }),
    ],
  });

  it('a consumer runs inside every invalidation, in order, with its own state and property', () => {
    for (const base of [arm64V513, arm64V63]) {
      const m = variant(base, `${base.name}-counter`, counter);
      const inv = labels(m, 'invalidator');
      const start = inv.findIndex((x) => x.includes('my_consumer_invalidate_start'));
      const count = inv.findIndex(
        (x) => x.endsWith('mmu_notifier_invalidate_range_start') || x.includes('count++, unmap'),
      );
      expect(start).toBeGreaterThan(-1);
      expect(start).toBeLessThan(count); // before the count is raised, as gfn_to_pfn_cache_invalidate_start
      const r = run(m);
      expect([r.verdict, r.property]).toEqual(['violated', 'no-invalidation-ends']);
      expect(r.trace!.map((s) => s.step).some((s) => s.includes('my_consumer_invalidate_end'))).toBe(true);
    }
  });

  it('extra threads and VMM operations of an extension', () => {
    interface Ioctls {
      ioctls: number;
    }
    const ext = defineExtension<Ioctls>({
      name: 'ioctl',
      state: () => ({ ioctls: 0 }),
      vmmOps: {
        'my-ioctl': (b, op) => [
          {
            label: b.label(`my_ioctl(${op.arg})`),
            kernel: `kvm_vm_ioctl() virt/kvm/kvm_main.c ${b.env.version}`,
            writes: ['ioctls'],
            run: ({ g }) => void g.ioctls++,
          },
        ],
      },
      threads: (b) => [
        {
          name: 'refresher',
          local: {},
          program: program<KvmState & Ioctls, object>('refresher', [
            {
              label: 'refresh',
              kernel: `kvm_arch_vcpu_ioctl_run() arch/x86/kvm/x86.c ${b.env.version}`,
              reads: ['ioctls'],
              guard: ({ g }) => g.ioctls === 2,
              run: () => DONE,
            },
          ]),
        },
      ],
    });
    const sc: KvmScenario = {
      ...migrationOnly('ioctl'),
      invalidator: [],
      vmm: () => [
        [
          { op: 'my-ioctl', arg: 1 },
          { op: 'my-ioctl', arg: 2 },
        ],
      ],
    };
    const m = variant(arm64V513, 'ioctl', ext, sc);
    expect(labels(m, 'vmm0')).toEqual(['my_ioctl(1) #1', 'my_ioctl(2) #2']);
    const r = run(m, 'check', { vcpus: 0 });
    expect(r.verdict).toBe('holds');
    expect(r.coverage.unfired).toEqual([]);
    const bad: KvmScenario = { ...sc, vmm: () => [[{ op: 'no-such-op' }]] };
    expect(() => instantiate(variant(arm64V513, 'ioctl', ext, bad), { scenario: 'migration' })).toThrow(
      /unknown vmm operation 'no-such-op'/,
    );
  });

  it('state that collides with the kit, and a bad setting, are model errors', () => {
    const m = variant(arm64V513, 'clash', { name: 'clash', state: () => ({ seq: 1 }) });
    expect(() => instantiate(m, { scenario: 'migration' })).toThrow(/adds state 'seq', which exists/);
    expect(() => kvmModel({ ...arm64V513, settings: { remapped: 'follow_pgd' as never } })).toThrow(
      /setting remapped/,
    );
  });
});

describe('editSteps keeps jumps right', () => {
  const prog = () => [
    { id: 'a', label: 'A', jumps: ['B', 'C #2'], run: (_: unknown, c: unknown) => (c ? 'B' : 'C #2') },
    { id: 'b', label: 'B', run: () => 'A' },
    { id: 'c', label: 'C #2', next: 'A' },
  ];
  const call = (s: any, c: unknown) => s.run({}, c);
  const ENV = {} as never; // the edits here build no steps from the environment

  it('after: explicit jumps to the successor go through the new step; a static next moves to it', () => {
    const { steps } = editSteps(
      prog(),
      [
        { id: 'a', after: { label: 'X' } },
        { id: 'c', after: { label: 'Y' } },
      ],
      ENV,
    );
    expect(steps.map((s) => s.label)).toEqual(['A', 'X', 'B', 'C #2', 'Y #2']);
    expect([call(steps[0], true), call(steps[0], false)]).toEqual(['X', 'C #2']);
    expect(steps[0]!.jumps).toEqual(['X', 'C #2']);
    expect([steps[3]!.next, steps[4]!.next]).toEqual(['Y #2', 'A']);
  });

  it('before: every jump into the step (declared or written in the source) goes to the new one', () => {
    const { steps } = editSteps(prog(), [{ id: 'a', before: [{ label: 'P' }, { label: 'Q' }] }], ENV);
    expect(steps.map((s) => s.label)).toEqual(['P', 'Q', 'A', 'B', 'C #2']);
    expect(call(steps[3], undefined)).toBe('P');
    expect(steps[3]!.jumps).toContain('P');
    expect(steps[4]!.next).toBe('P');
  });

  it('remove: jumps into the removed step go to what followed it; unknown ids are reported', () => {
    const { steps, unmatched } = editSteps(
      prog(),
      [
        { id: 'b', remove: true },
        { id: 'zz', remove: true },
      ],
      ENV,
    );
    expect(steps.map((s) => s.label)).toEqual(['A', 'C #2']);
    expect([call(steps[0], true), steps[0]!.jumps]).toEqual(['C #2', ['C #2']]);
    expect(unmatched).toEqual(['zz']);
  });
});
