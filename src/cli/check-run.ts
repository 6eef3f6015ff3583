import { dirname, resolve } from 'node:path';
import type { SearchEvent, SearchListener } from '../explore/events.ts';
import type { SearchOptions } from '../explore/options.ts';
import { exitCodeOf } from '../explore/result.ts';
import type { SearchResult } from '../explore/result.ts';
import { type RunSettings, runSettingsLine } from '../explore/run-settings.ts';
import type { Instance } from '../model/instance.ts';
import { writeFileAtomic } from '../persist/atomic-write.ts';
import { escapeControls, resumeCommand } from '../text/safe-text.ts';
import type { CheckpointEvent } from '../persist/checkpoint-writer.ts';
import { announceRun } from '../supervise/control.ts';
import { refuseIgnoredFlags } from './flag-rules.ts';
import { loadCheckView } from '../tui/load-views.ts';
import type { CheckView } from '../tui/render-check.tsx';
import type { ParsedArgs } from './args.ts';
import { allowLongerOf, reportWidthOf, traceFormatOf } from './counterexample-flags.ts';
import type { CounterexampleOutput } from './counterexample-output.ts';
import { formatResult } from './format-result.ts';
import { type Io, inCi } from './io.ts';
import { type LoadedModel, loadModelWithSource } from './load-model.ts';
import { instanceFromArgs } from './model-args.ts';
import { reportOutputErrors, tryWrite } from './output-files.ts';
import { collisionWarning, progressLine } from './progress-line.ts';
import { type RunSearchOutput, defaultCheckpointPath, runSearch } from './run-search.ts';
import { transientLine } from './transient-line.ts';

/**
 * `kvmcheck check` in its four parts: what the flags ask for (checkMode),
 * loading the model (loadInstance), the search (search) and what is printed
 * and written of its result (present).
 */

/** How the command runs, read from its flags and its terminal. */
export interface CheckMode {
  readonly json: boolean;
  readonly random: boolean;
  /** The dashboard's live row and trace browser (a person at a terminal). */
  readonly wantsView: boolean;
  readonly format: ReturnType<typeof traceFormatOf>;
}

/** Reads the flags that shape the run; bad values fail here, before the search, not after it. */
export function checkMode(args: ParsedArgs, io: Io): CheckMode {
  allowLongerOf(args.flags['allow-longer']);
  const format = traceFormatOf(args, io);
  refuseIgnoredFlags(args);
  const json = args.flags.json === true;
  const random = args.flags.search === 'random';
  const wantsView =
    !json && args.flags.tui !== false && !random && io.isTTY && !inCi(io.env) && process.stdin.isTTY === true;
  return { json, random, wantsView, format };
}

/** Loads the model and makes the instance the flags name (on a terminal, saying so while it loads). */
export async function loadInstance(
  modelRef: string,
  args: ParsedArgs,
  io: Io,
  mode: CheckMode,
): Promise<{ inst: Instance; loaded: LoadedModel }> {
  // a model can take seconds to load: say so at once on a terminal
  const loading = io.isTTY && !mode.json ? transientLine(io, `loading model ${modelRef}…`) : undefined;
  try {
    const loaded = await loadModelWithSource(modelRef, io.cwd);
    const inst = instanceFromArgs(loaded.model, args);
    announceRun(inst); // a supervisor can name a step that never returns
    return { inst, loaded };
  } finally {
    loading?.clear();
  }
}

/** What a check command knows while it runs. */
interface CheckContext {
  readonly inst: Instance;
  readonly settings: RunSettings;
  readonly mode: CheckMode;
  readonly args: ParsedArgs;
  readonly io: Io;
  readonly modelRef: string;
}

interface Searched extends RunSearchOutput {
  /** The dashboard, when one shows the run. */
  readonly view: CheckView | undefined;
}

/** Progress on stderr without a dashboard: the start, a line every 5 s, a collision warning once. */
function textListener({ io, mode, settings }: CheckContext): SearchListener {
  let lastLine = Date.now();
  let warned = false;
  return (e: SearchEvent): void => {
    if (mode.json) return;
    if (e.type === 'progress' && !warned && e.stats.collisionProbability !== undefined) {
      const w = collisionWarning(e.stats.collisionProbability, e.stats.fingerprintBits ?? 64);
      if (w) io.err(`${w}\n`);
      warned = w !== undefined;
    }
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
}

/** Runs the search (exhaustive, or random schedules), with the dashboard on a terminal. */
export async function search(c: CheckContext & { options: Partial<SearchOptions> }): Promise<Searched> {
  const { inst, options, settings, mode, args, io, modelRef } = c;
  // on a terminal, the dashboard's live row and trace browser (src/tui), loaded only then
  const view = mode.wantsView
    ? (await loadCheckView()).renderCheck(
        escapeControls(`${inst.model.name}/${inst.scenario ?? '(default)'}`),
        {
          settings: runSettingsLine(settings),
          ...(options.maxMemory !== undefined ? { maxMemory: options.maxMemory } : {}),
          format: mode.format,
        },
      )
    : undefined;
  let viewOpen = view !== undefined;
  // the random search loads only when used (keeps start-up fast)
  if (mode.random) {
    if (!mode.json)
      io.err(
        `kvmcheck: exploring ${inst.model.name}${inst.scenario ? ` / ${inst.scenario}` : ''} at random\n`,
      );
    const { randomCheck } = await import('./random-check.ts');
    const result = await randomCheck(inst, args, modelRef, (line) => {
      if (!mode.json) io.err(`kvmcheck: ${line}\n`);
    });
    return { result, view };
  }
  const out = await runSearch({
    inst,
    options,
    listener: view?.listener ?? textListener(c),
    signal: view ? AbortSignal.any([io.signal, view.interrupted]) : io.signal,
    checkpointPath: (args.flags.checkpoint as string | undefined) ?? defaultCheckpointPath(inst, io.cwd),
    checkpointExplicit: args.flags.checkpoint !== undefined,
    checkpointEveryMs: args.flags['checkpoint-every'] as number | undefined,
    resumePath: args.flags.resume as string | undefined,
    argv: io.argv,
    // large checkpoints take seconds to write: say so (on stderr, once the dashboard is away)
    onCheckpoint: (e) => {
      if (!mode.json && !viewOpen) io.err(`kvmcheck: ${describeCheckpointEvent(e)}\n`);
    },
    beforeFinalCheckpoint: async (r) => {
      await view?.finish(r);
      viewOpen = false;
    },
  }).catch((e: unknown) => {
    view?.close();
    throw e;
  });
  return { ...out, view };
}

/**
 * Shows and writes the result: the counterexample (minimised, in the asked
 * format and files), the dashboard's last screen, the HTML page, JSON or
 * text on stdout, the --out file. Returns the exit status.
 */
export async function present(
  { result, checkpoint, checkpointError, view }: Searched,
  { inst, settings, mode, args, io, modelRef }: CheckContext,
): Promise<number> {
  // counterexample formats load only when used (keeps start-up fast)
  const cex: CounterexampleOutput | undefined = result.trace
    ? (await import('./counterexample-output.ts')).counterexampleOutput(inst, result, args, io, modelRef)
    : undefined;
  const shown: SearchResult = cex?.result ?? result;
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
  if (mode.json) io.out(jsonText());
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
}

/** One line about a checkpoint being written, written or left out. */
export function describeCheckpointEvent(e: CheckpointEvent): string {
  const size = `${(e.bytes / 2 ** 20).toFixed(e.bytes < 10 * 2 ** 20 ? 1 : 0)} MiB`;
  switch (e.phase) {
    case 'writing':
      return `writing the checkpoint ${e.path} (~${size})…`;
    case 'written':
      return `checkpoint written (~${size} in ${(e.ms / 1000).toFixed(1)} s)`;
    case 'skipped': {
      const kept = e.earlier
        ? `; the smaller one written earlier in this run stays (resume with: ${e.earlier})`
        : '';
      return `no checkpoint written: it would take ~${size} in ${dirname(e.path)}${kept}; pass --checkpoint <file> to keep the progress of a stopped search`;
    }
  }
}
