/**
 * Runs one kvmcheck search in its own process (so that its peak RSS and
 * wall time are its own) and prints one JSON line: kvm-bench, or a bundled
 * model and scenario when the third argument names one.
 * Usage: node --import tsx bench/kvmcheck-child.ts '<params json>' '<options json>' ['<model>/<scenario>']
 */
import { fileURLToPath } from 'node:url';
import benchModel from '../models/bench/kvm-bench.ts';
import { bundledModels } from '../models/index.ts';
import { exploreAsync } from '../src/driver/explore.ts';
import { instantiate } from '../src/model/instance.ts';

const params = JSON.parse(process.argv[2] ?? '{}') as Record<string, unknown>;
const options = JSON.parse(process.argv[3] ?? '{}') as Record<string, unknown>;
const [name, scenario] = (process.argv[4] ?? '').split('/');
const bundled = name ? bundledModels.find((m) => m.name === name) : undefined;
if (name && !bundled) throw new Error(`no bundled model ${name}`);
const t0 = performance.now();
const modelModule = fileURLToPath(new URL('../models/bench/kvm-bench.ts', import.meta.url));
const r = await exploreAsync(
  instantiate(bundled ?? benchModel, { params, ...(scenario ? { scenario } : {}) }),
  bundled ? options : { checkDeadlock: false, modelModule, ...options },
  undefined,
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
