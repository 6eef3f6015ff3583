import { formatMeasures } from '../schedule/measures.ts';
import { replayCommandLine } from '../counterexample/counterexample.ts';
import type { KvmcheckError } from '../errors.ts';
import { exitCodeOf } from '../explore/result.ts';
import { mergeSwarm } from '../shard/merge-swarm.ts';
import type { MergedSwarm } from '../shard/merge-swarm.ts';
import { parseSwarmResult } from '../shard/swarm-result.ts';
import type { SwarmShardFile } from '../shard/swarm-result.ts';
import { describeSwarm } from '../shard/swarm.ts';
import { resultHeader } from '../shard/verify-result.ts';
import type { ParsedArgs } from './args.ts';
import { formatTrace } from '../counterexample/format-trace.ts';
import type { Io } from './io.ts';
import { reportOutputErrors } from './output-files.ts';

/** How the shard's command line named the model, as a shell word (quoted when it needs it). */
function shellWord(s: string): string {
  return /^[\w./:=,@+-]+$/.test(s) ? s : JSON.stringify(s);
}

/** The replay command of the merged counterexample, rebuilt from its checked token (never copied from a file). */
function replayOf(m: MergedSwarm): string | undefined {
  const cex = m.found?.counterexample;
  if (!cex) return undefined;
  const ref = m.found!.swarm.model;
  return replayCommandLine(cex.replay, ref === m.identity.model ? undefined : shellWord(ref));
}

function shardJson(s: SwarmShardFile) {
  const { index, seed, baseSeed, favours, stickiness, maxSteps } = s.swarm;
  return {
    file: s.file,
    index,
    seed,
    baseSeed,
    favours,
    stickiness,
    maxSteps,
    runs: s.runs,
    states: s.states,
    transitions: s.transitions,
    verdict: s.verdict,
    ...(s.property !== undefined ? { property: s.property } : {}),
    ...(s.counterexample ? { measures: s.counterexample.measures.after } : {}),
  };
}

export function mergedSwarmJson(m: MergedSwarm) {
  const f = m.found;
  const cex = f?.counterexample;
  return {
    ...resultHeader('swarm'),
    merged: true,
    model: m.identity.model,
    scenario: m.identity.scenario,
    params: m.identity.params,
    digest: m.identity.digest,
    verdict: m.verdict,
    ...(f?.property !== undefined ? { property: f.property } : {}),
    ...(f?.message !== undefined ? { message: f.message } : {}),
    ...(f?.error !== undefined ? { error: f.error } : {}),
    ...(m.verdict === 'incomplete' ? { limit: 'random-runs' } : {}),
    runs: m.runs,
    states: m.states,
    statesBounds: m.bounds,
    transitions: m.transitions,
    depth: m.depth,
    collisionProbability: m.collisionProbability,
    coverage: {
      steps: m.coverage,
      unfired: m.coverage.filter((s) => s.fired === 0).map((s) => `${s.program}: ${s.label}`),
    },
    shards: m.shards.map(shardJson),
    foundBy: m.failing.map((s) => s.swarm.index),
    ...(f && cex
      ? {
          counterexample: {
            shard: f.swarm.index,
            file: f.file,
            replay: cex.replay,
            replayCommand: replayOf(m),
            measures: cex.measures,
            trace: cex.trace,
          },
        }
      : {}),
  };
}

function text(m: MergedSwarm): string {
  const id = m.identity;
  const params =
    Object.entries(id.params)
      .map(([k, v]) => `${k}=${String(v)}`)
      .join(' ') || '(none)';
  const out = [
    `swarm of ${m.shards.length} shards · model ${id.model}${id.scenario ? ` · scenario ${id.scenario}` : ''} · params ${params} · kvmcheck ${m.kvmcheckVersion}`,
    '',
    ...m.shards.map(
      (s) =>
        `  ${describeSwarm(s.swarm)}: ${s.runs} runs, ${s.states} states → ${s.verdict}${s.property ? ` (${s.property})` : ''}`,
    ),
    '',
    `runs ${m.runs} · transitions ${m.transitions} · ` +
      (m.states !== null
        ? `${m.states} distinct states (union of the shards' fingerprints; the largest shard alone ${m.bounds.lower}, their sum ${m.bounds.upper})`
        : `between ${m.bounds.lower} and ${m.bounds.upper} distinct states (a shard was too large to ship its fingerprints)`),
  ];
  const unfired = m.coverage.filter((s) => s.fired === 0);
  out.push(
    unfired.length
      ? `coverage: ${unfired.length} steps never fired in any shard: ${unfired.map((s) => `${s.program}: ${s.label}`).join(', ')}`
      : 'coverage: every step fired in some shard',
  );
  const f = m.found;
  if (!f) out.push('', `… incomplete: no shard found a counterexample (a random search proves nothing)`);
  else if (!f.counterexample)
    out.push(
      '',
      `! error in shard ${f.swarm.index}: ${f.error ? `[${f.error.code}] ${f.error.message}` : (f.message ?? '')}`,
    );
  else {
    const cex = f.counterexample;
    out.push(
      '',
      `✘ ${f.verdict}${f.property ? `: ${f.property}` : ''} — found by shard${m.failing.length > 1 ? 's' : ''} ${m.failing.map((s) => s.swarm.index).join(', ')}; the simplest, from shard ${f.swarm.index}:`,
      ...(f.message ? [f.message] : []),
      `Counterexample (${formatMeasures(cex.measures.after)}):`,
      formatTrace(cex.trace),
      `replay: ${replayOf(m)}`,
    );
  }
  return `${out.join('\n')}\n`;
}

/** `kvmcheck merge` of swarm shards: the union, as text or JSON; the exit status of `check` for its verdict. */
export async function runSwarmMerge(
  docs: readonly { file: string; doc: Record<string, unknown> }[],
  args: ParsedArgs,
  io: Io,
  emit: (args: ParsedArgs, io: Io, json: unknown) => KvmcheckError[],
): Promise<number> {
  const merged = mergeSwarm(docs.map((d) => parseSwarmResult(d.doc, d.file)));
  const failed = emit(args, io, mergedSwarmJson(merged));
  if (args.flags.json !== true) io.out(text(merged));
  return reportOutputErrors(failed, io, exitCodeOf(merged.verdict));
}
