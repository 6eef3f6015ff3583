import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { counterexampleOf } from '../../src/counterexample/counterexample.ts';
import { raceDiagram, raceLayout, raceLines } from '../../src/counterexample/race-diagram.ts';
import { bundledModels } from '../../src/cli/load-model.ts';
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

  it('law: the diagram fits the width it is given, step numbers included', () => {
    fc.assert(
      fc.property(
        stepArb(['vmm0', 'vcpu0', 'mm']),
        fc.integer({ min: 48, max: 150 }),
        fc.boolean(),
        (steps, width, stepNumbers) => {
          const text = raceDiagram(steps, { threads: ['vcpu0', 'vmm0', 'mm'], width, stepNumbers });
          for (const line of text.split('\n')) expect(line.length, line).toBeLessThanOrEqual(width);
          const { lines } = raceLines(steps, { threads: ['vcpu0', 'vmm0', 'mm'], width, stepNumbers });
          const starts = lines.filter((l) => l.step !== undefined);
          expect(starts.map((l) => l.step)).toEqual(steps.map((x) => x.index));
          if (stepNumbers)
            for (const l of starts) expect(l.text.trimStart().startsWith(`${l.step} `)).toBe(true);
        },
      ),
    );
  });

  it("draws the seed race within 75 columns by default, in the model's thread order, wider when asked", async () => {
    const m = (await bundledModels()).find((x) => x.name === 'arm64-v5.4')!;
    const inst = instantiate(m, { scenario: 'seed-race' });
    const cex = counterexampleOf(inst, explore(inst))!;
    const threads = inst.threads.map((t) => t.name);
    const narrow = raceDiagram(cex.trace, { threads });
    expect(Math.max(...narrow.split('\n').map((l) => l.length))).toBeLessThanOrEqual(75);
    // the columns follow the model's order of the threads that take part
    const used = threads.filter((t) => cex.trace.some((x) => x.thread === t));
    expect(narrow.split('\n')[0]!.split(/ +/)).toEqual(used);
    const wide = raceDiagram(cex.trace, { threads, width: 120 });
    expect(wide.split('\n').length).toBeLessThan(narrow.split('\n').length);
    expect(Math.max(...wide.split('\n').map((l) => l.length))).toBeLessThanOrEqual(120);
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
