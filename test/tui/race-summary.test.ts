import { describe, expect, it } from 'vitest';
import type { TraceStep } from '../../src/counterexample/trace.ts';
import { raceDiagram } from '../../src/tui/race-diagram.ts';
import { raceSummary, runsOf } from '../../src/tui/race-summary.ts';

const step = (index: number, thread: string, label: string): TraceStep => ({
  index,
  thread,
  step: label,
  changes: [],
});
const trace = [
  step(1, 'vcpu0', 'read mmu_seq'),
  step(2, 'inv', 'invalidate_start'),
  step(3, 'inv', 'unmap'),
  step(4, 'inv', 'invalidate_end'),
  step(5, 'vcpu0', 'pin page'),
  step(6, 'vcpu0', 'map stale pfn'),
];

describe('race summary and diagram', () => {
  it('cuts the trace where the running thread changes', () => {
    expect(runsOf(trace).map((r) => [r.thread, r.first, r.steps.length])).toEqual([
      ['vcpu0', 1, 1],
      ['inv', 2, 3],
      ['vcpu0', 5, 2],
    ]);
  });

  it('summarises the runs in one line', () => {
    expect(raceSummary(trace)).toBe(
      'vcpu0: read mmu_seq → inv×3: invalidate_start … invalidate_end → vcpu0: pin page, map stale pfn',
    );
    expect(raceSummary([])).toBe('');
  });

  it('draws one column per thread, each step in its thread column', () => {
    const d = raceDiagram(trace, 60);
    expect(d.header).toMatch(/^ {2}vcpu0 +inv$/);
    const invColumn = d.header.indexOf('inv');
    expect(d.lines[0]).toBe('1 read mmu_seq');
    expect(d.lines[1]!.indexOf('invalidate_start')).toBe(invColumn);
    expect(d.lines[5]).toBe('6 map stale pfn');
  });
});
