import { readFileSync } from 'node:fs';
import { esc, jsonForScript } from './escape.ts';

const asset = (name: string): string => readFileSync(new URL(`./${name}`, import.meta.url), 'utf8');

/**
 * One self-contained HTML page: its style and script inline, its data as
 * JSON in the page, and a Content-Security-Policy that forbids every
 * network request (nothing is fetched, not even a font or an image).
 */
export function htmlPage(o: {
  readonly title: string;
  readonly body: string;
  /** Read by the page's script from the `#kvmcheck-data` element. */
  readonly data?: unknown;
  /** Run the page's script (the counterexample page's step selection). */
  readonly script?: boolean;
}): string {
  const csp = "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:";
  return [
    '<!DOCTYPE html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="${csp}">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    '<meta name="generator" content="kvmcheck">',
    `<title>${esc(o.title)}</title>`,
    `<style>${asset('page.css')}</style>`,
    '</head>',
    '<body>',
    o.body,
    o.data !== undefined
      ? `<script type="application/json" id="kvmcheck-data">${jsonForScript(o.data)}</script>`
      : '',
    o.script ? `<script>${asset('client.js')}</script>` : '',
    '</body>',
    '</html>',
    '',
  ].join('\n');
}
