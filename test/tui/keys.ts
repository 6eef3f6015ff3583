/** Terminal key sequences, and a pause that lets Ink process input and redraw. */
export const KEY = {
  up: '\u001B[A',
  down: '\u001B[B',
  right: '\u001B[C',
  left: '\u001B[D',
  enter: '\r',
  escape: '\u001B',
  end: '\u001B[F',
  home: '\u001B[H',
} as const;

export const settle = (ms = 30): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Writes each key to stdin, waiting for Ink after each. */
export async function press(stdin: { write(s: string): void }, ...keys: string[]): Promise<void> {
  for (const k of keys) {
    stdin.write(k);
    await settle();
  }
}
