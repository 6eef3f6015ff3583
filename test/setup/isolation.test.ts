import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ISOLATED } from './isolated-files.ts';

const ROOT = join(import.meta.dirname, '../..');

/** Every test file under test/, relative to the checkout. */
function testFiles(dir = join(ROOT, 'test')): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory()
      ? testFiles(join(dir, e.name))
      : /\.test\.tsx?$/.test(e.name)
        ? [relative(ROOT, join(dir, e.name))]
        : [],
  );
}

describe('test files share their worker’s modules only when that is safe', () => {
  it('every file that replaces a module (vi.mock, vi.doMock) runs isolated', () => {
    const all = testFiles();
    // the pattern is built here so that this file does not match itself
    const replaces = new RegExp(['\\bvi', '(?:mock|doMock)\\('].join('\\.'));
    const mocking = all.filter((f) => replaces.test(readFileSync(join(ROOT, f), 'utf8')));
    expect(mocking.length).toBeGreaterThan(0); // the check sees the one file known to mock
    expect(mocking.filter((f) => !ISOLATED.includes(f))).toEqual([]);
    // and the list names only files that exist
    expect(ISOLATED.filter((f) => !all.includes(f))).toEqual([]);
  });
});
