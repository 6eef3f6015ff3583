import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import bench from '../../models/bench/kvm-bench.ts';
import { explore } from '../../src/driver/explore.ts';
import { instantiate } from '../../src/model/instance.ts';
import { BIN, inCheckout } from '../support/checkout.ts';

/** Starts the CLI and sends `signal` once the search has run for `afterMs`. */
function runAndInterrupt(args: string[], signal: NodeJS.Signals, afterMs: number) {
  return new Promise<{ code: number | null; out: string; err: string; stopMs: number }>((resolve) => {
    const p = spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'], cwd: dir });
    let out = '';
    let err = '';
    let sentAt = 0;
    p.stdout.on('data', (d) => (out += d));
    p.stderr.on('data', (d) => {
      err += d;
      // signal only once the search runs (startup may be slow on a loaded machine)
      if (sentAt === 0 && err.includes('kvmcheck: exploring')) {
        sentAt = -1;
        setTimeout(() => {
          sentAt = Date.now();
          p.kill(signal);
        }, afterMs);
      }
    });
    p.on('exit', (code) => resolve({ code, out, err, stopMs: Date.now() - sentAt }));
  });
}

const dir = mkdtempSync(join(tmpdir(), 'kvmcheck-int-'));
const ENDLESS = inCheckout('test/fixtures/endless.ts');

describe('interrupting a search', () => {
  it('SIGTERM: stops promptly, prints the statistics so far and the checkpoint, exits 3', async () => {
    const ckpt = join(dir, 'endless.checkpoint');
    const r = await runAndInterrupt(['check', ENDLESS, '--checkpoint', ckpt], 'SIGTERM', 500);
    expect(r.code).toBe(3);
    expect(r.out).toMatch(/… incomplete: the search was interrupted/);
    expect(r.out).toMatch(/[\d,]+ distinct states · [\d,]+ transitions/);
    expect(r.out).toContain(`checkpoint: ${ckpt}`);
    expect(r.out).toContain(`resume with: kvmcheck check ${ENDLESS} --checkpoint ${ckpt} --resume ${ckpt}`);
    // "within a second" on an idle machine; generous here because CI shares its cores
    expect(r.stopMs).toBeLessThan(3000);
  });

  it('SIGINT, then --resume: the same verdict, counts and result as an uninterrupted run', async () => {
    const ckpt = join(dir, 'bench.checkpoint');
    const args = ['check', inCheckout('models/bench/kvm-bench.ts'), '--no-deadlock', '--checkpoint', ckpt];
    const first = await runAndInterrupt(args, 'SIGINT', 800);
    expect(first.code).toBe(3);
    expect(first.out).toContain(`checkpoint: ${ckpt}`);
    const partialStates = Number(/([\d,]+) distinct states/.exec(first.out)![1]!.replace(/,/g, ''));
    const resumed = spawnSync(process.execPath, [BIN, ...args, '--json', '--resume', ckpt], {
      cwd: dir,
      encoding: 'utf8',
      timeout: 120_000,
    });
    expect(resumed.status).toBe(0);
    const whole = explore(instantiate(bench), { checkDeadlock: false });
    const done = JSON.parse(resumed.stdout);
    expect(done.states).toBeGreaterThan(partialStates);
    // (the run settings are the command's, not the engine's)
    expect({ ...done, elapsedMs: 0, run: undefined }).toEqual({
      ...JSON.parse(JSON.stringify(whole)),
      elapsedMs: 0,
    });
  });
});
