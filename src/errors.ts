/**
 * Every user-facing failure is a KvmcheckError with a stable code, a message
 * saying what went wrong and a hint naming the fix. The catalogue below is the
 * single list of codes; docs/errors.md documents each one and a test keeps the
 * two in step.
 */
export const ERROR_CODES = {
  E_USAGE: 'bad command line (unknown command or flag, missing or bad flag value)',
  E_MODEL_NOT_FOUND: 'the model name is neither bundled nor a readable .ts/.js file',
  E_MODEL_LOAD: 'the model file could not be loaded (syntax error, import error, throws at load)',
  E_MODEL_EXPORT: 'the model file does not export a model made with defineModel',
  E_MODEL_INVALID: 'the model definition is malformed (duplicate labels, unknown goto target, bad thread)',
  E_UNKNOWN_SCENARIO: 'the scenario is not defined by the model',
  E_UNKNOWN_PARAM: 'the --param key is not declared by the model',
  E_BAD_PARAM: 'the --param value is not valid for the parameter',
  E_UNKNOWN_PROPERTY: 'the property is not checked by the model',
  E_STEP_THREW: 'a step guard, choice or effect threw an exception',
  E_INVARIANT_THREW: 'a property check threw an exception',
  E_NOT_SERIALISABLE:
    'a state holds something other than plain data (undefined, a getter/setter, a function, class instance, cycle, non-finite number)',
  E_NONDETERMINISTIC: 'a step gave different results in two runs on the same state',
  E_FOOTPRINT:
    'with partial-order reduction, a step or property read or wrote a part of the state its footprint does not declare',
  E_BAD_GOTO: 'a step returned a label that does not exist in its thread program',
  E_LOCK_NOT_HELD: 'a lock was released by a thread that does not hold it',
  E_LOCK_RECURSION: 'a thread acquired a non-recursive lock it already holds',
  E_LOCK_MISUSE:
    'a lock operation that the primitive does not allow (e.g. synchronize_srcu inside a read section)',
  E_BAD_TRACE: 'a trace file or replay token is corrupt, truncated or not a kvmcheck trace',
  E_TRACE_MISMATCH: 'a trace or token was recorded for another model, scenario or parameters',
  E_BAD_CHECKPOINT: 'a checkpoint file is corrupt, truncated or not a kvmcheck checkpoint',
  E_CHECKPOINT_MISMATCH: 'a checkpoint was written for another model, scenario, parameters or options',
  E_BAD_RESULT:
    'a result file given to merge or --costs is corrupt, too large, edited or not a kvmcheck result',
  E_RESULT_MISMATCH:
    'result files to merge come from different kvmcheck versions, models, matrices or swarm searches',
  E_MERGE_INCOMPLETE: 'result files to merge lack a shard or a cell of the matrix',
  E_MERGE_DUPLICATE: 'result files to merge hold the same shard or cell twice',
  E_CHECKPOINT_LOCKED: 'another kvmcheck process is writing the same checkpoint',
  E_IO: 'a file could not be read or written',
  E_FILE_TOO_LARGE: 'a trace, ITF file or checkpoint is larger than kvmcheck reads',
  E_INTERNAL: 'an internal error of kvmcheck (please report it with the command line)',
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

export interface ErrorInfo {
  readonly code: ErrorCode;
  readonly message: string;
  readonly hint: string;
}

/** Brands coded errors so that they are recognised across module instances (see model/import-module.ts). */
const ERROR_BRAND = Symbol.for('kvmcheck.error');

export class KvmcheckError extends Error {
  readonly [ERROR_BRAND] = true;
  readonly code: ErrorCode;
  readonly hint: string;
  /** Extra structured detail (e.g. the path to the failing state) for reports. */
  readonly details: Readonly<Record<string, unknown>>;

  constructor(code: ErrorCode, message: string, hint: string, details: Record<string, unknown> = {}) {
    super(message);
    this.name = 'KvmcheckError';
    this.code = code;
    this.hint = hint;
    this.details = details;
  }

  toInfo(): ErrorInfo {
    return { code: this.code, message: this.message, hint: this.hint };
  }
}

export function isKvmcheckError(e: unknown): e is KvmcheckError {
  return (
    e instanceof KvmcheckError ||
    (e instanceof Error && (e as unknown as Record<symbol, unknown>)[ERROR_BRAND] === true)
  );
}

/** Wraps any thrown value into a KvmcheckError, keeping coded errors as they are. */
export function asKvmcheckError(e: unknown, code: ErrorCode, hint: string): KvmcheckError {
  if (isKvmcheckError(e)) return e;
  const msg = e instanceof Error ? e.message : String(e);
  return new KvmcheckError(code, msg, hint, e instanceof Error && e.stack ? { stack: e.stack } : {});
}

/** Exhaustiveness helper for switches over tagged unions. */
export function unreachable(x: never): never {
  throw new KvmcheckError('E_INTERNAL', `unreachable case: ${JSON.stringify(x)}`, 'report this as a bug');
}
