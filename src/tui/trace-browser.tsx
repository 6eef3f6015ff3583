// @jsxRuntime automatic
import { Box, Text, useInput } from 'ink';
import { useReducer, useRef, useState } from 'react';
import type { CounterexampleView } from '../counterexample/view.ts';
import type { SearchResult } from '../explore/result.ts';
import { describeVerdict } from '../explore/verdict-text.ts';
import { browse } from './browse-state.ts';
import type { BrowseKey, BrowseState } from './browse-state.ts';
import { fit, fitted, pad } from './format.ts';
import { TraceView, titleLines, windowStart } from './trace-view.tsx';

/** A counterexample to browse: its row title (`model/scenario`), the result holding the trace, and its view. */
export interface BrowseEntry {
  readonly title: string;
  readonly result: SearchResult;
  /** The minimised counterexample (measures, replay token, whole states); without it only the trace is shown. */
  readonly view?: CounterexampleView;
}

export interface TraceBrowserProps {
  readonly entries: readonly BrowseEntry[];
  /** Called on q with the entries the user marked with p, to print to the scrollback once the view is gone. */
  readonly onQuit: (marked: readonly BrowseEntry[]) => void;
  /** Terminal size the views fit into. */
  readonly width: number;
  readonly height: number;
  /** Open this entry's trace straight away (one run: `kvmcheck check`). */
  readonly openIndex?: number;
}

/** The help line under a trace, fitted to the width (the most useful keys first). */
function traceHelp(pinned: boolean, pane: boolean, marked: boolean, width: number): string {
  const keys = [
    '←/→ step',
    pane ? 's diagram' : 's state',
    marked ? 'p ✓ printed on quit' : 'p print on quit',
    'q quit',
    ...(pane ? ['PgUp/PgDn scroll'] : []),
    ...(pinned ? [] : ['esc back']),
    'home/end',
  ];
  return fit(keys.join(' · '), width);
}

const LIST_HELP = '↑/↓ select · enter open · p print on quit · q quit';

/**
 * After a run: pick a counterexample, then step through it with the arrow
 * keys, seeing the race diagram and what each step changed, or (s) the
 * whole state after the step. p marks a counterexample to be printed to the
 * scrollback (race diagram and replay command) when the browser quits.
 */
export function TraceBrowser({ entries, onQuit, width, height, openIndex }: TraceBrowserProps) {
  const lengths = entries.map((e) => e.result.trace?.length ?? 0);
  const pinned = openIndex !== undefined;
  const [{ selected, open, step }, dispatch] = useReducer(
    (st: BrowseState, k: BrowseKey) => browse(st, k, lengths, pinned),
    { selected: openIndex ?? 0, open: pinned, step: 0 },
  );
  const [pane, setPane] = useState(false);
  const [scroll, setScroll] = useState(0);
  const [marked, setMarked] = useState<readonly number[]>([]);
  // what q prints: read at once, so that "pq" typed together prints (state updates land after the chunk)
  const markedNow = useRef<readonly number[]>([]);
  const entry = entries[selected];
  const page = Math.max(3, height - 6);

  // letters typed (or pasted) faster than a redraw arrive together: each one is a key
  const letter = (ch: string): void => {
    if (ch === 'q') return onQuit(entries.filter((_, i) => markedNow.current.includes(i)));
    if (ch === 's' && open) {
      setPane((p) => !p);
      setScroll(0);
    } else if (ch === 'p') {
      const m = markedNow.current;
      markedNow.current = m.includes(selected) ? m.filter((i) => i !== selected) : [...m, selected];
      setMarked(markedNow.current);
    } else if (ch === ' ' && pane) setScroll((x) => x + page);
    else if (ch === 'g') dispatch('home');
    else if (ch === 'G') dispatch('end');
  };
  useInput((input, key) => {
    if (key.pageDown) setScroll((x) => x + page);
    else if (key.pageUp) setScroll((x) => Math.max(0, x - page));
    else if (key.upArrow) dispatch('up');
    else if (key.downArrow) dispatch('down');
    else if (key.leftArrow) dispatch('left');
    else if (key.rightArrow) dispatch('right');
    else if (key.return) dispatch('enter');
    else if (key.home) dispatch('home');
    else if (key.end) dispatch('end');
    else if (key.escape || key.backspace || key.delete) dispatch('back');
    else for (const ch of input) letter(ch);
  });

  if (!entry) return null;
  if (open)
    return (
      <Box flexDirection="column">
        <TraceView
          title={entry.title}
          result={entry.result}
          {...(entry.view ? { view: entry.view } : {})}
          step={step}
          width={width}
          bodyHeight={height - 2 - titleLines(entry.result, entry.view)}
          statePane={pane}
          scroll={scroll}
        />
        <Text dimColor>
          {traceHelp(pinned, pane && entry.view !== undefined, marked.includes(selected), width)}
        </Text>
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
        const m = e.view?.measures.after;
        const steps = `${m?.steps ?? e.result.trace?.length ?? 0} steps`;
        const mark = marked.includes(i) ? ' ⎙' : '';
        const line = (what: string): string =>
          `${i === selected ? '▶' : ' '} ${pad(e.title, tw)}  ${describeVerdict(e.result)}, ${what}${mark}`;
        // the preemptions go before anything is cut
        const text = fitted(
          [
            ...(m
              ? [line(`${steps}, ${m.preemptions} ${m.preemptions === 1 ? 'preemption' : 'preemptions'}`)]
              : []),
            line(steps),
          ],
          width,
        );
        return i === selected ? (
          <Text key={e.title} inverse>
            {text}
          </Text>
        ) : (
          <Text key={e.title}>{text}</Text>
        );
      })}
      {after > 0 ? <Text dimColor>{`  ⋮ ${after} below`}</Text> : null}
      <Text dimColor>{fit(LIST_HELP, width)}</Text>
    </Box>
  );
}
