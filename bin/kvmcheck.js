#!/usr/bin/env node
// The kvmcheck command. It runs the TypeScript sources (and users' .ts model
// files) directly through the tsx loader, so no build step is needed.
import { register } from 'tsx/esm/api';

register();
const { runCli } = await import('../src/cli/main.ts');
const { processIo } = await import('../src/cli/io.ts');

const controller = new AbortController();
let signals = 0;
const onSignal = (sig) => {
  signals++;
  if (signals > 1) process.exit(sig === 'SIGINT' ? 130 : 143);
  controller.abort(sig);
};
process.on('SIGINT', onSignal);
process.on('SIGTERM', onSignal);

const code = await runCli(process.argv.slice(2), processIo(controller.signal));
process.exitCode = code;
