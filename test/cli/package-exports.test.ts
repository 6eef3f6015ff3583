import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BIN, inCheckout } from '../support/checkout.ts';

const bin = (...args: string[]) =>
  spawnSync(process.execPath, [BIN, ...args], {
    encoding: 'utf8',
    timeout: 120_000,
    cwd: mkdtempSync(join(tmpdir(), 'kvmcheck-exports-')),
  });
const VARIANT = inCheckout('test/fixtures/renamed-variant.ts');

describe('a user model file importing kvmcheck by package name', () => {
  it('loads through the package exports and gets every KVM scenario (without expectations)', () => {
    const list = bin('list', VARIANT, '--json');
    expect(list.status).toBe(0);
    const m = JSON.parse(list.stdout).models[0];
    expect(m.name).toBe('my-arm64-v5.13');
    const names = m.scenarios.map((s: { name: string }) => s.name);
    expect(names).toEqual(expect.arrayContaining(['seed-race', 'migration', 'delete-slot']));
    expect(m.scenarios.every((s: { expect?: unknown }) => s.expect === undefined)).toBe(true);
    const r = bin('check', VARIANT, '--scenario', 'seed-race', '--json');
    expect(JSON.parse(r.stdout).verdict).toBe('holds');
  });
});
