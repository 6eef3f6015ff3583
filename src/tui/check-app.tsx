// @jsxRuntime automatic
import { Box, Text, useApp, useInput } from 'ink';
import { useEffect, useState } from 'react';
import type { SearchResult } from '../explore/result.ts';
import { describeVerdict } from '../explore/verdict-text.ts';
import { COLLISION_WARNING } from '../state/fingerprint.ts';
import { bytes, compact, duration, fit, fitted } from './format.ts';
import type { CounterexampleView } from '../counterexample/view.ts';
import type { BrowseEntry } from './trace-browser.tsx';
import type { SearchStats } from '../explore/stats.ts';
import { liveRowOf } from './live-row-data.ts';
import { LIVE_COLUMNS, LiveRow } from './live-row.tsx';
import type { SearchTracker } from './search-tracker.ts';
import { TraceBrowser } from './trace-browser.tsx';

export interface CheckAppProps {
  /** `model / scenario`, as the title of the run. */
  readonly title: string;
  /** The reductions and workers in force (`bfs · por off · …`), shown over the live row. */
  readonly settings?: string;
  /** The resident-memory cap that stops the search, in bytes. */
  readonly maxMemory?: number;
  /** Resident memory, injectable for tests. @default process.memoryUsage.rss */
  readonly rss?: () => number;
  /** The minimised counterexample, once known (the result's trace is then the minimised one). */
  readonly view?: Promise<CounterexampleView | undefined>;
  /** Called when the user quits the browser, with the counterexamples marked for printing. */
  readonly onQuit?: (marked: readonly BrowseEntry[]) => void;
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
  settings,
  maxMemory,
  rss,
  view: viewPromise,
  onQuit,
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
  const [view, setView] = useState<CounterexampleView>();
  const [stopping, setStopping] = useState(false);
  // the view erases itself before it exits: the command's report follows on a clean screen
  const [closed, setClosed] = useState(false);
  const close = (): void => setClosed(true);

  useEffect(() => {
    const timer = setInterval(() => setTick((t) => t + 1), tickMs);
    void outcome.then(async (r) => {
      clearInterval(timer);
      setView(await viewPromise);
      setResult(r);
    });
    return () => clearInterval(timer);
  }, [outcome, tickMs, viewPromise]);

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
        {settings ? <Text dimColor>{fit(`${title} · ${settings}`, width)}</Text> : null}
        <LiveRow
          data={liveRowOf(tracker)}
          frame={tick}
          labelWidth={Math.min(40, title.length, Math.max(10, width - LIVE_COLUMNS))}
          width={width}
        />
        <MemoryLine
          stats={tracker.stats}
          rss={(rss ?? (() => process.memoryUsage.rss()))()}
          {...(maxMemory !== undefined ? { cap: maxMemory } : {})}
          width={width}
        />
        {stopping ? <Text color="yellow">stopping: interrupting the search…</Text> : null}
      </Box>
    );
  const good = result.verdict === 'holds';
  return (
    <Box flexDirection="column">
      <Text color={good ? 'green' : 'red'}>
        {fitted(
          [
            `${good ? '✔' : '✘'} ${title}: ${describeVerdict(result)} (${compact(result.states)} states, depth ${result.depth}, ${duration(result.elapsedMs)})`,
            `${good ? '✔' : '✘'} ${title}: ${describeVerdict(result)} (${compact(result.states)} states, ${duration(result.elapsedMs)})`,
          ],
          width,
        )}
      </Text>
      {browsing ? (
        <Box marginTop={1}>
          <TraceBrowser
            entries={[{ title, result, ...(view ? { view } : {}) }]}
            openIndex={0}
            onQuit={(marked) => {
              onQuit?.(marked);
              close();
            }}
            width={width}
            height={height - 2}
          />
        </Box>
      ) : null}
    </Box>
  );
}

/**
 * `memory 21 B/state · visited 16.0 MB · frontier 8.0 MB · RSS 310 MB of 20.4 GB cap`:
 * where the engine's memory goes (the frontier spilled to disk, and the
 * fingerprint collision probability once it passes 10⁻⁶, when there are),
 * and the process's resident memory against the cap that would stop the search.
 */
export function MemoryLine(p: {
  readonly stats: SearchStats | undefined;
  readonly rss: number;
  readonly cap?: number;
  readonly width: number;
}) {
  const s = p.stats;
  const parts: string[] = [];
  if (s?.bytesPerState) {
    parts.push(
      `memory ${s.bytesPerState} B/state`,
      `visited ${bytes(s.visitedBytes)}`,
      `frontier ${bytes(s.frontierBytes ?? 0)}`,
    );
    if (s.cacheBytes) parts.push(`cache ${bytes(s.cacheBytes)}`);
    if (s.spilledBytes) parts.push(`on disk ${bytes(s.spilledBytes)}`);
    const risk = s.collisionProbability ?? 0;
    if (risk > COLLISION_WARNING)
      parts.push(`collision p ${risk.toExponential(0)} (${s.fingerprintBits ?? 64} bits)`);
  }
  const rss = `RSS ${bytes(p.rss)}${p.cap !== undefined ? ` of ${bytes(p.cap)} cap` : ''}`;
  const high = p.cap !== undefined && p.rss > 0.8 * p.cap;
  // the RSS goes last and stays whole: drop detail from the front of the line first
  while (parts.length > 0 && 2 + [...parts, rss].join(' · ').length > p.width) parts.pop();
  return (
    <Text>
      <Text dimColor>
        {'  '}
        {parts.length ? `${parts.join(' · ')} · ` : ''}
      </Text>
      <Text color={high ? 'yellow' : undefined} dimColor={!high}>
        {rss}
      </Text>
    </Text>
  );
}
