/**
 * The benchmark configurations: the variants of ../shared/bench/README.md,
 * each run by SPIN, Rumur and kvmcheck in the same run; then bundled KVM
 * models (no SPIN or Rumur port: kvmcheck alone, with the transition cache
 * and without it, to show what the fast paths buy on real models).
 */
export interface KvmcheckRun {
  readonly label: string;
  readonly options: Readonly<Record<string, unknown>>;
}

export interface Config {
  readonly id: string;
  readonly title: string;
  /** A bundled model and scenario (kvmcheck only); kvm-bench when absent. */
  readonly model?: { readonly name: string; readonly scenario: string };
  /** The model's params (kvmcheck) */
  readonly params: Readonly<Record<string, unknown>>;
  /** The same variant for SPIN (-D flags) and Rumur (constants replaced in kvm-bench.m). */
  readonly spinFlags: readonly string[];
  readonly rumurConsts: Readonly<Record<string, string>>;
  readonly nv: number;
  readonly spin: readonly { label: string; cflags: string; memMb?: number; heavy?: boolean }[];
  readonly rumur: readonly { label: string; symmetry: 'off' | 'heuristic'; heavy?: boolean }[];
  readonly kvmcheck: readonly KvmcheckRun[];
  readonly expect: 'holds' | 'violated';
  /**
   * A run of hours: skipped by `--quick`, each tool under the same memory
   * cap (`capMb`: kvmcheck's --max-memory, Rumur's `ulimit -v`) and time
   * limit (`timeoutMin`, else 20 minutes).
   */
  readonly heavy?: { readonly capMb: number; readonly timeoutMin: number };
}

const NONE = { label: 'no reduction', options: {} };
const ALL = { label: 'POR + symmetry', options: { por: 'on', symmetry: true } };
/** The fast expander (default) against the plain one (`cache: false`), without and with the reductions. */
const CACHE_ON_OFF: readonly KvmcheckRun[] = [
  { label: 'no reduction, cache on', options: {} },
  { label: 'no reduction, cache off', options: { cache: false } },
  { label: 'POR + symmetry, cache on', options: { por: 'on', symmetry: true } },
  { label: 'POR + symmetry, cache off', options: { por: 'on', symmetry: true, cache: false } },
];

/** A bundled KVM model run by kvmcheck alone. */
function realModel(
  id: string,
  title: string,
  name: string,
  scenario: string,
  params: Readonly<Record<string, unknown>>,
  expect: 'holds' | 'violated',
): Config {
  return {
    id,
    title,
    model: { name, scenario },
    params,
    spinFlags: [],
    rumurConsts: {},
    nv: 0,
    spin: [],
    rumur: [],
    kvmcheck: CACHE_ON_OFF,
    expect,
  };
}

export const CONFIGS: readonly Config[] = [
  {
    id: 'fixed-2',
    title: 'fixed protocol, 2 vCPUs',
    params: { vcpus: 2 },
    spinFlags: ['-DNVCPU=2'],
    rumurConsts: {},
    nv: 2,
    spin: [
      { label: 'DFS + POR', cflags: '-O2 -DSAFETY' },
      { label: 'DFS, -DNOREDUCE', cflags: '-O2 -DSAFETY -DNOREDUCE' },
    ],
    rumur: [
      { label: 'no symmetry', symmetry: 'off' },
      { label: 'heuristic symmetry', symmetry: 'heuristic' },
    ],
    kvmcheck: [
      NONE,
      { label: 'no reduction, 2 workers', options: { workers: 2 } },
      { label: 'POR', options: { por: 'on' } },
      { label: 'symmetry', options: { symmetry: true } },
      ALL,
    ],
    expect: 'holds',
  },
  {
    id: 'seed-race',
    title: 'seed race (PREFAULT=1), 2 vCPUs, shortest counterexample',
    params: { prefault: true },
    spinFlags: ['-DNVCPU=2', '-DPREFAULT=1'],
    rumurConsts: { PREFAULT: 'true' },
    nv: 2,
    spin: [{ label: 'BFS', cflags: '-O2 -DSAFETY -DBFS' }],
    rumur: [{ label: 'BFS, no symmetry', symmetry: 'off' }],
    kvmcheck: [NONE],
    expect: 'violated',
  },
  {
    id: 'no-retry',
    title: 'no mmu_notifier_retry (RETRY=0), 2 vCPUs',
    params: { retry: false },
    spinFlags: ['-DNVCPU=2', '-DRETRY=0'],
    rumurConsts: { RETRY: 'false' },
    nv: 2,
    spin: [{ label: 'DFS + POR', cflags: '-O2 -DSAFETY' }],
    rumur: [{ label: 'no symmetry', symmetry: 'off' }],
    kvmcheck: [NONE, ALL],
    expect: 'violated',
  },
  {
    id: 'follow-pfn',
    title: 'follow_pfn writable (WBUG=1 REMAP_PFN=1), 2 vCPUs',
    params: { wbug: true, remapPfn: true },
    spinFlags: ['-DNVCPU=2', '-DWBUG=1', '-DREMAP_PFN=1'],
    rumurConsts: { WBUG: 'true', REMAP_PFN: 'true' },
    nv: 2,
    spin: [{ label: 'DFS + POR', cflags: '-O2 -DSAFETY' }],
    rumur: [{ label: 'no symmetry', symmetry: 'off' }],
    kvmcheck: [NONE, ALL],
    expect: 'violated',
  },
  {
    id: 'fixed-3',
    title: 'fixed protocol, 3 vCPUs',
    params: { vcpus: 3 },
    spinFlags: ['-DNVCPU=3'],
    rumurConsts: {},
    nv: 3,
    spin: [{ label: 'DFS + POR, 8 GB', cflags: '-O2 -DSAFETY', memMb: 8000, heavy: true }],
    rumur: [
      { label: 'heuristic symmetry', symmetry: 'heuristic' },
      { label: 'no symmetry', symmetry: 'off', heavy: true },
    ],
    kvmcheck: [
      ALL,
      { label: 'POR + symmetry, 2 workers', options: { por: 'on', symmetry: true, workers: 2 } },
    ],
    expect: 'holds',
  },
  {
    id: 'fixed-4',
    title: 'fixed protocol, 4 vCPUs, both tools under a 16 GiB cap',
    params: { vcpus: 4 },
    spinFlags: [],
    rumurConsts: {},
    nv: 4,
    spin: [],
    rumur: [{ label: 'heuristic symmetry', symmetry: 'heuristic' }],
    kvmcheck: [
      {
        label: 'POR + symmetry, 2 workers, 96-bit fingerprints',
        options: { por: 'on', symmetry: true, workers: 2, fingerprint: 96 },
      },
    ],
    expect: 'holds',
    heavy: { capMb: 16384, timeoutMin: 240 },
  },
  realModel('x86-move-race-3', 'x86-v5.4 move-race, 3 vCPUs', 'x86-v5.4', 'move-race', { vcpus: 3 }, 'holds'),
  realModel(
    'arm64-delete-slot-3x2',
    'arm64-v5.4 delete-slot, 3 vCPUs, 2 faults each',
    'arm64-v5.4',
    'delete-slot',
    { vcpus: 3, faults: 2 },
    'holds',
  ),
];
