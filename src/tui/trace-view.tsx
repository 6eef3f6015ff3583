// @jsxRuntime automatic
import { Box, Text } from 'ink';
import type { SearchResult } from '../explore/result.ts';
import type { CounterexampleView } from '../counterexample/view.ts';
import { viewHeadline } from '../counterexample/view.ts';
import { describeVerdict } from '../explore/verdict-text.ts';
import { fit } from './format.ts';
import { raceDiagramView } from './race-diagram-view.ts';
import { renderPair } from '../counterexample/render-value.ts';
import { stateLines } from './state-lines.ts';

export interface TraceViewProps {
  readonly title: string;
  readonly result: SearchResult;
  /** The minimised counterexample with its measures, token and states (absent: the bare trace). */
  readonly view?: CounterexampleView;
  /** 0-based index of the selected step. */
  readonly step: number;
  /** Lines available below the title lines (diagram or state pane, and the step's changes). */
  readonly bodyHeight: number;
  readonly width: number;
  /** Show the whole state after the step instead of the race diagram. */
  readonly statePane?: boolean;
  /** First line of the state pane shown (it scrolls). */
  readonly scroll?: number;
}

/** Changes listed under the diagram; a step that changes more says how many it left out. */
export const MAX_CHANGES = 8;

/** The first line of a window of `size` lines over `total`, keeping `at` inside and roughly centred. */
export function windowStart(at: number, total: number, size: number): number {
  if (total <= size) return 0;
  return Math.min(Math.max(0, at - Math.floor(size / 2)), total - size);
}

/** Lines the title block takes: title, headline (with a view), message. */
export function titleLines(result: SearchResult, view: CounterexampleView | undefined): number {
  return 1 + (view ? 1 : 0) + (result.message ? 1 : 0);
}

/**
 * One counterexample at one step: a title line (verdict, step), the
 * headline (`10 steps · 2 preemptions · replay kc2…`), then either the race
 * diagram (a column per thread, the model's order) with the step
 * highlighted and what the step changed, or the whole state after the step.
 */
export function TraceView(p: TraceViewProps) {
  const { title, result, view, step, width } = p;
  const trace = result.trace ?? [];
  const cur = trace[step];
  const where = ` · ${describeVerdict(result)} · step ${step + 1} of ${trace.length}`;
  const head = (
    <>
      <Text>
        <Text bold>{fit(title, Math.max(10, width - where.length))}</Text>
        {fit(where, Math.max(0, width - title.length))}
      </Text>
      {view ? <Text dimColor>{viewHeadline(view, width)}</Text> : null}
      {result.message ? <Text color="red">{fit(result.message, width)}</Text> : null}
    </>
  );
  if (p.statePane && view) {
    const lines = stateLines(view.states[step + 1] ?? [], cur?.changes ?? [], width - 1);
    const size = Math.max(3, p.bodyHeight - 1);
    const from = Math.min(Math.max(0, p.scroll ?? 0), Math.max(0, lines.length - size));
    const shown = lines.slice(from, from + size);
    const after = lines.length - from - shown.length;
    const lineRange =
      from > 0 || after > 0 ? ` (lines ${from + 1}–${from + shown.length} of ${lines.length})` : '';
    return (
      <Box flexDirection="column">
        {head}
        <Text bold>
          {fit(
            `state after step ${step + 1}: ${cur?.thread ?? ''} ${cur?.step ?? ''}`,
            width - lineRange.length,
          )}
          <Text dimColor>{lineRange}</Text>
        </Text>
        {shown.map((l, i) =>
          l.kind === 'title' ? (
            <Text key={from + i} bold color="cyan">
              {l.text}
            </Text>
          ) : l.kind === 'changed' ? (
            <Text key={from + i} color="yellow">
              {l.text}
            </Text>
          ) : (
            <Text key={from + i}>{l.text}</Text>
          ),
        )}
      </Box>
    );
  }
  const nChanges = Math.min(MAX_CHANGES, cur?.changes.length ?? 0);
  const diagramHeight = p.bodyHeight - 4 - nChanges - (cur?.kernel ? 1 : 0);
  const diagram = raceDiagramView(trace, width - 2, view?.threads);
  const at = Math.max(
    0,
    diagram.lines.findIndex((l) => l.step === step + 1),
  );
  const size = Math.max(3, diagramHeight);
  const from = windowStart(at, diagram.lines.length, size);
  const shown = diagram.lines.slice(from, from + size);
  const after = diagram.lines.length - from - shown.length;
  // the two values of a change share what the path leaves of the line
  const valueWidth = (path: string): number => Math.max(16, Math.floor((width - path.length - 8) / 2));
  return (
    <Box flexDirection="column">
      {head}
      {diagram.header.map((h, i) => (
        <Text key={`h${i}`} dimColor>{`  ${h}`}</Text>
      ))}
      {from > 0 ? <Text dimColor>{`  ⋮ ${from} lines above`}</Text> : null}
      {shown.map((l, i) =>
        from + i === at ? (
          <Text key={from + i} inverse>{`▶ ${l.text}`}</Text>
        ) : (
          <Text key={from + i}>{`  ${l.text}`}</Text>
        ),
      )}
      {after > 0 ? <Text dimColor>{`  ⋮ ${after} lines below`}</Text> : null}
      {cur ? (
        <Box flexDirection="column" marginTop={1}>
          <Text>
            <Text bold>{`step ${cur.index}: ${cur.thread}`}</Text>
            {fit(
              ` ${cur.step}${cur.choice === undefined ? '' : ` [${cur.choice}]`}`,
              Math.max(0, width - `step ${cur.index}: ${cur.thread}`.length),
            )}
          </Text>
          {cur.kernel ? <Text dimColor>{fit(`  ${cur.kernel}`, width)}</Text> : null}
          {cur.changes.length === 0 ? <Text dimColor> (no state change)</Text> : null}
          {cur.changes.slice(0, MAX_CHANGES).map((c) => {
            const [from, to] = renderPair(c.from, c.to, 2 * valueWidth(c.path));
            return (
              <Text key={c.path}>
                {'  '}
                {c.path}: <Text dimColor>{from}</Text> → <Text color="yellow">{to}</Text>
              </Text>
            );
          })}
          {cur.changes.length > MAX_CHANGES ? (
            <Text
              dimColor
            >{`  … ${cur.changes.length - MAX_CHANGES} more changes (s: the whole state)`}</Text>
          ) : null}
        </Box>
      ) : null}
    </Box>
  );
}
