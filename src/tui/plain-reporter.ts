import type { MatrixListener } from '../matrix/run-matrix.ts';
import type { VerifyJob } from '../matrix/verify-job.ts';
import type { VerifyRow } from '../matrix/verify-row.ts';
import type { FromWorker } from '../matrix/worker-protocol.ts';
import { finishedLine } from './finished-line.ts';
import { bytes, compact, duration } from './format.ts';
import { liveRowOf } from './live-row-data.ts';
import type { MatrixProgress } from './matrix-progress.ts';
import { resultTable, summaryLine } from './result-table.ts';

export interface PlainReporterOptions {
  readonly write: (text: string) => void;
  /** Least time between two progress reports. @default 5000 */
  readonly intervalMs?: number;
  readonly width?: number;
  readonly rss?: () => number;
  readonly now?: () => number;
}

/**
 * Output for logs and CI (no TTY, `CI` set, or `--no-tui`): plain lines only,
 * never a cursor movement. A line per finished search as it ends, a
 * `Progress(…)` report of the running ones at most every `intervalMs`, and
 * the result table at the end.
 */
export class PlainReporter implements MatrixListener {
  private timer: ReturnType<typeof setInterval> | undefined;
  private readonly o: Required<PlainReporterOptions>;

  constructor(
    private readonly progress: MatrixProgress,
    options: PlainReporterOptions,
  ) {
    this.o = {
      intervalMs: 5000,
      width: 120,
      rss: () => process.memoryUsage.rss(),
      now: () => Date.now(),
      ...options,
    };
  }

  start(): void {
    this.timer = setInterval(() => this.report(), this.o.intervalMs);
    this.timer.unref();
  }

  onStart(job: VerifyJob): void {
    this.progress.onStart(job);
  }

  onMessage(job: VerifyJob, m: FromWorker): void {
    this.progress.onMessage(job, m);
  }

  onDone(row: VerifyRow): void {
    this.progress.onDone(row);
    this.o.write(`${finishedLine(row).text}\n`);
  }

  /** One progress report: the overall counts, then a line per running search. */
  report(): void {
    const p = this.progress;
    if (p.running.size === 0) return;
    const now = this.o.now();
    const clock = new Date(now).toTimeString().slice(0, 8);
    const lines = [
      `Progress(${clock}): ${p.finished.length}/${p.jobs.length} done, ${p.running.size} running, ` +
        `${p.queued} waiting, ${duration(now - p.startedAt)} elapsed, mem ${bytes(this.o.rss())}`,
    ];
    for (const t of p.running.values()) {
      const d = liveRowOf(t, now);
      lines.push(
        d.running
          ? `  ${d.label}: ${compact(d.distinct)} states (${compact(d.rate)}/s), queue ${compact(d.queue)}, ` +
              `depth ${d.depth}, ${d.bytesPerState > 0 ? `${d.bytesPerState} B/state, ` : ''}${duration(d.elapsedMs)}${d.etaMs === undefined ? '' : `, ETA ${duration(d.etaMs)}`}`
          : `  ${d.label}: loading model`,
      );
    }
    this.o.write(`${lines.join('\n')}\n`);
  }

  /** Stops the reports and prints the result table. */
  finish(rows: readonly VerifyRow[]): void {
    if (this.timer) clearInterval(this.timer);
    const table = resultTable(rows, this.o.width).map((l) => l.text);
    const summary = summaryLine(rows, this.o.now() - this.progress.startedAt).text;
    this.o.write(`\n${table.join('\n')}\n${summary}\n`);
  }
}
