/**
 * What the dashboard costs the searches: runs the same matrix with and
 * without the Ink dashboard, alternating, and compares search throughput
 * (distinct states per second of wall time) and the main thread's busy time
 * (event-loop utilisation), which is where all drawing happens.
 *
 *   node --import tsx scripts/bench-dashboard.ts [--filter <glob>] [--reps 3] [--jobs 2]
 *
 * The dashboard draws into a stream that claims to be a 120×40 terminal and
 * counts the bytes it is sent, so the whole render path (React, layout, ANSI
 * diffing) runs as on a real terminal. Results go in docs/dashboard.md.
 */
import { availableParallelism } from 'node:os';
import { performance } from 'node:perf_hooks';
import { bundledModels } from '../models/index.ts';
import { runMatrix } from '../src/matrix/run-matrix.ts';
import { planMatrix } from '../src/matrix/verify-job.ts';
import { MatrixProgress } from '../src/tui/matrix-progress.ts';
import { loadVerifyDashboard } from '../src/tui/load-views.ts';
import { FakeTerminal } from './fake-terminal.ts';

type Mode = 'none' | 'dashboard';
interface Sample {
  mode: Mode;
  wallMs: number;
  states: number;
  mainActiveMs: number;
  cpuMs: number;
  bytes: number;
}

const flag = (name: string, dflt: string): string => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1]! : dflt;
};
const filter = flag('filter', '*/{delete-slot,move-race,seed-race,bar-zap-race}');
const reps = Number(flag('reps', '5'));
const concurrency = Number(flag('jobs', String(availableParallelism())));
const jobs = planMatrix(
  [{ module: new URL('../models/index.ts', import.meta.url).href, models: bundledModels }],
  filter,
  { progressIntervalMs: 250 },
);

async function once(mode: Mode): Promise<Sample> {
  const progress = new MatrixProgress(jobs);
  const term = new FakeTerminal();
  const elu0 = performance.eventLoopUtilization();
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const run = runMatrix(jobs, concurrency, progress);
  if (mode === 'dashboard') await showDashboard(progress, run, { stdout: term.stream, interactive: false });
  const rows = await run.rows;
  const wallMs = performance.now() - t0;
  const elu = performance.eventLoopUtilization(elu0);
  const cpu = process.cpuUsage(cpu0);
  if (!rows.every((r) => r.match)) throw new Error('a verdict differs from its expectation');
  return {
    mode,
    wallMs,
    states: rows.reduce((n, r) => n + r.result.states, 0),
    mainActiveMs: elu.active,
    cpuMs: (cpu.user + cpu.system) / 1000,
    bytes: term.bytes,
  };
}

// loaded as `kvmcheck verify` loads it (React's production build)
const { showDashboard } = await loadVerifyDashboard();

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

// warm-up, not counted: the first dashboard run also pays for compiling React's and Ink's code paths
await once('dashboard');

const samples: Sample[] = [];
console.log(`${jobs.length} searches (${filter}), --jobs ${concurrency}, ${reps} repetitions per mode`);
console.log('| run | mode | wall | states/s | main thread busy | process CPU | bytes drawn |');
console.log('|---|---|---|---|---|---|---|');
for (let i = 0; i < reps; i++)
  for (const mode of i % 2 === 0 ? (['none', 'dashboard'] as const) : (['dashboard', 'none'] as const)) {
    const s = await once(mode);
    samples.push(s);
    console.log(
      `| ${i + 1} | ${mode} | ${(s.wallMs / 1000).toFixed(1)} s | ${Math.round((s.states * 1000) / s.wallMs)} | ` +
        `${Math.round(s.mainActiveMs)} ms | ${Math.round(s.cpuMs)} ms | ${s.bytes} |`,
    );
  }
const of = (m: Mode) => samples.filter((s) => s.mode === m);
const rate = (m: Mode) => median(of(m).map((s) => (s.states * 1000) / s.wallMs));
const busy = (m: Mode) => median(of(m).map((s) => s.mainActiveMs));
const cpu = (m: Mode) => median(of(m).map((s) => s.cpuMs));
const drawMs = busy('dashboard') - busy('none');
console.log(
  `median process CPU: ${Math.round(cpu('none'))} ms without, ${Math.round(cpu('dashboard'))} ms with the dashboard ` +
    `(${(100 * (cpu('dashboard') / cpu('none') - 1)).toFixed(1)}% more)`,
);
console.log(
  `\nmedian throughput: ${Math.round(rate('none'))} states/s without, ${Math.round(rate('dashboard'))} with the dashboard ` +
    `(${(100 * (1 - rate('dashboard') / rate('none'))).toFixed(1)}% lower)`,
);
console.log(
  `drawing: ${Math.round(drawMs)} ms of main-thread time, ${((100 * drawMs) / cpu('dashboard')).toFixed(2)}% of the run's CPU time`,
);
