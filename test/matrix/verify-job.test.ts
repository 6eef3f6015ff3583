import { describe, expect, it } from 'vitest';
import { planMatrix } from '../../src/matrix/verify-job.ts';
import { defineModel } from '../../src/index.ts';
import peterson from '../examples/peterson.ts';
import counter from './fixtures/counter.ts';

const noExpect = defineModel({
  name: 'plain',
  description: 'a scenario without an expectation',
  scenarios: { explore: { description: 'no expect' } },
  init: () => ({}),
  threads: () => [{ name: 't', program: { name: 'p', steps: [{ label: 'x' }] }, local: {} }],
  properties: [],
});

describe('planMatrix', () => {
  const sources = [
    { module: 'file:///a.ts', models: [peterson, noExpect] },
    { module: 'file:///b.ts', models: [counter] },
  ];
  it('lists every scenario with an expectation, in order, skipping the others', () => {
    const jobs = planMatrix(sources);
    expect(jobs.map((j) => j.label)).toEqual([
      'peterson/correct',
      'peterson/broken',
      'counter/atomic',
      'counter/racy',
    ]);
    expect(jobs.map((j) => j.id)).toEqual([0, 1, 2, 3]);
    expect(jobs[1]).toMatchObject({
      model: { module: 'file:///a.ts', name: 'peterson' },
      scenario: 'broken',
      expect: { verdict: 'violated', property: 'mutual-exclusion' },
    });
  });
  it('narrows by --filter and passes the search options to every job', () => {
    const jobs = planMatrix(sources, '*/racy', { timeLimitMs: 5000 });
    expect(jobs.map((j) => j.label)).toEqual(['counter/racy']);
    expect(jobs[0]!.options).toEqual({ timeLimitMs: 5000 });
    expect(planMatrix(sources, 'counter').map((j) => j.label)).toEqual(['counter/atomic', 'counter/racy']);
  });
});
