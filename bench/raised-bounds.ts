/**
 * Every bundled kernel-version model × scenario (those with an expected
 * verdict) at raised bounds, with partial-order reduction and symmetry,
 * each in its own process (bench/kvmcheck-child.ts: its own peak RSS), two
 * at a time (the machine's two cores), each under a time limit. Prints a
 * Markdown table — states, transitions, time, peak RSS, verdict against the
 * expected one — for docs/performance.md. Not a test: times depend on the
 * machine and its load (printed with the table).
 *
 *   node --import tsx bench/raised-bounds.ts [--param vcpus=4 --param faults=2] [--cell-limit 300] [--jobs 2] [--filter arm64-*]
 */
import { spawn } from 'node:child_process';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { kernelVersionModels } from '../models/index.ts';
import { globMatcher } from '../src/matrix/glob.ts';

const argv = process.argv.slice(2);
const flag = (name: string): string[] =>
  argv.flatMap((a, i) => (a === `--${name}` && argv[i + 1] !== undefined ? [argv[i + 1]!] : []));
const params: Record<string, number> = { vcpus: 4, faults: 2 };
for (const p of flag('param')) {
  const [k, v] = p.split('=');
  params[k!] = Number(v);
}
const cellLimitS = Number(flag('cell-limit')[0] ?? 300);
const jobs = Number(flag('jobs')[0] ?? 2);
const filter = flag('filter')[0];
const keep = filter ? globMatcher(filter) : () => true;

interface Cell {
  readonly model: string;
  readonly scenario: string;
  readonly expect: string;
}
interface Row extends Cell {
  verdict?: string;
  property?: string;
  limit?: string;
  states?: number;
  transitions?: number;
  searchS?: number;
  maxRssMb?: number;
  error?: string;
}

const cells: Cell[] = kernelVersionModels.flatMap((m) =>
  Object.entries(m.scenarios).flatMap(([scenario, sc]) =>
    sc.expect && keep(m.name, scenario)
      ? [
          {
            model: m.name,
            scenario,
            expect: sc.expect.verdict === 'violated' ? `violated (${sc.expect.property})` : sc.expect.verdict,
          },
        ]
      : [],
  ),
);

function run(c: Cell): Promise<Row> {
  const child = join(import.meta.dirname, 'kvmcheck-child.ts');
  const options = { por: 'on', symmetry: true, timeLimitMs: cellLimitS * 1000 };
  return new Promise((done) => {
    const p = spawn(
      process.execPath,
      ['--import', 'tsx', child, JSON.stringify(params), JSON.stringify(options), `${c.model}/${c.scenario}`],
      { cwd: join(import.meta.dirname, '..'), stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let out = '';
    let err = '';
    p.stdout.on('data', (d: Buffer) => (out += d.toString()));
    p.stderr.on('data', (d: Buffer) => (err += d.toString()));
    p.on('close', () => {
      const line = out.split('\n').find((l) => l.startsWith('{'));
      if (!line) {
        // the thrown error's own line, not Node's closing "Node.js vX" one
        const lines = err.trim().split('\n');
        const thrown = lines.find((l) => /^\w*(Error|E_[A-Z_]+)\b/.test(l.trim()));
        return done({ ...c, error: (thrown ?? lines.at(-1) ?? 'no result').trim() });
      }
      done({ ...c, ...(JSON.parse(line) as Partial<Row>) });
    });
  });
}

const started = new Date();
const load = loadavg()
  .map((l) => l.toFixed(2))
  .join(' / ');
const t0 = performance.now();
const rows: Row[] = new Array(cells.length);
let next = 0;
await Promise.all(
  Array.from({ length: jobs }, async () => {
    while (next < cells.length) {
      const k = next++;
      rows[k] = await run(cells[k]!);
      const r = rows[k];
      process.stderr.write(
        `${r.model}/${r.scenario}: ${r.verdict ?? r.error} ${r.states ?? '?'} states ${r.searchS?.toFixed(1) ?? '?'} s\n`,
      );
    }
  }),
);
const wallS = (performance.now() - t0) / 1000;

const n = (x: number | undefined): string => (x === undefined ? '–' : Math.round(x).toLocaleString('en-US'));
const got = (r: Row): string =>
  r.error
    ? `failed: ${r.error}`
    : r.verdict === 'violated'
      ? `violated (${r.property})`
      : r.verdict === 'incomplete'
        ? `incomplete (${r.limit})`
        : (r.verdict ?? '–');
const ok = (r: Row): string => (got(r) === r.expect ? 'yes' : r.verdict === 'incomplete' ? '–' : '**no**');
const lines = [
  `${Object.entries(params)
    .map(([k, v]) => `${k}=${v}`)
    .join(
      ' ',
    )}, \`--por on --symmetry\`, each cell in its own process, ${jobs} at a time, at most ${cellLimitS} s each; ` +
    `run ${started.toISOString()}, load average at start ${load}; ${cells.length} cells in ${(wallS / 60).toFixed(1)} min.`,
  '',
  '| model | scenario | expected | verdict | as expected | states | transitions | time s | peak RSS MB |',
  '| --- | --- | --- | --- | --- | --- | --- | --- | --- |',
  ...rows.map(
    (r) =>
      `| ${r.model} | ${r.scenario} | ${r.expect} | ${got(r)} | ${ok(r)} | ${n(r.states)} | ${n(r.transitions)} | ${r.searchS?.toFixed(1) ?? '–'} | ${n(r.maxRssMb)} |`,
  ),
];
process.stdout.write(`${lines.join('\n')}\n`);
