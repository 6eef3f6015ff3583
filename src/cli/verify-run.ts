import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { KvmcheckError, asKvmcheckError } from '../errors.ts';
import { modelsOf } from '../matrix/find-model.ts';
import { importModelModule } from '../model/import-module.ts';
import { runMatrix } from '../matrix/run-matrix.ts';
import { planMatrix } from '../matrix/verify-job.ts';
import type { ModelSource, VerifyJob } from '../matrix/verify-job.ts';
import { verifyExitStatus } from '../matrix/verify-row.ts';
import { traceFormatOf } from './counterexample-flags.ts';
import { type RunSettings, runSettingsLine, runSettingsOf } from '../explore/run-settings.ts';
import { transientLine } from './transient-line.ts';
import type { VerifyRow } from '../matrix/verify-row.ts';
import { writeFileAtomic } from '../persist/atomic-write.ts';
import { costsFromFile } from '../shard/costs.ts';
import { matrixOfJobs } from '../shard/matrix.ts';
import { shardJobs } from '../shard/shard-matrix.ts';
import { parseShardSpec } from '../shard/shard-spec.ts';
import type { ShardInfo } from '../shard/verify-result.ts';
import { loadVerifyDashboard } from '../tui/load-views.ts';
import { MatrixProgress } from '../tui/matrix-progress.ts';
import { PlainReporter } from '../tui/plain-reporter.ts';
import type { ParsedArgs } from './args.ts';
import { type Io, inCi } from './io.ts';
import { bundledModels } from './load-model.ts';
import { parseParamFlags } from './model-args.ts';
import { reportOutputErrors, tryWrite } from './output-files.ts';
import { verifyJson } from './verify-json.ts';
import { threadCount } from './flag-rules.ts';

const BUNDLED = new URL('../../models/index.ts', import.meta.url).href;

/** The modules whose models form the matrix: the files given, or the bundled registry. */
async function sourcesOf(files: readonly string[], cwd: string): Promise<ModelSource[]> {
  if (files.length === 0) return [{ module: BUNDLED, models: await bundledModels() }];
  const out: ModelSource[] = [];
  for (const f of files) {
    const url = pathToFileURL(resolve(cwd, f)).href;
    let mod: Record<string, unknown>;
    try {
      mod = await importModelModule(url);
    } catch (e) {
      throw asKvmcheckError(e, 'E_MODEL_LOAD', `fix ${f} so that it loads (try \`npx tsc --noEmit\`)`);
    }
    const models = modelsOf(mod);
    if (models.length === 0)
      throw new KvmcheckError('E_MODEL_EXPORT', `${f} exports no model`, 'export the result of defineModel');
    out.push({ module: url, models, modelFlag: f });
  }
  return out;
}

/** The dashboard needs a terminal on stdout, and a keyboard in raw mode to be interactive. */
function wantsDashboard(args: ParsedArgs, io: Io): boolean {
  return io.isTTY && !inCi(io.env) && args.flags.tui !== false && args.flags.json !== true;
}

/** `--param k=v`… as given (the last value of a key wins, as when applied). */
function rawParams(list: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const kv of list) {
    const eq = kv.indexOf('=');
    if (eq > 0)
      Object.defineProperty(out, kv.slice(0, eq), {
        value: kv.slice(eq + 1),
        enumerable: true,
        writable: true,
      });
  }
  return out;
}

/** `--shard i/n` (with `--costs`): this shard's jobs and what the result says about it. */
function selectShard(args: ParsedArgs, io: Io, all: VerifyJob[]): { jobs: VerifyJob[]; shard?: ShardInfo } {
  const raw = args.flags.shard as string | undefined;
  const costsFile = args.flags.costs as string | undefined;
  if (raw === undefined) {
    if (costsFile !== undefined)
      throw new KvmcheckError('E_USAGE', '--costs without --shard', 'costs balance shards: add --shard i/n');
    return { jobs: all };
  }
  const spec = parseShardSpec(raw, 'shard');
  return shardJobs(all, spec, costsFile !== undefined ? costsFromFile(costsFile, io.cwd) : undefined);
}

/** `kvmcheck verify`: plans the matrix, runs it (or one shard of it) with the dashboard or plain output, returns the exit status. */
export async function runVerify(args: ParsedArgs, io: Io): Promise<number> {
  const started = Date.now();
  const concurrency = threadCount('jobs', args.flags.jobs as number | undefined) ?? availableParallelism();
  // a bad --format fails before the models load
  const format = traceFormatOf(args, io);
  const dashboard = wantsDashboard(args, io);
  const limits = {
    timeLimitMs: args.flags['time-limit'] as number | undefined,
    maxStates: args.flags['max-states'] as number | undefined,
  };
  const settings = runSettingsOf(limits, { jobs: concurrency });
  const plan = await planVerify(args, io, dashboard, limits);
  const json = args.flags.json === true;
  const { shard, jobs, all } = plan;
  if (shard && !json)
    io.err(
      `kvmcheck: shard ${shard.index}/${shard.count} (${shard.partition}): ${jobs.length} of ${all.length} cells\n`,
    );
  const { rows, printed } = await runJobs(jobs, { args, io, dashboard, concurrency, settings, format });
  return presentVerify(rows, Date.now() - started, { args, io, settings, plan, printed });
}

interface VerifyPlan {
  /** The whole matrix (`matrix`: its description for the result file). */
  readonly all: readonly VerifyJob[];
  readonly matrix: ReturnType<typeof matrixOfJobs>;
  /** The cells this run searches: all of them, or one shard's. */
  readonly jobs: readonly VerifyJob[];
  readonly shard: ShardInfo | undefined;
}

/** Loads the models (on a terminal, saying so), plans the matrix the flags select, picks the shard. */
async function planVerify(
  args: ParsedArgs,
  io: Io,
  dashboard: boolean,
  limits: { timeLimitMs: number | undefined; maxStates: number | undefined },
): Promise<VerifyPlan> {
  const filter = args.flags.filter as string | undefined;
  const paramFlags = (args.flags.param as readonly string[] | undefined) ?? [];
  // the models can take seconds to load: say so at once on a terminal
  const loading = dashboard ? transientLine(io, 'loading models…') : undefined;
  let sources: ModelSource[];
  try {
    sources = await sourcesOf(args.positionals, io.cwd);
  } finally {
    loading?.clear();
  }
  const all = planMatrix(
    sources,
    filter,
    { progressIntervalMs: 250, ...limits },
    paramFlags.length > 0 ? (m) => parseParamFlags(m, paramFlags) : undefined,
  );
  if (all.length === 0)
    throw new KvmcheckError(
      'E_USAGE',
      filter === undefined
        ? 'nothing to verify: no scenario declares an expected verdict'
        : `--filter '${filter}' matches no model/scenario`,
      "'kvmcheck list' shows the models and their scenarios",
    );
  const matrix = matrixOfJobs(sources, all, rawParams(paramFlags), limits);
  const { jobs, shard } = selectShard(args, io, all);
  return { all, matrix, jobs, shard };
}

/** Runs the searches in worker threads, shown by the dashboard or as plain lines (none with --json). */
async function runJobs(
  jobs: readonly VerifyJob[],
  o: {
    args: ParsedArgs;
    io: Io;
    dashboard: boolean;
    concurrency: number;
    settings: RunSettings;
    format: ReturnType<typeof traceFormatOf>;
  },
): Promise<{ rows: VerifyRow[]; printed: string | undefined }> {
  const { args, io, concurrency, settings } = o;
  if (jobs.length === 0) return { rows: [], printed: undefined };
  const progress = new MatrixProgress(jobs);
  if (o.dashboard) {
    // Ink and React load only when a dashboard is drawn, and before any worker starts
    const { showDashboard } = await loadVerifyDashboard();
    const run = runMatrix(jobs, concurrency, progress);
    io.signal.addEventListener('abort', run.interrupt);
    const { printed } = await showDashboard(progress, run, {
      interactive: process.stdin.isTTY === true,
      settings: runSettingsLine(settings),
      format: o.format,
    });
    return { rows: await run.rows, printed };
  }
  const json = args.flags.json === true;
  const reporter = new PlainReporter(progress, {
    write: json ? () => {} : io.out,
    ...(io.columns !== undefined ? { width: io.columns } : {}),
  });
  const run = runMatrix(jobs, concurrency, reporter);
  io.signal.addEventListener('abort', run.interrupt);
  if (!json) {
    io.out(`kvmcheck verify: ${jobs.length} runs · ${runSettingsLine(settings)}\n`);
    reporter.start();
  }
  const rows = await run.rows;
  if (!json) reporter.finish(rows);
  return { rows, printed: undefined };
}

/** Writes the HTML pages, prints the JSON result or the dashboard's last lines, writes --out; returns the exit status. */
async function presentVerify(
  rows: VerifyRow[],
  elapsedMs: number,
  o: { args: ParsedArgs; io: Io; settings: RunSettings; plan: VerifyPlan; printed: string | undefined },
): Promise<number> {
  const { args, io, settings, plan, printed } = o;
  const failed: KvmcheckError[] = [];
  let html: string | undefined;
  const htmlPath = args.flags.html as string | undefined;
  if (htmlPath !== undefined) {
    const { writeVerifyPages } = await import('./html-output.ts');
    const written = writeVerifyPages(htmlPath, io, { rows, elapsedMs, settings });
    if (written.error) failed.push(written.error);
    else html = written.path;
  }
  const { matrix, shard } = plan;
  const result = verifyJson(rows, elapsedMs, { matrix, run: settings, ...(shard ? { shard } : {}) });
  const text = `${JSON.stringify({
    ...result,
    ...(html !== undefined ? { html } : {}),
    ...(failed.length ? { outputErrors: failed.map((e) => e.toInfo()) } : {}),
  })}\n`;
  if (args.flags.json === true) io.out(text);
  else {
    if (html !== undefined) io.out(`HTML page: ${html}\n`);
    if (printed !== undefined) io.out(`\n${printed}`);
  }
  const out = args.flags.out as string | undefined;
  const outError =
    out === undefined ? undefined : tryWrite(() => writeFileAtomic(resolve(io.cwd, out), text));
  if (outError) failed.push(outError);
  return reportOutputErrors(failed, io, verifyExitStatus(rows));
}
