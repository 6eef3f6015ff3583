import { KvmcheckError } from '../errors.ts';

/** One flag a command accepts. Flags are `--name value` or `--name=value`; booleans take no value. */
export interface FlagSpec {
  readonly name: string;
  readonly type: 'bool' | 'string' | 'int' | 'number' | 'duration' | 'bytes';
  readonly description: string;
  /** May be given several times (values collected in order). */
  readonly repeat?: boolean;
  /** Allowed values for string flags. */
  readonly values?: readonly string[];
  /** Shown in help, e.g. `<file>`. */
  readonly placeholder?: string;
}

export type FlagValue = boolean | string | number | readonly string[];

export interface ParsedArgs {
  readonly positionals: readonly string[];
  readonly flags: Readonly<Record<string, FlagValue>>;
}

function editDistance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => [i, ...new Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0]![j] = j;
  for (let i = 1; i <= a.length; i++)
    for (let j = 1; j <= b.length; j++)
      d[i]![j] = Math.min(
        d[i - 1]![j]! + 1,
        d[i]![j - 1]! + 1,
        d[i - 1]![j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
  return d[a.length]![b.length]!;
}

/** The closest known name, for "did you mean" hints. */
export function closest(name: string, known: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestD = Infinity;
  for (const k of known) {
    const dist = editDistance(name, k);
    if (dist < bestD) {
      bestD = dist;
      best = k;
    }
  }
  return bestD <= Math.max(2, Math.floor(name.length / 3)) ? best : undefined;
}

const DURATION_RE = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/;
const BYTES_RE = /^(\d+(?:\.\d+)?)([kmgt]i?b?|b)?$/i;

/** `90`, `90s`, `1.5m`, `2h`, `500ms` → milliseconds (a bare number is seconds). */
export function parseDuration(raw: string): number | undefined {
  const m = DURATION_RE.exec(raw.trim());
  if (!m) return undefined;
  const v = Number(m[1]);
  const unit = m[2] ?? 's';
  return v * { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[unit as 'ms' | 's' | 'm' | 'h'];
}

/** `512M`, `8G`, `8GiB`, `1000000` → bytes (a bare number is bytes). */
export function parseBytes(raw: string): number | undefined {
  const m = BYTES_RE.exec(raw.trim());
  if (!m) return undefined;
  const unit = (m[2] ?? 'b').toLowerCase()[0]!;
  const mult = { b: 1, k: 2 ** 10, m: 2 ** 20, g: 2 ** 30, t: 2 ** 40 }[unit as 'b' | 'k' | 'm' | 'g' | 't'];
  return Math.round(Number(m[1]) * mult);
}

function usage(message: string, hint: string): KvmcheckError {
  return new KvmcheckError('E_USAGE', message, hint);
}

function convert(spec: FlagSpec, raw: string): string | number {
  const flag = `--${spec.name}`;
  switch (spec.type) {
    case 'string':
      if (spec.values && !spec.values.includes(raw))
        throw usage(
          `${flag} ${raw}: expected one of ${spec.values.join(', ')}`,
          `e.g. ${flag} ${spec.values[0]}`,
        );
      return raw;
    case 'int': {
      if (!/^\d+$/.test(raw))
        throw usage(`${flag} ${raw}: expected a non-negative integer`, `e.g. ${flag} 1000`);
      return Number(raw);
    }
    case 'number': {
      const v = Number(raw);
      if (raw.trim() === '' || !Number.isFinite(v) || v < 0)
        throw usage(`${flag} ${raw}: expected a non-negative number`, `e.g. ${flag} 2`);
      return v;
    }
    case 'duration': {
      const v = parseDuration(raw);
      if (v === undefined) throw usage(`${flag} ${raw}: expected a duration`, `e.g. ${flag} 90s, 5m, 2h`);
      return v;
    }
    case 'bytes': {
      const v = parseBytes(raw);
      if (v === undefined) throw usage(`${flag} ${raw}: expected a size`, `e.g. ${flag} 4G, 512M`);
      return v;
    }
    case 'bool':
      throw usage(`${flag} takes no value`, `write ${flag} alone`);
  }
}

/** Parses argv (after the command name) against the command's flags. */
export function parseArgs(argv: readonly string[], specs: readonly FlagSpec[], command: string): ParsedArgs {
  const byName = new Map(specs.map((s) => [s.name, s]));
  const positionals: string[] = [];
  const flags: Record<string, FlagValue> = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--') {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    if (!a.startsWith('--') || a === '--') {
      if (a.startsWith('-') && a.length > 1)
        throw usage(
          `unknown option '${a}' for '${command}'`,
          `run 'kvmcheck ${command} --help' for the flags`,
        );
      positionals.push(a);
      continue;
    }
    const eq = a.indexOf('=');
    const name = a.slice(2, eq < 0 ? undefined : eq);
    let spec = byName.get(name);
    let negated = false;
    if (!spec && name.startsWith('no-')) {
      const base = byName.get(name.slice(3));
      if (base?.type === 'bool') {
        spec = base;
        negated = true;
      }
    }
    if (!spec) {
      const guess = closest(name, [...byName.keys()]);
      throw usage(
        `unknown flag '--${name}' for '${command}'`,
        guess ? `did you mean --${guess}?` : `run 'kvmcheck ${command} --help' for the flags`,
      );
    }
    if (spec.type === 'bool') {
      if (eq >= 0) throw usage(`--${name} takes no value`, `write --${name} alone`);
      flags[spec.name] = !negated;
      continue;
    }
    let raw: string;
    if (eq >= 0) raw = a.slice(eq + 1);
    else {
      const v = argv[i + 1];
      if (v === undefined || (v.startsWith('--') && v.length > 2))
        throw usage(`--${name} needs a value`, `e.g. --${name} ${spec.placeholder ?? '<value>'}`);
      raw = v;
      i++;
    }
    const value = convert(spec, raw);
    if (spec.repeat)
      flags[spec.name] = [...((flags[spec.name] as string[] | undefined) ?? []), String(value)];
    else if (flags[spec.name] !== undefined) throw usage(`--${name} given twice`, `give --${name} once`);
    else flags[spec.name] = value;
  }
  return { positionals, flags };
}

/** Help text for a command's flags. */
export function flagHelp(specs: readonly FlagSpec[]): string {
  const rows = specs.map((s) => {
    const ph = s.type === 'bool' ? '' : ` ${s.placeholder ?? (s.values ? s.values.join('|') : '<value>')}`;
    return [`  --${s.name}${ph}`, s.description + (s.repeat ? ' (repeatable)' : '')] as const;
  });
  const w = Math.max(...rows.map((r) => r[0].length), 0) + 2;
  return rows.map(([a, b]) => a.padEnd(w) + b).join('\n');
}
