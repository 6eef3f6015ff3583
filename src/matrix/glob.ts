import { KvmcheckError } from '../errors.ts';

/**
 * A `--filter` glob as a predicate on `model/scenario`. `*` matches any run of
 * characters (slashes included), `?` one character, `{a,b}` either
 * alternative. A pattern without a slash also selects every scenario of a
 * model whose name it matches, so `--filter arm64-v5.4` runs that whole model.
 */
export function globMatcher(pattern: string): (model: string, scenario: string) => boolean {
  const re = new RegExp(`^${translate(pattern)}$`);
  const byModel = !pattern.includes('/');
  return (model, scenario) => re.test(`${model}/${scenario}`) || (byModel && re.test(model));
}

function translate(p: string): string {
  let out = '';
  let depth = 0;
  for (const c of p) {
    if (c === '*') out += '.*';
    else if (c === '?') out += '.';
    else if (c === '{') {
      depth++;
      out += '(?:';
    } else if (c === '}' && depth > 0) {
      depth--;
      out += ')';
    } else if (c === ',' && depth > 0) out += '|';
    else out += c.replace(/[.+^$()|[\]\\}]/g, '\\$&');
  }
  if (depth > 0)
    throw new KvmcheckError(
      'E_USAGE',
      `--filter '${p}': unclosed '{'`,
      "close it, e.g. --filter '{arm64-*,x86-*}'",
    );
  return out;
}
