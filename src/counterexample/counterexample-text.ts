import { formatMeasures } from '../schedule/measures.ts';
import { raceDiagram } from './race-diagram.ts';
import type { CounterexampleView } from './view.ts';
import { formatTrace } from './format-trace.ts';
import { verdictSentence } from '../explore/verdict-text.ts';

/** How a counterexample is printed (from check's flags and the terminal). */
export interface TraceFormat {
  readonly race: boolean;
  readonly width: number;
  readonly stepNumbers: boolean;
  /** Values are cut past this many characters (Infinity: never). */
  readonly valueWidth: number;
  /** The report's width: step labels wrap at it (80, or the terminal's up to 120). */
  readonly reportWidth?: number;
}

/** The counterexample block: its measures (before and after minimisation), then the trace or the race diagram. */
export function counterexampleText(view: CounterexampleView, f: TraceFormat): string {
  const m = view.measures;
  const head =
    view.minimisation === 'off'
      ? [`Counterexample: ${formatMeasures(m.after)} (not minimised)`]
      : [
          `Counterexample: ${formatMeasures(m.after)}`,
          `  (before minimisation: ${formatMeasures(m.before)})`,
        ];
  const trace = view.result.trace ?? [];
  const body = f.race
    ? raceDiagram(trace, {
        threads: view.threads,
        width: f.width,
        stepNumbers: f.stepNumbers,
        footer: [`=> ${view.result.message ?? ''}`],
      }).trimEnd()
    : formatTrace(trace, f.valueWidth, f.reportWidth);
  return `${head.join('\n')}\n${body}\n`;
}

/**
 * What the trace browser leaves in the scrollback for a counterexample the
 * user marked: its title and verdict, the race diagram and the replay
 * command, ready to copy into a commit message.
 */
export function printedCounterexample(view: CounterexampleView, f: Omit<TraceFormat, 'race'>): string {
  return (
    `${view.title}: ${verdictSentence(view.result)}\n` +
    counterexampleText(view, { ...f, race: true }) +
    `replay: ${view.replayCommand}\n`
  );
}
