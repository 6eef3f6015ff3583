import { KvmcheckError } from '../errors.ts';
import type { Measures } from '../schedule/measures.ts';
import { decodeToken, looksLikeToken } from './replay-token.ts';
import type { Recording } from './replay-token.ts';
import type { TraceStep } from '../trace/trace.ts';

/**
 * A trace file: the replay token (the authority for replay) plus the
 * readable counterexample it stands for. `kvmcheck replay` accepts this
 * file, an ITF file we wrote (the token is in its `#meta`), or the bare token.
 */
export interface TraceFile {
  readonly kvmcheck: 'trace';
  readonly version: 1;
  readonly replay: string;
  readonly model: string;
  readonly scenario: string | null;
  readonly params: Readonly<Record<string, unknown>>;
  readonly verdict: string;
  readonly property: string | null;
  readonly message: string | null;
  readonly measures: { readonly before: Measures; readonly after: Measures } | null;
  readonly trace: readonly TraceStep[];
}

export function traceFileText(f: Omit<TraceFile, 'kvmcheck' | 'version'>): string {
  const out: TraceFile = { kvmcheck: 'trace', version: 1, ...f };
  return JSON.stringify(out, null, 2) + '\n';
}

/** Where a replay input came from, and the recording it holds. */
export interface ReplayInput {
  readonly source: 'token' | 'trace-file' | 'itf';
  readonly recording: Recording;
  readonly token: string;
  /** The labels of the recorded steps, when the file lists them. */
  readonly labels?: readonly string[];
}

const badFile = (why: string): KvmcheckError =>
  new KvmcheckError(
    'E_BAD_TRACE',
    `not a kvmcheck trace: ${why}`,
    'pass a token (kc2.…), a trace file written by kvmcheck check, or an .itf.json file written with --itf',
  );

/**
 * Reads what `kvmcheck replay` was given: the text of a token, of a trace
 * file or of an ITF file. Every defect is a coded error (E_BAD_TRACE).
 */
export function parseReplayInput(text: string): ReplayInput {
  const t = text.trim();
  if (looksLikeToken(t)) return { source: 'token', token: t, recording: decodeToken(t) };
  if (!t.startsWith('{')) throw badFile('neither a token nor a JSON file');
  let v: unknown;
  try {
    v = JSON.parse(t);
  } catch (e) {
    throw badFile(`invalid JSON (${e instanceof Error ? e.message : String(e)})`);
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw badFile('the JSON is not an object');
  const o = v as Record<string, unknown>;
  if (o.kvmcheck === 'trace') {
    if (o.version !== 1) throw badFile(`trace file version ${String(o.version)} is not supported`);
    const token = tokenField(o.replay, 'the "replay" field');
    const rec = decodeToken(token);
    const labels = Array.isArray(o.trace)
      ? o.trace.map((s: unknown) =>
          typeof s === 'object' && s !== null ? (s as { step?: unknown }).step : undefined,
        )
      : undefined;
    if (labels && labels.length === rec.schedule.length && labels.every((l) => typeof l === 'string'))
      return { source: 'trace-file', token, recording: rec, labels: labels as string[] };
    return { source: 'trace-file', token, recording: rec };
  }
  const meta = o['#meta'];
  if (typeof meta === 'object' && meta !== null && 'replay' in meta) {
    const token = tokenField((meta as Record<string, unknown>).replay, 'the ITF "#meta.replay" field');
    return { source: 'itf', token, recording: decodeToken(token) };
  }
  throw badFile('the JSON has neither "kvmcheck": "trace" nor an ITF "#meta" with a replay token');
}

function tokenField(x: unknown, what: string): string {
  if (typeof x !== 'string' || !looksLikeToken(x)) throw badFile(`${what} is not a replay token`);
  return x;
}
