import type { SearchResult } from '../../src/explore/result.ts';
import type { VerifyJob } from '../../src/matrix/verify-job.ts';
import { rowOf } from '../../src/matrix/verify-row.ts';
import type { VerifyRow } from '../../src/matrix/verify-row.ts';
import type { Expectation, Model } from '../../src/index.ts';
import { explore } from '../../src/driver/explore.ts';
import { instantiate } from '../../src/model/instance.ts';
import abba from '../examples/abba.ts';
import peterson from '../examples/peterson.ts';

/** A matrix job for a test, without a worker behind it. */
export function jobOf(id: number, label: string, expect: Expectation): VerifyJob {
  const [model, scenario] = label.split('/') as [string, string];
  return { id, label, model: { module: 'file:///test.ts', name: model }, scenario, expect };
}

/** Rows computed by real searches of the example models (no numbers typed in). */
export function sampleRows(): VerifyRow[] {
  const run = (m: Model, scenario: string): SearchResult => explore(instantiate(m, { scenario }));
  return [
    rowOf(jobOf(0, 'peterson/correct', { verdict: 'holds' }), run(peterson, 'correct')),
    rowOf(
      jobOf(1, 'peterson/broken', { verdict: 'violated', property: 'mutual-exclusion' }),
      run(peterson, 'broken'),
    ),
    // expected to hold, but abba deadlocks: the mismatch
    rowOf(jobOf(2, 'abba/abba', { verdict: 'holds' }), run(abba, 'abba')),
  ];
}
