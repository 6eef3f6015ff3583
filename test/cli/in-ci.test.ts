import { describe, expect, it } from 'vitest';
import { inCi } from '../../src/cli/io.ts';

describe('inCi: when the dashboard stays off', () => {
  it('reads the environment as Ink does (is-in-ci), so the two never disagree', () => {
    expect(inCi({})).toBe(false);
    expect(inCi({ CI: 'true' })).toBe(true);
    expect(inCi({ CI: '' })).toBe(true);
    expect(inCi({ CONTINUOUS_INTEGRATION: '1' })).toBe(true);
    expect(inCi({ CI_PIPELINE_ID: '7' })).toBe(true);
    expect(inCi({ CI: 'false', CI_PIPELINE_ID: '7' })).toBe(false);
    expect(inCi({ CI: '0' })).toBe(false);
    expect(inCi({ CI: undefined })).toBe(false);
  });
});
