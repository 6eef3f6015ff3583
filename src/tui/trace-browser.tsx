// @jsxRuntime automatic
import { Box, Text, useInput } from 'ink';
import { useReducer } from 'react';
import type { SearchResult } from '../explore/result.ts';
import { describeVerdict } from '../matrix/verify-row.ts';
import { browse } from './browse-state.ts';
import type { BrowseKey, BrowseState } from './browse-state.ts';
import { pad } from './format.ts';
import { MAX_CHANGES, TraceView, windowStart } from './trace-view.tsx';

/** A counterexample to browse: its row title (`model/scenario`) and the result holding the trace. */
export interface BrowseEntry {
  readonly title: string;
  readonly result: SearchResult;
}

export interface TraceBrowserProps {
  readonly entries: readonly BrowseEntry[];
  readonly onQuit: () => void;
  /** Terminal size the views fit into. */
  readonly width: number;
  readonly height: number;
  /** Open this entry's trace straight away (one run: `kvmcheck check`). */
  readonly openIndex?: number;
}

const LIST_HELP = '↑/↓ select · enter open · q quit';
const TRACE_HELP = '←/→ or ↑/↓ step · home/end first/last · esc back · q quit';

/**
 * After a run: pick a counterexample, then step through it with the arrow
 * keys, seeing the race diagram and the state diff of each step.
 */
export function TraceBrowser({ entries, onQuit, width, height, openIndex }: TraceBrowserProps) {
  const lengths = entries.map((e) => e.result.trace?.length ?? 0);
  const pinned = openIndex !== undefined;
  const [{ selected, open, step }, dispatch] = useReducer(
    (st: BrowseState, k: BrowseKey) => browse(st, k, lengths, pinned),
    { selected: openIndex ?? 0, open: pinned, step: 0 },
  );
  const entry = entries[selected];

  useInput((input, key) => {
    if (input === 'q') return onQuit();
    if (key.upArrow) dispatch('up');
    else if (key.downArrow) dispatch('down');
    else if (key.leftArrow) dispatch('left');
    else if (key.rightArrow) dispatch('right');
    else if (key.return) dispatch('enter');
    else if (key.home || input === 'g') dispatch('home');
    else if (key.end || input === 'G') dispatch('end');
    else if (key.escape || key.backspace || key.delete) dispatch('back');
  });

  if (!entry) return null;
  if (open)
    return (
      <Box flexDirection="column">
        <TraceView
          title={entry.title}
          result={entry.result}
          step={step}
          width={width}
          diagramHeight={height - 12 - Math.min(MAX_CHANGES, entry.result.trace?.[step]?.changes.length ?? 0)}
        />
        <Text dimColor>{openIndex === undefined ? TRACE_HELP : TRACE_HELP.replace(' · esc back', '')}</Text>
      </Box>
    );
  const tw = Math.min(40, Math.max(...entries.map((e) => e.title.length)));
  const size = Math.max(3, height - 3);
  const from = windowStart(selected, entries.length, size);
  const shown = entries.slice(from, from + size);
  const after = entries.length - from - shown.length;
  return (
    <Box flexDirection="column">
      <Text bold>
        Counterexamples{entries.length > size ? ` (${selected + 1} of ${entries.length})` : ''}
      </Text>
      {from > 0 ? <Text dimColor>{`  ⋮ ${from} above`}</Text> : null}
      {shown.map((e, k) => {
        const i = from + k;
        const text = `${i === selected ? '▶' : ' '} ${pad(e.title, tw)}  ${describeVerdict(e.result)}, ${e.result.trace?.length ?? 0} steps`;
        return i === selected ? (
          <Text key={e.title} inverse>
            {text}
          </Text>
        ) : (
          <Text key={e.title}>{text}</Text>
        );
      })}
      {after > 0 ? <Text dimColor>{`  ⋮ ${after} below`}</Text> : null}
      <Text dimColor>{LIST_HELP}</Text>
    </Box>
  );
}
