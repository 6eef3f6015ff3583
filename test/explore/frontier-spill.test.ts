import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import model from '../../models/bench/kvm-bench.ts';
import { explore, exploreAsync } from '../../src/driver/explore.ts';
import type { SearchOptions } from '../../src/explore/options.ts';
import type { PackedQueue } from '../../src/explore/packed-queue.ts';
import { useSmallChunks } from './small-chunks.ts';
import type { SearchResult } from '../../src/explore/result.ts';
import { Search } from '../../src/explore/search.ts';
import { instantiate } from '../../src/model/instance.ts';
import { modelIdentity } from '../../src/model/identity.ts';
import { withDefaults } from '../../src/explore/options.ts';
import { graphOptions, readCheckpoint, writeCheckpoint } from '../../src/persist/checkpoint.ts';

const dir = mkdtempSync(join(tmpdir(), 'kvmcheck-spill-test-'));
// chunks of 0.5–2 KiB: the small searches of these tests keep many of them
useSmallChunks();
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const timeless = (r: SearchResult) => ({ ...r, elapsedMs: 0 });

describe('a frontier spilled to disk', () => {
  // a budget of 0 bytes: every chunk but the one being read and the one being written goes to disk
  const spill = { frontierMemory: 0, spillDir: dir } as const;
  const cases: [string, Record<string, unknown>, Partial<SearchOptions>][] = [
    ['1 vCPU, no reduction', { vcpus: 1 }, {}],
    ['2 vCPUs, both reductions', { vcpus: 2 }, { por: 'on', symmetry: true }],
    ['seed race (violated, shortest trace)', { prefault: true }, {}],
  ];
  for (const [name, params, opts] of cases) {
    it(`${name}: the same verdict, counts, trace and coverage as in memory`, () => {
      const options = { checkDeadlock: false, ...opts };
      const inst = () => instantiate(model, { params });
      const mem = explore(inst(), options);
      const s = new Search(inst(), { ...options, ...spill });
      const r = s.runSlice()!;
      if (!name.startsWith('seed')) expect((s.frontier as PackedQueue).spilled()).toBeGreaterThan(0);
      expect(timeless(r)).toEqual(timeless(mem));
      s.close();
      expect(readdirSync(dir)).toEqual([]);
    });
  }

  it('checkpoints taken while chunks are on disk resume to the uninterrupted result', () => {
    const options = { checkDeadlock: false, por: 'on' } as const;
    const inst = instantiate(model, { params: { vcpus: 1 } });
    const whole = explore(inst, options);
    let s = new Search(inst, { ...options, ...spill });
    let r = s.done;
    let resumes = 0;
    while (!r) {
      r = s.runSlice(0);
      if (!r && (s.frontier as PackedQueue).diskBytes() > 0 && resumes < 3) {
        // through a checkpoint file: the chunks on disk are read back into it, checked when read
        const path = join(dir, 'spilled.checkpoint');
        const graph = graphOptions(withDefaults(options));
        writeCheckpoint(path, {
          identity: modelIdentity(inst),
          options: graph,
          progress: s.exportProgress(),
          argv: [],
        });
        const p = readCheckpoint(path).progress;
        rmSync(path);
        s.close();
        s = Search.resume(inst, { ...options, ...spill }, p);
        resumes++;
      }
    }
    expect(resumes).toBe(3);
    expect(timeless(r)).toEqual(timeless(whole));
    s.close();
  });

  it('with 2 workers (batches taken from a spilled queue): the same result', async () => {
    const options = { checkDeadlock: false, por: 'on' } as const;
    const inst = () => instantiate(model, { params: { vcpus: 1 } });
    const modelModule = new URL('../../models/bench/kvm-bench.ts', import.meta.url).pathname;
    const par = await exploreAsync(inst(), { ...options, ...spill, workers: 2, modelModule });
    expect(timeless(par)).toEqual(timeless(explore(inst(), options)));
    expect(readdirSync(dir)).toEqual([]);
  });
});
