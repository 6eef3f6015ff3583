import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { LONG_FILES } from './sequencer.ts';

describe('the long-files-first list', () => {
  it('names files that exist (a renamed test file must be renamed here too)', () => {
    for (const f of LONG_FILES) expect(existsSync(new URL(`../../${f}`, import.meta.url)), f).toBe(true);
  });
});
