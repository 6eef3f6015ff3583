import type { TraceStep } from '../trace/trace.ts';
import { ERROR_CODES } from '../errors.ts';
import type { ErrorCode, ErrorInfo } from '../errors.ts';
import type { Limit, SearchResult } from '../explore/result.ts';
import type { Verdict } from '../semantics/findings.ts';
import type { Expectation } from '../model/define-model.ts';
import { badResult } from './result-file.ts';
import type { Fields } from './result-file.ts';
import type { VerifyJob } from '../matrix/verify-job.ts';
import { rowOf } from '../matrix/verify-row.ts';
import type { RowStatus, VerifyRow } from '../matrix/verify-row.ts';
import type { CounterexampleView } from '../counterexample/view.ts';
import type { Measures } from '../schedule/measures.ts';

/**
 * A row of `verify --json` and its inverse. The inverse rebuilds the row a
 * result file describes (for `kvmcheck merge`), so that every output of a
 * merge (table, JSON, HTML) comes from the same code as `verify`'s. The two
 * must stay in step: a field added to `rowJson` is read back in
 * `rowFromJson` (the round-trip test in test/shard/verify-rows.test.ts says so when not).
 */
export function rowJson({ job, result: r, match, status, counterexample: cex }: VerifyRow) {
  return {
    model: job.model.name,
    scenario: job.scenario,
    params: r.params,
    expected: job.expect,
    verdict: r.verdict,
    ...(r.property !== undefined ? { property: r.property } : {}),
    match,
    status,
    states: r.states,
    transitions: r.transitions,
    depth: r.depth,
    // a terminated search's counts: its last progress report's, or unknown (then 0)
    ...(r.counts !== undefined ? { counts: r.counts } : {}),
    elapsedMs: r.elapsedMs,
    ...(r.message !== undefined ? { message: r.message } : {}),
    ...(r.limit !== undefined ? { limit: r.limit } : {}),
    ...(r.error !== undefined ? { error: r.error } : {}),
    ...(r.trace !== undefined && r.trace.length > 0 ? { trace: r.trace } : {}),
    // the minimised counterexample's replay token and measures, as `check --json` has them
    ...(cex
      ? {
          replay: cex.replay,
          replayCommand: cex.replayCommand,
          measures: cex.measures,
          minimisation: cex.minimisation,
        }
      : {}),
  };
}

const STATUSES: readonly RowStatus[] = ['expected', 'unexpected', 'interrupted', 'skipped'];

function measuresOf(f: Fields): Measures {
  return {
    steps: f.count('steps'),
    preemptions: f.count('preemptions'),
    contextSwitches: f.count('contextSwitches'),
  };
}

/**
 * The counterexample a row describes: its token, replay command and
 * measures; the threads in the order the trace shows them. A result file
 * holds no whole states, so a page drawn from it has no state pane.
 */
function counterexampleOf(f: Fields, result: SearchResult, label: string): CounterexampleView {
  const replay = f.name('replay', 100_000);
  if (!/^kc[12]\.[\w-]+$/.test(replay)) throw f.bad('replay', 'a replay token (kc2.…)');
  const replayCommand = f.name('replayCommand', 101_000);
  if (!replayCommand.startsWith(`kvmcheck replay ${replay}`))
    throw f.bad('replayCommand', `kvmcheck replay ${replay}…`);
  const m = f.object('measures');
  const threads: string[] = [];
  for (const s of result.trace ?? []) if (!threads.includes(s.thread)) threads.push(s.thread);
  return {
    title: label,
    result,
    threads,
    measures: { before: measuresOf(m.object('before')), after: measuresOf(m.object('after')) },
    minimisation: f.oneOf('minimisation', ['exhaustive', 'local', 'off'] as const),
    replay,
    replayCommand,
    states: [],
    locks: [],
  };
}

export const VERDICTS: readonly Verdict[] = ['holds', 'violated', 'deadlock', 'incomplete', 'error'];
export const LIMITS: readonly Limit[] = [
  'max-states',
  'max-depth',
  'time-limit',
  'max-memory',
  'interrupted',
  'random-runs',
];
const ERROR_CODE_NAMES = Object.keys(ERROR_CODES) as ErrorCode[];

function expectationOf(f: Fields): Expectation {
  const verdict = f.oneOf('verdict', ['holds', 'violated', 'deadlock'] as const);
  return verdict === 'violated' ? { verdict, property: f.name('property') } : { verdict };
}

export function errorOf(f: Fields): ErrorInfo {
  return {
    code: f.oneOf('code', ERROR_CODE_NAMES),
    message: f.string('message', 65536),
    hint: f.string('hint'),
  };
}

export function traceOf(f: Fields, key: string): TraceStep[] {
  return f.objects(key, 100_000).map((s) => ({
    index: s.count('index'),
    thread: s.name('thread'),
    step: s.name('step', 500),
    ...(s.has('kernel') ? { kernel: s.name('kernel', 500) } : {}),
    ...(s.has('choice') ? { choice: s.string('choice', 65536) } : {}),
    // from/to are state values: plain JSON data, already checked for nesting and control characters
    changes: s
      .objects('changes', 100_000)
      .map((c) => ({ path: c.name('path', 1000), from: c.raw('from'), to: c.raw('to') })),
  }));
}

/**
 * The row a `verify --json` row describes, as cell `id` of the matrix. Its
 * `match` is recomputed from the expectation and the verdict; a file that
 * says otherwise has been edited and is refused.
 */
export function rowFromJson(f: Fields, id: number): VerifyRow {
  const model = f.name('model');
  const scenario = f.name('scenario');
  const params = f.params('params');
  const job: VerifyJob = {
    id,
    label: `${model}/${scenario}`,
    model: { module: '', name: model },
    scenario,
    expect: expectationOf(f.object('expected')),
    options: {},
  };
  const verdict = f.oneOf('verdict', VERDICTS);
  const result: SearchResult = {
    verdict,
    model,
    scenario,
    params,
    ...(f.has('property') ? { property: f.name('property') } : {}),
    ...(f.has('message') ? { message: f.string('message', 65536) } : {}),
    ...(f.has('limit') ? { limit: f.oneOf('limit', LIMITS) } : {}),
    ...(f.has('error') ? { error: errorOf(f.object('error')) } : {}),
    states: f.count('states'),
    transitions: f.count('transitions'),
    depth: f.count('depth'),
    ...(f.has('counts') ? { counts: f.oneOf('counts', ['last-progress', 'unknown'] as const) } : {}),
    elapsedMs: f.number('elapsedMs'),
    collisionProbability: 0,
    ...(f.has('trace') ? { trace: traceOf(f, 'trace') } : {}),
    coverage: { steps: [], unfired: [] },
  };
  const status = f.oneOf('status', STATUSES);
  const cex = f.has('replay') ? counterexampleOf(f, result, job.label) : undefined;
  const row = rowOf(job, result, cex, status === 'skipped');
  if (f.bool('match') !== row.match)
    throw badResult(
      f.file,
      `the row of ${job.label} says match: ${String(!row.match)}, but its verdict says otherwise`,
    );
  if (status !== row.status)
    throw badResult(
      f.file,
      `the row of ${job.label} says status: ${status}, but its verdict says ${row.status}`,
    );
  return row;
}
