import { readFileSync } from 'node:fs';

let cached: string | undefined;

/** The version of kvmcheck (package.json), as `--version` prints it and result files record it. */
export function kvmcheckVersion(): string {
  if (cached === undefined) {
    const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
      version: string;
    };
    cached = pkg.version;
  }
  return cached;
}
