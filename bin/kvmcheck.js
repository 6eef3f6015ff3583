#!/usr/bin/env node
// The kvmcheck command. Signal handlers come first, before anything loads, so
// that a signal at any moment is handled. The command then runs in a worker
// thread under a supervisor in this thread (src/supervise/supervisor.js),
// which stays responsive whatever model code does: a step that never returns
// cannot defeat --time-limit, SIGINT or SIGTERM. TypeScript (the sources and
// users' .ts model files) loads through tsx in that worker: no build step.
// KVMCHECK_IN_PROCESS=1 runs the command in this thread instead (profiling,
// debugging), without that protection.
const early = { signals: [], handler: (sig) => early.signals.push(sig) };
process.on('SIGINT', early.handler);
process.on('SIGTERM', early.handler);

if (process.env.KVMCHECK_IN_PROCESS) {
  const { register } = await import('tsx/esm/api');
  register();
  const { runCli } = await import('../src/cli/main.ts');
  const { processIo } = await import('../src/cli/io.ts');
  const controller = new AbortController();
  let signals = 0;
  const onSignal = (sig) => {
    if (++signals > 1) process.exit(sig === 'SIGINT' ? 130 : 143);
    controller.abort(sig);
  };
  for (const sig of ['SIGINT', 'SIGTERM']) {
    process.off(sig, early.handler);
    process.on(sig, onSignal);
  }
  for (const sig of early.signals) onSignal(sig);
  process.exitCode = await runCli(process.argv.slice(2), processIo(controller.signal));
} else {
  const { supervise } = await import('../src/supervise/supervisor.js');
  process.exit(await supervise(process.argv.slice(2), early));
}
