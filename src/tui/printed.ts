import { printedCounterexample } from '../counterexample/counterexample-text.ts';
import type { TraceFormat } from '../counterexample/counterexample-text.ts';
import type { BrowseEntry } from './trace-browser.tsx';

/** The race diagrams and replay commands of the entries marked in the browser. */
export function printedEntries(
  marked: readonly BrowseEntry[],
  f: TraceFormat | undefined,
): string | undefined {
  const texts = marked.flatMap((e) =>
    e.view
      ? [printedCounterexample(e.view, f ?? { width: 75, stepNumbers: false, valueWidth: Infinity })]
      : [],
  );
  return texts.length ? texts.join('\n') : undefined;
}
