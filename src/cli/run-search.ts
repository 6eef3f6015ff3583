import { totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { exploreAsync } from '../driver/explore.ts';
import type { SearchListener } from '../explore/events.ts';
import { withDefaults } from '../explore/options.ts';
import type { SearchOptions } from '../explore/options.ts';
import { type SearchResult, abortLimit } from '../explore/result.ts';
import { Search } from '../explore/search.ts';
import { KvmcheckError } from '../errors.ts';
import { runParallel } from '../parallel/parallel-search.ts';
import type { Instance } from '../model/instance.ts';
import { modelIdentity } from '../model/identity.ts';
import { assertResumable, graphOptions, readCheckpoint } from '../persist/checkpoint.ts';
import { CheckpointWriter } from '../persist/checkpoint-writer.ts';
import { CheckpointSchedule } from '../persist/checkpoint-schedule.ts';
import { resumeSearch } from '../persist/resume-search.ts';
import type { CheckpointEvent } from '../persist/checkpoint-writer.ts';
import type { SearchProgress } from '../explore/progress.ts';
import { probeWritableDir } from '../persist/probe-dir.ts';
import { setDeadline } from '../supervise/control.ts';
import { escapeControls } from '../text/safe-text.ts';
import type { FlagSpec, ParsedArgs } from './args.ts';
import { threadCount } from './flag-rules.ts';

/** Flags of commands that run one exhaustive search: reductions, memory, checkpoints. */
export const RUN_FLAGS: readonly FlagSpec[] = [
  {
    name: 'por',
    type: 'string',
    values: ['off', 'on', 'check'],
    description: 'partial-order reduction (default off; check: run both, fail on any difference)',
  },
  {
    name: 'symmetry',
    type: 'bool',
    description: 'symmetry reduction over interchangeable threads (e.g. vCPUs)',
  },
  {
    name: 'cache',
    type: 'string',
    values: ['on', 'off'],
    description:
      'transition cache: reuse a step result on states equal in what it reads (default on; same results)',
  },
  {
    name: 'workers',
    type: 'int',
    placeholder: '<n>',
    description:
      'threads expanding states in parallel, the main one included (BFS; same counts and traces for any n)',
  },
  {
    name: 'max-memory',
    type: 'bytes',
    placeholder: '<size>',
    description:
      'stop (incomplete, with a checkpoint) above this resident memory, e.g. 8G (default 85% of RAM)',
  },
  {
    name: 'fingerprint',
    type: 'string',
    values: ['64', '96', '128'],
    description:
      'bits stored per visited state (default 64; 96 or 128 when the collision probability reported is too high)',
  },
  {
    name: 'frontier-memory',
    type: 'bytes',
    placeholder: '<size>',
    description: 'memory for the BFS frontier (packed); past it, chunks spill to disk (default 256M)',
  },
  {
    name: 'spill-dir',
    type: 'string',
    placeholder: '<dir>',
    description: "directory for the frontier's spill files (default: the system's temporary directory)",
  },
  {
    name: 'checkpoint',
    type: 'string',
    placeholder: '<file>',
    description: 'where to write checkpoints (default .kvmcheck/<model>[.<scenario>].checkpoint)',
  },
  {
    name: 'checkpoint-every',
    type: 'duration',
    placeholder: '<dur>',
    description:
      'period of the checkpoints written while searching, e.g. 10m (default: automatic, the first after 60 s)',
  },
  {
    name: 'resume',
    type: 'string',
    placeholder: '<file>',
    description: 'continue the search saved in a checkpoint',
  },
];

export function runOptionsFromArgs(args: ParsedArgs): Partial<SearchOptions> {
  const f = args.flags;
  return {
    por: f.por as SearchOptions['por'] | undefined,
    symmetry: f.symmetry as boolean | undefined,
    cache: f.cache === undefined ? undefined : f.cache === 'on',
    workers: threadCount('workers', f.workers as number | undefined),
    maxMemory: (f['max-memory'] as number | undefined) ?? Math.floor(totalmem() * 0.85),
    fingerprint:
      f.fingerprint === undefined ? undefined : (Number(f.fingerprint) as SearchOptions['fingerprint']),
    frontierMemory: f['frontier-memory'] as number | undefined,
    spillDir: f['spill-dir'] as string | undefined,
  };
}

/** The documented default checkpoint path, relative to the working directory. */
export function defaultCheckpointPath(inst: Instance, cwd: string): string {
  const name = `${inst.model.name}${inst.scenario ? `.${inst.scenario}` : ''}.checkpoint`.replace(
    /[^\w.-]/g,
    '_',
  );
  return join(cwd, '.kvmcheck', name);
}

export interface RunSearchInput {
  readonly inst: Instance;
  readonly options: Partial<SearchOptions>;
  readonly listener: SearchListener;
  readonly signal: AbortSignal;
  readonly checkpointPath: string;
  readonly checkpointEveryMs: number | undefined;
  readonly resumePath: string | undefined;
  /** The command line, stored in checkpoints for the resume hint. */
  readonly argv: readonly string[];
  /**
   * The user named the checkpoint path (--checkpoint): checkpoints of any
   * size, and the directory, the disk and the lock are checked before searching.
   */
  readonly checkpointExplicit?: boolean;
  /** Told when a large checkpoint is being written, and when an unasked one is too large to write. */
  readonly onCheckpoint?: (e: CheckpointEvent) => void;
  /** Called before the final checkpoint is written (e.g. to put a dashboard away first). */
  readonly beforeFinalCheckpoint?: (r: SearchResult) => Promise<void>;
}

export interface RunSearchOutput {
  readonly result: SearchResult;
  /** Path of the checkpoint written when the search stopped early. */
  readonly checkpoint?: string;
  /** Why a checkpoint could not be written (the result is still complete; exit status 2). */
  readonly checkpointError?: KvmcheckError;
}

/**
 * Runs one search to its end, yielding to the event loop between slices so
 * that signals are served; writes a checkpoint periodically (at the asked
 * period, or automatically: checkpoint-schedule.ts) and whenever the search
 * stops early (interrupt, time/state/memory limit), so
 * nothing computed is lost (unasked, only a small one: checkpoint-writer.ts).
 * A depth cut is not resumable (the cut states are not kept) and writes none.
 * Limits count per run: a resumed search may add --max-states states and run
 * for --time-limit, so the printed resume command always goes further.
 */
export async function runSearch(input: RunSearchInput): Promise<RunSearchOutput> {
  const asked = input.checkpointExplicit === true || input.checkpointEveryMs !== undefined;
  const options = withDefaults(input.options);
  setDeadline(options.timeLimitMs);
  if (options.por === 'check') {
    return { result: await exploreAsync(input.inst, options, input.listener, input.signal) };
  }
  const identity = modelIdentity(input.inst);
  const graph = graphOptions(options);
  const writer = new CheckpointWriter({
    path: input.checkpointPath,
    asked,
    identity,
    options: graph,
    argv: input.argv,
    ...(input.onCheckpoint ? { onEvent: input.onCheckpoint } : {}),
  });
  // an asked-for checkpoint's directory, disk and lock are checked before the search, not after an hour of it
  checkSpillDir(options.spillDir);
  writer.prepare();
  try {
    let search: Search;
    if (input.resumePath !== undefined) {
      const c = readCheckpoint(input.resumePath);
      assertResumable(input.resumePath, c, identity, graph);
      search = resumeSearch(input.resumePath, input.inst, perRun(options, c.progress), c, input.listener);
    } else search = new Search(input.inst, options, input.listener);
    return await drive(search, input, writer);
  } finally {
    writer.close();
  }
}

/** Limits count per run: on resume, the states and time already spent are added to them. */
function perRun(o: SearchOptions, p: SearchProgress): SearchOptions {
  return {
    ...o,
    maxStates: o.maxStates + p.visited.count,
    timeLimitMs: o.timeLimitMs + p.counters.elapsedMs,
  };
}

async function drive(
  search: Search,
  input: RunSearchInput,
  writer: CheckpointWriter,
): Promise<RunSearchOutput> {
  let saveError: KvmcheckError | undefined;
  const save = (final: boolean): string | undefined => {
    const saved = writer.save(search, final);
    saveError = saved.error;
    return saved.path;
  };
  // periodic checkpoints, asked for or automatic (checkpoint-schedule.ts): the last consistent
  // state is on disk even when the search is stopped where it cannot write one (a stuck step)
  const schedule = new CheckpointSchedule(input.checkpointEveryMs);
  const periodic = {
    due: () => schedule.due(),
    save: () => {
      const started = Date.now();
      save(false);
      schedule.saved(Date.now() - started);
    },
  };
  const finished = async (r: SearchResult): Promise<RunSearchOutput> => {
    if (r.verdict === 'incomplete' && r.limit !== 'max-depth') {
      await input.beforeFinalCheckpoint?.(r);
      const path = save(true);
      if (path !== undefined) return { result: r, checkpoint: path };
      // too large to keep unasked: an earlier periodic one (if any) stays, the best there is
      return saveError ? { result: r, checkpointError: saveError } : { result: r };
    }
    // nothing to resume: an automatic checkpoint written on the way goes
    if (!sameFile(input.resumePath, input.checkpointPath)) writer.discard();
    return { result: r };
  };
  if (search.options.workers > 1 && !search.done) {
    try {
      return finished(await runParallel(search, input.signal, {}, periodic));
    } finally {
      search.close();
    }
  }
  const onAbort = (): void => search.interrupt(abortLimit(input.signal));
  input.signal.addEventListener('abort', onAbort);
  try {
    for (;;) {
      if (input.signal.aborted) search.interrupt(abortLimit(input.signal));
      const r = search.done ?? search.runSlice(50);
      if (r) return await finished(r);
      if (periodic.due()) periodic.save();
      await new Promise<void>((res) => setImmediate(res));
    }
  } finally {
    input.signal.removeEventListener('abort', onAbort);
    search.close();
  }
}

/** Whether `a` and `b` name the same file (a search resumed from its own default checkpoint). */
function sameFile(a: string | undefined, b: string): boolean {
  return a !== undefined && resolve(a) === resolve(b);
}

/**
 * A --spill-dir is made if missing and must take a file before the search
 * starts: the first spill may come after an hour of searching.
 */
function checkSpillDir(dir: string | undefined): void {
  if (dir === undefined) return;
  const why = probeWritableDir(dir);
  if (why !== undefined)
    throw new KvmcheckError(
      'E_IO',
      `cannot spill the frontier to ${escapeControls(dir)}: ${why}`,
      'pass --spill-dir <dir> naming a writable directory on a disk with free space',
    );
}
