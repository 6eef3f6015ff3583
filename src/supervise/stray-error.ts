import { fileURLToPath } from 'node:url';
import { KvmcheckError, isKvmcheckError } from '../errors.ts';

/** kvmcheck's own sources (this file is src/supervise/stray-error.ts). */
const SRC = fileURLToPath(new URL('../', import.meta.url));

/**
 * The coded error for an exception nobody caught in a thread that runs
 * model code: thrown from a timer or a promise, outside any step (a step's
 * own exception is E_STEP_THREW). When the first frame of its stack is in
 * the model's code it is a model error (E_MODEL_LOAD); in kvmcheck's own
 * sources, in Node's, or without a stack, a bug of ours (E_INTERNAL).
 */
export function strayError(e: unknown): KvmcheckError {
  if (isKvmcheckError(e)) return e;
  const message = e instanceof Error ? e.message : String(e);
  // tsx maps frames back to the .ts sources: plain paths, or file URLs
  const at = e instanceof Error ? /^\s+at (?:.*\()?(.+?):\d+:\d+\)?$/m.exec(e.stack ?? '') : null;
  const file = at?.[1]?.startsWith('file:') ? fileURLToPath(at[1]) : at?.[1];
  if (file === undefined || file.startsWith('node:') || file.startsWith(SRC))
    return new KvmcheckError(
      'E_INTERNAL',
      `uncaught: ${message}`,
      'this is a bug in kvmcheck; please report it with the command line',
    );
  return new KvmcheckError(
    'E_MODEL_LOAD',
    `model code threw outside any step (from a timer or a promise it started): ${message}`,
    "a model file's code runs when it is loaded and in its steps; it must not leave timers or promises that throw",
  );
}
