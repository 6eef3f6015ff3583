import { existsSync, mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import bench from '../../models/bench/kvm-bench.ts';
import { describeCheckpointEvent } from '../../src/cli/check-run.ts';
import { Search } from '../../src/explore/search.ts';
import { modelIdentity } from '../../src/model/identity.ts';
import { instantiate } from '../../src/model/instance.ts';
import { graphOptions, readCheckpoint } from '../../src/persist/checkpoint.ts';
import { CheckpointWriter, UNASKED_MAX_BYTES } from '../../src/persist/checkpoint-writer.ts';
import type { CheckpointEvent } from '../../src/persist/checkpoint-writer.ts';
import type { SearchOptions } from '../../src/explore/options.ts';
import { frontierTuning } from '../../src/explore/packed-queue.ts';
import { setAnnouncer } from '../../src/supervise/control.ts';
import type { Announcement } from '../../src/supervise/control.ts';

function stoppedSearch(): Search {
  const s = new Search(instantiate(bench, { params: { vcpus: 1 } }), {
    checkDeadlock: false,
    maxStates: 200,
  });
  s.runSlice();
  return s;
}

function writer(
  path: string,
  asked: boolean,
  extra: { unaskedMaxBytes?: number; announceBytes?: number } = {},
) {
  const s = stoppedSearch();
  const events: CheckpointEvent[] = [];
  const w = new CheckpointWriter({
    path,
    asked,
    identity: modelIdentity(s.inst),
    options: graphOptions(s.options),
    argv: ['check', 'kvm-bench'],
    onEvent: (e) => events.push(e),
    ...extra,
  });
  return { s, w, events };
}

describe('checkpoint writer', () => {
  it('an unasked checkpoint larger than the limit is not written to ./.kvmcheck, and says why', () => {
    expect(UNASKED_MAX_BYTES).toBe(64 * 2 ** 20);
    const path = join(mkdtempSync(join(tmpdir(), 'kvmc-w-')), '.kvmcheck', 'x.checkpoint');
    const { s, w, events } = writer(path, false, { unaskedMaxBytes: 1000 });
    expect(w.save(s)).toEqual({});
    expect(existsSync(path)).toBe(false);
    expect(events.map((e) => e.phase)).toEqual(['skipped']);
    expect(describeCheckpointEvent(events[0]!)).toMatch(
      /no checkpoint written: it would take ~[\d.]+ MiB in .*\.kvmcheck; pass --checkpoint <file>/,
    );
  });
  it('the same checkpoint asked for is written, whatever its size', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'kvmc-w-')), 'x.checkpoint');
    const { s, w } = writer(path, true, { unaskedMaxBytes: 1000 });
    w.prepare();
    expect(w.save(s)).toEqual({ path });
    w.close();
    expect(readCheckpoint(path).progress.visited.count).toBe(s.stats().distinct);
  });
  it('a large write is announced before it starts and when it is done', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'kvmc-w-')), 'x.checkpoint');
    const { s, w, events } = writer(path, true, { announceBytes: 1 });
    w.prepare();
    w.save(s);
    w.close();
    expect(events.map((e) => e.phase)).toEqual(['writing', 'written']);
    expect(describeCheckpointEvent(events[0]!)).toMatch(
      /^writing the checkpoint .*x\.checkpoint \(~[\d.]+ MiB\)…$/,
    );
    expect(describeCheckpointEvent(events[1]!)).toMatch(/^checkpoint written \(~[\d.]+ MiB in [\d.]+ s\)$/);
  });
});

describe('periodic and automatic checkpoints', () => {
  it('a periodic unasked save too large to keep says so once, and tells the supervisor each time', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'kvmc-w-')), '.kvmcheck', 'x.checkpoint');
    const { s, w, events } = writer(path, false, { unaskedMaxBytes: 1000 });
    const told: Announcement[] = [];
    setAnnouncer((m) => told.push(m));
    try {
      expect(w.save(s, false)).toEqual({});
      expect(w.save(s, false)).toEqual({});
      expect(events.map((e) => e.phase)).toEqual(['skipped']);
      expect(w.save(s, true)).toEqual({}); // the final one is always said
      expect(events.map((e) => e.phase)).toEqual(['skipped', 'skipped']);
      expect(told.map((m) => m.type)).toEqual([
        'checkpoint-skipped',
        'checkpoint-skipped',
        'checkpoint-skipped',
      ]);
      expect(told[0]).toMatchObject({ path, maxBytes: 1000 });
    } finally {
      setAnnouncer(() => {});
    }
    expect(existsSync(path)).toBe(false);
  });

  it('a final unasked save too large after a smaller periodic one: says that the earlier one stays, and how to resume it', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'kvmc-w-')), '.kvmcheck', 'x.checkpoint');
    const { s, w, events } = writer(path, false);
    expect(w.save(s, false)).toEqual({ path });
    Object.assign(w.o, { unaskedMaxBytes: 1000 }); // the search grew past the cap
    expect(w.save(s, true)).toEqual({});
    const skipped = events.find((e) => e.phase === 'skipped')!;
    expect(describeCheckpointEvent(skipped)).toContain(
      `the smaller one written earlier in this run stays (resume with: kvmcheck check kvm-bench --resume ${path})`,
    );
    expect(readCheckpoint(path).progress.visited.count).toBe(s.stats().distinct);
  });

  it('an unasked checkpoint of a search that then finished is removed (and its empty directory); an asked one stays', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kvmc-w-'));
    const unasked = join(dir, '.kvmcheck', 'x.checkpoint');
    const a = writer(unasked, false);
    expect(a.w.save(a.s, false)).toEqual({ path: unasked });
    a.w.discard();
    a.w.close();
    expect(existsSync(unasked)).toBe(false);
    expect(existsSync(join(dir, '.kvmcheck'))).toBe(false);
    const asked = join(dir, 'y.checkpoint');
    const b = writer(asked, true);
    b.w.prepare();
    expect(b.w.save(b.s, false)).toEqual({ path: asked });
    b.w.discard();
    b.w.close();
    expect(existsSync(asked)).toBe(true);
  });
});

describe('the size a checkpoint is announced with', () => {
  const cases: [string, Partial<SearchOptions>][] = [
    ['breadth-first', {}],
    ['breadth-first, its frontier spilled to disk', { frontierMemory: 0 }],
    ['depth-first', { search: 'dfs' }],
    ['with partial-order reduction (sleep sets)', { por: 'on' }],
  ];
  it.each(cases)('is within 25 percent of the file written (%s)', (_, extra) => {
    const dir = mkdtempSync(join(tmpdir(), 'kvmc-w-'));
    const tuning = { ...frontierTuning };
    // small chunks: with no frontier memory, all but the head and the tail go to disk
    if (extra.frontierMemory === 0) Object.assign(frontierTuning, { chunkMin: 512, chunkMax: 2048 });
    const s = new Search(instantiate(bench, { params: { vcpus: 2 } }), {
      checkDeadlock: false,
      maxStates: 30_000,
      spillDir: dir,
      ...extra,
    });
    Object.assign(frontierTuning, tuning);
    while (!s.runSlice()) {
      // to the state limit
    }
    if (extra.frontierMemory === 0) expect(s.stats().spilledBytes).toBeGreaterThan(0);
    const path = join(dir, 'x.checkpoint');
    const events: CheckpointEvent[] = [];
    const w = new CheckpointWriter({
      path,
      asked: true,
      identity: modelIdentity(s.inst),
      options: graphOptions(s.options),
      argv: ['check', 'kvm-bench'],
      onEvent: (e) => events.push(e),
      announceBytes: 0,
    });
    w.prepare();
    expect(w.save(s)).toEqual({ path });
    w.close();
    s.close();
    const actual = statSync(path).size;
    const estimated = events.find((e) => e.phase === 'writing')!.bytes;
    expect(readCheckpoint(path).progress.frontierSize).toBeGreaterThan(0);
    expect(Math.abs(estimated - actual) / actual).toBeLessThan(0.25);
  });
});
