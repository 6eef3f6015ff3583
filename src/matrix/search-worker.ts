import { parentPort } from 'node:worker_threads';
import { announceRun, beat, setAnnouncer, setDeadline, useControlBlock } from '../supervise/control.ts';
import { asKvmcheckError } from '../errors.ts';
import { strayError } from '../supervise/stray-error.ts';
import type { SearchEvent } from '../explore/events.ts';
import { exploreAsync } from '../driver/explore.ts';
import { counterexampleView } from '../counterexample/view.ts';
import type { CounterexampleView } from '../counterexample/view.ts';
import { instantiate } from '../model/instance.ts';
import { findModel } from './find-model.ts';
import type { JobSpec } from './job-spec.ts';
import type { FromWorker, ToWorker } from './worker-protocol.ts';

/**
 * A search worker: runs the jobs it is sent, one at a time, forwarding the
 * engine's events to the main thread (progress throttled by the engine, BFS
 * level sizes batched), and stops the current search early with verdict
 * `incomplete` when told to interrupt. It lives until the pool terminates it,
 * so the loader and the model modules are paid for once per worker.
 */
const port = parentPort!;
const send = (m: FromWorker): void => port.postMessage(m);
// supervised by search-workers.ts (its jobs carry the control block): a stuck step can be named and stopped
setInterval(beat, 100).unref();
setAnnouncer((m) => port.postMessage(m));
let current: AbortController | undefined;
// an exception nobody caught (a timer or promise of the model's code) fails the job; the worker is not reused
const stray = (e: unknown): void => {
  current?.abort();
  send({ type: 'failed', error: strayError(e).toInfo(), fatal: true });
};
process.on('uncaughtException', stray);
process.on('unhandledRejection', stray);

async function run(job: JobSpec, abort: AbortSignal): Promise<void> {
  let inst;
  try {
    const model = await findModel(job.model.module, job.model.name);
    inst = instantiate(model, { scenario: job.scenario, params: job.params ?? {} });
    announceRun(inst);
  } catch (e) {
    send({ type: 'failed', error: asKvmcheckError(e, 'E_MODEL_INVALID', 'check the model').toInfo() });
    return;
  }
  let levels: number[] = [];
  const onEvent = (e: SearchEvent): void => {
    switch (e.type) {
      case 'start':
        send({ type: 'started', threads: e.threads });
        break;
      case 'level':
        levels.push(e.size);
        break;
      case 'progress':
        send({ type: 'progress', stats: e.stats, levels });
        levels = [];
        break;
      case 'done':
        break;
    }
  };
  setDeadline(job.options?.timeLimitMs ?? Infinity);
  const result = await exploreAsync(inst, job.options ?? {}, onEvent, abort);
  // minimised here, where the model is loaded, exactly as `check` does it
  let cex: CounterexampleView | undefined;
  try {
    cex = counterexampleView(inst, result, job.modelFlag !== undefined ? { modelFlag: job.modelFlag } : {});
  } catch {
    cex = undefined; // the search's own trace stands; the row still has its verdict
  }
  send({
    type: 'done',
    result: cex?.result ?? result,
    levels,
    ...(cex ? { counterexample: cex } : {}),
  });
}

port.on('message', (m: ToWorker) => {
  if (m.type === 'interrupt') {
    current?.abort();
    return;
  }
  if (m.control) useControlBlock(m.control);
  const abort = new AbortController();
  current = abort;
  void run(m.job, abort.signal).finally(() => {
    if (current === abort) current = undefined;
  });
});
