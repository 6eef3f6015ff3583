// A supervised command's worker thread starts here (supervisor.js): plain
// JavaScript, because a worker does not inherit the TypeScript loader.
import { workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';
import { forbidExit } from './forbid-exit.js';

forbidExit();
register();
await import(workerData.entry);
