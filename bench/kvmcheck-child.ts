/**
 * Runs one kvmcheck search in its own process (so that its peak RSS and
 * wall time are its own) and prints one JSON line: kvm-bench, or a bundled
 * model and scenario when the third argument names one.
 * Usage: node --import tsx bench/kvmcheck-child.ts '<params json>' '<options json>' ['<model>/<scenario>']
 * With KVMCHECK_BENCH_LOG=<file>, progress lines are appended to that file
 * (a run of hours can be followed with `tail -f`).
 */
import { appendFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { progressLine } from '../src/cli/progress-line.ts';
import type { SearchEvent } from '../src/explore/events.ts';
import benchModel from '../models/bench/kvm-bench.ts';
import { bundledModels } from '../models/index.ts';
import { exploreAsync } from '../src/driver/explore.ts';
import { instantiate } from '../src/model/instance.ts';

const params = JSON.parse(process.argv[2] ?? '{}') as Record<string, unknown>;
const options = JSON.parse(process.argv[3] ?? '{}') as Record<string, unknown>;
const [name, scenario] = (process.argv[4] ?? '').split('/');
const bundled = name ? bundledModels.find((m) => m.name === name) : undefined;
if (name && !bundled) throw new Error(`no bundled model ${name}`);
const log = process.env.KVMCHECK_BENCH_LOG;
const t0 = performance.now();
const modelModule = fileURLToPath(new URL('../models/bench/kvm-bench.ts', import.meta.url));
const r = await exploreAsync(
  instantiate(bundled ?? benchModel, { params, ...(scenario ? { scenario } : {}) }),
  {
    ...(log ? { progressIntervalMs: 30_000 } : {}),
    ...(bundled ? options : { checkDeadlock: false, modelModule, ...options }),
  },
  log
    ? (e: SearchEvent) => e.type === 'progress' && appendFileSync(log, `${progressLine(e.stats)}\n`)
    : undefined,
  undefined,
  1000,
);
const searchS = (performance.now() - t0) / 1000;
process.stdout.write(
  `${JSON.stringify({
    verdict: r.verdict,
    property: r.property,
    limit: r.limit,
    states: r.states,
    transitions: r.transitions,
    traceLength: r.trace?.length,
    searchS,
    uptimeS: process.uptime(),
    maxRssMb: process.resourceUsage().maxRSS / 1024,
  })}\n`,
);
