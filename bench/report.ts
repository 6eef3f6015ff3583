import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Config } from './configs.ts';
import type { ToolRun } from './tools.ts';

export interface ConfigResult {
  readonly config: Config;
  readonly runs: readonly ToolRun[];
}

const f = (x: number | undefined, d = 2): string => (x === undefined ? '–' : x.toFixed(d));
const n = (x: number | undefined): string => (x === undefined ? '–' : Math.round(x).toLocaleString('en-US'));
const rate = (r: ToolRun): number | undefined =>
  r.states !== undefined && r.searchS ? r.states / r.searchS : undefined;
const find = (c: ConfigResult, tool: string, label: string): ToolRun | undefined =>
  c.runs.find((r) => r.tool === tool && r.label === label);
/** Bytes of peak RSS per distinct state: what a state costs the whole process. */
const perState = (r: ToolRun): string =>
  r.maxRssMb !== undefined && r.states ? `${Math.round((r.maxRssMb * 1024 * 1024) / r.states)}` : '–';
const ratio = (a: number | undefined, b: number | undefined): string =>
  a === undefined || b === undefined || b === 0 ? '–' : `${(a / b).toFixed(2)}×`;

function table(c: ConfigResult): string {
  const spin = c.runs.find((r) => r.tool === 'SPIN');
  const rumur = c.runs.find((r) => r.tool === 'Rumur');
  const rows = c.runs.map((r) => {
    const k = r.tool === 'kvmcheck';
    return `| ${r.tool} | ${r.label} | ${r.verdict}${r.note ? ` (${r.note})` : ''} | ${n(r.states)} | ${n(r.transitions)} | ${f(r.searchS)} | ${f(r.compileS)} | ${f(r.totalS)} | ${n(rate(r))} | ${n(r.maxRssMb)} | ${perState(r)} | ${r.traceLength ?? '–'} | ${k ? ratio(r.totalS, spin?.totalS) : ''} | ${k ? ratio(r.searchS, rumur?.searchS) : ''} |`;
  });
  const verdicts = new Set(c.runs.filter((r) => r.verdict !== 'incomplete').map((r) => r.verdict));
  const agree =
    verdicts.size === 1 && verdicts.has(c.config.expect)
      ? `All finished runs agree: **${c.config.expect}**.`
      : `**Verdicts disagree or differ from the expected ${c.config.expect}: ${[...verdicts].join(', ')}.**`;
  const cache = c.config.model ? cacheGain(c) : '';
  return [
    `### ${c.config.title} (\`${c.config.id}\`)`,
    '',
    '| tool | run | verdict | distinct states | transitions | search s | compile s | total s | states/s (search) | peak RSS MB | B/state (RSS / states) | trace steps | kvmcheck/SPIN total time | kvmcheck/Rumur search time |',
    '|---|---|---|---|---|---|---|---|---|---|---|---|---|---|',
    ...rows,
    '',
    agree,
    cache,
    '',
  ].join('\n');
}

/** What the fast expander buys on a real model: search time without it (plain expander) over with it. */
function cacheGain(c: ConfigResult): string {
  const gain = (runs: string): string =>
    `${runs}: ${ratio(find(c, 'kvmcheck', `${runs}, cache off`)?.searchS, find(c, 'kvmcheck', `${runs}, cache on`)?.searchS)}`;
  return `\nFast expander (cache on) against the plain one (cache off), search time off / on: ${gain('no reduction')}; ${gain('POR + symmetry')}.`;
}

function targets(results: readonly ConfigResult[]): string {
  const by = (id: string): ConfigResult | undefined => results.find((r) => r.config.id === id);
  const out: string[] = ['## Targets (issue 7)', '', '| target | measured | met |', '|---|---|---|'];
  const f2 = by('fixed-2');
  if (f2) {
    const k = find(f2, 'kvmcheck', 'POR + symmetry');
    const s = find(f2, 'SPIN', 'DFS + POR');
    out.push(
      `| 2 vCPUs fixed: kvmcheck time to holds (all reductions) ≤ SPIN total (compile + search) | kvmcheck ${f(k?.searchS)} s in process (${f(k?.totalS)} s with Node start-up) vs SPIN ${f(s?.totalS)} s: ${ratio(k?.searchS, s?.totalS)} (${ratio(k?.totalS, s?.totalS)} with start-up) | ${k?.searchS !== undefined && s?.totalS !== undefined && k.searchS <= s.totalS ? 'yes' : 'no'} |`,
    );
    const kr = find(f2, 'kvmcheck', 'no reduction');
    const kw = find(f2, 'kvmcheck', 'no reduction, 2 workers');
    const sr = find(f2, 'SPIN', 'DFS, -DNOREDUCE');
    const best = Math.max(rate(kr ?? ({} as ToolRun)) ?? 0, rate(kw ?? ({} as ToolRun)) ?? 0);
    out.push(
      `| raw rate, no reduction ≥ 0.5 × SPIN -DNOREDUCE states/s | kvmcheck ${n(rate(kr ?? ({} as ToolRun)))} states/s (1 worker), ${n(rate(kw ?? ({} as ToolRun)))} (2 workers) vs SPIN ${n(rate(sr ?? ({} as ToolRun)))}: ${ratio(best, rate(sr ?? ({} as ToolRun)))} | ${sr && best >= 0.5 * (rate(sr) ?? Infinity) ? 'yes' : 'no'} |`,
    );
  }
  const f3 = by('fixed-3');
  if (f3) {
    const k = find(f3, 'kvmcheck', 'POR + symmetry');
    const r = find(f3, 'Rumur', 'heuristic symmetry');
    out.push(
      `| 3 vCPUs fixed: exhaustive holds within 8 GB, faster than Rumur with symmetry (at least < 300 s) | kvmcheck ${k?.verdict ?? '–'} in ${f(k?.searchS)} s, ${n(k?.maxRssMb)} MB vs Rumur ${f(r?.searchS)} s: ${ratio(k?.searchS, r?.searchS)} | ${k?.verdict === 'holds' && (k.maxRssMb ?? Infinity) < 8192 && r?.searchS !== undefined && k.searchS! < r.searchS ? 'yes' : k?.verdict === 'holds' && k.searchS! < 300 ? 'only < 300 s' : 'no'} |`,
    );
  }
  const sr = by('seed-race');
  if (sr) {
    const k = find(sr, 'kvmcheck', 'no reduction');
    out.push(
      `| seed race: shortest counterexample < 1 s | ${f(k?.searchS)} s, ${k?.traceLength ?? '–'} steps (BFS) | ${k?.searchS !== undefined && k.searchS < 1 ? 'yes' : 'no'} |`,
    );
  }
  return `${out.join('\n')}\n`;
}

export function renderResults(
  started: string,
  machine: Record<string, string>,
  results: readonly ConfigResult[],
): string {
  const notesFile = join(import.meta.dirname, 'notes.md');
  const notes = existsSync(notesFile) ? readFileSync(notesFile, 'utf8') : '';
  return [
    '# kvmcheck vs SPIN vs Rumur on kvm-bench, and kvmcheck on real models',
    '',
    `Generated by \`npm run bench\` (bench/run.ts) on ${started}. Do not edit: the analysis comes from bench/notes.md.`,
    '',
    '## Machine',
    '',
    '| | |',
    '|---|---|',
    ...Object.entries(machine).map(([k, v]) => `| ${k} | ${v} |`),
    '',
    "Times: SPIN search = pan's elapsed time, total = `spin -a` + gcc + pan (run-spin.sh); Rumur search = the",
    "generated checker's wall time, total = rumur + gcc + run (run-rumur.sh); kvmcheck search = in-process time to",
    'verdict, total = the whole `node --import tsx` process (start-up and TypeScript loading included). Peak RSS from',
    '`/usr/bin/time` (the largest process of the run: for SPIN and Rumur this can be gcc); B/state = peak RSS / distinct',
    'states (for a small search mostly the fixed cost of the process: Node and its modules are some 60-100 MB).',
    '',
    targets(results),
    '## Results',
    '',
    ...results.map(table),
    notes,
  ].join('\n');
}
