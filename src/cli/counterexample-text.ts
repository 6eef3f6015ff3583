import { formatMeasures } from '../schedule/measures.ts';
import { raceDiagram } from '../counterexample/race-diagram.ts';
import type { CounterexampleView } from '../counterexample/view.ts';
import type { TraceFormat } from './counterexample-flags.ts';
import { formatTrace } from './format-result.ts';
import { verdictSentence } from './verdict-text.ts';

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
