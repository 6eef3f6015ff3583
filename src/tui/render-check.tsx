// @jsxRuntime automatic
import { render } from 'ink';
import type { SearchEvent, SearchListener } from '../explore/events.ts';
import type { SearchResult } from '../explore/result.ts';
import type { CounterexampleView } from '../counterexample/view.ts';
import { printedEntries } from './printed.ts';
import type { TraceFormat } from '../counterexample/counterexample-text.ts';
import { CheckApp } from './check-app.tsx';
import { DASHBOARD_MAX_FPS } from './render-verify.tsx';
import { SearchTracker } from './search-tracker.ts';
import type { BrowseEntry } from './trace-browser.tsx';

/** The dashboard of one search (`kvmcheck check` on a terminal), driven by the engine's events. */
export interface CheckView {
  /** Pass as the search's listener. */
  readonly listener: SearchListener;
  /** Aborted when the user presses Ctrl+C (the keyboard is in raw mode, so no SIGINT arrives). */
  readonly interrupted: AbortSignal;
  /**
   * Shows the verdict and, for a counterexample, the trace browser; resolves
   * when the user quits, after erasing the view so that the command's own
   * report follows on a clean screen, with what the user asked to print
   * (the race diagrams and replay commands marked with p).
   */
  finish(result: SearchResult, view?: CounterexampleView): Promise<{ readonly printed?: string }>;
  /** Erases and ends the view at once (the search failed to run). */
  close(): void;
}

export interface CheckViewOptions {
  readonly stdout?: NodeJS.WriteStream;
  readonly stdin?: NodeJS.ReadStream;
  /** The reductions and workers in force, shown over the live row. */
  readonly settings?: string;
  /** The memory cap, shown against the resident memory. */
  readonly maxMemory?: number;
  /** How marked counterexamples are printed on quit. */
  readonly format?: TraceFormat;
}

/** Starts the live view of one search titled `title` (e.g. `arm64-v5.4 / seed-race`). */
export function renderCheck(title: string, o: CheckViewOptions = {}): CheckView {
  const stdout = o.stdout ?? process.stdout;
  const stdin = o.stdin ?? process.stdin;
  const tracker = new SearchTracker(title);
  const abort = new AbortController();
  let settle!: (r: SearchResult) => void;
  let settleView!: (v: CounterexampleView | undefined) => void;
  const outcome = new Promise<SearchResult>((r) => (settle = r));
  const view = new Promise<CounterexampleView | undefined>((r) => (settleView = r));
  let marked: readonly BrowseEntry[] = [];
  let levels: number[] = [];
  const listener = (e: SearchEvent): void => {
    if (e.type === 'start') tracker.markStarted();
    else if (e.type === 'level') levels.push(e.size);
    else if (e.type === 'progress') {
      tracker.update(e.stats, levels);
      levels = [];
    }
  };
  const app = render(
    <CheckApp
      title={title}
      {...(o.settings !== undefined ? { settings: o.settings } : {})}
      {...(o.maxMemory !== undefined ? { maxMemory: o.maxMemory } : {})}
      view={view}
      onQuit={(m) => (marked = m)}
      tracker={tracker}
      outcome={outcome}
      interactive={stdin.isTTY === true}
      onInterrupt={() => abort.abort()}
      width={stdout.columns || 100}
      height={stdout.rows || 30}
    />,
    { stdout, stdin, maxFps: DASHBOARD_MAX_FPS, exitOnCtrlC: false, patchConsole: false },
  );
  return {
    listener,
    interrupted: abort.signal,
    finish: async (result, v) => {
      settleView(v);
      settle(result);
      await app.waitUntilExit();
      const printed = printedEntries(marked, o.format);
      return printed !== undefined ? { printed } : {};
    },
    close: () => {
      app.clear();
      app.unmount();
    },
  };
}
