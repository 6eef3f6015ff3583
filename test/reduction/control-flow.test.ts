import { describe, expect, it } from 'vitest';
import { explore } from '../../src/driver/explore.ts';
import { defineModel, invariant, program } from '../../src/index.ts';
import type { StepContext, DONE } from '../../src/index.ts';
import { instantiate } from '../../src/model/instance.ts';
import { PC_DONE } from '../../src/model/state.ts';
import { EVERYTHING } from '../../src/reduction/bitset.ts';
import { ControlFlow } from '../../src/reduction/control-flow.ts';

type G = { n: number };
type Ctx = StepContext<G, object>;

/** A logging wrapper, as a model author writes one: the labels are in `inner`'s source, not the wrapper's. */
const logged =
  (inner: (ctx: Ctx) => string | typeof DONE | undefined) =>
  (ctx: Ctx): string | typeof DONE | undefined =>
    inner(ctx);

const model = (run: (ctx: Ctx) => string | typeof DONE | undefined) =>
  defineModel<G>({
    name: 'wrapped',
    description: 'a step whose run is wrapped',
    init: () => ({ n: 0 }),
    locks: [],
    threads: () =>
      ['t0', 't1'].map((name) => ({
        name,
        local: {},
        program: program<G, object>('p', [
          { label: 'start', reads: [], writes: [], run: () => undefined },
          { label: 'bump', reads: ['n'], writes: ['n'], run },
          { label: 'end', reads: [], writes: [] },
        ]),
      })),
    properties: [
      invariant<G>({ name: 'small', description: 'n small', reads: ['n'], holds: (s) => s.g.n < 9 }),
    ],
  });

describe('jump targets of a step without `jumps`', () => {
  const inner = (ctx: Ctx) => (++ctx.g.n < 3 ? 'start' : undefined);

  it("a wrapped run keeps its targets: every label (it cannot be read from the wrapper's source)", () => {
    const inst = instantiate(model(logged(inner)));
    const prog = inst.threads[0]!.program;
    const cf = new ControlFlow(
      prog,
      prog.steps.map(() => EVERYTHING),
    );
    const bump = prog.labels.get('bump')!;
    expect([...cf.next[bump]!].sort()).toEqual(
      [PC_DONE, prog.labels.get('start')!, bump, prog.labels.get('end')!].sort(),
    );
    // and the reduced search runs the jump without a model error
    expect(explore(inst, { por: 'on' }).verdict).toBe('holds');
  });

  it('a plain run: the labels written in it (and a run that returns nothing of another function)', () => {
    const inst = instantiate(model(inner));
    const prog = inst.threads[0]!.program;
    const cf = new ControlFlow(
      prog,
      prog.steps.map(() => EVERYTHING),
    );
    expect([...cf.next[prog.labels.get('bump')!]!].sort()).toEqual(
      [PC_DONE, prog.labels.get('start')!, prog.labels.get('end')!].sort(),
    );
    const helper = (ctx: Ctx): void => void ctx.g.n;
    const quiet = instantiate(model((ctx) => void helper(ctx)));
    const qp = quiet.threads[0]!.program;
    expect(
      [
        ...new ControlFlow(
          qp,
          qp.steps.map(() => EVERYTHING),
        ).next[qp.labels.get('bump')!]!,
      ].sort(),
    ).toEqual([PC_DONE, qp.labels.get('end')!].sort());
  });
});
