import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import bench from '../../models/bench/kvm-bench.ts';
import { runParallel } from '../../src/parallel/parallel-search.ts';
import { explore } from '../../src/driver/explore.ts';
import { useSmallChunks } from '../explore/small-chunks.ts';
import { Search } from '../../src/explore/search.ts';
import { checkProgressShape } from '../../src/persist/progress-shape.ts';
import type { SearchProgress } from '../../src/explore/progress.ts';
import type { SearchResult } from '../../src/explore/result.ts';
import { instantiate } from '../../src/model/instance.ts';

const modelModule = fileURLToPath(new URL('../../models/bench/kvm-bench.ts', import.meta.url));
const timeless = (r: SearchResult) => ({ ...r, elapsedMs: 0 });
// chunks of 0.5–2 KiB: the frontier put back on a stop spans many of them, with and without records
useSmallChunks();

describe('a parallel search stopped by a limit', () => {
  for (const [name, params, opts, tuning] of [
    ['1 vCPU', { vcpus: 1 }, {}, undefined],
    ['seed race, POR + symmetry', { prefault: true }, { por: 'on', symmetry: true }, undefined],
    ['1 vCPU, workers from the start', { vcpus: 1 }, {}, { batch: 16, waitForWorkers: true }],
    [
      'seed race, POR + symmetry, workers from the start',
      { prefault: true },
      { por: 'on', symmetry: true },
      { batch: 16, waitForWorkers: true },
    ],
  ] as const)
    it(`${name}: leaves a progress that resumes (sequentially) to the uninterrupted result`, async () => {
      const inst = instantiate(bench, { params });
      const options = { checkDeadlock: false, ...opts };
      const whole = explore(inst, options);
      const s = new Search(inst, { ...options, workers: 2, modelModule, maxStates: 1500 });
      const stopped = await runParallel(s, undefined, tuning);
      expect(stopped.verdict).toBe('incomplete');
      expect(stopped.limit).toBe('max-states');
      const progress = s.exportProgress();
      // what a checkpoint file must pass when read back
      expect(checkProgressShape(structuredClone(progress))).toBeUndefined();
      const resumed = Search.resume(inst, options, structuredClone(progress));
      expect(timeless(resumed.runSlice()!)).toEqual(timeless(whole));
    });
});

describe('a parallel search saving periodically, its frontier on disk', () => {
  it('goes on to the uninterrupted result, and each save is a progress a file check accepts', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kvmcheck-periodic-test-'));
    try {
      const inst = instantiate(bench, { params: { vcpus: 1 } });
      const options = { checkDeadlock: false, por: 'on' } as const;
      const whole = explore(inst, options);
      // a budget of 0 bytes: every chunk but the head and the tail is on disk
      const s = new Search(inst, { ...options, workers: 2, modelModule, frontierMemory: 0, spillDir: dir });
      const saves: SearchProgress[] = [];
      const periodic = { due: () => true, save: () => void saves.push(structuredClone(s.exportProgress())) };
      const r = await runParallel(s, undefined, { batch: 16, waitForWorkers: true }, periodic);
      s.close();
      expect(timeless(r)).toEqual(timeless(whole));
      expect(saves.length).toBeGreaterThan(2);
      for (const p of saves) expect(checkProgressShape(structuredClone(p))).toBeUndefined();
      const mid = saves[saves.length >> 1]!;
      expect(timeless(Search.resume(inst, options, mid).runSlice()!)).toEqual(timeless(whole));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
