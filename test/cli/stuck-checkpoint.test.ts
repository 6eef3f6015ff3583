import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { explore } from '../../src/driver/explore.ts';
import { instantiate } from '../../src/model/instance.ts';
import { AUTO_PERIOD_ENV } from '../../src/persist/checkpoint-schedule.ts';
import { UNASKED_MAX_ENV } from '../../src/persist/checkpoint-writer.ts';
import hangsOnce from '../fixtures/hangs-once.ts';

/**
 * A search whose step hangs (model code that never returns: the supervisor
 * terminates its thread) keeps its last consistent state although nobody
 * asked for checkpoints: the automatic periodic ones (persist/
 * checkpoint-schedule.ts; here every 100 ms instead of every minute). The
 * fixture hangs only once the default checkpoint exists, so the kill always
 * comes after a save; resumed without the hang, the search ends where an
 * uninterrupted one does.
 */
const FIXTURE = resolve('test/fixtures/hangs-once.ts');
const BIN = resolve('bin/kvmcheck.js');

interface Ran {
  code: number | null;
  out: string;
  err: string;
}

/** Runs the bin in `cwd`; with `hangAfter`, the fixture hangs once that file exists, and SIGINT follows. */
function bin(args: string[], cwd: string, hangAfter?: string, env: NodeJS.ProcessEnv = {}): Promise<Ran> {
  return new Promise((done) => {
    // the hanging step never returns: 300 ms of grace after the stop instead of 2 s (src/supervise/watch.js)
    env = { ...process.env, [AUTO_PERIOD_ENV]: '100', KVMCHECK_STUCK_GRACE_MS: '300', ...env };
    if (hangAfter !== undefined) env.KVMCHECK_TEST_HANG_AFTER = hangAfter;
    const p = spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'], cwd, env });
    let out = '';
    let err = '';
    let sent = false;
    const safety = setTimeout(() => p.kill('SIGKILL'), 100_000); // never leave a spinning process
    p.stdout.on('data', (d) => (out += d));
    p.stderr.on('data', (d) => {
      err += d;
      if (sent || !err.includes('hangs-once.ts: spinning')) return;
      sent = true;
      p.kill('SIGINT');
    });
    p.on('exit', (code) => {
      clearTimeout(safety);
      done({ code, out, err });
    });
  });
}

const counts = (r: { states: number; transitions: number; depth: number; verdict: string }) => ({
  verdict: r.verdict,
  states: r.states,
  transitions: r.transitions,
  depth: r.depth,
});

describe('a search killed in a stuck step keeps its last automatic checkpoint', () => {
  const whole = counts(explore(instantiate(hangsOnce)));

  it('sequential (--json): exit 3, the step named, the checkpoint given; resumed, the uninterrupted result', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'kvmcheck-stuck-ckpt-'));
    const ckpt = join(cwd, '.kvmcheck', 'hangs-once.checkpoint');
    const stopped = await bin(['check', FIXTURE, '--json'], cwd, ckpt);
    expect(stopped.code).toBe(3);
    const j = JSON.parse(stopped.out);
    expect(j).toMatchObject({ verdict: 'incomplete', limit: 'interrupted', checkpoint: ckpt });
    expect(j.stuck.running).toBe("step 'mix' of look (its effect (run))");
    expect(j.message).toContain(`resume with: kvmcheck check ${FIXTURE} --json --resume ${ckpt}`);
    const resumed = await bin(['check', FIXTURE, '--json', '--resume', ckpt], cwd);
    expect(resumed.code).toBe(0);
    expect(counts(JSON.parse(resumed.out))).toEqual(whole);
    // finished: the automatic checkpoint it resumed from stays (it was named on the command line)
    expect(existsSync(ckpt)).toBe(true);
  });

  it('parallel (--workers 2, text): the stop message points at the checkpoint and its resume command', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'kvmcheck-stuck-ckpt-'));
    const ckpt = join(cwd, '.kvmcheck', 'hangs-once.checkpoint');
    const stopped = await bin(['check', FIXTURE, '--workers', '2'], cwd, ckpt);
    expect(stopped.code).toBe(3);
    // a step stuck in the main thread: the supervisor reports; in a batch worker: the search itself
    expect(stopped.err + stopped.out).toContain(`--workers 2 --resume ${ckpt}`);
    // the number of workers is no part of the state graph: resumed in one thread, the same result
    const resumed = await bin(['check', FIXTURE, '--json', '--resume', ckpt], cwd);
    expect(resumed.code).toBe(0);
    expect(counts(JSON.parse(resumed.out))).toEqual(whole);
  });

  it('unasked and too large: the stop message says honestly that none was kept, and how to keep one', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'kvmcheck-stuck-ckpt-'));
    const small = { [UNASKED_MAX_ENV]: '1000', KVMCHECK_TEST_HANG_AT: '6000' };
    const stopped = await bin(['check', FIXTURE, '--json'], cwd, undefined, small);
    expect(stopped.code).toBe(3);
    const j = JSON.parse(stopped.out);
    expect(j).toMatchObject({ verdict: 'incomplete', checkpointSkipped: { maxBytes: 1000 } });
    expect(j.checkpoint).toBeUndefined();
    expect(j.checkpointSkipped.bytes).toBeGreaterThan(1000);
    expect(j.message).toMatch(
      /no checkpoint was kept: it would take ~[\d.]+ MiB, more than the [\d.]+ MiB kvmcheck writes unasked; pass --checkpoint <file>/,
    );
    expect(existsSync(join(cwd, '.kvmcheck', 'hangs-once.checkpoint'))).toBe(false);
  });

  it('a search that finishes leaves no automatic checkpoint behind', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'kvmcheck-stuck-ckpt-'));
    const ckpt = join(cwd, '.kvmcheck', 'hangs-once.checkpoint');
    const r = await bin(['check', FIXTURE, '--json'], cwd, undefined, { KVMCHECK_TEST_NOTE_AFTER: ckpt });
    expect(r.code).toBe(0);
    expect(r.err).toContain('hangs-once.ts: the file exists'); // one was written on the way
    expect(counts(JSON.parse(r.out))).toEqual(whole);
    expect(existsSync(join(cwd, '.kvmcheck'))).toBe(false);
  });
});
