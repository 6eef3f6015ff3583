import { expect, vi } from 'vitest';

/** Terminal key sequences. */
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

export const settle = (ms = 20): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Writes each key to stdin, pausing briefly after each so that Ink parses them one by one. */
export async function press(stdin: { write(s: string): void }, ...keys: string[]): Promise<void> {
  for (const k of keys) {
    stdin.write(k);
    await settle();
  }
}

/**
 * Waits until the rendered frame shows `want` (Ink redraws asynchronously and
 * at most at its frame rate, later on a loaded machine), then returns it.
 */
export async function frameShowing(
  lastFrame: () => string | undefined,
  want: string | RegExp,
): Promise<string> {
  await vi.waitFor(
    () => {
      const f = lastFrame() ?? '';
      if (typeof want === 'string') expect(f).toContain(want);
      else expect(f).toMatch(want);
    },
    { timeout: 5000, interval: 20 },
  );
  return lastFrame()!;
}
