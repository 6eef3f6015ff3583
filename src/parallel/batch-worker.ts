import { workerData } from 'node:worker_threads';
import { importModelModule } from '../model/import-module.ts';
import type { WorkerInit } from './protocol.ts';
import { serveBatches } from './serve-batches.ts';

/** A batch worker started through tsx (workers/bootstrap.js): loads the model module itself, then serves. */
serveBatches(await importModelModule((workerData as WorkerInit).modelModule));
