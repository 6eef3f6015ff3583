import { describe, expect, it } from 'vitest';
import { explore } from '../../src/driver/explore.ts';
import { DONE, at, defineModel, invariant, program } from '../../src/index.ts';
import type { FootprintList, Model } from '../../src/index.ts';
import { instantiate } from '../../src/model/instance.ts';

/**
 * State-dependent footprints: `at` items and footprint functions. Two
 * threads each bump their own cell of `x` (the cell is a local), a third
 * thread reads cell 0 twice and flags a change it saw in between.
 */
type G = { x: number[]; saw: number; bad: boolean };
type L = { cell: number; n: number };

function model(writes: FootprintList<G, L>, bumpers = 2): Model<G> {
  const bump = program<G, L>('bump', [
    {
      label: 'bump',
      reads: [at<G, L>('x', ({ local }) => local.cell)],
      writes,
      jumps: ['bump', DONE],
      run: ({ g, local }) => {
        g.x[local.cell]! += 1;
        return ++local.n < 2 ? 'bump' : DONE;
      },
    },
  ]);
  const watch = program<G, L>('watch', [
    { label: 'look', reads: ['x.0'], writes: ['saw'], run: ({ g }) => void (g.saw = g.x[0]!) },
    {
      label: 'again',
      reads: ['x.0', 'saw'],
      writes: ['bad'],
      run: ({ g }) => void (g.bad = g.x[0] !== g.saw),
    },
  ]);
  return defineModel<G>({
    name: 'cells',
    description: 'threads bumping their own cell, and a watcher',
    init: () => ({ x: [0, 0], saw: 0, bad: false }),
    threads: () => [
      ...[0, 1].slice(0, bumpers).map((cell) => ({ name: `b${cell}`, program: bump, local: { cell, n: 0 } })),
      { name: 'w', program: watch, local: { cell: 0, n: 0 } },
    ],
    properties: [
      invariant<G>({
        name: 'no-change-seen',
        description: 'x[0] never changes under the watcher',
        reads: ['bad'],
        holds: (s) => !s.g.bad,
      }),
    ],
  });
}

const opts = { checkDeadlock: false } as const;

describe('state-dependent footprints', () => {
  it('exact `at` items and functions keep the verdict and reduce more than the whole array', () => {
    const exactAt = explore(instantiate(model([at<G, L>('x', ({ local }) => local.cell)])), {
      ...opts,
      por: 'check',
    });
    const exactFn = explore(instantiate(model(({ local }) => [`x.${local.cell}`])), {
      ...opts,
      por: 'check',
    });
    const whole = explore(instantiate(model(['x'])), { ...opts, por: 'on' });
    const off = explore(instantiate(model(['x'])), opts);
    for (const r of [exactAt, exactFn, whole])
      expect([r.verdict, r.property]).toEqual(['violated', 'no-change-seen']);
    expect(off.verdict).toBe('violated');
    expect(exactAt.states + exactAt.transitions).toBeLessThan(whole.states + whole.transitions);
  });

  it('a footprint that is too small stops --por on with E_FOOTPRINT (`at` item)', () => {
    // Claims the other cell: b0's writes to x[0] would look independent of the watcher.
    for (const por of ['on', 'check'] as const) {
      const r = explore(instantiate(model([at<G, L>('x', ({ local }) => 1 - local.cell)], 1)), {
        ...opts,
        por,
      });
      expect(r.verdict).toBe('error');
      expect(r.error?.code).toBe('E_FOOTPRINT');
      expect(r.error?.message).toContain("step 'bump' of b0 writes g.x.0");
    }
  });

  it('a footprint that is too small stops --por on with E_FOOTPRINT (function)', () => {
    const r = explore(instantiate(model(({ local }) => [`x.${1 - local.cell}`], 1)), { ...opts, por: 'on' });
    expect(r.verdict).toBe('error');
    expect(r.error?.code).toBe('E_FOOTPRINT');
    expect(r.error?.message).toContain('writes g.x.0');
  });
});
