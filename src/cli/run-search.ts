import { mkdirSync } from 'node:fs';
import { totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { exploreAsync } from '../driver/explore.ts';
import type { SearchListener } from '../explore/events.ts';
import { withDefaults } from '../explore/options.ts';
import type { SearchOptions } from '../explore/options.ts';
import type { SearchResult } from '../explore/result.ts';
import { Search } from '../explore/search.ts';
import { KvmcheckError } from '../errors.ts';
import { runParallel } from '../parallel/parallel-search.ts';
import type { Instance } from '../model/instance.ts';
import { modelIdentity } from '../model/identity.ts';
import { assertResumable, graphOptions, readCheckpoint, writeCheckpoint } from '../persist/checkpoint.ts';
import type { FlagSpec, ParsedArgs } from './args.ts';
import { tryWrite } from './output-files.ts';

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
    description: 'also write a checkpoint periodically, e.g. 10m',
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
    workers: f.workers as number | undefined,
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
  /** The user named the checkpoint path (--checkpoint): check it is writable before searching. */
  readonly checkpointExplicit?: boolean;
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
 * that signals are served; writes a checkpoint periodically when asked and
 * whenever the search stops early (interrupt, time/state/memory limit), so
 * nothing computed is lost. A depth cut is not resumable (the cut states are
 * not kept) and writes none.
 */
export async function runSearch(input: RunSearchInput): Promise<RunSearchOutput> {
  // an explicit checkpoint path is checked before the search, not after an hour of it
  if (input.checkpointExplicit) {
    const failed = tryWrite(() => mkdirSync(dirname(input.checkpointPath), { recursive: true }));
    if (failed) throw checkpointIoError(input.checkpointPath, failed);
  }
  const options = withDefaults(input.options);
  if (options.por === 'check') {
    return { result: await exploreAsync(input.inst, options, input.listener, input.signal) };
  }
  const identity = modelIdentity(input.inst);
  const graph = graphOptions(options);
  let search: Search;
  if (input.resumePath !== undefined) {
    const c = readCheckpoint(input.resumePath);
    assertResumable(input.resumePath, c, identity, graph);
    search = Search.resume(input.inst, options, c.progress, input.listener);
  } else search = new Search(input.inst, options, input.listener);

  let saveError: KvmcheckError | undefined;
  const save = (): boolean => {
    const failed = tryWrite(() => {
      mkdirSync(dirname(input.checkpointPath), { recursive: true });
      writeCheckpoint(input.checkpointPath, {
        identity,
        options: graph,
        progress: search.exportProgress(),
        argv: input.argv,
      });
    });
    if (failed) saveError = checkpointIoError(input.checkpointPath, failed);
    return !failed;
  };
  const finished = (r: SearchResult): RunSearchOutput => {
    if (r.verdict === 'incomplete' && r.limit !== 'max-depth' && save())
      return { result: r, checkpoint: input.checkpointPath };
    // a failed periodic checkpoint matters only if the search did not finish
    return r.verdict === 'incomplete' && saveError
      ? { result: r, checkpointError: saveError }
      : { result: r };
  };
  if (options.workers > 1 && !search.done) {
    try {
      return finished(await runParallel(search, input.signal));
    } finally {
      search.close();
    }
  }
  const onAbort = (): void => search.interrupt('interrupted');
  input.signal.addEventListener('abort', onAbort);
  let lastSave = Date.now();
  try {
    for (;;) {
      if (input.signal.aborted) search.interrupt('interrupted');
      const r = search.done ?? search.runSlice(50);
      if (r) return finished(r);
      if (input.checkpointEveryMs !== undefined && Date.now() - lastSave >= input.checkpointEveryMs) {
        save();
        lastSave = Date.now();
      }
      await new Promise<void>((res) => setImmediate(res));
    }
  } finally {
    input.signal.removeEventListener('abort', onAbort);
    search.close();
  }
}

function checkpointIoError(path: string, cause: KvmcheckError): KvmcheckError {
  return new KvmcheckError(
    'E_IO',
    `could not write the checkpoint ${path}: ${cause.message}`,
    'pass --checkpoint <file> in a writable directory with free space',
  );
}
