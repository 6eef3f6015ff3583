import { parentPort, workerData } from 'node:worker_threads';
import { instantiate } from '../model/instance.ts';
import type { Model } from '../model/define-model.ts';
import { exportShapes, importShapes } from '../state/codec.ts';
import { exportLeaves, importLeaves } from '../state/leaf-table.ts';
import { BatchExpander } from './expand-batch.ts';
import { forbidExit } from '../supervise/forbid-exit.js';
import type { WorkerInit, WorkerJob, WorkerReply } from './protocol.ts';

/**
 * A search worker's life once its model module is loaded (by tsx in
 * batch-worker.ts, or bundled with it, see bundle-worker.ts): instantiates
 * the model, says it is ready, then expands the batches it is sent.
 */
export function serveBatches(mod: Readonly<Record<string, unknown>>): void {
  forbidExit(); // a step calling process.exit is a model error, not the silent end of this worker
  const init = workerData as WorkerInit;
  const model = (init.exportName ? mod[init.exportName] : mod.default) as Model;
  const inst = instantiate(model, init.instance);
  const bx = new BatchExpander(inst, init.options);
  let sentShapes = 0;
  let sentLeaves = 0;

  parentPort!.on('message', (job: WorkerJob) => {
    importShapes(job.shapes);
    importLeaves(job.leaves);
    const { out, errors } = bx.expand(job.entries, job.sleeps, job.spare, job.known);
    const shapes = exportShapes();
    const leaves = exportLeaves();
    const reply: WorkerReply = {
      id: job.id,
      out,
      errors,
      shapes: shapes.length > sentShapes ? shapes : [],
      leaves: leaves.length > sentLeaves ? leaves : [],
    };
    sentShapes = shapes.length;
    sentLeaves = leaves.length;
    parentPort!.postMessage(reply, [out.buffer as ArrayBuffer]);
  });
  parentPort!.postMessage({ ready: true });
}
