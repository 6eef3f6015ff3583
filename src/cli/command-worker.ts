import { parentPort, workerData } from 'node:worker_threads';
import { beat, setAnnouncer, useControlBlock } from '../supervise/control.ts';
import type { Announcement } from '../supervise/control.ts';
import { strayError } from '../supervise/stray-error.ts';
import { escapeControls } from '../text/safe-text.ts';
import { processIo } from './io.ts';
import { reportError, runCli } from './main.ts';

/**
 * The worker thread a command runs in (see supervise/supervisor.js): the
 * engine, the model code and the dashboard run here; the main thread only
 * supervises. Its stdout and stderr are the process's (Node forwards them);
 * on a terminal it is given the terminal's size and, for the dashboard's
 * keys, the main thread's keyboard in raw mode.
 */
interface CommandWorkerData {
  readonly argv: readonly string[];
  readonly cwd: string;
  readonly control: SharedArrayBuffer;
  readonly terminal?: { readonly columns: number; readonly rows: number; readonly keyboard: boolean };
}

type FromSupervisor =
  | { readonly type: 'interrupt'; readonly reason: 'interrupted' | 'time-limit' }
  | { readonly type: 'resize'; readonly columns: number; readonly rows: number };

const data = workerData as CommandWorkerData;
const port = parentPort!;
useControlBlock(data.control);
setInterval(beat, 100).unref(); // the event loop turns: the thread is alive, whatever it runs
setAnnouncer((m: Announcement) => port.postMessage(m));
if (data.terminal) actAsTerminal(data.terminal);

const abort = new AbortController();
port.on('message', (m: FromSupervisor) => {
  if (m.type === 'interrupt') abort.abort(m.reason);
  else if (m.type === 'resize') {
    Object.assign(process.stdout, { columns: m.columns, rows: m.rows });
    process.stdout.emit('resize');
  }
});
port.unref(); // messages may come, but they do not keep the thread alive
port.postMessage({ type: 'running' });
let ended = false;
const done = async (code: number): Promise<void> => {
  if (ended) return;
  ended = true;
  // a worker's stdout and stderr reach the main thread asynchronously: all of it, before saying done
  await Promise.all([process.stdout, process.stderr].map((s) => new Promise((r) => s.write('', r))));
  port.postMessage({ type: 'done', code });
};
process.on('uncaughtException', stray);
process.on('unhandledRejection', stray);
await done(await runCli(data.argv, { ...processIo(abort.signal), argv: data.argv, cwd: data.cwd }));

/** An exception nobody caught (supervise/stray-error.ts): a coded error, escaped, exit 2 — not a Node stack. */
function stray(e: unknown): void {
  if (ended) return;
  const err = strayError(e);
  const io = processIo(abort.signal);
  reportError(
    err,
    { ...io, out: (t) => io.out(escapeControls(t)), err: (t) => io.err(escapeControls(t)) },
    data.argv.includes('--json'),
  );
  void done(2);
}

/**
 * The thread's stdout and stdin stand for the terminal the process runs
 * on: its size (kept current through 'resize' messages), and raw mode
 * switched by the main thread, which owns the real keyboard.
 */
function actAsTerminal(t: NonNullable<CommandWorkerData['terminal']>): void {
  Object.assign(process.stdout, { isTTY: true, columns: t.columns, rows: t.rows });
  if (!t.keyboard) return;
  const stdin = process.stdin as NodeJS.ReadStream & { ref?: () => void; unref?: () => void };
  Object.assign(stdin, {
    isTTY: true,
    isRaw: false,
    setRawMode(on: boolean) {
      stdin.isRaw = on;
      port.postMessage({ type: 'raw', on });
      return stdin;
    },
    ref: stdin.ref ?? (() => stdin),
    unref: stdin.unref ?? (() => stdin),
  });
}
