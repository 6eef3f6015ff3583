import type { Io } from './io.ts';

/** A status line shown on a terminal until `clear` erases it (e.g. "loading model…" while a model compiles). */
export interface TransientLine {
  clear(): void;
}

/**
 * Writes `text` on stderr without a newline; `clear` returns to the start
 * of the line and erases it (or, where the Io has no control channel, ends
 * the line).
 */
export function transientLine(io: Io, text: string): TransientLine {
  io.err(text);
  let cleared = false;
  return {
    clear() {
      if (cleared) return;
      cleared = true;
      if (io.control) io.control('\r\u001B[2K');
      else io.err('\n');
    },
  };
}
