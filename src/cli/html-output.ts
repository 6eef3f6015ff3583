import { resolve } from 'node:path';
import type { CounterexampleView } from '../counterexample/view.ts';
import type { KvmcheckError } from '../errors.ts';
import type { SearchResult } from '../explore/result.ts';
import type { VerifyRow } from '../matrix/verify-row.ts';
import { checkPage } from '../html/check-page.ts';
import { verifyPages } from '../html/verify-page.ts';
import { writeFileAtomic } from '../persist/atomic-write.ts';
import type { Io } from './io.ts';
import { tryWrite } from './output-files.ts';
import type { RunSettings } from '../explore/run-settings.ts';

/** Where a page went, or why it could not be written (the result is still printed; exit status 2). */
export interface PageWritten {
  readonly path?: string;
  readonly error?: KvmcheckError;
}

/** `check --html <file>`: one self-contained page for the result and its counterexample. */
export function writeCheckPage(
  file: string,
  io: Io,
  page: {
    readonly result: SearchResult;
    readonly settings: RunSettings;
    readonly view: CounterexampleView | undefined;
  },
): PageWritten {
  const at = resolve(io.cwd, file);
  const error = tryWrite(() => writeFileAtomic(at, checkPage(page)));
  return error ? { error } : { path: file };
}

/**
 * `verify --html <file>`: the matrix page, and next to it one page per
 * counterexample (`<file minus .html>-<n>.html`), which its cells link to.
 */
export function writeVerifyPages(
  file: string,
  io: Io,
  run: { readonly rows: readonly VerifyRow[]; readonly elapsedMs: number; readonly settings?: RunSettings },
): PageWritten {
  const at = resolve(io.cwd, file);
  const pages = verifyPages(at, run);
  for (const p of pages) {
    const error = tryWrite(() => writeFileAtomic(p.path, p.html));
    if (error) return { error };
  }
  return { path: file };
}
