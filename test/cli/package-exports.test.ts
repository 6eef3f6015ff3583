import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

const bin = (...args: string[]) =>
  spawnSync(process.execPath, ['bin/kvmcheck.js', ...args], { encoding: 'utf8', timeout: 120_000 });

describe('a user model file importing kvmcheck by package name', () => {
  it('loads through the package exports and gets every KVM scenario (without expectations)', () => {
    const list = bin('list', 'test/fixtures/renamed-variant.ts', '--json');
    expect(list.status).toBe(0);
    const m = JSON.parse(list.stdout).models[0];
    expect(m.name).toBe('my-arm64-v5.13');
    const names = m.scenarios.map((s: { name: string }) => s.name);
    expect(names).toEqual(expect.arrayContaining(['seed-race', 'migration', 'delete-slot']));
    expect(m.scenarios.every((s: { expect?: unknown }) => s.expect === undefined)).toBe(true);
    const r = bin('check', 'test/fixtures/renamed-variant.ts', '--scenario', 'seed-race', '--json');
    expect(JSON.parse(r.stdout).verdict).toBe('holds');
  });
});
