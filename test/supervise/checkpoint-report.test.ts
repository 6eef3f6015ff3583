import { describe, expect, it } from 'vitest';
import { checkpointFields, checkpointReport } from '../../src/supervise/checkpoint-report.js';

const MiB = 2 ** 20;
const written = {
  path: '/w/.kvmcheck/m.checkpoint',
  resume: 'kvmcheck check m --resume /w/.kvmcheck/m.checkpoint',
  at: 10_000,
};
const skipped = (at: number) => ({ path: written.path, bytes: 300 * MiB, maxBytes: 64 * MiB, at });

describe('what the report of a killed search says about its checkpoint', () => {
  it('the last one written, how long before the stop, and its resume command', () => {
    expect(checkpointReport(written, undefined, 15_000)).toBe(
      `the last checkpoint is ${written.path} (written 5 s before the stop); resume with: ${written.resume}`,
    );
    expect(checkpointFields(written, undefined)).toEqual({ checkpoint: written.path });
  });

  it('an unasked one skipped as too large after it: the older one is still named, the skip said', () => {
    const text = checkpointReport(written, skipped(12_000), 15_000);
    expect(text).toContain(
      `the last checkpoint is ${written.path} (written 5 s before the stop; later ones (~300 MiB) were not written`,
    );
    expect(text).toContain('kept up to 64 MiB, --checkpoint <file> keeps any size');
    expect(text).toContain(`resume with: ${written.resume}`);
    expect(checkpointFields(written, skipped(12_000))).toEqual({
      checkpoint: written.path,
      checkpointSkipped: { bytes: 300 * MiB, maxBytes: 64 * MiB },
    });
  });

  it('a skip before the last one written is history: not mentioned', () => {
    expect(checkpointReport(written, skipped(9000), 15_000)).not.toContain('not written');
    expect(checkpointFields(written, skipped(9000))).toEqual({ checkpoint: written.path });
  });

  it('only skipped: no checkpoint kept, and how to keep one', () => {
    expect(checkpointReport(undefined, skipped(12_000), 15_000)).toBe(
      'no checkpoint was kept: it would take ~300 MiB, more than the 64 MiB kvmcheck writes unasked; pass --checkpoint <file> to keep checkpoints of any size',
    );
    expect(checkpointFields(undefined, skipped(12_000))).toEqual({
      checkpointSkipped: { bytes: 300 * MiB, maxBytes: 64 * MiB },
    });
  });

  it('none yet: says so, and when the first would have come', () => {
    expect(checkpointReport(undefined, undefined)).toMatch(
      /^no checkpoint was written before the stop \(the first periodic one comes after a minute/,
    );
    expect(checkpointFields(undefined, undefined)).toEqual({});
  });
});
