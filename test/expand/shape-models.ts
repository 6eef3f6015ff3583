import fc from 'fast-check';
import { DONE, defineModel, mutex, program, srcu } from '../../src/index.ts';
import type { Model, StepContext, StepSpec } from '../../src/index.ts';

/**
 * Random small models whose steps do what defeats a naive copy-on-access
 * successor: shapes that change (arrays that grow and shrink, members that
 * turn null or appear and disappear), keys written out of order, nested writes,
 * members replaced or aliased into locals, `g` enumerated and spread, and
 * writes to another thread's locals through `ctx.state`, locks taken and
 * released inside effects.
 */
export const OPS = [
  'push',
  'pop',
  'toggle-object',
  'nested',
  'toggle-key',
  'reorder',
  'enumerate',
  'other-thread',
  'replace',
  'alias',
  'leaf',
  'read-only',
  'lock',
  'srcu',
] as const;
export type Op = (typeof OPS)[number];

export interface ShapeModelGen {
  readonly threads: readonly { readonly op: Op; readonly k: number; readonly choose: boolean }[][];
}

export const shapeModelArb: fc.Arbitrary<ShapeModelGen> = fc.record({
  threads: fc.array(
    fc.array(fc.record({ op: fc.constantFrom(...OPS), k: fc.nat(2), choose: fc.boolean() }), {
      minLength: 1,
      maxLength: 3,
    }),
    { minLength: 1, maxLength: 3 },
  ),
});

const mu = mutex('mu');
const sr = srcu('sr');

interface G {
  a: number[];
  o: { x: number; y: number[] } | null;
  n: number;
  m?: number;
}
interface L {
  c: number;
  saved: number[] | null;
  loops: number;
}

function act(op: Op, k: number, ctx: StepContext<G, L>, nThreads: number): void {
  const { g, local } = ctx;
  switch (op) {
    case 'push':
      if (g.a.length < 2) g.a.push(k);
      else g.a[0] = (g.a[0]! + 1) % 3;
      return;
    case 'pop':
      g.a.pop();
      return;
    case 'toggle-object': // keys out of order: every later view sees them sorted
      g.o = g.o === null ? { y: [], x: k } : null;
      return;
    case 'nested':
      if (g.o === null) return;
      g.o.x = (g.o.x + 1) % 3;
      if (g.o.y.length < 1) g.o.y.push(k);
      else g.o.y.length = 0;
      return;
    case 'toggle-key':
      if ('m' in g) delete g.m;
      else g.m = k;
      return;
    case 'reorder': {
      // deleted and added again: last in the step's own object, in sorted place in the state
      const n = g.n;
      delete (g as { n?: number }).n;
      g.n = (n + k) % 3;
      return;
    }
    case 'enumerate': // sees the keys in their canonical order
      local.c =
        (Object.keys(g).indexOf('n') +
          Object.keys(g.o ?? {}).indexOf('x') +
          JSON.stringify({ ...g }).length) %
        3;
      return;
    case 'other-thread': {
      const other = ctx.state.threads[(ctx.tid + 1) % nThreads]!.local as L;
      other.c = (other.c + k) % 3;
      return;
    }
    case 'replace':
      g.a = g.a.map((x) => (x + k + 1) % 3);
      return;
    case 'alias':
      local.saved = local.saved === null ? g.a : null;
      if (local.saved !== null && g.a.length < 2) g.a.push(k); // seen through both names
      return;
    case 'leaf':
      g.n = (g.n + k + 1) % 3;
      return;
    case 'read-only':
      local.c = (g.n + g.a.length) % 3;
      return;
    case 'lock':
      if (ctx.holds(mu)) ctx.release(mu.lock);
      else ctx.acquire(mu.lock);
      return;
    case 'srcu':
      if (ctx.holds(sr)) ctx.release(sr.read);
      else ctx.acquire(sr.read);
      return;
  }
}

function releaseAll(ctx: StepContext<G, L>): void {
  if (ctx.holds(mu)) ctx.release(mu.lock);
  if (ctx.holds(sr)) ctx.release(sr.read);
}

export function buildShapeModel(gen: ShapeModelGen): Model<G> {
  const n = gen.threads.length;
  const progs = gen.threads.map((steps, ti) =>
    program<G, L>(
      `p${ti}`,
      steps.map((s, si): StepSpec<G, L, number> => ({
        label: `s${si}`,
        reads: ['*'],
        writes: ['*'],
        ...(s.choose ? { choose: () => [s.k, (s.k + 1) % 3] } : {}),
        ...(s.op === 'lock'
          ? { guard: (v) => v.holds(mu) || (v.state.locks.mu as { owner: number }).owner === -1 }
          : {}),
        run: (ctx, c) => {
          act(s.op, s.choose ? c : s.k, ctx, n);
          if (si < steps.length - 1) return undefined;
          releaseAll(ctx);
          if (ctx.local.loops < 1) {
            ctx.local.loops += 1;
            return 's0';
          }
          return DONE;
        },
      })),
    ),
  );
  return defineModel<G>({
    name: 'shapes',
    description: 'random shape-changing test model',
    init: () => ({ a: [], o: null, n: 0 }),
    locks: [mu, sr],
    threads: () =>
      progs.map((p, i) => ({ name: `t${i}`, program: p, local: { c: 0, saved: null, loops: 0 } })),
    properties: [],
  });
}
