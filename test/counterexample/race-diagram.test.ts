import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { counterexampleOf } from '../../src/counterexample/counterexample.ts';
import { raceDiagram, raceLayout } from '../../src/counterexample/race-diagram.ts';
import type { TraceStep } from '../../src/trace/trace.ts';
import { explore } from '../../src/driver/explore.ts';
import { instantiate } from '../../src/model/instance.ts';
import { lostUpdate } from './models.ts';
import { buildModel, modelDescArb } from './random-model.ts';

const stepArb = (threads: readonly string[]): fc.Arbitrary<TraceStep[]> =>
  fc
    .array(
      fc.record({
        thread: fc.constantFrom(...threads),
        fn: fc.option(fc.constantFrom('user_mem_abort', 'kvm_set_memslot', 'munmap'), { nil: undefined }),
        detail: fc.string({ minLength: 1, maxLength: 50 }).map((s) => s.replace(/\s+/g, ' ').trim() || 'x'),
        choice: fc.option(fc.constantFrom('gfn 0', 'write'), { nil: undefined }),
      }),
      { minLength: 1, maxLength: 25 },
    )
    .map((xs) =>
      xs.map((x, i) => ({
        index: i + 1,
        thread: x.thread,
        step: x.fn ? `${x.fn}: ${x.detail}` : x.detail.replace(/: /g, ' '),
        ...(x.choice ? { choice: x.choice } : {}),
        changes: [],
      })),
    );

describe('race diagram', () => {
  it('law: one column per participating thread, every step once, in order, in its column', () => {
    fc.assert(
      fc.property(stepArb(['vmm0', 'vcpu0', 'mm']), fc.integer({ min: 12, max: 60 }), (steps, width) => {
        const layout = raceLayout(steps, { threads: ['vcpu0', 'vmm0', 'mm'], maxColumnWidth: width });
        expect(new Set(layout.columns)).toEqual(new Set(steps.map((s) => s.thread)));
        expect(layout.columns.length).toBe(new Set(steps.map((s) => s.thread)).size);
        const starts = layout.rows.filter((r) => r.step !== undefined);
        expect(starts.map((r) => r.step)).toEqual(steps.map((s) => s.index));
        starts.forEach((r) => expect(layout.columns[r.column]).toBe(steps[r.step! - 1]!.thread));
        // the text: a header naming the columns at their offsets, then one line per row at its column's offset
        const lines = raceDiagram(steps, { threads: ['vcpu0', 'vmm0', 'mm'], maxColumnWidth: width }).split(
          '\n',
        );
        const offsets = layout.widths.map((_, i) => layout.widths.slice(0, i).reduce((a, w) => a + w + 2, 0));
        layout.columns.forEach((c, i) => expect(lines[0]!.slice(offsets[i]!).startsWith(c)).toBe(true));
        layout.rows.forEach((r, k) => {
          const line = lines[2 + k]!;
          expect(line.slice(0, offsets[r.column]!).trim()).toBe('');
          expect(line.slice(offsets[r.column]!)).toBe(r.text);
        });
      }),
    );
  });

  it('law: the diagram of any counterexample has one start line per trace step', () => {
    fc.assert(
      fc.property(modelDescArb(), (desc) => {
        const inst = instantiate(buildModel(desc));
        const r = explore(inst);
        fc.pre(r.verdict === 'violated');
        const cex = counterexampleOf(inst, r, { maxLabels: 20000 })!;
        const layout = raceLayout(cex.trace);
        expect(layout.rows.filter((x) => x.step !== undefined).length).toBe(cex.trace.length);
      }),
      { numRuns: 20 },
    );
  });

  it('draws the lost update as a kernel engineer would', () => {
    const inst = instantiate(lostUpdate);
    const cex = counterexampleOf(inst, explore(inst))!;
    const text = raceDiagram(cex.trace, {
      threads: inst.threads.map((t) => t.name),
      footer: [`=> ${cex.message}`],
    });
    expect(text).toBe(
      [
        'cpu0             cpu1',
        '---------------  ---------------',
        'inc:',
        '  read counter',
        '                 inc:',
        '                   read counter',
        '                   write counter',
        '                   finish',
        '  write counter',
        '  finish',
        '',
        '=> both incrementers finished but the counter is 1',
        '',
      ].join('\n'),
    );
  });
});
