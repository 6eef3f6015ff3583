import { existsSync, mkdtempSync } from 'node:fs';
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
