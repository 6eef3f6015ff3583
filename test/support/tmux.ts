import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** A program running in a tmux session of a given size, as a person at that terminal would see it. */
export interface Session {
  /** The screen, lines the terminal wrapped joined (`capture-pane -J`); with `history`, the scrollback too. */
  screen(history?: boolean): string;
  keys(...k: string[]): void;
  /** The screen once it matches `re`; fails at once, with the screen, when the program ended without it. */
  waitFor(re: RegExp, ms?: number, history?: boolean): Promise<string>;
  /** `EXIT=<status>` once the program has ended. */
  exit(ms?: number): Promise<string>;
  /** Ends the session (and the program, if it still runs). */
  close(): void;
}

export interface TmuxServer {
  session(name: string, width: number, height: number, command: string): Session;
  /** Ends every session, and the server. */
  kill(): void;
}

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * A tmux server of our own (its own socket, no user config): the sessions
 * get this process's environment, not that of a server someone else
 * started, and kill() ends them all at once. Commands run in `cwd` with
 * CI=false: a person is watching (CI machines set CI=true, which makes the
 * dashboard print its last frame only).
 */
export function tmuxServer(bin: string, cwd: string): TmuxServer {
  const socket = `kvmcheck-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
  const tmux = (...args: string[]): string =>
    execFileSync(bin, ['-L', socket, '-f', '/dev/null', ...args], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  return {
    session(name, width, height, command) {
      const status = join(cwd, `${name}.status`);
      const ended = (): string | undefined => {
        const s = existsSync(status) ? readFileSync(status, 'utf8').trim() : '';
        return s === '' ? undefined : s;
      };
      tmux(
        'new-session',
        '-d',
        '-s',
        name,
        '-x',
        String(width),
        '-y',
        String(height),
        '-c',
        cwd,
        `CI=false ${command}; echo "EXIT=$?" > ${status}; sleep 300`,
      );
      const screen = (history = false): string =>
        tmux('capture-pane', '-p', '-J', '-t', name, ...(history ? ['-S', '-3000'] : []));
      return {
        screen,
        keys: (...k) => void tmux('send-keys', '-t', name, ...k),
        async waitFor(re, ms = 45_000, history = false) {
          const end = Date.now() + ms;
          for (;;) {
            const gone = ended();
            const s = screen(history);
            if (re.test(s)) return s;
            if (gone !== undefined || Date.now() > end)
              throw new Error(
                `${gone !== undefined ? `the program ended (${gone}) without showing` : 'no'} ${re}${gone ? '' : ` after ${ms} ms`} on the ${width}×${height} screen:\n${screen(true)}`,
              );
            await pause(200);
          }
        },
        async exit(ms = 20_000) {
          const end = Date.now() + ms;
          for (let s = ended(); ; s = ended()) {
            if (s !== undefined) return s;
            if (Date.now() > end) throw new Error(`${name} did not exit; the screen:\n${screen(true)}`);
            await pause(100);
          }
        },
        close() {
          try {
            tmux('kill-session', '-t', name);
          } catch {
            // already gone
          }
        },
      };
    },
    kill() {
      try {
        tmux('kill-server');
      } catch {
        // no server (no session started, or the last one ended)
      }
    },
  };
}
