// A search worker starts here: plain JavaScript, because a worker thread does
// not inherit the TypeScript loader of its parent. It registers tsx, then
// loads the TypeScript entry named in workerData.
import { workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';
import { forbidExit } from '../supervise/forbid-exit.js';

forbidExit(); // model code calling process.exit is a model error, not a silent end of the worker
register();
await import(workerData.entry);
