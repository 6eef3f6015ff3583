import { resolve } from 'node:path';
import { KvmcheckError } from '../errors.ts';
import { exitCodeOf } from '../explore/result.ts';
import { writeFileAtomic } from '../persist/atomic-write.ts';
import type { SearchEvent } from '../explore/events.ts';
import type { SearchOptions } from '../explore/options.ts';
import type { ParsedArgs } from './args.ts';
import type { Command } from './command.ts';
import {
  CHECK_COUNTEREXAMPLE_FLAGS,
  allowLongerOf,
  reportWidthOf,
  traceFormatOf,
} from './counterexample-flags.ts';
import type { Instance } from '../model/instance.ts';
import { runSettingsLine, runSettingsOf } from '../explore/run-settings.ts';
import { transientLine } from './transient-line.ts';
import { reportOutputErrors, tryWrite } from './output-files.ts';
import { formatResult } from './format-result.ts';
import { type Io, inCi } from './io.ts';
import { loadModelWithSource } from './load-model.ts';
import { MODEL_FLAGS, instanceFromArgs } from './model-args.ts';
import { progressLine } from './progress-line.ts';
import { requireOnePositional } from './positionals.ts';
import { RUN_FLAGS, defaultCheckpointPath, runOptionsFromArgs, runSearch } from './run-search.ts';
import { loadCheckView } from '../tui/load-views.ts';
import { escapeControls, shellCommand } from '../text/safe-text.ts';

/** Search flags shared by commands that run a search. */
export const SEARCH_FLAGS = [
  {
    name: 'search',
    type: 'string',
    values: ['bfs', 'dfs', 'random'],
    description:
      'search order (default bfs: shortest counterexample; random: fast-check schedules, see --runs)',
  },
  {
    name: 'max-states',
    type: 'int',
    placeholder: '<n>',
    description: 'stop (incomplete) after n distinct states',
  },
  {
    name: 'max-depth',
    type: 'int',
    placeholder: '<n>',
    description: 'do not expand beyond depth n (incomplete if cut)',
  },
  {
    name: 'time-limit',
    type: 'duration',
    placeholder: '<dur>',
    description: 'stop (incomplete) after e.g. 90s, 5m, 2h',
  },
  {
    name: 'deadlock',
    type: 'bool',
    description: 'report deadlocks as a verdict (default on; --no-deadlock)',
  },
] as const;

export function searchOptionsFromArgs(args: ParsedArgs): Partial<SearchOptions> {
  const f = args.flags;
  return {
    search: f.search === 'random' ? undefined : (f.search as 'bfs' | 'dfs' | undefined),
    maxStates: f['max-states'] as number | undefined,
    maxDepth: f['max-depth'] as number | undefined,
    timeLimitMs: f['time-limit'] as number | undefined,
    checkDeadlock: f.deadlock as boolean | undefined,
  };
}

export const checkCommand: Command = {
  name: 'check',
  summary: 'explore every interleaving of one model (and scenario); print a counterexample or "holds"',
  usage:
    'check <model> [--scenario <name>] [--param key=value]… [--search bfs|dfs|random] [--format text|race] [--itf <file>] [--json]',
  flags: [
    ...MODEL_FLAGS,
    ...SEARCH_FLAGS,
    ...RUN_FLAGS,
    ...CHECK_COUNTEREXAMPLE_FLAGS,
    { name: 'json', type: 'bool', description: 'print one JSON object (the result) on stdout' },
    {
      name: 'coverage',
      type: 'bool',
      description: 'print every step with the times it fired and the distinct states it produced',
    },
    {
      name: 'html',
      type: 'string',
      placeholder: '<file>',
      description: 'also write the result as one self-contained HTML page (race diagram, states, replay)',
    },
    {
      name: 'out',
      type: 'string',
      placeholder: '<file>',
      description:
        'also write the JSON result (as --json prints it) to a file, e.g. a swarm shard for kvmcheck merge',
    },
    {
      name: 'tui',
      type: 'bool',
      description:
        'the live row and trace browser on a terminal (default on; --no-tui: plain progress lines)',
    },
  ],
  async run(args: ParsedArgs, io: Io): Promise<number> {
    const modelRef = requireOnePositional(args, 'check', '<model>');
    // bad values fail before the search, not after it
    allowLongerOf(args.flags['allow-longer']);
    const format = traceFormatOf(args, io);
    if (args.flags.swarm !== undefined && args.flags.search !== 'random')
      throw new KvmcheckError(
        'E_USAGE',
        '--swarm needs --search random',
        'e.g. --search random --swarm 2/8 --seed 7',
      );
    const json = args.flags.json === true;
    const random = args.flags.search === 'random';
    const wantsView =
      !json &&
      args.flags.tui !== false &&
      !random &&
      io.isTTY &&
      !inCi(io.env) &&
      process.stdin.isTTY === true;
    // a model can take seconds to load: say so at once on a terminal
    const loading = io.isTTY && !json ? transientLine(io, `loading model ${modelRef}…`) : undefined;
    let inst: Instance;
    let loaded: Awaited<ReturnType<typeof loadModelWithSource>>;
    try {
      loaded = await loadModelWithSource(modelRef, io.cwd);
      inst = instanceFromArgs(loaded.model, args);
    } finally {
      loading?.clear();
    }
    const options: Partial<SearchOptions> = {
      ...searchOptionsFromArgs(args),
      ...runOptionsFromArgs(args),
      modelModule: loaded.module,
      modelExport: loaded.exportName,
    };
    const settings = runSettingsOf(options, { random });
    let lastLine = Date.now();
    const listener = (e: SearchEvent): void => {
      if (json) return;
      if (e.type === 'start') {
        const sc = e.scenario ? ` / ${e.scenario}` : '';
        io.err(`kvmcheck: exploring ${e.model}${sc} (threads: ${e.threads.join(', ')})\n`);
        io.err(`kvmcheck: ${runSettingsLine(settings)}\n`);
        return;
      }
      if (e.type !== 'progress') return;
      const now = Date.now();
      if (now - lastLine < 5000) return;
      lastLine = now;
      io.err(progressLine(e.stats) + '\n');
    };
    // on a terminal, the dashboard's live row and trace browser (src/tui), loaded only then
    const view = wantsView
      ? (await loadCheckView()).renderCheck(
          escapeControls(`${inst.model.name}/${inst.scenario ?? '(default)'}`),
          {
            settings: runSettingsLine(settings),
            ...(options.maxMemory !== undefined ? { maxMemory: options.maxMemory } : {}),
            format,
          },
        )
      : undefined;
    // counterexample formats and the random search load only when used (keeps start-up fast)
    const { result, checkpoint, checkpointError } = random
      ? {
          result: (await import('./random-check.ts')).randomCheck(inst, args, modelRef, (line) => {
            if (!json) io.err(`kvmcheck: ${line}\n`);
          }),
          checkpoint: undefined,
          checkpointError: undefined,
        }
      : await runSearch({
          inst,
          options,
          listener: view?.listener ?? listener,
          signal: view ? AbortSignal.any([io.signal, view.interrupted]) : io.signal,
          checkpointPath:
            (args.flags.checkpoint as string | undefined) ?? defaultCheckpointPath(inst, io.cwd),
          checkpointExplicit: args.flags.checkpoint !== undefined,
          checkpointEveryMs: args.flags['checkpoint-every'] as number | undefined,
          resumePath: args.flags.resume as string | undefined,
          argv: io.argv,
        }).catch((e: unknown) => {
          view?.close();
          throw e;
        });
    const cex = result.trace
      ? (await import('./counterexample-output.ts')).counterexampleOutput(inst, result, args, io, modelRef)
      : undefined;
    const shown = cex?.result ?? result;
    const quit = await view?.finish(shown, cex?.view);
    const failed = [...(cex?.outputErrors ?? []), ...(checkpointError ? [checkpointError] : [])];
    const htmlPath = args.flags.html as string | undefined;
    let html: string | undefined;
    if (htmlPath !== undefined) {
      const { writeCheckPage } = await import('./html-output.ts');
      const written = writeCheckPage(htmlPath, io, { result: shown, settings, view: cex?.view });
      if (written.error) failed.push(written.error);
      else html = written.path;
    }
    const jsonText = (): string =>
      JSON.stringify({
        ...shown,
        run: settings,
        ...cex?.json,
        ...(html !== undefined ? { html } : {}),
        ...(checkpoint ? { checkpoint } : {}),
        ...(failed.length ? { outputErrors: failed.map((e) => e.toInfo()) } : {}),
      }) + '\n';
    if (json) io.out(jsonText());
    else {
      io.out(
        formatResult(shown, {
          ...(cex ? { counterexample: cex.text } : {}),
          settings,
          coverage: args.flags.coverage === true,
          width: reportWidthOf(io),
        }),
      );
      if (html !== undefined) io.out(`HTML page: ${html}\n`);
      if (checkpoint)
        io.out(`checkpoint: ${checkpoint}\nresume with: kvmcheck ${resumeCommand(io.argv, checkpoint)}\n`);
      if (quit?.printed) io.out(`\n${quit.printed}`);
    }
    const out = args.flags.out as string | undefined;
    const outError =
      out === undefined ? undefined : tryWrite(() => writeFileAtomic(resolve(io.cwd, out), jsonText()));
    if (outError) failed.push(outError);
    return reportOutputErrors(failed, io, exitCodeOf(result.verdict));
  },
};

/**
 * The command line that resumes from `checkpoint`: the original one with
 * --resume replaced, shell-quoted for pasting. It keeps the limits: they
 * count per run (run-search.ts), so running it again goes further.
 */
export function resumeCommand(argv: readonly string[], checkpoint: string): string {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--resume') i++;
    else if (!a.startsWith('--resume=')) out.push(a);
  }
  return shellCommand([...out, '--resume', checkpoint]);
}
