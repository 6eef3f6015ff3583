// @jsxRuntime automatic
import { Box, Static, Text, useApp, useInput, useStdout } from 'ink';
import { useEffect, useState } from 'react';
import type { VerifyRow } from '../matrix/verify-row.ts';
import { orderRows } from '../matrix/verify-row.ts';
import { finishedLine } from './finished-line.ts';
import { LineView } from './line-view.tsx';
import { LiveRow } from './live-row.tsx';
import { liveRowOf } from './live-row-data.ts';
import type { MatrixProgress } from './matrix-progress.ts';
import { OverallLine } from './overall-line.tsx';
import { resultTable, summaryLine } from './result-table.ts';
import { TraceBrowser } from './trace-browser.tsx';
import type { BrowseEntry } from './trace-browser.tsx';
import { fit } from './format.ts';

export interface VerifyAppProps {
  readonly progress: MatrixProgress;
  /** Settles with every row when the run has ended. */
  readonly outcome: Promise<readonly VerifyRow[]>;
  /** Keyboard available: Ctrl+C interrupts, counterexamples are browsable after the run. */
  readonly interactive: boolean;
  readonly onInterrupt: () => void;
  /** Redraw period of the live rows; the only clock of the dashboard. @default 500 */
  readonly tickMs?: number;
  /** Resident memory, injectable for tests. @default process.memoryUsage.rss */
  readonly rss?: () => number;
  /** The run's settings (`bfs · por off · … · 2 searches at once`), printed over the rows. */
  readonly settings?: string;
  /** Called when the user quits the browser, with the counterexamples marked for printing. */
  readonly onQuit?: (marked: readonly BrowseEntry[]) => void;
}

type StaticItem =
  | { readonly key: 'header'; readonly text: string }
  | { readonly key: string; readonly row: VerifyRow }
  | { readonly key: 'table'; readonly rows: readonly VerifyRow[]; readonly elapsedMs: number };

/**
 * The `kvmcheck verify` dashboard: finished searches scroll into a static
 * area as they end (✔/✘ against their expectation); the running ones stay
 * below as live rows with an overall line. Redrawing happens on a fixed tick,
 * never per worker message. After the run: the result table, then the
 * counterexample browser.
 */
export function VerifyApp({
  progress,
  outcome,
  interactive,
  onInterrupt,
  tickMs = 500,
  rss,
  settings,
  onQuit,
}: VerifyAppProps) {
  const { exit } = useApp();
  const { stdout } = useStdout();
  const { tick, final } = useRun(outcome, tickMs, progress);
  const [stopping, setStopping] = useState(false);

  const entries = (final ? orderRows(final.rows) : [])
    .filter((r) => (r.result.trace?.length ?? 0) > 0)
    .map((r) => ({
      title: r.job.label,
      result: r.result,
      ...(r.counterexample ? { view: r.counterexample } : {}),
    }));
  const browsing = final !== undefined && interactive && entries.length > 0;

  useEffect(() => {
    if (final && !browsing) exit();
  }, [final, browsing, exit]);

  useInput(
    (input, key) => {
      if (!(key.ctrl && input === 'c')) return;
      if (final) exit();
      else {
        setStopping(true);
        onInterrupt();
      }
    },
    { isActive: interactive },
  );

  const width = stdout.columns || 100;
  return (
    <>
      <Static items={staticItems(progress, settings, final, width)}>
        {(item) => <StaticLine key={item.key} item={item} width={width} />}
      </Static>
      {final ? null : (
        <RunningRows progress={progress} tick={tick} width={width} rss={rss} stopping={stopping} />
      )}
      {browsing ? (
        <Box marginTop={1}>
          <TraceBrowser
            entries={entries}
            onQuit={(marked) => {
              onQuit?.(marked);
              exit();
            }}
            width={width}
            height={stdout.rows || 30}
          />
        </Box>
      ) : null}
    </>
  );
}

interface FinalRows {
  readonly rows: readonly VerifyRow[];
  readonly elapsedMs: number;
}

/** The redraw tick (every `tickMs` while the run lasts) and, once it has ended, every row. */
function useRun(
  outcome: Promise<readonly VerifyRow[]>,
  tickMs: number,
  progress: MatrixProgress,
): { tick: number; final: FinalRows | undefined } {
  const [tick, setTick] = useState(0);
  const [final, setFinal] = useState<FinalRows>();
  useEffect(() => {
    const timer = setInterval(() => setTick((t) => t + 1), tickMs);
    void outcome.then((rows) => {
      clearInterval(timer);
      setFinal({ rows, elapsedMs: Date.now() - progress.startedAt });
    });
    return () => clearInterval(timer);
  }, [outcome, tickMs, progress]);
  return { tick, final };
}

/** What scrolls away: the settings header, a line per finished search, the final table. */
function staticItems(
  progress: MatrixProgress,
  settings: string | undefined,
  final: FinalRows | undefined,
  width: number,
): StaticItem[] {
  const items: StaticItem[] = [];
  if (settings !== undefined)
    items.push({
      key: 'header',
      text: fit(`kvmcheck verify: ${progress.jobs.length} runs · ${settings}`, width),
    });
  for (const row of progress.finished) items.push({ key: `row-${row.job.id}`, row });
  if (final) items.push({ key: 'table', rows: final.rows, elapsedMs: final.elapsedMs });
  return items;
}

function StaticLine({ item, width }: { item: StaticItem; width: number }) {
  if ('text' in item) return <Text dimColor>{item.text}</Text>;
  if ('row' in item) return <LineView line={finishedLine(item.row, width)} />;
  return (
    <Box flexDirection="column" marginTop={1}>
      {resultTable(item.rows, width).map((l, i) => (
        <LineView key={i} line={l} />
      ))}
      <LineView line={summaryLine(item.rows, item.elapsedMs)} />
    </Box>
  );
}

/** The live rows of the running searches and the overall line, while the run lasts. */
function RunningRows({
  progress,
  tick,
  width,
  rss,
  stopping,
}: {
  progress: MatrixProgress;
  tick: number;
  width: number;
  rss: (() => number) | undefined;
  stopping: boolean;
}) {
  const labelWidth = Math.min(36, Math.max(10, ...progress.jobs.map((j) => j.label.length)));
  const now = Date.now();
  return (
    <Box flexDirection="column" marginTop={progress.finished.length > 0 ? 1 : 0}>
      {[...progress.running.values()].map((t) => (
        <LiveRow key={t.label} data={liveRowOf(t, now)} frame={tick} labelWidth={labelWidth} width={width} />
      ))}
      <OverallLine
        data={{
          done: progress.finished.length,
          total: progress.jobs.length,
          running: progress.running.size,
          waiting: progress.queued,
          mismatches: progress.mismatches,
          elapsedMs: now - progress.startedAt,
          rssBytes: (rss ?? (() => process.memoryUsage.rss()))(),
        }}
        width={width}
      />
      {stopping ? <Text color="yellow">stopping: interrupting the running searches…</Text> : null}
    </Box>
  );
}
