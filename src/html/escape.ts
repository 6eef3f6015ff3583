/** Text for HTML element content and attribute values: the five characters that could end them escaped. */
export function esc(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/**
 * JSON for a `<script type="application/json">` element: `<` is written as
 * `\u003c` so that no string in the data can close the element, and U+2028/9
 * are escaped for older parsers. The page reads it with JSON.parse: data,
 * never code.
 */
export function jsonForScript(data: unknown): string {
  return JSON.stringify(data)
    .replace(/</g, '\\u003c')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}
