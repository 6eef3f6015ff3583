import type { VerifyRow } from '../matrix/verify-row.ts';
import type { RunSettings } from '../explore/run-settings.ts';
import { kvmcheckVersion } from '../version.ts';
import { matrixInfo } from './matrix.ts';
import type { MatrixCell, MatrixInfo } from './matrix.ts';
import { badResult, Fields } from './result-file.ts';
import { rowFromJson } from './verify-rows.ts';

/** Which cells of the matrix a shard ran, and how the matrix was split. */
export interface ShardInfo {
  readonly index: number;
  readonly count: number;
  /** `even`, or `costs <digest>` when balanced by the costs of a previous result. */
  readonly partition: string;
  /** The cells assigned to this shard, in matrix order. */
  readonly cells: readonly string[];
}

/** What a verify result says about itself, before its rows. */
export interface VerifyRunInfo {
  readonly matrix: MatrixInfo;
  readonly shard?: ShardInfo;
  /** The search settings and searches at once the run had in force. */
  readonly run?: RunSettings;
}

/** The first fields of every result file: what it is, its format version, and the kvmcheck that wrote it. */
export function resultHeader<K extends 'verify' | 'swarm'>(kind: K) {
  return { kvmcheck: kind, version: 1 as const, kvmcheckVersion: kvmcheckVersion() };
}

/** A verify result read back from a file. */
export interface VerifyResultFile extends VerifyRunInfo {
  readonly file: string;
  readonly kvmcheckVersion: string;
  readonly elapsedMs: number;
  readonly rows: readonly VerifyRow[];
}

const MAX_CELLS = 100_000;

function matrixOf(f: Fields): MatrixInfo {
  const params: Record<string, string> = {};
  const p = f.object('params');
  for (const k of p.keys())
    Object.defineProperty(params, k, {
      value: p.name(k),
      enumerable: true,
      writable: true,
      configurable: true,
    });
  const l = f.object('limits');
  const cells: MatrixCell[] = f
    .objects('cells', MAX_CELLS)
    .map((c) => ({ cell: c.name('cell', 400), digest: c.name('digest', 100) }));
  const m = matrixInfo(cells, params, {
    ...(l.has('maxStates') ? { maxStates: l.count('maxStates') } : {}),
    ...(l.has('timeLimitMs') ? { timeLimitMs: l.number('timeLimitMs') } : {}),
  });
  // the digest stands for the rest: a file whose parts were edited apart from it is refused
  if (f.name('digest', 100) !== m.digest) throw f.bad('digest', 'the digest of the matrix it describes');
  return m;
}

function runOf(f: Fields): RunSettings {
  return {
    search: f.oneOf('search', ['bfs', 'dfs', 'random'] as const),
    por: f.oneOf('por', ['off', 'on', 'check'] as const),
    symmetry: f.bool('symmetry'),
    cache: f.bool('cache'),
    workers: f.count('workers'),
    ...(f.has('jobs') ? { jobs: f.count('jobs') } : {}),
    ...(f.has('maxMemory') ? { maxMemory: f.count('maxMemory') } : {}),
  };
}

function shardOf(f: Fields, file: string): ShardInfo {
  const index = f.count('index');
  const count = f.count('count');
  if (count < 1 || index < 1 || index > count)
    throw badResult(file, `shard ${index}/${count} is not i/n with 1 ≤ i ≤ n`);
  return { index, count, partition: f.name('partition'), cells: f.strings('cells', MAX_CELLS, 400) };
}

/** Checks that `o` is a verify result (the output of `verify --json` or `--out`) and reads it. */
export function parseVerifyResult(o: Record<string, unknown>, file: string): VerifyResultFile {
  const f = new Fields(file, o);
  if (f.raw('kvmcheck') !== 'verify')
    throw badResult(file, 'not a kvmcheck verify result ("kvmcheck": "verify" missing)');
  if (f.raw('version') !== 1)
    throw badResult(
      file,
      `result format version ${String(f.raw('version'))} is not supported (this kvmcheck reads 1)`,
    );
  const matrix = matrixOf(f.object('matrix'));
  const shard = f.has('shard') ? shardOf(f.object('shard'), file) : undefined;
  const run = f.has('run') ? runOf(f.object('run')) : undefined;
  const index = new Map(matrix.cells.map((c, i) => [c.cell, i]));
  if (index.size !== matrix.cells.length) throw badResult(file, 'matrix.cells names a cell twice');
  const allowed = new Set(shard ? shard.cells : index.keys());
  const seen = new Set<string>();
  const rows = f.objects('rows', MAX_CELLS).map((r) => {
    const cell = `${r.name('model')}/${r.name('scenario')}`;
    const id = index.get(cell);
    if (id === undefined) throw badResult(file, `a row for ${cell}, which is not a cell of its matrix`);
    if (!allowed.has(cell)) throw badResult(file, `a row for ${cell}, which is not one of its shard's cells`);
    if (seen.has(cell)) throw badResult(file, `two rows for ${cell}`);
    seen.add(cell);
    return rowFromJson(r, id);
  });
  return {
    file,
    kvmcheckVersion: f.name('kvmcheckVersion', 100),
    elapsedMs: f.number('elapsedMs'),
    matrix,
    ...(shard ? { shard } : {}),
    ...(run ? { run } : {}),
    rows,
  };
}
