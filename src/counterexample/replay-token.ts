import { KvmcheckError } from '../errors.ts';
import type { ScheduleEntry } from '../semantics/successors.ts';
import type { ParamValue } from '../model/params.ts';
import { ByteReader, ByteWriter, TruncatedInput, crc32 } from './byte-codec.ts';
import type { Goal } from '../schedule/goal.ts';

/**
 * Everything needed to re-run a counterexample: which model, scenario and
 * parameters, the threads by name (so a schedule can be replayed on another
 * model version whose threads are ordered differently), the schedule, and
 * what it demonstrates.
 */
export interface Recording {
  readonly model: string;
  readonly scenario: string | undefined;
  /** Parameters that differ from what the scenario alone sets. */
  readonly params: Readonly<Record<string, ParamValue>>;
  readonly threads: readonly string[];
  readonly schedule: readonly ScheduleEntry[];
  readonly goal: Goal;
  /**
   * The recorded model's digest (`modelIdentity`: its structure and code),
   * so that a replay can tell the same model from another version of it;
   * undefined in tokens of version 1, which did not record it.
   */
  readonly digest?: string;
}

/**
 * The token: `kc2.` then base64url of
 *   model, scenario ('' for none), params as JSON ('' for none), goal
 *   ('' for deadlock, else the property), the model digest (16 hex digits,
 *   '' when unknown), thread count, thread names,
 *   run count, runs of (code = tid + 32 × choice, length),
 * all as LEB128 varints and length-prefixed UTF-8, followed by the CRC-32
 * of those bytes (4 bytes, big-endian). Runs make the usual schedules —
 * long stretches of one thread taking the default option — a few bytes.
 * Version 1 (`kc1.`, still read) had no digest. A token is data: the model
 * it names is looked up among the bundled models only, never imported.
 */
export const TOKEN_PREFIX = 'kc2.';
const MAX_THREADS = 32;

export function encodeToken(r: Recording): string {
  const w = new ByteWriter();
  w.string(r.model).string(r.scenario ?? '');
  w.string(Object.keys(r.params).length ? JSON.stringify(r.params) : '');
  w.string(r.goal.kind === 'deadlock' ? '' : r.goal.property);
  w.string(r.digest ?? '');
  w.uint(r.threads.length);
  for (const t of r.threads) w.string(t);
  const runs: [number, number][] = [];
  for (const e of r.schedule) {
    const code = e.tid + MAX_THREADS * e.choice;
    const last = runs[runs.length - 1];
    if (last && last[0] === code) last[1]++;
    else runs.push([code, 1]);
  }
  w.uint(runs.length);
  for (const [code, n] of runs) w.uint(code).uint(n);
  const body = w.toBuffer();
  const sum = Buffer.alloc(4);
  sum.writeUInt32BE(crc32(body));
  return TOKEN_PREFIX + Buffer.concat([body, sum]).toString('base64url');
}

const bad = (why: string): KvmcheckError =>
  new KvmcheckError(
    'E_BAD_TRACE',
    `not a valid replay token: ${why}`,
    'copy the whole token printed after "replay:" (it starts with kc2.), or pass the trace file instead',
  );

export function looksLikeToken(s: string): boolean {
  return /^kc\d+\./.test(s.trim());
}

/** Decodes and validates a token; any defect is an E_BAD_TRACE error, never an exception of another kind. */
export function decodeToken(token: string): Recording {
  const t = token.trim();
  const m = /^kc(\d+)\./.exec(t);
  if (!m) throw bad(`it does not start with ${TOKEN_PREFIX}`);
  if (m[1] !== '1' && m[1] !== '2')
    throw bad(`version ${m[1]} is not supported by this kvmcheck (it reads versions 1 and 2)`);
  const data = t.slice(m[0].length);
  if (!/^[A-Za-z0-9_-]*$/.test(data)) throw bad('it contains characters outside base64url');
  const bytes = Buffer.from(data, 'base64url');
  if (bytes.length < 5 || bytes.toString('base64url') !== data) throw bad('it is truncated or altered');
  const body = bytes.subarray(0, bytes.length - 4);
  if (crc32(body) !== bytes.readUInt32BE(bytes.length - 4))
    throw bad('checksum mismatch (corrupt or truncated)');
  try {
    const r = new ByteReader(body);
    const model = r.string();
    const scenario = r.string();
    const paramsJson = r.string();
    const property = r.string();
    const digest = m[1] === '1' ? '' : r.string();
    if (digest !== '' && !/^[0-9a-f]{16}$/.test(digest)) throw bad('the model digest is malformed');
    const threadCount = r.uint();
    if (threadCount > MAX_THREADS) throw bad(`${threadCount} threads`);
    const threads: string[] = [];
    for (let i = 0; i < threadCount; i++) threads.push(r.string());
    const runCount = r.uint();
    const schedule: ScheduleEntry[] = [];
    for (let i = 0; i < runCount; i++) {
      const code = r.uint();
      const n = r.uint();
      const tid = code % MAX_THREADS;
      if (tid >= threadCount || n === 0) throw bad(`run ${i} names thread ${tid} of ${threadCount}`);
      if (schedule.length + n > 1_000_000) throw bad('the schedule is implausibly long');
      for (let k = 0; k < n; k++) schedule.push({ tid, choice: Math.floor(code / MAX_THREADS) });
    }
    if (!r.atEnd) throw bad('trailing bytes');
    if (model === '') throw bad('no model name');
    return {
      model,
      scenario: scenario === '' ? undefined : scenario,
      params: parseParams(paramsJson),
      threads,
      schedule,
      goal: property === '' ? { kind: 'deadlock' } : { kind: 'violated', property },
      ...(digest !== '' ? { digest } : {}),
    };
  } catch (e) {
    if (e instanceof TruncatedInput) throw bad(e.message);
    throw e;
  }
}

function parseParams(json: string): Record<string, ParamValue> {
  if (json === '') return {};
  let v: unknown;
  try {
    v = JSON.parse(json);
  } catch {
    throw bad('the parameters are not JSON');
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw bad('the parameters are not an object');
  const out: Record<string, ParamValue> = {};
  for (const [k, x] of Object.entries(v)) {
    if (typeof x !== 'number' && typeof x !== 'boolean' && typeof x !== 'string')
      throw bad(`parameter ${k} is not a number, boolean or string`);
    // an own property even for a name like __proto__ (then refused as an unknown parameter)
    Object.defineProperty(out, k, { value: x, enumerable: true, writable: true, configurable: true });
  }
  return out;
}
