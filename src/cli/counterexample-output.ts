import { mkdirSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import { counterexampleOf, replayCommandLine } from '../counterexample/counterexample.ts';
import { itfText, toItfTrace } from '../counterexample/itf-write.ts';
import { measure } from '../schedule/measures.ts';
import { traceFileText } from '../counterexample/trace-file.ts';
import type { TraceFile } from '../counterexample/trace-file.ts';
import { viewOf } from '../counterexample/view.ts';
import type { CounterexampleView } from '../counterexample/view.ts';
import { crc32 } from '../counterexample/byte-codec.ts';
import type { KvmcheckError } from '../errors.ts';
import { tryWrite } from './output-files.ts';
import type { RandomSearchResult } from '../schedule/random-search.ts';
import type { SearchResult } from '../explore/result.ts';
import type { Instance } from '../model/instance.ts';
import { writeFileAtomic } from '../persist/atomic-write.ts';
import type { ParsedArgs } from './args.ts';
import { allowLongerOf, traceFormatOf } from './counterexample-flags.ts';
import { counterexampleText } from '../counterexample/counterexample-text.ts';
import type { Io } from './io.ts';

/** What `check` adds to its output for a counterexample. */
export interface CounterexampleOutput {
  /** The result to print, with the minimised trace and schedule. */
  readonly result: SearchResult;
  /** The counterexample as the browser and the HTML page show it. */
  readonly view: CounterexampleView;
  /** Fields added to the --json object. */
  readonly json: Record<string, unknown>;
  /** The human counterexample block (replaces the plain trace). */
  readonly text: string;
  /** Output files asked for that could not be written (the result is still printed; exit status 2). */
  readonly outputErrors: readonly KvmcheckError[];
}

/**
 * Minimises the counterexample of `result` (if any), writes the trace file
 * (and the ITF file when asked) and renders the replay token and command,
 * the measures before and after minimisation, and the trace in the chosen
 * format. `modelRef` is how the user named the model on the command line.
 */
export function counterexampleOutput(
  inst: Instance,
  result: SearchResult,
  args: ParsedArgs,
  io: Io,
  modelRef: string,
): CounterexampleOutput | undefined {
  const minimiseOn = args.flags.minimise !== false;
  const allowLonger = allowLongerOf(args.flags['allow-longer']);
  const cex = counterexampleOf(inst, result, { minimise: minimiseOn, allowLonger });
  if (!cex) return undefined;
  const random = (result as Partial<RandomSearchResult>).random;
  const modelFlag = modelRef === inst.model.name ? undefined : modelRef;
  const view = viewOf(inst, result, cex, {
    minimise: minimiseOn,
    ...(modelFlag !== undefined ? { modelFlag } : {}),
    ...(random?.original ? { before: measure(inst, random.original) } : {}),
  });
  const { measures, replayCommand: command } = view;
  // what the trace file and the ITF file say about the run
  const about = {
    model: inst.model.name,
    scenario: inst.scenario ?? null,
    params: inst.params,
    verdict: result.verdict,
    property: result.property ?? null,
    message: cex.message,
    replay: cex.replay,
  };
  const outputErrors: KvmcheckError[] = [];
  let itfWritten = false;
  const traceFile = writeTraceFile(inst, { ...about, measures, trace: cex.trace }, args, io, outputErrors);
  const itfPath = args.flags.itf as string | undefined;
  if (itfPath !== undefined) {
    const at = resolve(io.cwd, itfPath);
    const itf = toItfTrace(inst, cex.minimised.run, {
      description: `kvmcheck counterexample: ${result.verdict}${result.property ? ` of ${result.property}` : ''}`,
      ...about,
    });
    const failed = tryWrite(() => writeFileAtomic(at, itfText(itf)));
    if (failed) outputErrors.push(failed);
    else itfWritten = true;
  }
  const text = counterexampleText(view, traceFormatOf(args, io));
  const lines = [text, `replay: ${command}`];
  if (traceFile) lines.push(`trace file: ${traceFile}`, `  (${replayCommandLine(traceFile, modelFlag)})`);
  if (itfWritten) lines.push(`ITF trace: ${itfPath}`);
  if (random) {
    // a swarm shard reruns from its base seed with its --swarm (its seed and walk lean derive from both)
    const swarm = (result as { swarm?: { index: number; count: number; baseSeed: number } }).swarm;
    const rerun = swarm
      ? `--swarm ${swarm.index}/${swarm.count} --seed ${swarm.baseSeed}`
      : `--seed ${random.seed}`;
    lines.push(
      `random search: seed ${random.seed}${random.path ? `, path ${random.path}` : ''}; ${random.runs} runs, shrunk ${random.shrinks} times`,
      `  (rerun with ${rerun}${random.path ? ` --path ${random.path}` : ''})`,
    );
  }
  return {
    result: view.result,
    view,
    text: lines.join('\n'),
    json: {
      replay: cex.replay,
      replayCommand: command,
      measures,
      minimisation: view.minimisation,
      ...(traceFile ? { traceFile } : {}),
      ...(itfWritten ? { itf: itfPath } : {}),
      ...(outputErrors.length ? { outputErrors: outputErrors.map((e) => e.toInfo()) } : {}),
    },
    outputErrors,
  };
}

function writeTraceFile(
  inst: Instance,
  file: Omit<TraceFile, 'kvmcheck' | 'version'>,
  args: ParsedArgs,
  io: Io,
  outputErrors: KvmcheckError[],
): string | undefined {
  const given = args.flags['trace-file'] as string | undefined;
  const id = crc32(Buffer.from(file.replay)).toString(16).padStart(8, '0');
  const name = `${inst.model.name}${inst.scenario ? `-${inst.scenario}` : ''}-${id}.json`;
  const path = resolve(io.cwd, given ?? `.kvmcheck/traces/${name}`);
  const failed = tryWrite(() => {
    mkdirSync(dirname(path), { recursive: true });
    writeFileAtomic(path, traceFileText(file));
  });
  if (failed) {
    // a file the user named is an output asked for; the default one only a convenience
    if (given !== undefined) outputErrors.push(failed);
    else io.err(`kvmcheck: warning: could not write the trace file ${path}: ${failed.message}\n`);
    return undefined;
  }
  const rel = relative(io.cwd, path);
  return rel.startsWith('..') ? path : rel;
}
