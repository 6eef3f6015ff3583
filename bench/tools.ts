import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The result of one run of any tool, in the units of the results table. */
export interface ToolRun {
  readonly tool: 'SPIN' | 'Rumur' | 'kvmcheck';
  readonly label: string;
  readonly verdict: 'holds' | 'violated' | 'incomplete' | 'failed';
  readonly states?: number;
  readonly transitions?: number;
  /** Search time (SPIN: pan's elapsed time; Rumur: its search wall time; kvmcheck: in-process search). */
  readonly searchS?: number;
  /** Everything: compile + search (SPIN, Rumur), process start to exit (kvmcheck). */
  readonly totalS?: number;
  readonly compileS?: number;
  readonly maxRssMb?: number;
  readonly traceLength?: number;
  readonly note?: string;
}

export const SHARED = join(import.meta.dirname, '..', '..', 'shared', 'bench');
const TIMEOUT_MS = 20 * 60_000;

/** Installs the Debian packages spin, rumur and gcc when a command is missing. */
export function ensureTools(): void {
  const missing = ['spin', 'rumur', 'gcc'].filter(
    (c) => spawnSync('sh', ['-c', `command -v ${c}`]).status !== 0,
  );
  if (missing.length === 0) return;
  spawnSync('apt-get', ['update'], { stdio: 'inherit' });
  const r = spawnSync('apt-get', ['install', '-y', ...missing], { stdio: 'inherit' });
  if (r.status !== 0) throw new Error(`apt-get install -y ${missing.join(' ')} failed`);
}

export function versions(): Record<string, string> {
  const first = (cmd: string): string =>
    (spawnSync('sh', ['-c', cmd], { encoding: 'utf8' }).stdout ?? '').split('\n')[0]!.trim();
  return { spin: first('spin -V'), rumur: first('rumur --version'), gcc: first('gcc --version') };
}

/** How long and in how much memory a heavy configuration's tools may run (configs.ts `heavy`). */
export interface Limits {
  readonly capMb: number;
  readonly timeoutMin: number;
}

function timed(
  cmd: string,
  args: string[],
  env: Record<string, string>,
  cwd?: string,
  timeoutMs = TIMEOUT_MS,
) {
  const r = spawnSync('/usr/bin/time', ['-f', 'maxrss_kb %M', cmd, ...args], {
    encoding: 'utf8',
    env: { ...process.env, ...env },
    cwd,
    timeout: timeoutMs,
    maxBuffer: 64 << 20,
  });
  const out = `${r.stdout ?? ''}\n${r.stderr ?? ''}`;
  const rss = /maxrss_kb (\d+)/.exec(out);
  return { out, maxRssMb: rss ? Number(rss[1]) / 1024 : undefined, timedOut: r.error !== undefined };
}

const num = (re: RegExp, s: string): number | undefined => {
  const m = re.exec(s);
  return m ? Number(m[1]) : undefined;
};

export function runSpin(label: string, flags: readonly string[], cflags: string, memMb = 6000): ToolRun {
  const { out, maxRssMb, timedOut } = timed(join(SHARED, 'run-spin.sh'), [...flags], {
    PAN_CFLAGS: cflags,
    MEMLIM_MB: String(memMb),
  });
  const errors = num(/errors: (\d+)/, out);
  const oom = /out of memory/.test(out);
  return {
    tool: 'SPIN',
    label,
    verdict:
      oom || timedOut ? 'incomplete' : errors === undefined ? 'failed' : errors > 0 ? 'violated' : 'holds',
    states: num(/([\d.e+]+) states, stored/, out),
    transitions: num(/([\d.e+]+) transitions/, out),
    searchS: num(/elapsed time ([\d.e+]+)/, out),
    compileS: num(/compile_s ([\d.]+)/, out),
    totalS: num(/total_s ([\d.]+)/, out),
    maxRssMb,
    ...(oom ? { note: 'out of memory' } : timedOut ? { note: 'timed out' } : {}),
  };
}

export function runRumur(
  label: string,
  nv: number,
  symmetry: string,
  consts: Readonly<Record<string, string>>,
  limits?: Limits,
): ToolRun {
  const dir = mkdtempSync(join(tmpdir(), 'kvmcheck-rumur-'));
  try {
    let m = readFileSync(join(SHARED, 'kvm-bench.m'), 'utf8');
    for (const [k, v] of Object.entries(consts)) m = m.replace(new RegExp(`${k}: [a-z0-9]+;`), `${k}: ${v};`);
    writeFileSync(join(dir, 'kvm-bench.m'), m);
    copyFileSync(join(SHARED, 'run-rumur.sh'), join(dir, 'run-rumur.sh'));
    if (limits) writeFileSync(join(dir, 'run-capped.sh'), cappedRumur(limits));
    const { out, maxRssMb, timedOut } = timed(
      'bash',
      [join(dir, limits ? 'run-capped.sh' : 'run-rumur.sh'), String(nv), symmetry],
      {},
      dir,
      limits ? (limits.timeoutMin + 30) * 60_000 : TIMEOUT_MS,
    );
    const m2 = /(\d+) states, (\d+) rules fired/.exec(out);
    const bad = /(\d+) error\(s\) found/.test(out);
    const ok = /No error found/.test(out);
    // a capped run that ran out of memory or time: its last progress line
    const last = [...out.matchAll(/(\d+) states explored in \d+s, with (\d+) rules fired/g)].at(-1);
    const stopped = limits && !bad && !ok;
    const why = /exit_status 124/.test(out)
      ? `time limit ${limits?.timeoutMin} min`
      : `memory cap ${limits?.capMb} MB`;
    return {
      tool: 'Rumur',
      label,
      verdict: timedOut || stopped ? 'incomplete' : bad ? 'violated' : ok ? 'holds' : 'failed',
      ...(m2
        ? { states: Number(m2[1]), transitions: Number(m2[2]) }
        : stopped && last
          ? { states: Number(last[1]), transitions: Number(last[2]) }
          : {}),
      searchS: num(/search_wall_s ([\d.]+)/, out),
      compileS: num(/compile_s ([\d.]+)/, out),
      totalS: num(/total_s ([\d.]+)/, out),
      maxRssMb,
      ...(stopped ? { note: `stopped by the ${why}, states when last reported` } : {}),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * run-rumur.sh with the checker under a memory cap (`ulimit -v`: its
 * allocations fail past it) and a time limit, keeping its progress lines
 * (the states explored when it stopped). Its seen set is allocated up front
 * at 70 % of the cap and grows only when 95 % full: a set that doubled from
 * Rumur's default 8 MB would stop at half the cap.
 */
function cappedRumur(l: Limits): string {
  return `#!/usr/bin/env bash
set -uo pipefail
nv=$1; sym=$2
sed "s/NV: 3;/NV: $nv;/" kvm-bench.m > m.m
start=$(date +%s.%N)
rumur --deadlock-detection off --symmetry-reduction "$sym" --set-capacity ${Math.floor(l.capMb * 0.7) * 1024 * 1024} --set-expand-threshold 95 --output m.c m.m || exit 1
gcc -O3 -march=native -o m m.c -lpthread || exit 1
compiled=$(date +%s.%N)
(ulimit -v ${l.capMb * 1024}; exec timeout ${l.timeoutMin * 60}s ./m) > out.txt 2>&1
echo "exit_status $?"
grep -E "error|states|Status|memory|alloc" out.txt | tail -n 40
end=$(date +%s.%N)
awk -v a="$start" -v b="$compiled" -v c="$end" 'BEGIN{printf "compile_s %.3f  search_wall_s %.3f  total_s %.3f\\n", b-a, c-b, c-a}'
`;
}

export function runKvmcheck(
  label: string,
  params: object,
  options: object,
  model?: string,
  limits?: Limits,
): ToolRun {
  const child = join(import.meta.dirname, 'kvmcheck-child.ts');
  const start = performance.now();
  // under a cap: --max-memory (a clean stop, verdict incomplete) and --time-limit
  const capped = limits
    ? { ...options, maxMemory: limits.capMb * 1024 * 1024, timeLimitMs: limits.timeoutMin * 60_000 }
    : options;
  const { out, maxRssMb, timedOut } = timed(
    process.execPath,
    [
      '--max-old-space-size=7000',
      '--import',
      'tsx',
      child,
      JSON.stringify(params),
      JSON.stringify(capped),
      ...(model ? [model] : []),
    ],
    {},
    join(import.meta.dirname, '..'),
    limits ? (limits.timeoutMin + 30) * 60_000 : TIMEOUT_MS,
  );
  const totalS = (performance.now() - start) / 1000;
  const line = out.split('\n').find((l) => l.startsWith('{'));
  if (!line)
    return { tool: 'kvmcheck', label, verdict: timedOut ? 'incomplete' : 'failed', note: out.slice(-300) };
  const r = JSON.parse(line) as {
    verdict: string;
    limit?: string;
    states: number;
    transitions: number;
    searchS: number;
    traceLength?: number;
  };
  return {
    tool: 'kvmcheck',
    label,
    verdict:
      r.verdict === 'holds' || r.verdict === 'violated' || r.verdict === 'incomplete' ? r.verdict : 'failed',
    states: r.states,
    transitions: r.transitions,
    searchS: r.searchS,
    totalS,
    ...(maxRssMb !== undefined ? { maxRssMb } : {}),
    ...(r.traceLength !== undefined ? { traceLength: r.traceLength } : {}),
    ...(r.limit !== undefined ? { note: `stopped by ${r.limit}` } : {}),
  };
}
