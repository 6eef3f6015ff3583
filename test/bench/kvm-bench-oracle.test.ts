import { describe, expect, it } from 'vitest';
import model from '../../models/bench/kvm-bench.ts';
import { explore } from '../../src/driver/explore.ts';
import { instantiate } from '../../src/model/instance.ts';

/**
 * The exact oracle: with no reduction, the port of kvm-bench.m must visit
 * exactly the states and fire exactly the rules that Rumur reports for the
 * same model (../shared/bench/README.md, "The canonical step granularity").
 */
describe('kvm-bench port against Rumur', () => {
  it('2 vCPUs, fixed protocol: 803,218 distinct states, 2,021,852 transitions, holds', () => {
    const r = explore(instantiate(model, { params: { vcpus: 2 } }), { checkDeadlock: false });
    expect(r.verdict).toBe('holds');
    expect(r.states).toBe(803_218);
    expect(r.transitions).toBe(2_021_852);
  }, 300_000);
});
