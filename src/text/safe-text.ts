/**
 * Text that came from files users pass around (tokens, traces, ITF files,
 * checkpoints) or from a model (its name, scenarios, threads) is printed on
 * someone's terminal and pasted into shells. Two guards make that safe.
 */

/**
 * Terminal control characters (C0 but newline and tab, DEL, C1) and the
 * invisible characters that reorder or hide text (bidirectional overrides
 * and isolates, zero-width characters, byte-order mark).
 */
// eslint-disable-next-line no-control-regex -- control characters are what this finds
const UNSAFE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]/g;

/**
 * `text` with every terminal control or invisible formatting character
 * written as a visible `\uXXXX` escape, so that printing it can neither move
 * the cursor, recolour, retitle or clear the terminal nor hide what it says.
 * The escape is JSON's: inside a JSON string the value is unchanged, so JSON
 * output stays valid and means the same.
 */
export function escapeControls(text: string): string {
  return text.replace(UNSAFE, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** Characters a shell word may hold unquoted. */
const PLAIN_WORD = /^[\w./:=,@%+-]+$/;

/**
 * One argument quoted for a POSIX shell: single quotes (nothing expands
 * inside them), an embedded quote written as `'\''`. Plain words stay as
 * they are. Control characters are escaped by `escapeControls` when printed.
 */
export function shellQuote(arg: string): string {
  if (PLAIN_WORD.test(arg)) return arg;
  return `'${arg.replace(/'/g, `'\\''`)}'`;
}

/** A command line to print for pasting: each argument shell-quoted. */
export function shellCommand(words: readonly string[]): string {
  return words.map(shellQuote).join(' ');
}

/**
 * The command line that resumes from `checkpoint`: the original one with
 * --resume replaced, shell-quoted for pasting. It keeps the limits: they
 * count per run (cli/run-search.ts), so running it again goes further.
 */
export function resumeCommand(argv: readonly string[], checkpoint: string): string {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--resume') i++;
    else if (!a.startsWith('--resume=')) out.push(a);
  }
  return shellCommand([...out, '--resume', checkpoint]);
}
