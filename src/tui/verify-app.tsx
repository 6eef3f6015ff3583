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
  const [tick, setTick] = useState(0);
  const [final, setFinal] = useState<{ rows: readonly VerifyRow[]; elapsedMs: number }>();
  const [stopping, setStopping] = useState(false);

  useEffect(() => {
    const timer = setInterval(() => setTick((t) => t + 1), tickMs);
    void outcome.then((rows) => {
      clearInterval(timer);
      setFinal({ rows, elapsedMs: Date.now() - progress.startedAt });
    });
    return () => clearInterval(timer);
  }, [outcome, tickMs, progress]);

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
  const items: StaticItem[] = [];
  if (settings !== undefined)
    items.push({
      key: 'header',
      text: fit(`kvmcheck verify: ${progress.jobs.length} runs · ${settings}`, width),
    });
  for (const row of progress.finished) items.push({ key: `row-${row.job.id}`, row });
  if (final) items.push({ key: 'table', rows: final.rows, elapsedMs: final.elapsedMs });
  const labelWidth = Math.min(36, Math.max(10, ...progress.jobs.map((j) => j.label.length)));
  const now = Date.now();

  return (
    <>
      <Static items={items}>
        {(item) =>
          'text' in item ? (
            <Text key={item.key} dimColor>
              {item.text}
            </Text>
          ) : 'row' in item ? (
            <LineView key={item.key} line={finishedLine(item.row, width)} />
          ) : (
            <Box key={item.key} flexDirection="column" marginTop={1}>
              {resultTable(item.rows, width).map((l, i) => (
                <LineView key={i} line={l} />
              ))}
              <LineView line={summaryLine(item.rows, item.elapsedMs)} />
            </Box>
          )
        }
      </Static>
      {final ? null : (
        <Box flexDirection="column" marginTop={progress.finished.length > 0 ? 1 : 0}>
          {[...progress.running.values()].map((t) => (
            <LiveRow
              key={t.label}
              data={liveRowOf(t, now)}
              frame={tick}
              labelWidth={labelWidth}
              width={width}
            />
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
