import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import bench from '../../models/bench/kvm-bench.ts';
import { runSearch } from '../../src/cli/run-search.ts';
import type { SearchOptions } from '../../src/explore/options.ts';
import { isKvmcheckError } from '../../src/errors.ts';
import { EntryReader, EntryWriter } from '../../src/explore/frontier-codec.ts';
import { instantiate } from '../../src/model/instance.ts';

/**
 * Hand-edited checkpoints: the file's SHA-256 is recomputed after each
 * edit (anyone can), so the edits reach the structural validation behind
 * the checksum. Every edit must end in E_BAD_CHECKPOINT (or a mismatch
 * with the run, or a run that goes on) — never E_INTERNAL, a stack
 * overflow or any uncoded exception.
 */
const dir = mkdtempSync(join(tmpdir(), 'kvmcheck-ckpt-struct-'));

interface Parts {
  readonly header: Record<string, unknown>;
  readonly payload: Buffer;
}

function split(file: Buffer): Parts {
  const lines: number[] = [];
  for (let at = 0; lines.length < 3; at++) if (file[at] === 0x0a) lines.push(at);
  const hlen = Number(file.toString('latin1', lines[0]! + 1, lines[1]));
  const start = lines[2]! + 1;
  return {
    header: JSON.parse(file.toString('utf8', start, start + hlen)) as Record<string, unknown>,
    payload: file.subarray(start + hlen),
  };
}

/** A checkpoint file with its header length and checksum made right again. */
function join3(headerText: string, payload: Buffer): Buffer {
  const json = Buffer.from(headerText, 'utf8');
  const hash = createHash('sha256').update(json).update(payload).digest('hex');
  return Buffer.concat([Buffer.from(`KVMCHECK-CHECKPOINT 3\n${json.length}\n${hash}\n`), json, payload]);
}

const params = { vcpus: 1 };
const options: Partial<SearchOptions> = { checkDeadlock: false };

async function resumeCode(file: Buffer): Promise<string> {
  const path = join(dir, 'edited.checkpoint');
  writeFileSync(path, file);
  try {
    const out = await runSearch({
      inst: instantiate(bench, { params }),
      options: { ...options, maxStates: 2000 },
      listener: () => {},
      signal: new AbortController().signal,
      checkpointPath: join(dir, 'out.checkpoint'),
      checkpointEveryMs: undefined,
      resumePath: path,
      argv: ['check', 'kvm-bench'],
    });
    return out.result.error ? out.result.error.code : 'resumed';
  } catch (e) {
    return isKvmcheckError(e) ? e.code : `uncoded ${String(e)}`;
  }
}

const ACCEPTED = ['E_BAD_CHECKPOINT', 'E_CHECKPOINT_MISMATCH', 'resumed'];

async function goodCheckpoint(): Promise<Buffer> {
  const path = join(dir, 'good.checkpoint');
  await runSearch({
    inst: instantiate(bench, { params }),
    options: { ...options, maxStates: 300 },
    listener: () => {},
    signal: new AbortController().signal,
    checkpointPath: path,
    checkpointEveryMs: undefined,
    resumePath: undefined,
    argv: ['check', 'kvm-bench'],
  });
  return readFileSync(path);
}

/** Every path to a value in `v` (objects and arrays), for edits. */
function paths(
  v: unknown,
  at: (string | number)[] = [],
  out: (string | number)[][] = [],
  perArray = 50,
): (string | number)[][] {
  out.push(at);
  if (Array.isArray(v)) v.slice(0, perArray).forEach((x, i) => paths(x, [...at, i], out, perArray));
  else if (v !== null && typeof v === 'object')
    for (const [k, x] of Object.entries(v)) paths(x, [...at, k], out, perArray);
  return out;
}

function setAt(root: unknown, path: (string | number)[], value: unknown): unknown {
  if (path.length === 0) return value;
  const copy = (Array.isArray(root) ? [...root] : { ...(root as object) }) as Record<
    string | number,
    unknown
  >;
  copy[path[0]!] = setAt(copy[path[0]!], path.slice(1), value);
  return copy;
}

const deep = (n: number, open: string, close: string, inner = '0'): string =>
  open.repeat(n) + inner + close.repeat(n);

describe('hand-edited checkpoints with a valid checksum', () => {
  it('an intact checkpoint resumes, its coverage with distinct counts or (older files) without', async () => {
    const { header, payload } = split(await goodCheckpoint());
    expect(await resumeCode(join3(JSON.stringify(header), payload))).toBe('resumed');
    const coverage = (header.skeleton as { coverage: Record<string, number[]> }).coverage;
    const firingsOnly = Object.fromEntries(
      Object.entries(coverage).map(([name, c]) => [name, c.slice(0, c.length / 2)]),
    );
    const older = setAt(header, ['skeleton', 'coverage'], firingsOnly);
    expect(await resumeCode(join3(JSON.stringify(older), payload))).toBe('resumed');
  });

  it('fixed cases: garbage frontier words, malformed shapes, deep nesting, bad counters', async () => {
    const good = await goodCheckpoint();
    const { header, payload } = split(good);
    const text = JSON.stringify(header);
    const skeleton = header.skeleton as Record<string, unknown>;
    const frontierSection = (skeleton.frontier as { chunks: { $section: number }[] }).chunks[0]!.$section;
    const sections = header.sections as { type: string; length: number }[];
    const width = (type: string): number => Number(/\d+/.exec(type)![0]) / 8;
    const offset = sections.slice(0, frontierSection).reduce((n, s) => n + width(s.type) * s.length, 0);
    const chunk = payload.subarray(offset, offset + sections[frontierSection]!.length);
    const cases: [string, Buffer][] = [];
    // the frontier's state words replaced by garbage, packed again as the codec packs (so that
    // the chunk is well-formed and only the states are wrong)
    for (const word of [0x7fffffff, -1, 12345, 0x40000000]) {
      const reader = new EntryReader();
      reader.start(chunk, 0);
      const writer = new EntryWriter(0);
      writer.start(new Uint8Array(chunk.length * 8 + 1024));
      const count = (skeleton.frontier as { counts: number[] }).counts[0]!;
      for (let e = 0; e < count; e++) {
        reader.next();
        const words = reader.words.slice(0, reader.n).fill(word);
        writer.write(words, 0, words.length, reader.index, reader.depth);
      }
      const packed = writer.bytes.subarray(0, writer.pos);
      const h = setAt(header, ['sections', frontierSection, 'length'], packed.length);
      const p = Buffer.concat([payload.subarray(0, offset), packed, payload.subarray(offset + chunk.length)]);
      cases.push([`frontier words ${word}`, join3(JSON.stringify(h), p)]);
    }
    const edit = (name: string, f: (h: Record<string, unknown>) => unknown) =>
      cases.push([name, join3(JSON.stringify(f(structuredClone(header))), payload)]);
    edit('shapes garbage', (h) => setAt(h, ['skeleton', 'shapes'], ['{{{', 'L]', '']));
    edit('shapes deeply nested', (h) => setAt(h, ['skeleton', 'shapes'], [deep(200_000, '[', ']', 'L')]));
    edit('shapes not strings', (h) => setAt(h, ['skeleton', 'shapes'], [1, null]));
    edit('leaves objects', (h) => setAt(h, ['skeleton', 'leaves'], [{ a: 1 }]));
    edit('coverage too long', (h) => setAt(h, ['skeleton', 'coverage'], { vmm: new Array(10_000).fill(1) }));
    edit('coverage negative', (h) => setAt(h, ['skeleton', 'coverage'], { vmm: [-1, 2.5] }));
    edit('counters negative', (h) => setAt(h, ['skeleton', 'counters', 'expanded'], -5));
    edit('version', (h) => setAt(h, ['skeleton', 'version'], 99));
    // values a mismatch message prints: an object whose toString is not a function must not throw
    edit('identity params hostile', (h) => setAt(h, ['identity', 'params'], [{ toString: 0 }]));
    edit('identity model hostile', (h) => setAt(h, ['identity', 'model'], { toString: 0 }));
    edit('identity param value hostile', (h) => setAt(h, ['identity', 'params', 'vcpus'], { valueOf: 0 }));
    edit('sections swapped', (h) => setAt(h, ['sections'], [...sections].reverse()));
    edit('section huge', (h) => setAt(h, ['sections', 0, 'length'], 2 ** 40));
    cases.push([
      'skeleton deeply nested',
      join3(text.replace('"skeleton":', `"skeleton":${deep(100_000, '[', ']')},"x":`), payload),
    ]);
    cases.push(['header deeply nested', join3(deep(100_000, '{"a":', '}'), payload)]);
    const codes: [string, string][] = [];
    for (const [name, file] of cases) codes.push([name, await resumeCode(file)]);
    expect(codes.filter(([, c]) => !ACCEPTED.includes(c))).toEqual([]);
    // garbage in the frontier's state words is always found
    expect(codes.filter(([n]) => n.startsWith('frontier')).map(([, c]) => c)).toEqual(
      new Array(4).fill('E_BAD_CHECKPOINT'),
    );
  });

  it('every header value replaced by an object that cannot become text is a coded refusal', async () => {
    // a run of the whole suite found these one path at a time: sections' type and length, version, identity
    const { header, payload } = split(await goodCheckpoint());
    const uncoded: string[] = [];
    // every field, and the first 4 elements of each array (the rest are the same kind of value)
    for (const path of paths(header, [], [], 4)) {
      const code = await resumeCode(join3(JSON.stringify(setAt(header, path, [{ toString: 0 }])), payload));
      if (!ACCEPTED.includes(code)) uncoded.push(`${JSON.stringify(path)}: ${code}`);
    }
    expect(uncoded).toEqual([]);
  });

  it('property: a random edit of any header value or payload byte is a coded refusal or a resumable run', async () => {
    const good = await goodCheckpoint();
    const { header, payload } = split(good);
    const all = paths(header);
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.record({
            kind: fc.constant('value' as const),
            at: fc.nat(all.length - 1),
            value: fc.jsonValue({ maxDepth: 3 }),
          }),
          fc.record({
            kind: fc.constant('byte' as const),
            at: fc.nat(payload.length - 1),
            byte: fc.nat(255),
          }),
        ),
        async (m) => {
          const file =
            m.kind === 'value'
              ? join3(JSON.stringify(setAt(header, all[m.at]!, m.value)), payload)
              : join3(JSON.stringify(header), Buffer.from(payload).fill(m.byte, m.at, m.at + 1));
          const code = await resumeCode(file);
          expect(ACCEPTED).toContain(code);
        },
      ),
      { numRuns: 150, seed: 12 },
    );
  });
});
