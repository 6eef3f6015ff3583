// @jsxRuntime automatic
import { Box, Text, useApp, useInput } from 'ink';
import { useEffect, useState } from 'react';
import type { SearchResult } from '../explore/result.ts';
import { describeVerdict } from '../matrix/verify-row.ts';
import { bytes, compact, duration } from './format.ts';
import type { SearchStats } from '../explore/stats.ts';
import { liveRowOf } from './live-row-data.ts';
import { LiveRow } from './live-row.tsx';
import type { SearchTracker } from './search-tracker.ts';
import { TraceBrowser } from './trace-browser.tsx';

export interface CheckAppProps {
  /** `model / scenario`, as the title of the run. */
  readonly title: string;
  readonly tracker: SearchTracker;
  /** Settles with the search result when the search ends. */
  readonly outcome: Promise<SearchResult>;
  /** Keyboard available: Ctrl+C interrupts, the counterexample is browsable. */
  readonly interactive: boolean;
  readonly onInterrupt: () => void;
  readonly width: number;
  readonly height: number;
  /** @default 500 */
  readonly tickMs?: number;
}

/**
 * `kvmcheck check` on a terminal: one live row while the search runs, then
 * the verdict and, for a counterexample, the trace browser opened on it.
 */
export function CheckApp({
  title,
  tracker,
  outcome,
  interactive,
  onInterrupt,
  width,
  height,
  tickMs = 500,
}: CheckAppProps) {
  const { exit } = useApp();
  const [tick, setTick] = useState(0);
  const [result, setResult] = useState<SearchResult>();
  const [stopping, setStopping] = useState(false);
  // the view erases itself before it exits: the command's report follows on a clean screen
  const [closed, setClosed] = useState(false);
  const close = (): void => setClosed(true);

  useEffect(() => {
    const timer = setInterval(() => setTick((t) => t + 1), tickMs);
    void outcome.then((r) => {
      clearInterval(timer);
      setResult(r);
    });
    return () => clearInterval(timer);
  }, [outcome, tickMs]);

  const browsing = result !== undefined && interactive && (result.trace?.length ?? 0) > 0;
  useEffect(() => {
    if (result && !browsing) setClosed(true);
  }, [result, browsing]);
  useEffect(() => {
    if (closed) exit();
  }, [closed, exit]);

  useInput(
    (input, key) => {
      if (!(key.ctrl && input === 'c')) return;
      if (result) close();
      else {
        setStopping(true);
        onInterrupt();
      }
    },
    { isActive: interactive },
  );

  if (closed) return null;
  if (!result)
    return (
      <Box flexDirection="column">
        <LiveRow data={liveRowOf(tracker)} frame={tick} labelWidth={Math.min(40, title.length)} />
        <MemoryLine stats={tracker.stats} />
        {stopping ? <Text color="yellow">stopping: interrupting the search…</Text> : null}
      </Box>
    );
  const good = result.verdict === 'holds';
  return (
    <Box flexDirection="column">
      <Text color={good ? 'green' : 'red'}>
        {good ? '✔' : '✘'} {title}: {describeVerdict(result)} ({compact(result.states)} states, depth{' '}
        {result.depth}, {duration(result.elapsedMs)})
      </Text>
      {browsing ? (
        <Box marginTop={1}>
          <TraceBrowser
            entries={[{ title, result }]}
            openIndex={0}
            onQuit={close}
            width={width}
            height={height - 2}
          />
        </Box>
      ) : null}
    </Box>
  );
}

/** `memory 21 B/state · visited 16.0 MB · frontier 8.0 MB · cache 0.3 MB`: where the engine's memory goes. */
function MemoryLine({ stats: s }: { readonly stats: SearchStats | undefined }) {
  if (!s?.bytesPerState) return null;
  const cache = s.cacheBytes ? ` · cache ${bytes(s.cacheBytes)}` : '';
  return (
    <Text dimColor>
      {'  '}memory {s.bytesPerState} B/state · visited {bytes(s.visitedBytes)} · frontier{' '}
      {bytes(s.frontierBytes ?? 0)}
      {cache}
    </Text>
  );
}
