// @jsxRuntime automatic
import { Box, Text } from 'ink';
import type { SearchResult } from '../explore/result.ts';
import { describeVerdict } from '../matrix/verify-row.ts';
import { fit } from './format.ts';
import { raceDiagramView } from './race-diagram-view.ts';
import { renderValue } from '../counterexample/render-value.ts';

export interface TraceViewProps {
  readonly title: string;
  readonly result: SearchResult;
  /** 0-based index of the selected step. */
  readonly step: number;
  /** Lines available for the race diagram. */
  readonly diagramHeight: number;
  readonly width: number;
}

/** Changes listed under the diagram; a step that changes more says how many it left out. */
export const MAX_CHANGES = 8;

/** The first line of a window of `size` lines over `total`, keeping `at` inside and roughly centred. */
export function windowStart(at: number, total: number, size: number): number {
  if (total <= size) return 0;
  return Math.min(Math.max(0, at - Math.floor(size / 2)), total - size);
}

/**
 * One counterexample at one step: the race diagram (a column per thread)
 * with the step highlighted, and below it what that step changed.
 */
export function TraceView({ title, result, step, diagramHeight, width }: TraceViewProps) {
  const trace = result.trace ?? [];
  const cur = trace[step];
  const diagram = raceDiagramView(trace, width - 2);
  const at = Math.max(
    0,
    diagram.lines.findIndex((l) => l.step === step + 1),
  );
  const size = Math.max(3, diagramHeight);
  const from = windowStart(at, diagram.lines.length, size);
  const shown = diagram.lines.slice(from, from + size);
  const after = diagram.lines.length - from - shown.length;
  return (
    <Box flexDirection="column">
      <Text>
        <Text bold>{title}</Text> · {describeVerdict(result)} · step {step + 1} of {trace.length}
      </Text>
      {result.message ? <Text color="red">{fit(result.message, width)}</Text> : null}
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
            <Text bold>
              step {cur.index}: {cur.thread}
            </Text>{' '}
            {cur.step}
            {cur.choice === undefined ? '' : ` [${cur.choice}]`}
          </Text>
          {cur.kernel ? <Text dimColor>{fit(`  ${cur.kernel}`, width)}</Text> : null}
          {cur.changes.length === 0 ? <Text dimColor> (no state change)</Text> : null}
          {cur.changes.slice(0, MAX_CHANGES).map((c) => (
            <Text key={c.path}>
              {'  '}
              {c.path}: <Text dimColor>{renderValue(c.from, 60)}</Text> →{' '}
              <Text color="yellow">{renderValue(c.to, 60)}</Text>
            </Text>
          ))}
          {cur.changes.length > MAX_CHANGES ? (
            <Text dimColor>{`  … ${cur.changes.length - MAX_CHANGES} more changes`}</Text>
          ) : null}
        </Box>
      ) : null}
    </Box>
  );
}
