// The kvmcheck process's main thread: it runs no model code, only this
// supervisor, so that it always answers signals, timers and keys. The command
// itself runs in a worker thread (command-bootstrap.mjs → cli/command-worker.ts)
// that writes to our stdout/stderr. On SIGINT/SIGTERM (or Ctrl+C at the
// dashboard, or when the announced time limit passes) the worker is asked to
// stop; a worker stuck in a step that does not return is terminated after a
// grace period and the step is named (watch.js). A second signal exits at once.
// Plain JavaScript: no TypeScript loader runs in this thread.
import { Worker } from 'node:worker_threads';
import { newControlBlock } from './control-layout.js';
import { Watch, describeStuck, stuckGraceMs } from './watch.js';
import { checkpointFields, checkpointReport } from './checkpoint-report.js';

const EXIT_INCOMPLETE = 3;
const POLL_MS = 100;

/**
 * Runs the command line `argv` in a supervised worker; resolves with the
 * exit status, for the caller to end the process with (the worker may
 * still be tearing down: `process.exit` ends it). `early` lists the signals received before this was called
 * (the bin installs its handlers before loading anything).
 * @param {readonly string[]} argv
 * @param {{ signals: string[], handler: (sig: string) => void }} early
 * @returns {Promise<number>}
 */
export function supervise(argv, early) {
  const json = argv.includes('--json');
  const grace = stuckGraceMs(process.env);
  if (grace.error !== undefined) {
    const hint = 'unset it for the default of 2 s, or give e.g. 5000';
    if (json)
      process.stdout.write(
        `${JSON.stringify({ verdict: 'error', error: { code: 'E_USAGE', message: grace.error, hint } })}\n`,
      );
    else process.stderr.write(`kvmcheck: error [E_USAGE] ${grace.error}\n  hint: ${hint}\n`);
    return Promise.resolve(2);
  }
  const control = newControlBlock();
  const watch = new Watch(control, { graceMs: grace.ms });
  const tty = process.stdout.isTTY === true;
  const keyboard = tty && process.stdin.isTTY === true;
  const worker = new Worker(new URL('./command-bootstrap.mjs', import.meta.url), {
    workerData: {
      entry: new URL('../cli/command-worker.ts', import.meta.url).href,
      argv: [...argv],
      cwd: process.cwd(),
      control,
      terminal: tty ? { columns: process.stdout.columns, rows: process.stdout.rows, keyboard } : undefined,
    },
    stdin: keyboard,
  });

  /** Names of the running instance's threads, steps and properties (for the stuck report). */
  let names;
  /** The last checkpoint the worker wrote (`{ path, resume, at }`), and the last it skipped as too large. */
  let checkpoint;
  let skipped;
  let running = false;
  let code;
  let signals = 0;
  let stuck;
  let raw = false;

  const post = (m) => {
    try {
      worker.postMessage(m);
    } catch {
      // the worker is gone
    }
  };
  const stop = (reason) => {
    watch.requestStop(reason);
    post({ type: 'interrupt', reason });
  };
  const onSignal = (sig) => {
    signals++;
    if (signals > 1 || !running) {
      // a second signal, or one before the command started: end now
      restoreTerminal();
      if (!running && signals === 1) report('interrupted before the command started; nothing was searched');
      process.exit(signals > 1 ? (sig === 'SIGINT' ? 130 : 143) : EXIT_INCOMPLETE);
    }
    stop('interrupted');
  };
  const onKey = (data) => {
    // Ctrl+C at the dashboard (raw mode: no SIGINT): the worker handles it; we make sure it can
    if (data.includes(3)) stop('interrupted');
    worker.stdin?.write(data);
  };
  const onResize = () => post({ type: 'resize', columns: process.stdout.columns, rows: process.stdout.rows });
  const setRaw = (on) => {
    if (!keyboard || on === raw) return;
    raw = on;
    process.stdin.setRawMode(on);
    if (on) process.stdin.on('data', onKey).resume();
    else process.stdin.off('data', onKey).pause();
  };
  const restoreTerminal = () => {
    setRaw(false);
    if (tty) process.stdout.write('\u001b[?25h'); // the cursor, hidden by the dashboard
  };
  const report = (text, limit = watch.reason ?? 'interrupted') => {
    if (json)
      process.stdout.write(
        `${JSON.stringify({ verdict: 'incomplete', limit, message: text, ...(stuck ?? {}) })}\n`,
      );
    else process.stderr.write(`kvmcheck: ${text}\n`);
  };

  for (const sig of ['SIGINT', 'SIGTERM']) {
    process.off(sig, early.handler);
    process.on(sig, onSignal);
  }
  if (tty) process.stdout.on('resize', onResize);

  worker.on('message', (m) => {
    switch (m?.type) {
      case 'running':
        running = true;
        break;
      case 'names':
        names = m.names;
        break;
      case 'checkpoint':
        checkpoint = { ...m, at: Date.now() };
        break;
      case 'checkpoint-skipped':
        skipped = { ...m, at: Date.now() };
        break;
      case 'raw':
        setRaw(m.on === true);
        break;
      case 'done':
        // its output is out (it flushed before saying so): the process may end now, without
        // waiting for the thread to be torn down (the caller exits the process)
        code = m.code;
        settle(code);
        break;
    }
  });
  for (const sig of early.signals) onSignal(sig);

  const timer = setInterval(() => {
    if (watch.reason === undefined && watch.pastDeadline()) stop('time-limit');
    const s = watch.check();
    if (s === undefined || code !== undefined || stuck !== undefined) return;
    stuck = {
      stuck: { running: describeStuck(s, names), seconds: Math.round(s.frozenMs / 100) / 10 },
    };
    void worker.terminate();
  }, POLL_MS);

  /** The report of a worker whose heap ran out. */
  let outOfMemory;
  const lastCheckpoint = () => checkpointReport(checkpoint, skipped);

  let resolve;
  let settled = false;
  const settle = (status) => {
    if (settled) return;
    settled = true;
    clearInterval(timer);
    restoreTerminal();
    if (tty) process.stdout.off('resize', onResize);
    for (const sig of ['SIGINT', 'SIGTERM']) process.off(sig, onSignal);
    resolve(status);
  };
  return new Promise((res) => {
    resolve = res;
    worker.on('error', (e) => {
      if (e?.code === 'ERR_WORKER_OUT_OF_MEMORY' && code === undefined && stuck === undefined) {
        // the heap is full (a step allocating without end, or a search beyond the heap): like a
        // stuck step, what ran is named and the last checkpoint pointed at; the run is incomplete
        const at = watch.where();
        const running = at.inside ? ` while ${describeStuck(at, names)} ran` : '';
        outOfMemory = `stopped: the command's thread ran out of JavaScript heap memory${running}; its thread was terminated`;
        return;
      }
      if (code === undefined && stuck === undefined) {
        process.stderr.write(
          `kvmcheck: error [E_INTERNAL] the command's worker failed: ${e?.message ?? e}\n`,
        );
        code = 2;
      }
    });
    worker.on('exit', (exitCode) => {
      if (settled) return;
      if (outOfMemory !== undefined) {
        const lines = [outOfMemory, lastCheckpoint()];
        if (json) {
          stuck = checkpointFields(checkpoint, skipped);
          report(lines.join('; '), 'max-memory');
        } else process.stderr.write(lines.map((l) => `kvmcheck: ${l}\n`).join(''));
        code = EXIT_INCOMPLETE;
      } else if (stuck !== undefined) {
        const why = watch.reason === 'time-limit' ? 'the time limit' : 'the interrupt';
        const lines = [
          `stopped: ${stuck.stuck.running} did not return within ${stuck.stuck.seconds} s of ${why}; its thread was terminated`,
        ];
        lines.push(lastCheckpoint());
        if (json) {
          stuck = { ...stuck, ...checkpointFields(checkpoint, skipped) };
          report(lines.join('; '));
        } else process.stderr.write(lines.map((l) => `kvmcheck: ${l}\n`).join(''));
        code = EXIT_INCOMPLETE;
      }
      if (code === undefined) {
        process.stderr.write(
          `kvmcheck: error [E_INTERNAL] the command's worker ended without a result (exit code ${exitCode})\n  hint: this is a bug in kvmcheck; please report it with the command line\n`,
        );
        code = 2;
      }
      settle(code);
    });
  });
}
