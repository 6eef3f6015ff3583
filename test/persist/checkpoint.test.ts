import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import bench from '../../models/bench/kvm-bench.ts';
import { runSearch } from '../../src/cli/run-search.ts';
import type { RunSearchInput } from '../../src/cli/run-search.ts';
import { KvmcheckError } from '../../src/errors.ts';
import { explore } from '../../src/driver/explore.ts';
import type { SearchOptions } from '../../src/explore/options.ts';
import type { SearchResult } from '../../src/explore/result.ts';
import { instantiate } from '../../src/model/instance.ts';
import { readCheckpoint } from '../../src/persist/checkpoint.ts';

const dir = mkdtempSync(join(tmpdir(), 'kvmcheck-ckpt-'));
const timeless = (r: SearchResult) => ({ ...r, elapsedMs: 0 });

async function run(
  params: Record<string, unknown>,
  options: Partial<SearchOptions>,
  io: Partial<RunSearchInput> = {},
) {
  return runSearch({
    inst: instantiate(bench, { params }),
    options,
    listener: () => {},
    signal: new AbortController().signal,
    checkpointPath: join(dir, 'c.checkpoint'),
    checkpointEveryMs: undefined,
    resumePath: undefined,
    argv: ['check', 'kvm-bench'],
    ...io,
  });
}

/** Stops the search at `stops` distinct-state counts, resuming from the checkpoint file each time. */
async function interruptedRun(
  params: Record<string, unknown>,
  options: Partial<SearchOptions>,
  stops: number[],
) {
  const path = join(dir, `run-${stops.join('-')}.checkpoint`);
  let resumePath: string | undefined;
  for (const maxStates of stops) {
    const out = await run(params, { ...options, maxStates }, { checkpointPath: path, resumePath });
    if (out.result.verdict !== 'incomplete') return out.result;
    expect(out.checkpoint).toBe(path);
    resumePath = path;
  }
  return (await run(params, options, { checkpointPath: path, resumePath })).result;
}

describe('checkpoint and resume', () => {
  const cases: [string, Record<string, unknown>, Partial<SearchOptions>][] = [
    ['holds, 1 vCPU', { vcpus: 1 }, { checkDeadlock: false }],
    ['the seed race, BFS (shortest counterexample)', { prefault: true }, { checkDeadlock: false }],
    ['the seed race, DFS', { prefault: true }, { checkDeadlock: false, search: 'dfs' }],
    ['holds, 2 vCPUs with symmetry', { vcpus: 2 }, { checkDeadlock: false, symmetry: true }],
    ['holds, 1 vCPU with partial-order reduction', { vcpus: 1 }, { checkDeadlock: false, por: 'on' }],
    [
      'holds, 1 vCPU, 128-bit fingerprints, no frontier memory',
      { vcpus: 1 },
      { checkDeadlock: false, por: 'on', fingerprint: 128, frontierMemory: 0 },
    ],
  ];
  for (const [name, params, options] of cases) {
    it(`${name}: stopped at several points, the resumed run ends exactly like an uninterrupted one`, async () => {
      const whole = explore(instantiate(bench, { params }), options);
      const n = whole.states;
      const stops = [Math.ceil(n / 10), Math.ceil(n / 3), Math.ceil((2 * n) / 3)];
      const resumed = await interruptedRun(params, options, stops);
      expect(timeless(resumed)).toEqual(timeless(whole));
    });
  }

  it('an abort (SIGINT) writes a checkpoint that resumes to the same result', async () => {
    const params = { vcpus: 1 };
    const options = { checkDeadlock: false };
    const ac = new AbortController();
    let slices = 0;
    const first = await run(params, options, {
      signal: ac.signal,
      listener: (e) => {
        if (e.type === 'level' && ++slices === 8) ac.abort();
      },
    });
    expect(first.result).toMatchObject({ verdict: 'incomplete', limit: 'interrupted' });
    const resumed = await run(params, options, { resumePath: first.checkpoint });
    expect(timeless(resumed.result)).toEqual(timeless(explore(instantiate(bench, { params }), options)));
  });

  it('a checkpoint of another model configuration or options is refused with E_CHECKPOINT_MISMATCH', async () => {
    const out = await run({ vcpus: 1 }, { checkDeadlock: false, maxStates: 50 });
    const code = async (params: Record<string, unknown>, options: Partial<SearchOptions>) =>
      run(params, options, { resumePath: out.checkpoint }).then(
        () => 'resumed',
        (e: unknown) => (e as KvmcheckError).code,
      );
    expect(await code({ vcpus: 2 }, { checkDeadlock: false })).toBe('E_CHECKPOINT_MISMATCH');
    expect(await code({ vcpus: 1 }, { checkDeadlock: false, search: 'dfs' })).toBe('E_CHECKPOINT_MISMATCH');
    expect(await code({ vcpus: 1 }, { checkDeadlock: true })).toBe('E_CHECKPOINT_MISMATCH');
    expect(await code({ vcpus: 1 }, { checkDeadlock: false, fingerprint: 128 })).toBe(
      'E_CHECKPOINT_MISMATCH',
    );
    expect(await code({ vcpus: 1 }, { checkDeadlock: false, maxStates: 100 })).toBe('resumed');
  });

  it('a checkpoint of an older format is refused with E_BAD_CHECKPOINT, naming its format', async () => {
    const out = await run({ vcpus: 1 }, { checkDeadlock: false, maxStates: 50 });
    const path = join(dir, 'old.checkpoint');
    const b = readFileSync(out.checkpoint!);
    const nl = b.indexOf(0x0a);
    writeFileSync(path, Buffer.concat([Buffer.from('KVMCHECK-CHECKPOINT 2'), b.subarray(nl)]));
    expect(() => readCheckpoint(path)).toThrow(
      /format 2, written by an older kvmcheck; this one reads format 3/,
    );
    try {
      readCheckpoint(path);
    } catch (e) {
      expect((e as KvmcheckError).code).toBe('E_BAD_CHECKPOINT');
    }
  });

  it('a corrupted or truncated checkpoint is always a coded error, never a crash or a wrong resume', async () => {
    const out = await run({ vcpus: 1 }, { checkDeadlock: false, maxStates: 300 });
    const good = readFileSync(out.checkpoint!);
    const path = join(dir, 'mutated.checkpoint');
    fc.assert(
      fc.property(
        fc.oneof(
          fc.record({ kind: fc.constant('truncate' as const), at: fc.nat(good.length - 1) }),
          fc.record({ kind: fc.constant('flip' as const), at: fc.nat(good.length - 1), bit: fc.nat(7) }),
          fc.record({ kind: fc.constant('garbage' as const), bytes: fc.uint8Array({ maxLength: 200 }) }),
        ),
        (m) => {
          const b = Buffer.from(good);
          const data =
            m.kind === 'truncate'
              ? b.subarray(0, m.at)
              : m.kind === 'flip'
                ? (b.writeUInt8(b[m.at]! ^ (1 << m.bit), m.at), b)
                : Buffer.from(m.bytes);
          writeFileSync(path, data);
          let code = 'accepted';
          try {
            readCheckpoint(path);
          } catch (e) {
            code = e instanceof KvmcheckError ? e.code : `uncoded ${String(e)}`;
          }
          expect(code).toBe('E_BAD_CHECKPOINT');
        },
      ),
      { numRuns: 300 },
    );
  });
});
