import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { Ajv } from 'ajv';
import type { ValidateFunction } from 'ajv';

/**
 * The Kubernetes OpenAPI schemas as JSON data, from the npm package
 * kubernetes-models@4.3.1 (and @kubernetes-models/apimachinery), whose
 * `_schemas/<Id>.js` files hold each definition as a JSON literal
 * (`const schema = {…};`). We read those literals as data (never run the
 * files) and compile them with our own ajv. Like kubeconform's -strict, an
 * object schema that lists its properties gets `additionalProperties: false`,
 * so a misspelt field is an error rather than silently ignored.
 */
const require = createRequire(import.meta.url);
const DIRS = [
  dirname(require.resolve('kubernetes-models/package.json')),
  dirname(require.resolve('@kubernetes-models/apimachinery/package.json')),
].map((d) => join(d, '_schemas'));

/** `io.k8s.api.batch.v1.Job` → `IoK8sApiBatchV1Job`, the package's file name for that definition. */
function fileOf(id: string): string {
  return id
    .split('.')
    .map((p) => p.charAt(0).toUpperCase() + p.slice(1))
    .join('');
}

function literalOf(id: string): Record<string, unknown> {
  for (const dir of DIRS) {
    let text: string;
    try {
      text = readFileSync(join(dir, `${fileOf(id)}.js`), 'utf8');
    } catch {
      continue;
    }
    const start = text.indexOf('const schema = ');
    const end = text.indexOf('\n};\n', start);
    if (start < 0 || end < 0) throw new Error(`no schema literal in ${fileOf(id)}.js`);
    return JSON.parse(text.slice(start + 'const schema = '.length, end + 2)) as Record<string, unknown>;
  }
  throw new Error(`no schema for ${id}`);
}

function strict(node: unknown): void {
  if (typeof node !== 'object' || node === null) return;
  if (Array.isArray(node)) return node.forEach(strict);
  const o = node as Record<string, unknown>;
  if (o.properties && o.additionalProperties === undefined) o.additionalProperties = false;
  for (const v of Object.values(o)) strict(v);
}

function refsOf(node: unknown, out: Set<string>): void {
  if (typeof node !== 'object' || node === null) return;
  if (Array.isArray(node)) return node.forEach((n) => refsOf(n, out));
  for (const [k, v] of Object.entries(node)) {
    if (k === '$ref' && typeof v === 'string') out.add(v.replace(/#.*$/, ''));
    else refsOf(v, out);
  }
}

const int = (bits: number) => (n: number) => Number.isInteger(n) && Math.abs(n) < 2 ** (bits - 1);

/** A validator for the definition `id` (e.g. io.k8s.api.batch.v1.Job), with every definition it refers to. */
export function kubernetesValidator(id: string): ValidateFunction {
  const ajv = new Ajv({ allErrors: true, strict: false });
  ajv.addFormat('int32', { type: 'number', validate: int(32) });
  ajv.addFormat('int64', { type: 'number', validate: int(64) });
  ajv.addFormat('double', { type: 'number', validate: () => true });
  ajv.addFormat('byte', /^[A-Za-z0-9+/]*={0,2}$/);
  ajv.addFormat('date-time', /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/);
  ajv.addFormat('quantity', /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+|[KMGTPE]i?|[mkMGTPE])?$/);
  const todo = [id];
  const seen = new Set<string>();
  while (todo.length > 0) {
    const next = todo.pop()!;
    if (seen.has(next)) continue;
    seen.add(next);
    const schema = literalOf(next);
    strict(schema);
    const refs = new Set<string>();
    refsOf(schema, refs);
    todo.push(...refs);
    ajv.addSchema(schema, next);
  }
  return ajv.getSchema(id)!;
}
