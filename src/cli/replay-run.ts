import { existsSync, statSync } from 'node:fs';
import { MAX_TRACE_BYTES, readWhole } from '../persist/read-whole.ts';
import { resolve } from 'node:path';
import { describeGoal } from '../schedule/goal.ts';
import { itfText, toItfTrace } from '../counterexample/itf-write.ts';
import { formatMeasures, measureMoves } from '../schedule/measures.ts';
import { raceDiagram } from '../counterexample/race-diagram.ts';
import { instanceFor, labelsOf, replay } from '../counterexample/replay.ts';
import type { ReplayReport, ReplayVerdict } from '../counterexample/replay.ts';
import { looksLikeToken } from '../counterexample/replay-token.ts';
import { parseReplayInput } from '../counterexample/trace-file.ts';
import type { ReplayInput } from '../counterexample/trace-file.ts';
import { KvmcheckError, isKvmcheckError } from '../errors.ts';
import type { Model } from '../model/define-model.ts';
import { writeFileAtomic } from '../persist/atomic-write.ts';
import { reportOutputErrors, tryWrite } from './output-files.ts';
import type { ParsedArgs } from './args.ts';
import { formatTrace } from '../counterexample/format-trace.ts';
import type { Io } from './io.ts';
import { bundledModel, loadModelWithSource } from './load-model.ts';
import { modelIdentity } from '../model/identity.ts';
import type { Instance } from '../model/instance.ts';
import type { Recording } from '../counterexample/replay-token.ts';
import { requireOnePositional } from './positionals.ts';
import { announceRun } from '../supervise/control.ts';

/** Exit status of a replay: 1 when the schedule still ends in a violation or deadlock, 0 when not, 2 on errors. */
const EXIT: Record<ReplayVerdict, number> = {
  reproduced: 1,
  different: 1,
  'no-violation': 0,
  'not-possible': 0,
  error: 2,
};

const MARK: Record<ReplayVerdict, string> = {
  reproduced: '✘ reproduced',
  different: '✘ different failure',
  'no-violation': '✔ no violation',
  'not-possible': '✔ not possible',
  error: '! error',
};

/** `kvmcheck replay <token|file> [--model <model>]`: see replay.ts for the flags. */
export async function runReplay(args: ParsedArgs, io: Io): Promise<number> {
  const input = readInput(requireOnePositional(args, 'replay', '<token|file>'), io);
  const rec = input.recording;
  // Only a model the user names on the command line is ever imported: the
  // recorded name is data, looked up among the bundled models only.
  const named = args.flags.model as string | undefined;
  const model =
    named !== undefined ? (await loadModelWithSource(named, io.cwd)).model : await recordedModel(rec.model);
  const inst = instanceFor(model, rec);
  announceRun(inst);
  const digest = modelIdentity(inst).digest;
  const otherVersion = model.name === rec.model && rec.digest !== undefined && rec.digest !== digest;
  let labels = input.labels;
  if (!labels && (model.name !== rec.model || otherVersion)) {
    const recorded = await bundledModel(rec.model).catch(() => undefined);
    const rinst = recorded ? tryInstance(recorded.model, rec) : undefined;
    if (rinst && (rec.digest === undefined || modelIdentity(rinst).digest === rec.digest))
      labels = labelsOf(rinst, rec);
  }
  const report = replay(inst, rec, labels);
  const itfPath = args.flags.itf as string | undefined;
  const failed =
    itfPath === undefined
      ? undefined
      : tryWrite(() =>
          writeFileAtomic(
            resolve(io.cwd, itfPath),
            itfText(
              toItfTrace(inst, report.run, {
                replay: input.token,
                verdict: report.verdict,
                summary: report.summary,
              }),
            ),
          ),
        );
  const measures = measureMoves(inst, report.run.states, report.run.executed);
  if (args.flags.json === true) {
    const o = report.run.outcome;
    io.out(
      JSON.stringify({
        outcome: report.verdict,
        summary: report.summary,
        model: report.model,
        recordedModel: report.recordedModel,
        ...(rec.digest !== undefined ? { recordedDigest: rec.digest } : {}),
        digest,
        scenario: inst.scenario,
        params: inst.params,
        recorded: describeGoal(rec.goal),
        ...(o.kind === 'violated' ? { property: o.property, message: o.message } : {}),
        ...(o.kind === 'deadlock' ? { message: o.message } : {}),
        ...(o.kind === 'error' ? { error: o.error } : {}),
        ...(report.stoppedAt ? { stoppedAt: report.stoppedAt } : {}),
        ...(report.firstDifference ? { firstDifference: report.firstDifference } : {}),
        replay: input.token,
        measures,
        trace: report.trace,
        ...(failed ? { outputErrors: [failed.toInfo()] } : {}),
      }) + '\n',
    );
  } else
    io.out(
      formatReport(
        report,
        inst.threads.map((t) => t.name),
        args.flags.format === 'race',
        measures,
        otherVersion ? `${rec.digest!} → ${digest}` : undefined,
      ),
    );
  return reportOutputErrors(failed ? [failed] : [], io, EXIT[report.verdict]);
}

function readInput(arg: string, io: Io): ReplayInput {
  if (looksLikeToken(arg)) return parseReplayInput(arg);
  const path = resolve(io.cwd, arg);
  if (!existsSync(path) || !statSync(path).isFile())
    throw new KvmcheckError(
      'E_BAD_TRACE',
      `'${arg.length > 60 ? `${arg.slice(0, 60)}…` : arg}' is neither a replay token nor a file`,
      'pass the token printed after "replay:" (kc2.…) or the trace file path printed with it',
    );
  const text = readWhole(path, {
    what: 'trace file',
    maxBytes: MAX_TRACE_BYTES,
    hint: 'pass the replay token (kc2.…), a trace file or an ITF file written by kvmcheck',
  }).toString('utf8');
  return parseReplayInput(text);
}

/** The bundled model a recording names (never a file: see runReplay). */
async function recordedModel(name: string): Promise<Model> {
  try {
    return (await bundledModel(name)).model;
  } catch (e) {
    if (!isKvmcheckError(e) || e.code !== 'E_MODEL_NOT_FOUND') throw e;
    throw new KvmcheckError(
      'E_MODEL_NOT_FOUND',
      `the counterexample was recorded on model '${name}', which is not bundled`,
      'pass the model file with --model <file.ts> (the command printed with the counterexample includes it); a token never loads a file by itself',
    );
  }
}

function tryInstance(model: Model, rec: Recording): Instance | undefined {
  try {
    return instanceFor(model, rec);
  } catch {
    return undefined;
  }
}

function formatReport(
  r: ReplayReport,
  threads: readonly string[],
  race: boolean,
  m: ReturnType<typeof measureMoves>,
  /** `recorded → this` digests when the model is another version of the recorded one. */
  versions: string | undefined,
): string {
  const o = r.run.outcome;
  const out: string[] = [];
  out.push(
    `replaying a ${describeGoal(r.goal)} recorded on ${r.recordedModel}${r.model !== r.recordedModel ? `, on ${r.model}` : ''}`,
  );
  if (versions)
    out.push(`(on another version of ${r.model} than the recorded one: model digest ${versions})`);
  out.push('');
  out.push(`${MARK[r.verdict]}: ${r.summary}`);
  if (o.kind === 'violated' || o.kind === 'deadlock') out.push(`  ${o.message}`);
  if (o.kind === 'error') out.push(`  [${o.error.code}] ${o.error.message}`, `  hint: ${o.error.hint}`);
  if (r.trace.length > 0) {
    out.push('');
    out.push(`Steps replayed (${formatMeasures(m)}):`);
    out.push(race ? raceDiagram(r.trace, { threads }).trimEnd() : formatTrace(r.trace));
  }
  return out.join('\n') + '\n';
}
