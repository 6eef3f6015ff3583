import type { MatrixListener } from '../matrix/run-matrix.ts';
import type { VerifyJob } from '../matrix/verify-job.ts';
import type { VerifyRow } from '../matrix/verify-row.ts';
import type { FromWorker } from '../matrix/worker-protocol.ts';
import { SearchTracker } from './search-tracker.ts';

/**
 * The state of a matrix run as the UI sees it: which jobs wait, which run
 * (with a tracker each) and which have finished, in finishing order. It
 * only records; views read it at their own pace (the dashboard a few times
 * a second, the plain reporter every few seconds), so the cost of drawing
 * does not grow with the rate of worker messages.
 */
export class MatrixProgress implements MatrixListener {
  readonly running = new Map<number, SearchTracker>();
  readonly finished: VerifyRow[] = [];
  readonly startedAt: number;

  /** @param clock the time source of start times (tests pass their own) */
  constructor(
    readonly jobs: readonly VerifyJob[],
    private readonly clock: () => number = Date.now,
  ) {
    this.startedAt = clock();
  }

  onStart(job: VerifyJob): void {
    this.running.set(job.id, new SearchTracker(job.label, this.clock()));
  }

  onMessage(job: VerifyJob, m: FromWorker): void {
    const t = this.running.get(job.id);
    if (!t) return;
    if (m.type === 'started') t.markStarted(this.clock());
    else if (m.type === 'progress') t.update(m.stats, m.levels);
  }

  onDone(row: VerifyRow): void {
    this.running.delete(row.job.id);
    this.finished.push(row);
  }

  get queued(): number {
    return this.jobs.length - this.running.size - this.finished.length;
  }

  get mismatches(): number {
    return this.finished.filter((r) => r.status === 'unexpected').length;
  }

  get done(): boolean {
    return this.finished.length === this.jobs.length;
  }

  /** Bytes held by the visited sets of the running searches (their largest memory). */
  get visitedBytes(): number {
    let n = 0;
    for (const t of this.running.values()) n += t.stats?.visitedBytes ?? 0;
    return n;
  }
}
