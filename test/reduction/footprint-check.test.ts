import { afterEach, describe, expect, it } from 'vitest';
import { explore } from '../../src/driver/explore.ts';
import { cacheTuning } from '../../src/expand/cache/transition-cache.ts';
import { defineModel, invariant, mutex, program, thread } from '../../src/index.ts';
import type { Model, StepSpec } from '../../src/index.ts';
import { instantiate } from '../../src/model/instance.ts';
import { peekGuard, peekProperty } from '../fixtures/por-models.ts';

const tuning = { ...cacheTuning };
afterEach(() => Object.assign(cacheTuning, tuning));

/** Every way the search may run: the cache on, off, and switched off by itself after a few lookups. */
const CACHE_MODES: [string, () => { cache: boolean }][] = [
  ['cache on', () => ({ cache: true })],
  ['cache off', () => ({ cache: false })],
  [
    'cache switched itself off',
    () => {
      Object.assign(cacheTuning, { probation: 2, minHitRate: 2 });
      return { cache: true };
    },
  ],
];

describe('--por on checks every read and write against the declared footprints (E_FOOTPRINT)', () => {
  for (const [mode, opts] of CACHE_MODES) {
    it(`a guard reading another thread's local, undeclared: stopped, not a false holds (${mode})`, () => {
      const off = explore(instantiate(peekGuard(false)), { ...opts() });
      expect(off.verdict).toBe('violated');
      const r = explore(instantiate(peekGuard(false)), { ...opts(), por: 'on' });
      expect(r.verdict).toBe('error');
      expect(r.error?.code).toBe('E_FOOTPRINT');
      expect(r.error?.message).toContain("step 'see' of b reads the state of thread a");
      expect(r.error?.hint).toContain("thread('a')");
    });

    it(`a property reading the threads' locals, undeclared: stopped, not a false holds (${mode})`, () => {
      expect(explore(instantiate(peekProperty(false)), opts()).verdict).toBe('violated');
      const r = explore(instantiate(peekProperty(false)), { ...opts(), por: 'on' });
      expect(r.error?.code).toBe('E_FOOTPRINT');
      expect(r.error?.message).toContain("property 'not-both' reads the state of thread");
    });
  }

  it('declared with thread() / threads(), the reduction keeps the verdicts', () => {
    for (const [m, want] of [
      [peekGuard(true), 'violated'],
      [peekProperty(true), 'violated'],
    ] as const) {
      const checked = explore(instantiate(m), { por: 'check' });
      expect(checked.verdict).toBe(want);
      expect(checked.porCheck?.sameVerdict).toBe(true);
    }
  });

  it('an unknown thread name in a footprint is a model error', () => {
    const m = defineModel<{ n: number }>({
      name: 'unknown-thread',
      description: 'names a thread that does not exist',
      init: () => ({ n: 0 }),
      locks: [],
      threads: () => [
        {
          name: 't',
          local: {},
          program: program<{ n: number }, object>('p', [
            { label: 's', reads: [thread('nobody')], writes: [], guard: () => true },
          ]),
        },
      ],
      properties: [],
    });
    expect(() => explore(instantiate(m), { por: 'on' })).toThrow(
      expect.objectContaining({
        code: 'E_MODEL_INVALID',
        message: expect.stringContaining('thread("nobody")'),
      }),
    );
  });

  const l = mutex('l');
  type G = { a: number; b: number[] };
  const small = (steps: StepSpec<G, object, unknown>[], locks = [l]): Model<G> =>
    defineModel<G>({
      name: 'small',
      description: 'one thread',
      init: () => ({ a: 0, b: [0, 0] }),
      locks,
      threads: () => [
        { name: 't', local: {}, program: program<G, object>('p', steps) },
        {
          name: 'u',
          local: {},
          program: program<G, object>('q', [{ label: 'idle', reads: [], writes: [] }]),
        },
      ],
      properties: [invariant<G>({ name: 'p', description: 'reads a', reads: ['a'], holds: () => true })],
    });

  it('names an undeclared write down to the path, and accepts a covering prefix', () => {
    const bad = explore(
      instantiate(small([{ label: 'w', reads: [], writes: ['b.0'], run: ({ g }) => void (g.b[1] = 1) }])),
      {
        por: 'on',
      },
    );
    expect(bad.error?.code).toBe('E_FOOTPRINT');
    expect(bad.error?.message).toContain("step 'w' of t writes g.b.1, which its writes (b.0) do not cover");
    const ok = explore(
      instantiate(small([{ label: 'w', reads: [], writes: ['b'], run: ({ g }) => void (g.b[1] = 1) }])),
      {
        por: 'on',
      },
    );
    expect(ok.verdict).toBe('holds');
  });

  it('an undeclared lock read is caught; a thread asking whether it holds a lock itself is not a read', () => {
    const peek = explore(
      instantiate(
        small([
          { label: 'peek', reads: [], writes: [], guard: ({ state }) => state.locks.l!.kind === 'mutex' },
        ]),
      ),
      { por: 'on' },
    );
    expect(peek.error?.code).toBe('E_FOOTPRINT');
    expect(peek.error?.message).toContain('reads lock l');
    const own = explore(
      instantiate(
        small([
          { label: 'take', acquire: l.lock },
          { label: 'mine', reads: [], writes: ['a'], run: (ctx) => void (ctx.g.a = ctx.holds(l) ? 1 : 0) },
          { label: 'drop', release: l.lock },
        ]),
      ),
      { por: 'on' },
    );
    expect(own.verdict).toBe('holds');
  });

  it("an effect reading ctx.state reads everything: it must declare '*'", () => {
    const r = explore(
      instantiate(
        small([
          {
            label: 'all',
            reads: ['a'],
            writes: ['a'],
            run: (ctx) => void (ctx.g.a = ctx.state.threads.length),
          },
        ]),
      ),
      { por: 'on' },
    );
    expect(r.error?.code).toBe('E_FOOTPRINT');
    const star = explore(
      instantiate(
        small([
          {
            label: 'all',
            reads: ['*'],
            writes: ['a'],
            run: (ctx) => void (ctx.g.a = ctx.state.threads.length),
          },
        ]),
      ),
      { por: 'on' },
    );
    expect(star.verdict).toBe('holds');
  });
});
