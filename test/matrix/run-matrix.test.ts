import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { counterexampleView } from '../../src/counterexample/view.ts';
import { decodeToken } from '../../src/counterexample/replay-token.ts';
import { explore } from '../../src/driver/explore.ts';
import { runMatrix } from '../../src/matrix/run-matrix.ts';
import { planMatrix } from '../../src/matrix/verify-job.ts';
import type { VerifyJob } from '../../src/matrix/verify-job.ts';
import type { FromWorker } from '../../src/matrix/worker-protocol.ts';
import { orderRows, verifyExitStatus } from '../../src/matrix/verify-row.ts';
import { instantiate } from '../../src/model/instance.ts';
import abba from '../examples/abba.ts';
import load from '../tui/fixtures/dashboard-load.ts';
import wrong from './fixtures/wrong-expectation.ts';

const url = (p: string) => pathToFileURL(new URL(p, import.meta.url).pathname).href;

describe('runMatrix: searches in worker threads through p-queue', () => {
  it('computes the same results as an in-process search, and flags the wrong expectation', async () => {
    const jobs = planMatrix([
      { module: url('../examples/abba.ts'), models: [abba] },
      { module: url('./fixtures/wrong-expectation.ts'), models: [wrong] },
    ]);
    const started: string[] = [];
    const messages: FromWorker['type'][] = [];
    const rows = await runMatrix(jobs, 2, {
      onStart: (j) => started.push(j.label),
      onMessage: (_j, m) => messages.push(m.type),
    }).rows;
    expect(started.sort()).toEqual(jobs.map((j) => j.label).sort());
    expect(messages).toContain('started');
    expect(messages).toContain('done');
    for (const row of rows) {
      const model = row.job.model.name === 'abba' ? abba : wrong;
      const inst = instantiate(model, { scenario: row.job.scenario });
      const local = explore(inst);
      // a counterexample comes minimised, as `check` prints it
      const cex = counterexampleView(inst, local);
      expect([row.job.label, row.result.verdict, row.result.states, row.result.trace]).toEqual([
        row.job.label,
        local.verdict,
        local.states,
        cex?.result.trace ?? local.trace,
      ]);
      // the same schedule (the token's model digest is the loader's business)
      const recording = (t: string | undefined): unknown =>
        t === undefined ? t : { ...decodeToken(t), digest: undefined };
      expect(recording(row.counterexample?.replay)).toEqual(recording(cex?.replay));
      expect(row.counterexample?.measures).toEqual(cex?.measures);
    }
    expect(rows.map((r) => [r.job.label, r.match])).toEqual([
      ['abba/abba', true],
      ['abba/ordered', true],
      ['counter-wrong/atomic', true],
      ['counter-wrong/racy', false],
    ]);
  });

  it('reports a job whose model cannot be found as an error row', async () => {
    const [job] = planMatrix([{ module: url('../examples/abba.ts'), models: [abba] }]);
    const bad: VerifyJob = { ...job!, model: { ...job!.model, name: 'no-such-model' } };
    const [row] = await runMatrix([bad], 1).rows;
    expect(row!.match).toBe(false);
    expect(row!.result.verdict).toBe('error');
    expect(row!.result.error?.code).toBe('E_MODEL_NOT_FOUND');
  });

  it('interrupt stops the running search (incomplete) and skips the waiting ones', async () => {
    const jobs = planMatrix(
      [{ module: url('../tui/fixtures/dashboard-load.ts'), models: [load] }],
      '*/atomic-7x7',
    );
    const more = planMatrix([{ module: url('../examples/abba.ts'), models: [abba] }]).map((j, i) => ({
      ...j,
      id: i + 1,
    }));
    let progressSeen!: () => void;
    const progressed = new Promise<void>((r) => (progressSeen = r));
    const run = runMatrix([...jobs, ...more], 1, {
      onMessage: (_j, m) => {
        if (m.type === 'progress') progressSeen();
      },
    });
    await progressed;
    run.interrupt();
    const rows = await run.rows;
    expect(rows[0]!.result).toMatchObject({ verdict: 'incomplete', limit: 'interrupted' });
    expect(rows[0]!.result.states).toBeGreaterThan(0);
    expect(rows[0]!.status).toBe('interrupted');
    for (const r of rows.slice(1)) {
      expect(r.result).toMatchObject({ verdict: 'incomplete', states: 0 });
      expect([r.status, r.match]).toEqual(['skipped', false]);
    }
    // neither is a mismatch: the run is incomplete (exit 3), and the skipped rows come last
    expect(verifyExitStatus(rows)).toBe(3);
    expect(orderRows(rows).map((r) => r.status)).toEqual(['interrupted', 'skipped', 'skipped']);
  });
});
