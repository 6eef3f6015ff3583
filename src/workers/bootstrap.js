// A search worker starts here: plain JavaScript, because a worker thread does
// not inherit the TypeScript loader of its parent. It registers tsx, then
// loads the TypeScript entry named in workerData.
import { workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
await import(workerData.entry);
