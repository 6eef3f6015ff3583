/**
 * The dashboard's own CPU cost, without searches competing for the cores:
 * feeds a VerifyApp with synthetic progress (each "search" reports every
 * 250 ms, as workers do) for a while and measures the process CPU time with
 * and without the dashboard mounted. Without workers the process's CPU time
 * is the main thread's, so the difference is what drawing costs.
 *
 *   node --import tsx scripts/bench-dashboard-draw.ts [--searches 2] [--seconds 20]
 */
import type { VerifyJob } from '../src/matrix/verify-job.ts';
import type { VerifyRow } from '../src/matrix/verify-row.ts';
import { MatrixProgress } from '../src/tui/matrix-progress.ts';
import { loadVerifyDashboard } from '../src/tui/load-views.ts';
import { FakeTerminal } from './fake-terminal.ts';

const flag = (name: string, dflt: string): number => {
  const i = process.argv.indexOf(`--${name}`);
  return Number(i >= 0 ? process.argv[i + 1]! : dflt);
};
const searches = flag('searches', '2');
const seconds = flag('seconds', '20');

const jobs: VerifyJob[] = Array.from({ length: searches + 10 }, (_, id) => ({
  id,
  label: `arm64-v5.${id}/scenario-${id}`,
  model: { module: 'file:///none.ts', name: `m${id}` },
  scenario: `s${id}`,
  expect: { verdict: 'holds' },
}));

/** Progress as `searches` workers would report it, every 250 ms, for `seconds`. */
async function feed(progress: MatrixProgress): Promise<void> {
  for (const j of jobs.slice(0, searches)) {
    progress.onStart(j);
    progress.onMessage(j, { type: 'started', threads: [] });
  }
  const t0 = Date.now();
  for (let tick = 1; Date.now() - t0 < seconds * 1000; tick++) {
    await new Promise((r) => setTimeout(r, 250));
    for (const j of jobs.slice(0, searches)) {
      const distinct = tick * 5000;
      progress.onMessage(j, {
        type: 'progress',
        stats: {
          distinct,
          expanded: distinct - 300,
          transitions: distinct * 3,
          queue: 300 + tick,
          depth: Math.floor(tick / 4),
          rate: 20_000,
          elapsedMs: tick * 250,
          visitedBytes: distinct * 24,
        },
        levels: tick % 4 === 0 ? [tick * 100] : [],
      });
    }
  }
}

async function measure(withDashboard: boolean): Promise<{ cpuMs: number; bytes: number }> {
  const progress = new MatrixProgress(jobs);
  const term = new FakeTerminal();
  let finish!: (rows: VerifyRow[]) => void;
  const outcome = new Promise<VerifyRow[]>((r) => (finish = r));
  const shown = withDashboard
    ? showDashboard(
        progress,
        { rows: outcome, interrupt: () => {} },
        { stdout: term.stream, interactive: false },
      )
    : undefined;
  const cpu0 = process.cpuUsage();
  await feed(progress);
  const cpu = process.cpuUsage(cpu0);
  finish([]);
  await shown;
  return { cpuMs: (cpu.user + cpu.system) / 1000, bytes: term.bytes };
}

// loaded as `kvmcheck verify` loads it (React's production build)
const { showDashboard } = await loadVerifyDashboard();
await measure(true); // warm-up: the first render compiles React's and Ink's code paths
const without = await measure(false);
const withDash = await measure(true);
const drawMs = withDash.cpuMs - without.cpuMs;
console.log(
  `${searches} live rows for ${seconds} s: ${Math.round(without.cpuMs)} ms CPU without the dashboard, ` +
    `${Math.round(withDash.cpuMs)} ms with it (${withDash.bytes} bytes drawn)`,
);
console.log(
  `drawing costs ${(drawMs / seconds).toFixed(1)} ms of CPU per second, ` +
    `${((100 * drawMs) / (seconds * 1000)).toFixed(2)}% of one core`,
);
