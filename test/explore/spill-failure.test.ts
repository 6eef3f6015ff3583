import { mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import model from '../../models/bench/kvm-bench.ts';
import { explore } from '../../src/driver/explore.ts';
import { useSmallChunks } from './small-chunks.ts';
import type { SearchResult } from '../../src/explore/result.ts';
import { Search } from '../../src/explore/search.ts';
import { withDefaults } from '../../src/explore/options.ts';
import { instantiate } from '../../src/model/instance.ts';
import { modelIdentity } from '../../src/model/identity.ts';
import { graphOptions, readCheckpoint, writeCheckpoint } from '../../src/persist/checkpoint.ts';
import { memoryIo } from '../../src/cli/io.ts';
import { runCli } from '../../src/cli/main.ts';

async function cli(argv: string[]): Promise<{ code: number; err: string }> {
  const io = memoryIo({ argv, cwd: dir });
  const code = await runCli(argv, io);
  return { code, err: io.stderr };
}

/**
 * A 4-vCPU run lost 74 minutes of search (146 M states) when its first
 * spill, at depth 71, found that --spill-dir did not exist: the E_IO ended
 * the process with nothing saved. The directory is now made and probed
 * before the search, and a spill that fails later stops the search as
 * incomplete with everything kept (the chunk stays in memory), so its
 * checkpoint resumes to the uninterrupted result.
 */
const dir = mkdtempSync(join(tmpdir(), 'kvmcheck-spill-fail-'));
/** A regular file: no directory can be made under it, by root either. */
const blocker = join(dir, 'a-file');
writeFileSync(blocker, 'x');
useSmallChunks();
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const timeless = (r: SearchResult) => ({ ...r, elapsedMs: 0 });

describe('a frontier that cannot spill', () => {
  it('stops the search as incomplete (max-memory, saying why), and its checkpoint resumes to the whole result', () => {
    const options = { checkDeadlock: false } as const;
    const inst = instantiate(model, { params: { vcpus: 1 } });
    const whole = explore(inst, options);
    const s = new Search(inst, { ...options, frontierMemory: 0, spillDir: join(blocker, 'spill') });
    let r = s.done;
    while (!r) r = s.runSlice(0);
    expect(r).toMatchObject({ verdict: 'incomplete', limit: 'max-memory' });
    expect(r.message).toMatch(/stopped before memory ran out: cannot spill the frontier/);
    expect(r.states).toBeLessThan(whole.states);
    const path = join(dir, 'stopped.checkpoint');
    writeCheckpoint(path, {
      identity: modelIdentity(inst),
      options: graphOptions(withDefaults(options)),
      progress: s.exportProgress(),
      argv: [],
    });
    s.close();
    const resumed = Search.resume(inst, options, readCheckpoint(path).progress);
    let end = resumed.done;
    while (!end) end = resumed.runSlice();
    expect(timeless(end)).toEqual(timeless(whole));
    resumed.close();
  });
});

describe('--spill-dir', () => {
  it('is made when missing, before the search', async () => {
    const spill = join(dir, 'made', 'here');
    const r = await cli(['check', 'kvm-bench', '--no-tui', '--max-states', '50', '--spill-dir', spill]);
    expect(r.code).toBe(3);
    expect(statSync(spill).isDirectory()).toBe(true);
    expect(readdirSync(spill)).toEqual([]);
  });

  it('that cannot be made is refused before the search (E_IO, exit 2)', async () => {
    const r = await cli(['check', 'kvm-bench', '--no-tui', '--spill-dir', join(blocker, 'spill')]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/E_IO.*cannot spill the frontier/);
    expect(r.err).not.toMatch(/distinct states/);
  });
});
