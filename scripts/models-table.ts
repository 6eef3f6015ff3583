/**
 * Regenerates the per-cell state-count tables of docs/models.md from a
 * `kvmcheck verify --json` run of every kernel-version model (the bench
 * slice `kvm-bench` left out):
 *
 *   npm run docs:models-table                  # runs verify, rewrites the doc
 *   npm run docs:models-table -- --from r.json # uses a saved `verify --json` / `--out` file
 *   npm run docs:models-table -- --check       # exit 1 if the doc differs
 *
 * It refuses to write when a verdict is not the expected one (the doc
 * shows what the search computes, and the matrix must agree first).
 * test/models/models-table.test.ts keeps the tables from going stale.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { format, resolveConfig } from 'prettier';
import { renderTables, replaceTables } from './models-table-render.ts';
import type { TableCell } from './models-table-render.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
const docPath = `${root}docs/models.md`;

interface VerifyOutput {
  readonly ok: boolean;
  readonly rows: readonly (TableCell & { readonly match: boolean; readonly expected: unknown })[];
}

function verifyOutput(from: string | undefined): VerifyOutput {
  if (from) return JSON.parse(readFileSync(from, 'utf8')) as VerifyOutput;
  // The result through --out (a file written whole), not a pipe a fast exit might cut short.
  const file = join(mkdtempSync(join(tmpdir(), 'models-table-')), 'verify.json');
  const r = spawnSync(
    process.execPath,
    [`${root}bin/kvmcheck.js`, 'verify', '--no-tui', '--filter', '{arm64-*,x86-*}', '--out', file],
    { stdio: ['ignore', 'ignore', 'inherit'] },
  );
  if (r.status !== 0 && r.status !== 1) throw new Error(`kvmcheck verify exited with ${r.status}`);
  return JSON.parse(readFileSync(file, 'utf8')) as VerifyOutput;
}

async function main(argv: readonly string[]): Promise<number> {
  const fromAt = argv.indexOf('--from');
  const out = verifyOutput(fromAt >= 0 ? argv[fromAt + 1] : undefined);
  const rows = out.rows.filter((r) => r.model !== 'kvm-bench');
  const wrong = rows.filter((r) => !r.match);
  if (wrong.length > 0) {
    for (const r of wrong) process.stderr.write(`not as expected: ${r.model}/${r.scenario} ${r.verdict}\n`);
    return 2;
  }
  const doc = readFileSync(docPath, 'utf8');
  const config = (await resolveConfig(docPath)) ?? {};
  const next = await format(replaceTables(doc, renderTables(rows)), { ...config, filepath: docPath });
  if (argv.includes('--check')) {
    if (next === doc) return 0;
    process.stderr.write('docs/models.md: the state-count tables are stale (npm run docs:models-table)\n');
    return 1;
  }
  writeFileSync(docPath, next);
  process.stdout.write(`docs/models.md: ${rows.length} cells written\n`);
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e: unknown) => {
    process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(2);
  },
);
