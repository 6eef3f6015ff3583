import { describe, expect, it } from 'vitest';
import type { TraceStep } from '../../src/trace/trace.ts';
import { raceDiagramView } from '../../src/tui/race-diagram-view.ts';
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

  it('summarises the runs in one line, by the steps they ran', () => {
    expect(raceSummary(trace)).toBe(
      'vcpu0: read mmu_seq → inv: invalidate_start … invalidate_end → vcpu0: pin page, map stale pfn',
    );
    expect(raceSummary([])).toBe('');
  });

  it('names the functions of `function: detail` labels once per run', () => {
    const kernel = [
      step(1, 'vmm1', '__kvm_set_memory_region: mutex_lock(slots_lock)'),
      step(2, 'vmm1', 'kvm_arch_prepare_memory_region: down_read(mmap_sem)'),
      step(3, 'vmm0', '__vm_munmap: down_write(mmap_sem)'),
      step(4, 'vmm1', 'kvm_arch_prepare_memory_region: stage2_set_pte'),
      step(5, 'vmm1', 'kvm_arch_prepare_memory_region: up_read(mmap_sem)'),
      step(6, 'vcpu0', 'user_mem_abort: a'),
      step(7, 'vcpu0', 'gfn_to_pfn: b'),
      step(8, 'vcpu0', 'user_mem_abort: c'),
    ];
    expect(raceSummary(kernel)).toBe(
      'vmm1: __kvm_set_memory_region, kvm_arch_prepare_memory_region → vmm0: __vm_munmap → ' +
        'vmm1: kvm_arch_prepare_memory_region → vcpu0: user_mem_abort … user_mem_abort',
    );
  });

  it('draws one column per thread (the shared layout), numbering the line that starts each step', () => {
    const d = raceDiagramView(
      [
        step(1, 'vcpu0', 'user_mem_abort: read mmu_seq'),
        step(2, 'inv', 'unmap'),
        step(3, 'vcpu0', 'user_mem_abort: map'),
      ],
      80,
    );
    expect(d.header[0]).toMatch(/^ {2}vcpu0 +inv$/);
    const invColumn = d.header[0]!.indexOf('inv');
    expect(d.lines.map((l) => [l.text.trimEnd(), l.step])).toEqual([
      ['  user_mem_abort:', undefined],
      ['1   read mmu_seq', 1],
      [`2${' '.repeat(invColumn - 1)}unmap`, 2],
      ['3   map', 3],
    ]);
  });
});
