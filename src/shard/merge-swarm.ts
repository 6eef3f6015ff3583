import { compareMeasures } from '../schedule/measures.ts';
import { KvmcheckError } from '../errors.ts';
import type { StepCoverage } from '../explore/coverage.ts';
import type { Verdict } from '../semantics/findings.ts';
import { collisionProbability } from '../state/fingerprint.ts';
import { unionCount } from './fingerprints.ts';
import { badResult } from './result-file.ts';
import type { SwarmShardFile } from './swarm-result.ts';

/** The union of a swarm's shards. */
export interface MergedSwarm {
  readonly kvmcheckVersion: string;
  readonly identity: SwarmShardFile['identity'];
  /** The simplest counterexample's verdict; else `error` if a shard failed; else `incomplete`. */
  readonly verdict: Verdict;
  /** Schedules tried, over all shards. */
  readonly runs: number;
  readonly transitions: number;
  readonly depth: number;
  /**
   * Distinct states of the union (fingerprints), or null when a shard was
   * too large to ship its fingerprints.
   */
  readonly states: number | null;
  /** What brackets the union without fingerprints: the largest shard's count, and the sum of all. */
  /** What brackets the union without fingerprints: the largest shard's count, and the sum of all. */
  readonly bounds: { readonly lower: number; readonly upper: number };
  readonly collisionProbability: number;
  /** Firings per step, summed over the shards. */
  readonly coverage: readonly StepCoverage[];
  readonly shards: readonly SwarmShardFile[];
  /** The simplest counterexample (fewest preemptions, then context switches, then steps; then lowest shard). */
  readonly found?: SwarmShardFile;
  /** The shards that found a counterexample or failed. */
  readonly failing: readonly SwarmShardFile[];
}

const mismatch = (message: string): KvmcheckError =>
  new KvmcheckError(
    'E_RESULT_MISMATCH',
    message,
    'merge the shards of one swarm: the same kvmcheck, model, scenario and --param, and the same n in --swarm i/n',
  );

function sameIdentity(a: SwarmShardFile, b: SwarmShardFile): string | undefined {
  const x = a.identity;
  const y = b.identity;
  if (x.model !== y.model || x.scenario !== y.scenario)
    return `${a.file} searched ${x.model}/${x.scenario ?? '(default)'}, ${b.file} ${y.model}/${y.scenario ?? '(default)'}`;
  const px = JSON.stringify(Object.entries(x.params).sort());
  const py = JSON.stringify(Object.entries(y.params).sort());
  if (px !== py) return `${a.file} ran with params ${px}, ${b.file} with ${py}`;
  if (x.digest !== y.digest)
    return `the model ${x.model} differs between ${a.file} and ${b.file} (digest ${x.digest} ≠ ${y.digest})`;
  return undefined;
}

function mergeCoverage(shards: readonly SwarmShardFile[]): StepCoverage[] {
  const first = shards[0]!;
  return first.coverage.map((s, i) => {
    let fired = 0;
    for (const sh of shards) {
      const c = sh.coverage[i];
      if (
        !c ||
        c.program !== s.program ||
        c.label !== s.label ||
        sh.coverage.length !== first.coverage.length
      )
        throw badResult(sh.file, `coverage: its steps are not those of ${first.file}`);
      fired += c.fired;
    }
    return { ...s, fired };
  });
}

/**
 * Merges the results of a swarm's shards: refuses different kvmcheck
 * versions, models (name, scenario, params, digest) or swarm sizes, a shard
 * given twice and a missing shard. Runs and transitions add up, distinct
 * states are the union of the shards' fingerprints, coverage adds up, and
 * the counterexample is the simplest any shard found.
 */
export function mergeSwarm(shards: readonly SwarmShardFile[]): MergedSwarm {
  const first = shards[0]!;
  for (const s of shards) {
    if (s.fingerprints.count !== s.states)
      throw badResult(s.file, `${s.states} states but ${s.fingerprints.count} fingerprints`);
    if (s === first) continue;
    if (s.kvmcheckVersion !== first.kvmcheckVersion)
      throw mismatch(
        `${first.file} was written by kvmcheck ${first.kvmcheckVersion}, ${s.file} by ${s.kvmcheckVersion}`,
      );
    const diff = sameIdentity(first, s);
    if (diff) throw mismatch(diff);
    if (s.swarm.count !== first.swarm.count)
      throw mismatch(
        `${first.file} is a shard of a swarm of ${first.swarm.count}, ${s.file} of ${s.swarm.count}`,
      );
  }
  const count = first.swarm.count;
  const byIndex = new Map<number, SwarmShardFile>();
  for (const s of shards) {
    const other = byIndex.get(s.swarm.index);
    if (other)
      throw new KvmcheckError(
        'E_MERGE_DUPLICATE',
        `${other.file} and ${s.file} are both swarm shard ${s.swarm.index}/${count}`,
        'give each shard’s file once',
      );
    byIndex.set(s.swarm.index, s);
  }
  const missing: string[] = [];
  for (let i = 1; i <= count; i++) if (!byIndex.has(i)) missing.push(`${i}/${count}`);
  if (missing.length > 0)
    throw new KvmcheckError(
      'E_MERGE_INCOMPLETE',
      `swarm shard${missing.length > 1 ? 's' : ''} ${missing.slice(0, 8).join(', ')}${missing.length > 8 ? ` and ${missing.length - 8} more` : ''} missing (${shards.length} of ${count} given)`,
      'run the missing shards (same command line, their own --swarm i/n) and merge all the files',
    );
  const ordered = [...byIndex.values()].sort((a, b) => a.swarm.index - b.swarm.index);
  const withCex = ordered.filter((s) => s.counterexample);
  const found = [...withCex].sort(
    (a, b) =>
      compareMeasures(a.counterexample!.measures.after, b.counterexample!.measures.after) ||
      a.swarm.index - b.swarm.index,
  )[0];
  const failed = ordered.find((s) => s.verdict === 'error');
  const sets = ordered.map((s) => s.fingerprints.values);
  const exact = sets.every((v) => v !== undefined) ? unionCount(sets as BigUint64Array[]) : null;
  const transitions = ordered.reduce((n, s) => n + s.transitions, 0);
  const upper = ordered.reduce((n, s) => n + s.states, 0);
  return {
    kvmcheckVersion: first.kvmcheckVersion,
    identity: first.identity,
    verdict: found ? found.verdict : failed ? 'error' : 'incomplete',
    runs: ordered.reduce((n, s) => n + s.runs, 0),
    transitions,
    depth: Math.max(...ordered.map((s) => s.depth)),
    states: exact,
    bounds: { lower: Math.max(...ordered.map((s) => s.states)), upper },
    collisionProbability: collisionProbability(exact ?? upper, transitions + ordered.length),
    coverage: mergeCoverage(ordered),
    shards: ordered,
    ...(found ? { found } : failed ? { found: failed } : {}),
    failing: ordered.filter(
      (s) => s.verdict === 'violated' || s.verdict === 'deadlock' || s.verdict === 'error',
    ),
  };
}
