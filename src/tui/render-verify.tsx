// @jsxRuntime automatic
import { render } from 'ink';
import type { MatrixRun } from '../matrix/run-matrix.ts';
import type { MatrixProgress } from './matrix-progress.ts';
import { VerifyApp } from './verify-app.tsx';
import type { TraceFormat } from '../counterexample/counterexample-text.ts';
import { printedEntries } from './printed.ts';
import type { BrowseEntry } from './trace-browser.tsx';

/**
 * Frames per second Ink may draw at most. The live rows change on a 500 ms
 * tick (2 frames a second; docs/dashboard.md has the measurements); the cap
 * keeps bursts (many searches finishing at once, key repeat) cheap.
 */
export const DASHBOARD_MAX_FPS = 10;

export interface DashboardOptions {
  readonly stdout?: NodeJS.WriteStream;
  readonly stdin?: NodeJS.ReadStream;
  /** Keyboard available (raw mode): interrupt with Ctrl+C, browse counterexamples after the run. */
  readonly interactive: boolean;
  /** The run's settings, printed over the rows. */
  readonly settings?: string;
  /** How counterexamples marked in the browser are printed on quit. */
  readonly format?: TraceFormat;
}

/**
 * Shows the Ink dashboard for a matrix run until the run has ended and the
 * user has quit; returns what the user marked to print (race diagrams and
 * replay commands), for the caller to write once the dashboard is gone.
 */
export async function showDashboard(
  progress: MatrixProgress,
  run: MatrixRun,
  o: DashboardOptions,
): Promise<{ readonly printed?: string }> {
  let marked: readonly BrowseEntry[] = [];
  const app = render(
    <VerifyApp
      progress={progress}
      outcome={run.rows}
      interactive={o.interactive}
      onInterrupt={run.interrupt}
      {...(o.settings !== undefined ? { settings: o.settings } : {})}
      onQuit={(m) => (marked = m)}
    />,
    {
      ...(o.stdout ? { stdout: o.stdout } : {}),
      ...(o.stdin ? { stdin: o.stdin } : {}),
      maxFps: DASHBOARD_MAX_FPS,
      exitOnCtrlC: false,
      patchConsole: false,
    },
  );
  await app.waitUntilExit();
  const printed = printedEntries(marked, o.format);
  return printed !== undefined ? { printed } : {};
}
