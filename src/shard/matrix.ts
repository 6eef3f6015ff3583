import { isKvmcheckError } from '../errors.ts';
import type { VerifyJob } from '../matrix/verify-job.ts';
import type { Model } from '../model/define-model.ts';
import { modelIdentity } from '../model/identity.ts';
import { instantiate } from '../model/instance.ts';
import { Fingerprinter } from '../state/fingerprint.ts';

/**
 * What a verify run covers, recorded in its result so that `merge` can tell
 * whether several results are shards of one run: the cells in matrix order,
 * each with the digest of its model instance (structure and code: an edited
 * step changes it), the `--param` values applied to every cell, and the
 * limits that can change a verdict.
 */
export interface MatrixCell {
  /** `model/scenario`, as the table and `--filter` name it. */
  readonly cell: string;
  readonly digest: string;
}

export interface MatrixLimits {
  readonly maxStates?: number;
  readonly timeLimitMs?: number;
}

export interface MatrixInfo {
  /** Digest of everything below: equal digests mean the same matrix. */
  readonly digest: string;
  /** `--param key=value` as given, applied to every cell. */
  readonly params: Readonly<Record<string, string>>;
  readonly limits: MatrixLimits;
  readonly cells: readonly MatrixCell[];
}

function hex(n: number): string {
  return (n >>> 0).toString(16).padStart(8, '0');
}

export function digestOf(value: unknown): string {
  const fp = new Fingerprinter().of(value);
  return hex(fp.hi) + hex(fp.lo);
}

/** The digest of one cell's model instance (or of why it cannot be instantiated). */
export function cellDigest(model: Model, job: VerifyJob): string {
  try {
    return modelIdentity(instantiate(model, { scenario: job.scenario, params: job.params ?? {} })).digest;
  } catch (e) {
    // the worker reports the same failure as the cell's verdict; the digest only has to be stable
    return `error:${isKvmcheckError(e) ? e.code : 'E_INTERNAL'}`;
  }
}

export function matrixInfo(
  cells: readonly MatrixCell[],
  params: Readonly<Record<string, string>>,
  limits: MatrixLimits,
): MatrixInfo {
  const clean: MatrixLimits = {
    ...(limits.maxStates !== undefined ? { maxStates: limits.maxStates } : {}),
    ...(limits.timeLimitMs !== undefined ? { timeLimitMs: limits.timeLimitMs } : {}),
  };
  return { digest: digestOf({ cells, params, limits: clean }), params, limits: clean, cells };
}

/** The matrix of planned jobs: each cell's digest from its model (found in `sources`), the params, the limits. */
export function matrixOfJobs(
  sources: readonly { readonly module: string; readonly models: readonly Model[] }[],
  jobs: readonly VerifyJob[],
  params: Readonly<Record<string, string>>,
  limits: MatrixLimits,
): MatrixInfo {
  const models = new Map<string, Model>();
  for (const s of sources) for (const m of s.models) models.set(`${s.module}\u0000${m.name}`, m);
  const cells = jobs.map((j) => {
    const m = models.get(`${j.model.module}\u0000${j.model.name}`);
    return { cell: j.label, digest: m ? cellDigest(m, j) : 'error:E_MODEL_NOT_FOUND' };
  });
  return matrixInfo(cells, params, limits);
}
