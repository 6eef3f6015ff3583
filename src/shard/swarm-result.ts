import type { Measures } from '../schedule/measures.ts';
import { decodeToken } from '../counterexample/replay-token.ts';
import type { Recording } from '../counterexample/replay-token.ts';
import type { TraceStep } from '../trace/trace.ts';
import { isKvmcheckError } from '../errors.ts';
import type { ErrorInfo } from '../errors.ts';
import type { Limit } from '../explore/result.ts';
import type { Verdict } from '../semantics/findings.ts';
import type { StepCoverage } from '../explore/coverage.ts';
import type { ParamValue } from '../model/params.ts';
import { readFingerprints } from './fingerprints.ts';
import { badResult, Fields } from './result-file.ts';
import type { SwarmConfig } from './swarm.ts';
import { errorOf, LIMITS, traceOf, VERDICTS } from './verify-rows.ts';

/** What `kvmcheck check --search random --swarm i/n --out f` wrote, read back and checked. */
export interface SwarmShardFile {
  readonly file: string;
  readonly kvmcheckVersion: string;
  readonly identity: {
    readonly model: string;
    readonly scenario: string | null;
    readonly params: Readonly<Record<string, ParamValue>>;
    readonly digest: string;
  };
  /** The shard's configuration, and how its command line named the model. */
  readonly swarm: SwarmConfig & { readonly model: string };
  readonly verdict: Verdict;
  readonly property?: string;
  readonly message?: string;
  readonly limit?: Limit;
  readonly error?: ErrorInfo;
  readonly runs: number;
  readonly states: number;
  readonly transitions: number;
  readonly depth: number;
  readonly elapsedMs: number;
  readonly coverage: readonly StepCoverage[];
  readonly fingerprints: { readonly count: number; readonly values?: BigUint64Array };
  /** The minimised counterexample (violated or deadlock), with its replay token decoded. */
  readonly counterexample?: {
    readonly replay: string;
    readonly recording: Recording;
    readonly measures: { readonly before: Measures; readonly after: Measures };
    readonly trace: readonly TraceStep[];
  };
}

function measuresOf(f: Fields): Measures {
  return {
    steps: f.count('steps'),
    preemptions: f.count('preemptions'),
    contextSwitches: f.count('contextSwitches'),
  };
}

function swarmOf(f: Fields, file: string): SwarmShardFile['swarm'] {
  const index = f.count('index');
  const count = f.count('count');
  if (count < 1 || index < 1 || index > count)
    throw badResult(file, `swarm shard ${index}/${count} is not i/n with 1 ≤ i ≤ n`);
  const stickiness = f.count('stickiness');
  if (stickiness > 1000) throw f.bad('stickiness', 'per mille (0–1000)');
  return {
    index,
    count,
    baseSeed: f.count('baseSeed'),
    seed: f.count('seed'),
    favours: f.raw('favours') === null ? null : f.name('favours'),
    stickiness,
    maxSteps: f.count('maxSteps'),
    model: f.name('model', 4096),
  };
}

function counterexampleOf(f: Fields, identity: SwarmShardFile['identity']): SwarmShardFile['counterexample'] {
  const replay = f.string('replay', 1_000_000);
  let recording: Recording;
  try {
    recording = decodeToken(replay);
  } catch (e) {
    throw badResult(f.file, `replay: ${isKvmcheckError(e) ? e.message : String(e)}`);
  }
  if (recording.model !== identity.model || (recording.scenario ?? null) !== identity.scenario)
    throw badResult(
      f.file,
      `replay: the token is for ${recording.model}/${recording.scenario ?? '(default)'}, not this shard's model`,
    );
  const m = f.object('measures');
  return {
    replay,
    recording,
    measures: { before: measuresOf(m.object('before')), after: measuresOf(m.object('after')) },
    trace: traceOf(f, 'trace'),
  };
}

/** Checks that `o` is a swarm shard's result and reads what merge uses. */
export function parseSwarmResult(o: Record<string, unknown>, file: string): SwarmShardFile {
  const f = new Fields(file, o);
  if (f.raw('kvmcheck') !== 'swarm')
    throw badResult(file, 'not a swarm shard result ("kvmcheck": "swarm" missing)');
  if (f.raw('merged') === true)
    throw badResult(file, "a merged swarm result, not a shard's: merge the shards' own files");
  if (f.raw('version') !== 1)
    throw badResult(
      file,
      `result format version ${String(f.raw('version'))} is not supported (this kvmcheck reads 1)`,
    );
  const id = f.object('identity');
  const identity = {
    model: id.name('model'),
    scenario: id.raw('scenario') === null ? null : id.name('scenario'),
    params: id.params('params'),
    digest: id.name('digest', 100),
  };
  const verdict = f.oneOf('verdict', VERDICTS);
  if (verdict === 'holds') throw badResult(file, 'a random search never concludes "holds"');
  const cov = f.object('coverage');
  const hasCex = verdict === 'violated' || verdict === 'deadlock';
  return {
    file,
    kvmcheckVersion: f.name('kvmcheckVersion', 100),
    identity,
    swarm: swarmOf(f.object('swarm'), file),
    verdict,
    ...(f.has('property') ? { property: f.name('property') } : {}),
    ...(f.has('message') ? { message: f.string('message', 65536) } : {}),
    ...(f.has('limit') ? { limit: f.oneOf('limit', LIMITS) } : {}),
    ...(f.has('error') ? { error: errorOf(f.object('error')) } : {}),
    runs: f.object('random').count('runs'),
    states: f.count('states'),
    transitions: f.count('transitions'),
    depth: f.count('depth'),
    elapsedMs: f.number('elapsedMs'),
    coverage: cov.objects('steps', 100_000).map((s) => ({
      program: s.name('program'),
      label: s.name('label', 500),
      ...(s.has('kernel') ? { kernel: s.name('kernel', 500) } : {}),
      fired: s.count('fired'),
    })),
    fingerprints: readFingerprints(f.object('fingerprints')),
    ...(hasCex ? { counterexample: counterexampleOf(f, identity) } : {}),
  };
}
