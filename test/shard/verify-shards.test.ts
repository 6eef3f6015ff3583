import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { memoryIo } from '../../src/cli/io.ts';
import { runCli } from '../../src/cli/main.ts';
import { kvmcheck, scratch } from './cli-process.ts';

// a part of the bundled matrix, at a lowered bound given with --param (applied to every cell)
const CELLS =
  'x86-v5.4/{seed-race,pgoff-nonflat,migration,bar-zap-race,ro-vma-create,migration-no-retry,fault-no-mmu-lock,delete-slot-no-sync}';
const RUN = ['verify', '--filter', CELLS, '--param', 'vcpus=1', '--jobs', '1'];

interface Row {
  model: string;
  scenario: string;
  elapsedMs?: number;
}
const json = (text: string) => JSON.parse(text) as { rows: Row[]; [k: string]: unknown };
/** What a row computed: everything but its time. */
const computed = (rows: Row[]) => rows.map(({ elapsedMs: _t, ...r }) => r);

describe('verify --shard i/n and merge', () => {
  it('three shards run as separate processes merge into exactly the unsharded result', async () => {
    const dir = scratch('shards');
    const [whole, ...shards] = await Promise.all([
      kvmcheck([...RUN, '--json', '--html', 'whole.html'], dir),
      ...[1, 2, 3].map((i) => kvmcheck([...RUN, '--shard', `${i}/3`, '--out', `shard-${i}.json`], dir)),
    ]);
    expect(whole.stderr).toBe('');
    const all = json(whole.stdout);
    const parts = [1, 2, 3].map((i) => json(readFileSync(join(dir, `shard-${i}.json`), 'utf8')));
    // each shard ran a part, the parts together are the matrix
    const sizes = parts.map((p) => p.rows.length);
    expect(sizes.every((n) => n > 0 && n < all.rows.length)).toBe(true);
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(all.rows.length);
    shards.forEach((s, i) =>
      expect(s.stderr).toContain(`shard ${i + 1}/3 (even): ${sizes[i]} of ${all.rows.length} cells`),
    );

    const io = memoryIo({ cwd: dir });
    const code = await runCli(['merge', 'shard-1.json', 'shard-2.json', 'shard-3.json', '--json'], io);
    expect(code).toBe(whole.code);
    const m = json(io.stdout);
    expect(computed(m.rows)).toEqual(computed(all.rows));
    for (const k of ['ok', 'total', 'mismatches', 'matrix', 'kvmcheck', 'version', 'kvmcheckVersion'])
      expect(m[k]).toEqual(all[k]);
    expect((m.shards as unknown[]).length).toBe(3);

    // merge --html draws the same matrix as verify --html: the same cells, coloured alike, linking the same pages
    const html = memoryIo({ cwd: dir });
    const shardFiles = ['shard-1.json', 'shard-2.json', 'shard-3.json'];
    expect(await runCli(['merge', ...shardFiles, '--html', 'merged.html'], html)).toBe(whole.code);
    expect(html.stdout).toContain('HTML page: merged.html');
    const cells = (file: string) =>
      [
        ...readFileSync(join(dir, file), 'utf8').matchAll(
          /<td class="([^"]*)"[^>]*data-label="([^"]*)">(<a href="[^"]*)?/g,
        ),
      ]
        .map(([, cls, label, link]) => `${label} ${cls}${link ? ' linked' : ''}`)
        .sort();
    expect(cells('merged.html')).toEqual(cells('whole.html'));
    expect(cells('merged.html')).toHaveLength(all.rows.length);
    const pages = (stem: string) =>
      readdirSync(dir)
        .filter((f) => f.startsWith(`${stem}-`) && f.endsWith('.html'))
        .map((f) => f.slice(stem.length));
    expect(pages('merged').sort()).toEqual(pages('whole').sort());
    // each counterexample page carries its cell's replay token
    const tokens = (m.rows as { replay?: string }[]).flatMap((r) => (r.replay ? [r.replay] : []));
    expect(tokens.length).toBeGreaterThan(0);
    const text = pages('merged')
      .map((f) => readFileSync(join(dir, `merged${f}`), 'utf8'))
      .join('');
    for (const t of tokens) expect(text).toContain(t);
  });
});
