/**
 * `npm run bench`: runs SPIN, Rumur and kvmcheck one after the other on
 * each configuration of configs.ts and writes bench/RESULTS.md and
 * bench/results.json. Not a test: numbers depend on the machine and its load.
 *
 *   npm run bench                 everything (the 3-vCPU SPIN and Rumur-without-symmetry
 *                                 runs take several minutes and up to 8 GB each; fixed-4
 *                                 takes hours and 16 GiB for each tool)
 *   npm run bench -- --quick      skips those heavy runs and fixed-4
 *   npm run bench -- --only fixed-2,seed-race   (re-runs these, keeps the others' results)
 *   npm run bench -- --report     runs nothing: re-renders RESULTS.md from results.json and notes.md
 *   npm run bench -- --help       prints this
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CONFIGS } from './configs.ts';
import { machine } from './machine.ts';
import { renderResults } from './report.ts';
import type { ConfigResult } from './report.ts';
import { ensureTools, runKvmcheck, runRumur, runSpin } from './tools.ts';
import type { ToolRun } from './tools.ts';

const argv = process.argv.slice(2);
if (argv.includes('--help') || argv.includes('-h')) {
  // the usage is this file's opening comment
  const head = readFileSync(import.meta.filename, 'utf8').split('*/')[0]!;
  process.stdout.write(
    head
      .replace(/^\/\*\*\n/, '')
      .replace(/^ \* ?/gm, '')
      .trimEnd() + '\n',
  );
  process.exit(0);
}
const quick = argv.includes('--quick');
const onlyAt = argv.indexOf('--only');
const only = onlyAt >= 0 ? new Set((argv[onlyAt + 1] ?? '').split(',')) : undefined;
const unknown = [...(only ?? [])].filter((id) => !CONFIGS.some((c) => c.id === id));
if (unknown.length > 0) {
  process.stderr.write(
    `bench: no configuration ${unknown.join(', ')} (there are ${CONFIGS.map((c) => c.id).join(', ')})\n`,
  );
  process.exit(2);
}

const jsonFile = join(import.meta.dirname, 'results.json');
if (argv.includes('--report')) {
  const saved = JSON.parse(readFileSync(jsonFile, 'utf8')) as {
    started: string;
    machine: Record<string, string>;
    results: { id: string; runs: ToolRun[] }[];
  };
  const kept = saved.results.flatMap((o) => {
    const config = CONFIGS.find((c) => c.id === o.id);
    return config ? [{ config, runs: o.runs }] : [];
  });
  writeFileSync(join(import.meta.dirname, 'RESULTS.md'), renderResults(saved.started, saved.machine, kept));
  process.stderr.write('re-rendered bench/RESULTS.md from bench/results.json\n');
  process.exit(0);
}

if (CONFIGS.some((c) => (!only || only.has(c.id)) && (c.spin.length > 0 || c.rumur.length > 0)))
  ensureTools();
const started = new Date().toISOString();
const mach = machine();
const results: ConfigResult[] = [];
for (const c of CONFIGS) {
  if (only && !only.has(c.id)) continue;
  if (quick && c.heavy) continue;
  const runs: ToolRun[] = [];
  const log = (r: ToolRun): void => {
    runs.push(r);
    process.stderr.write(
      `${c.id} | ${r.tool} ${r.label}: ${r.verdict} ${r.states ?? '?'} states, ${r.searchS?.toFixed(2) ?? '?'} s search, ${r.totalS?.toFixed(2) ?? '?'} s total\n`,
    );
  };
  for (const s of c.spin) {
    if (quick && s.heavy) continue;
    log(runSpin(s.label, c.spinFlags, s.cflags, s.memMb));
  }
  for (const r of c.rumur) {
    if (quick && r.heavy) continue;
    log(runRumur(r.label, c.nv, r.symmetry, c.rumurConsts, c.heavy));
  }
  const model = c.model && `${c.model.name}/${c.model.scenario}`;
  for (const k of c.kvmcheck) log(runKvmcheck(k.label, c.params, k.options, model, c.heavy));
  results.push({ config: c, runs });
}
// with --only, the other configurations keep their previous results
if (only && existsSync(jsonFile)) {
  const old = JSON.parse(readFileSync(jsonFile, 'utf8')) as { results: { id: string; runs: ToolRun[] }[] };
  for (const o of old.results) {
    const config = CONFIGS.find((c) => c.id === o.id);
    if (config && !only.has(o.id)) results.push({ config, runs: o.runs });
  }
  results.sort((a, b) => CONFIGS.indexOf(a.config) - CONFIGS.indexOf(b.config));
}
const json = {
  started,
  machine: mach,
  results: results.map((r) => ({
    id: r.config.id,
    title: r.config.title,
    expect: r.config.expect,
    runs: r.runs,
  })),
};
writeFileSync(jsonFile, `${JSON.stringify(json, null, 2)}\n`);
writeFileSync(join(import.meta.dirname, 'RESULTS.md'), renderResults(started, mach, results));
process.stderr.write('wrote bench/RESULTS.md and bench/results.json\n');
