import { createHash } from 'node:crypto';
import { constants as bufferConstants } from 'node:buffer';
import { totalmem } from 'node:os';
import { readWhole } from './read-whole.ts';
import { KvmcheckError } from '../errors.ts';
import type { SearchOptions } from '../explore/options.ts';
import type { SearchProgress } from '../explore/progress.ts';
import type { ModelIdentity } from '../model/identity.ts';
import { identityMismatch } from '../model/identity.ts';
import { writeFileAtomic } from './atomic-write.ts';
import { isSectionEntry, joinSections, sectionBytes, splitSections } from './binary-sections.ts';
import type { SectionEntry } from './binary-sections.ts';
import { checkProgressShape } from './progress-shape.ts';
import { shellCommand } from '../text/safe-text.ts';

/**
 * Checkpoint files: everything a search needs to continue in another
 * process — the visited set, the frontier, the counters — plus what it
 * must be continued with: the model identity and the options that shape
 * the state graph.
 *
 * Layout: the line `KVMCHECK-CHECKPOINT 1`, a line with the byte length of
 * the JSON header, a line with the SHA-256 of everything after it, the
 * header, then the binary sections it describes. Any truncation or
 * corrupted byte is detected before anything is used. Nothing read is ever
 * evaluated as code.
 */
const MAGIC = 'KVMCHECK-CHECKPOINT';
/**
 * 2: fingerprints are position-wise XOR hashes (hash-words.ts); a format-1 file's would not match.
 * 3: the frontier is packed (frontier-codec.ts), the visited set in chunks with its fingerprint width.
 */
const FORMAT = 3;

/** Options a resumed search must share with the one that wrote the checkpoint. */
export type GraphOptions = Pick<
  SearchOptions,
  'search' | 'por' | 'symmetry' | 'checkDeadlock' | 'maxDepth' | 'fingerprint'
>;

export function graphOptions(o: SearchOptions): GraphOptions {
  return {
    search: o.search,
    por: o.por,
    symmetry: o.symmetry,
    checkDeadlock: o.checkDeadlock,
    maxDepth: o.maxDepth,
    fingerprint: o.fingerprint,
  };
}

export interface Checkpoint {
  readonly identity: ModelIdentity;
  readonly options: GraphOptions;
  readonly progress: SearchProgress;
  /** The command line that wrote it, for the resume hint. */
  readonly argv: readonly string[];
}

interface Header {
  readonly identity: ModelIdentity;
  readonly options: Omit<GraphOptions, 'maxDepth'> & { maxDepth: number | null };
  readonly argv: readonly string[];
  readonly skeleton: unknown;
  readonly sections: readonly SectionEntry[];
}

export function writeCheckpoint(path: string, c: Checkpoint): void {
  const { skeleton, table, payload } = splitSections(c.progress);
  const header: Header = {
    identity: c.identity,
    options: { ...c.options, maxDepth: Number.isFinite(c.options.maxDepth) ? c.options.maxDepth : null },
    argv: c.argv,
    skeleton,
    sections: table,
  };
  const json = Buffer.from(JSON.stringify(header), 'utf8');
  const hash = createHash('sha256').update(json);
  for (const p of payload) hash.update(p);
  const head = Buffer.from(`${MAGIC} ${FORMAT}\n${json.byteLength}\n${hash.digest('hex')}\n`, 'utf8');
  writeFileAtomic(path, [head, json, ...payload]);
}

/** The JSON header (model identity, options, skeleton, shapes, leaves) is small; the states are binary sections. */
const MAX_HEADER_BYTES = 256 * 2 ** 20;

/** A checkpoint is read whole: at most half the machine's memory (and what one buffer can hold). */
export function maxCheckpointBytes(): number {
  return Math.min(Math.floor(totalmem() / 2), bufferConstants.MAX_LENGTH);
}

function bad(path: string, why: string): KvmcheckError {
  return new KvmcheckError(
    'E_BAD_CHECKPOINT',
    `${path} is not a usable checkpoint: ${why}`,
    'resume from an intact checkpoint or start the search again (checkpoints are written atomically; a damaged one was copied or edited)',
  );
}

function readLine(buf: Buffer, from: number): [string, number] | undefined {
  const nl = buf.indexOf(0x0a, from);
  if (nl < 0 || nl - from > 64) return undefined;
  return [buf.toString('latin1', from, nl), nl + 1];
}

export function readCheckpoint(path: string): Checkpoint {
  const buf = readWhole(path, {
    what: 'checkpoint',
    maxBytes: maxCheckpointBytes(),
    hint: 'check the --resume path',
  });
  const l1 = readLine(buf, 0);
  if (!l1 || !l1[0].startsWith(`${MAGIC} `))
    throw bad(path, 'it does not start with the kvmcheck checkpoint mark');
  if (l1[0] !== `${MAGIC} ${FORMAT}`) {
    const v = l1[0].slice(MAGIC.length + 1);
    if (/^\d{1,6}$/.test(v) && Number(v) < FORMAT)
      throw new KvmcheckError(
        'E_BAD_CHECKPOINT',
        `${path} is a checkpoint of format ${v}, written by an older kvmcheck; this one reads format ${FORMAT}`,
        'resume it with the kvmcheck version that wrote it, or start the search again',
      );
    throw bad(path, `unsupported format '${v}'`);
  }
  const l2 = readLine(buf, l1[1]);
  if (!l2 || !/^\d{1,12}$/.test(l2[0])) throw bad(path, 'the header length is missing or malformed');
  const hlen = Number(l2[0]);
  if (hlen > MAX_HEADER_BYTES)
    throw new KvmcheckError(
      'E_FILE_TOO_LARGE',
      `the checkpoint ${path} declares a header of ${hlen} bytes, more than the ${MAX_HEADER_BYTES} kvmcheck reads`,
      'resume from a checkpoint written by kvmcheck',
    );
  const l3 = readLine(buf, l2[1]);
  if (!l3 || !/^[0-9a-f]{64}$/.test(l3[0])) throw bad(path, 'the checksum line is missing or malformed');
  const start = l3[1];
  if (start + hlen > buf.byteLength) throw bad(path, 'the file is truncated (header)');
  if (createHash('sha256').update(buf.subarray(start)).digest('hex') !== l3[0])
    throw bad(path, 'the content does not match its checksum (truncated or corrupted)');
  let header: Header;
  try {
    header = JSON.parse(buf.toString('utf8', start, start + hlen)) as Header;
  } catch {
    throw bad(path, 'the header is not valid JSON');
  }
  const why = checkHeader(header);
  if (why) throw bad(path, why);
  const payload = buf.subarray(start + hlen);
  const expected = header.sections.reduce((n, s) => n + sectionBytes(s), 0);
  if (payload.byteLength !== expected) throw bad(path, 'the sections do not match the section table');
  let progress: unknown;
  try {
    progress = joinSections(header.skeleton, header.sections, payload);
  } catch (e) {
    throw bad(path, e instanceof Error ? e.message : String(e));
  }
  const shape = checkProgressShape(progress);
  if (shape) throw bad(path, shape);
  if ((progress as SearchProgress).visited.bits !== header.options.fingerprint)
    throw bad(path, 'its fingerprint width does not match its options');
  const o = header.options;
  return {
    identity: header.identity,
    options: { ...o, maxDepth: o.maxDepth ?? Infinity },
    argv: header.argv,
    progress: progress as SearchProgress,
  };
}

function checkHeader(h: unknown): string | undefined {
  if (typeof h !== 'object' || h === null) return 'the header is not an object';
  const r = h as Record<string, unknown>;
  const id = r.identity as Record<string, unknown> | undefined;
  if (!id || typeof id.model !== 'string' || typeof id.digest !== 'string' || typeof id.params !== 'object')
    return 'the model identity is missing';
  if (id.scenario !== null && typeof id.scenario !== 'string') return 'the scenario is malformed';
  const o = r.options as Record<string, unknown> | undefined;
  if (
    !o ||
    !['bfs', 'dfs'].includes(o.search as string) ||
    !['off', 'on'].includes(o.por as string) ||
    typeof o.symmetry !== 'boolean' ||
    typeof o.checkDeadlock !== 'boolean' ||
    !(o.maxDepth === null || typeof o.maxDepth === 'number') ||
    ![64, 96, 128].includes(o.fingerprint as number)
  )
    return 'the search options are missing or malformed';
  if (!Array.isArray(r.argv) || !r.argv.every((a) => typeof a === 'string'))
    return 'the command line is malformed';
  if (!Array.isArray(r.sections)) return 'the section table is missing';
  if (!r.sections.every(isSectionEntry)) return 'the section table is malformed';
  return undefined;
}

/** Throws E_CHECKPOINT_MISMATCH when the checkpoint was written for another model or options. */
export function assertResumable(
  path: string,
  c: Checkpoint,
  identity: ModelIdentity,
  options: GraphOptions,
): void {
  const why = identityMismatch(c.identity, identity);
  const hint = `resume with the command that wrote it: kvmcheck ${shellCommand(c.argv)}`;
  if (why) throw new KvmcheckError('E_CHECKPOINT_MISMATCH', `${path}: ${why}`, hint);
  for (const k of Object.keys(options) as (keyof GraphOptions)[]) {
    if (c.options[k] !== options[k])
      throw new KvmcheckError(
        'E_CHECKPOINT_MISMATCH',
        `${path} was written with ${k}=${String(c.options[k])}, this run has ${k}=${String(options[k])}`,
        hint,
      );
  }
}
