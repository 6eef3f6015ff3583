import { describe, expect, it } from 'vitest';
import { globMatcher } from '../../src/matrix/glob.ts';

describe('globMatcher: --filter on model/scenario', () => {
  it('matches the whole model/scenario, with * crossing the slash', () => {
    const m = globMatcher('arm64-*/race-*');
    expect(m('arm64-v5.4', 'race-unmap')).toBe(true);
    expect(m('x86-v5.4', 'race-unmap')).toBe(false);
    expect(m('arm64-v5.4', 'basic')).toBe(false);
    expect(globMatcher('*unmap*')('arm64-v5.4', 'race-unmap')).toBe(true);
  });
  it('a pattern without a slash also selects whole models', () => {
    const m = globMatcher('arm64-v5.4');
    expect(m('arm64-v5.4', 'anything')).toBe(true);
    expect(m('arm64-v5.13', 'anything')).toBe(false);
  });
  it('treats dots literally and supports ? and {a,b}', () => {
    expect(globMatcher('arm64-v5.4')('arm64-v5x4', 's')).toBe(false);
    const m = globMatcher('{arm64,x86}-v?.4/*');
    expect(m('x86-v5.4', 's')).toBe(true);
    expect(m('arm64-v6.4', 's')).toBe(true);
    expect(m('arm64-v6.13', 's')).toBe(false);
  });
  it('rejects an unclosed brace with a usage error', () => {
    expect(() => globMatcher('{a,b')).toThrow(/unclosed/);
  });
});
