import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { KvmcheckError } from '../errors.ts';

/**
 * Result files (`verify --out`, `check --swarm … --out`) travel between
 * machines and people: they are read as JSON data only (never imported,
 * never evaluated), capped in size, and every field merge uses is checked
 * before use, so a corrupt or crafted file is an E_BAD_RESULT error that
 * names the file and the field.
 */
export const MAX_RESULT_BYTES = 64 * 2 ** 20;

/** Deepest nesting accepted anywhere in a result file (state values in traces included). */
const MAX_NESTING = 200;

export function badResult(file: string, why: string): KvmcheckError {
  return new KvmcheckError(
    'E_BAD_RESULT',
    `${file}: ${why}`,
    'pass the files written by `kvmcheck verify --out` or `kvmcheck check --swarm i/n --out`, unchanged',
  );
}

/** Reads and parses one result file: a regular file of at most MAX_RESULT_BYTES holding a JSON object. */
export function readResultFile(path: string, shown = path): Record<string, unknown> {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (e) {
    throw new KvmcheckError(
      'E_IO',
      `cannot read ${shown}: ${e instanceof Error ? e.message : String(e)}`,
      'check the path and its permissions',
    );
  }
  let text: string;
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) throw badResult(shown, 'not a regular file');
    if (st.size > MAX_RESULT_BYTES)
      throw badResult(
        shown,
        `${st.size} bytes, more than the ${MAX_RESULT_BYTES / 2 ** 20} MiB a result may have`,
      );
    // read at most one byte past the cap: a file that grows while read is refused too
    const buf = Buffer.alloc(Math.min(st.size, MAX_RESULT_BYTES) + 1);
    let n = 0;
    for (let r; n < buf.length && (r = readSync(fd, buf, n, buf.length - n, null)) > 0;) n += r;
    if (n > MAX_RESULT_BYTES) throw badResult(shown, `more than ${MAX_RESULT_BYTES / 2 ** 20} MiB`);
    text = buf.subarray(0, n).toString('utf8');
  } finally {
    closeSync(fd);
  }
  return parseResultText(text, shown);
}

export function parseResultText(text: string, file: string): Record<string, unknown> {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch (e) {
    throw badResult(file, `not JSON (${e instanceof Error ? e.message : String(e)})`);
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw badResult(file, 'not a JSON object');
  checkData(v, file, '', 0);
  return v as Record<string, unknown>;
}

/** Control characters other than tab and newline: they could drive a terminal that prints the text. */
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;

/** The whole file, once: bounded nesting, and no string (key or value) with terminal control characters. */
function checkData(v: unknown, file: string, at: string, depth: number): void {
  if (depth > MAX_NESTING)
    throw badResult(file, `${at || 'the document'} is nested more than ${MAX_NESTING} deep`);
  if (typeof v === 'string') {
    if (CONTROL.test(v)) throw badResult(file, `${at || 'a string'} holds control characters`);
    return;
  }
  if (typeof v !== 'object' || v === null) return;
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) checkData(v[i], file, `${at}[${i}]`, depth + 1);
    return;
  }
  for (const [k, x] of Object.entries(v)) {
    if (CONTROL.test(k)) throw badResult(file, `a key in ${at || 'the document'} holds control characters`);
    checkData(x, file, at ? `${at}.${k}` : k, depth + 1);
  }
}

/**
 * Typed access to the fields of a parsed result, each failure an
 * E_BAD_RESULT naming the file and the field's path.
 */
export class Fields {
  constructor(
    readonly file: string,
    private readonly o: Readonly<Record<string, unknown>>,
    private readonly at = '',
  ) {}

  private path(key: string): string {
    return this.at ? `${this.at}.${key}` : key;
  }

  bad(key: string, what: string): KvmcheckError {
    return badResult(this.file, `${this.path(key)}: expected ${what}`);
  }

  has(key: string): boolean {
    return Object.hasOwn(this.o, key) && this.o[key] !== undefined;
  }

  raw(key: string): unknown {
    return Object.hasOwn(this.o, key) ? this.o[key] : undefined;
  }

  string(key: string, max = 4096): string {
    const v = this.raw(key);
    if (typeof v !== 'string' || v.length > max) throw this.bad(key, `a string of at most ${max} characters`);
    return v;
  }

  optString(key: string, max = 4096): string | undefined {
    return this.has(key) ? this.string(key, max) : undefined;
  }

  /** A name printed in tables: one line, no more than `max` characters. */
  name(key: string, max = 200): string {
    const v = this.string(key, max);
    if (v.includes('\n') || v.includes('\t')) throw this.bad(key, 'a one-line name');
    return v;
  }

  count(key: string): number {
    const v = this.raw(key);
    if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0)
      throw this.bad(key, 'a non-negative integer');
    return v;
  }

  number(key: string): number {
    const v = this.raw(key);
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) throw this.bad(key, 'a non-negative number');
    return v;
  }

  bool(key: string): boolean {
    const v = this.raw(key);
    if (typeof v !== 'boolean') throw this.bad(key, 'true or false');
    return v;
  }

  oneOf<T extends string>(key: string, values: readonly T[]): T {
    const v = this.raw(key);
    if (typeof v !== 'string' || !(values as readonly string[]).includes(v))
      throw this.bad(key, `one of ${values.join(', ')}`);
    return v as T;
  }

  object(key: string): Fields {
    const v = this.raw(key);
    if (typeof v !== 'object' || v === null || Array.isArray(v)) throw this.bad(key, 'an object');
    return new Fields(this.file, v as Record<string, unknown>, this.path(key));
  }

  optObject(key: string): Fields | undefined {
    return this.has(key) ? this.object(key) : undefined;
  }

  /** An array of at most `max` elements, each read with `each` (given its own Fields when it is an object). */
  array<T>(key: string, each: (item: unknown, at: string) => T, max = 1_000_000): T[] {
    const v = this.raw(key);
    if (!Array.isArray(v) || v.length > max) throw this.bad(key, `a list of at most ${max} entries`);
    return v.map((x, i) => each(x, `${this.path(key)}[${i}]`));
  }

  objects(key: string, max = 1_000_000): Fields[] {
    return this.array(
      key,
      (x, at) => {
        if (typeof x !== 'object' || x === null || Array.isArray(x))
          throw badResult(this.file, `${at}: expected an object`);
        return new Fields(this.file, x as Record<string, unknown>, at);
      },
      max,
    );
  }

  strings(key: string, max = 1_000_000, maxLength = 4096): string[] {
    return this.array(
      key,
      (x, at) => {
        if (typeof x !== 'string' || x.length > maxLength)
          throw badResult(this.file, `${at}: expected a string`);
        return x;
      },
      max,
    );
  }

  /** Parameter values: a flat object of numbers, booleans and strings. */
  params(key: string): Record<string, number | boolean | string> {
    const f = this.object(key);
    const out: Record<string, number | boolean | string> = {};
    for (const k of f.keys()) {
      const v = f.raw(k);
      if (!/^[\w.-]{1,100}$/.test(k) || !['number', 'boolean', 'string'].includes(typeof v))
        throw this.bad(key, 'parameters (names to numbers, booleans or strings)');
      Object.defineProperty(out, k, { value: v, enumerable: true, writable: true, configurable: true });
    }
    return out;
  }

  keys(): string[] {
    return Object.keys(this.o);
  }
}
