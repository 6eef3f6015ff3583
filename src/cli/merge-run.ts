import { resolve } from 'node:path';
import { KvmcheckError } from '../errors.ts';
import { verifyExitStatus } from '../matrix/verify-row.ts';
import { writeFileAtomic } from '../persist/atomic-write.ts';
import { mergeVerify } from '../shard/merge-verify.ts';
import { badResult, readResultFile } from '../shard/result-file.ts';
import { parseVerifyResult } from '../shard/verify-result.ts';
import { resultTable, summaryLine } from '../tui/result-table.ts';
import type { ParsedArgs } from './args.ts';
import type { Io } from './io.ts';
import { reportOutputErrors, tryWrite } from './output-files.ts';
import { verifyJson } from './verify-json.ts';

/** Writes the merged JSON to --out when asked; prints it with --json. Returns the output errors. */
function emit(args: ParsedArgs, io: Io, json: unknown): KvmcheckError[] {
  const text = `${JSON.stringify(json)}\n`;
  if (args.flags.json === true) io.out(text);
  const out = args.flags.out as string | undefined;
  const failed = out === undefined ? undefined : tryWrite(() => writeFileAtomic(resolve(io.cwd, out), text));
  return failed ? [failed] : [];
}

/** `kvmcheck merge`: reads the result files (data only), merges them by kind, prints the whole run's result. */
export async function runMerge(args: ParsedArgs, io: Io): Promise<number> {
  const files = args.positionals;
  if (files.length === 0)
    throw new KvmcheckError(
      'E_USAGE',
      'merge needs result files',
      'e.g. kvmcheck merge results/shard-*.json',
    );
  const docs = files.map((f) => ({ file: f, doc: readResultFile(resolve(io.cwd, f), f) }));
  for (const d of docs)
    if (d.doc.kvmcheck !== 'verify' && d.doc.kvmcheck !== 'swarm')
      throw badResult(
        d.file,
        'not a kvmcheck verify or swarm shard result ("kvmcheck": "verify" or "swarm")',
      );
  const kinds = new Set(docs.map((d) => d.doc.kvmcheck));
  if (kinds.size > 1)
    throw new KvmcheckError(
      'E_RESULT_MISMATCH',
      `the files mix kinds of results (${[...kinds].map(String).join(', ')})`,
      'merge verify shards with verify shards, swarm shards with swarm shards',
    );
  if (docs[0]!.doc.kvmcheck === 'swarm') {
    if (args.flags.html !== undefined)
      throw new KvmcheckError(
        'E_USAGE',
        'merge --html draws the matrix of verify shards; swarm results have no matrix',
        'drop --html; merge --html is for the result files of verify --shard i/n',
      );
    const { runSwarmMerge } = await import('./merge-swarm-run.ts');
    return runSwarmMerge(docs, args, io, emit);
  }
  const results = docs.map((d) => parseVerifyResult(d.doc, d.file));
  const merged = mergeVerify(results);
  // the shards' search settings, when they all ran with the same ones
  const runs = new Set(results.map((r) => JSON.stringify(r.run ?? null)));
  const settings = runs.size === 1 ? results[0]!.run : undefined;
  const json = {
    ...verifyJson(merged.rows, merged.elapsedMs, {
      matrix: merged.matrix,
      ...(settings ? { run: settings } : {}),
    }),
    shards: merged.shards,
  };
  const htmlPath = args.flags.html as string | undefined;
  let html: string | undefined;
  let htmlError: KvmcheckError | undefined;
  if (htmlPath !== undefined) {
    const { writeVerifyPages } = await import('./html-output.ts');
    const written = writeVerifyPages(htmlPath, io, {
      rows: merged.rows,
      elapsedMs: merged.elapsedMs,
      ...(settings ? { settings } : {}),
    });
    if (written.error) htmlError = written.error;
    else html = written.path;
  }
  const failed = [
    ...emit(args, io, { ...json, ...(html !== undefined ? { html } : {}) }),
    ...(htmlError ? [htmlError] : []),
  ];
  if (args.flags.json !== true) {
    const n = merged.shards.length;
    io.out(
      `merged ${n} shard${n > 1 ? 's' : ''} of kvmcheck ${merged.kvmcheckVersion}: ${merged.rows.length} cells\n\n` +
        `${resultTable(merged.rows)
          .map((l) => l.text)
          .join('\n')}\n${summaryLine(merged.rows, merged.elapsedMs).text}\n`,
    );
    if (html !== undefined) io.out(`HTML page: ${html}\n`);
  }
  return reportOutputErrors(failed, io, verifyExitStatus(merged.rows));
}
