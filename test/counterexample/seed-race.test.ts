import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { memoryIo } from '../../src/cli/io.ts';
import { runCli } from '../../src/cli/main.ts';
import { counterexampleOf } from '../../src/counterexample/counterexample.ts';
import { readItf } from '../../src/counterexample/itf-read.ts';
import { itfText, toItfTrace } from '../../src/counterexample/itf-write.ts';
import { raceDiagram, raceLayout } from '../../src/counterexample/race-diagram.ts';
import { instanceFor, labelsOf, replay } from '../../src/counterexample/replay.ts';
import { decodeToken } from '../../src/counterexample/replay-token.ts';
import { explore } from '../../src/driver/explore.ts';
import { instantiate } from '../../src/model/instance.ts';
import arm64V54 from '../../models/arm64-v5.4.ts';
import arm64V513 from '../../models/arm64-v5.13.ts';

/**
 * Issue 3's "done when": the seed race (kvm-protocol.md §4) on arm64 v5.4,
 * shown with its measures, as a race diagram and as ITF, replayed, and
 * replayed on arm64 v5.13, where the eager VM_PFNMAP mapping is gone.
 */
describe('the seed race, arm64 v5.4 → v5.13', () => {
  const inst = instantiate(arm64V54, { scenario: 'seed-race' });
  const result = explore(inst);
  const cex = counterexampleOf(inst, result)!;

  it('is found and minimised: no longer, fewer preemptions', () => {
    expect(result.verdict).toBe('violated');
    expect(cex.measures.after.steps).toBeLessThanOrEqual(cex.measures.before.steps);
    expect(cex.measures.after.preemptions).toBeLessThan(cex.measures.before.preemptions);
    expect(cex.minimised.method).toBe('exhaustive');
  });

  it('--allow-longer: one step more buys a single preemption (vmm1 interrupted once, after its eager map)', () => {
    const longer = counterexampleOf(inst, result, { allowLonger: Infinity })!;
    expect(longer.minimised.method).toBe('exhaustive');
    expect(longer.measures.after.preemptions).toBeLessThan(cex.measures.after.preemptions);
    expect(longer.measures.after.steps).toBeGreaterThan(cex.measures.after.steps);
    expect(replay(inst, decodeToken(longer.replay)).verdict).toBe('reproduced');
    // the same bound as the default gives the default's answer
    const same = counterexampleOf(inst, result, { allowLonger: 0 })!;
    expect(same.measures.after).toEqual(cex.measures.after);
  });

  it('reads as the race of §4: eager map, munmap finds no slot, then publication', () => {
    const text = raceDiagram(cex.trace, { threads: inst.threads.map((t) => t.name) });
    const layout = raceLayout(cex.trace, { threads: inst.threads.map((t) => t.name) });
    expect(layout.columns.length).toBe(new Set(cex.trace.map((s) => s.thread)).size);
    const at = (s: string): number => text.indexOf(s);
    expect(at('stage2_set_pte (eager VM_PFNMAP)')).toBeGreaterThan(0);
    expect(at('mmu_notifier_invalidate_range_start')).toBeGreaterThan(at('stage2_set_pte (eager VM_PFNMAP)'));
    expect(at('install_new_memslots')).toBeGreaterThan(at('mmu_notifier_invalidate_range_end'));
  });

  it('exports as ITF that validates and round-trips', () => {
    const schema: unknown = JSON.parse(
      readFileSync(new URL('../../docs/itf.schema.json', import.meta.url), 'utf8'),
    );
    const validate = new Ajv().compile(schema as object);
    const itf = toItfTrace(inst, cex.minimised.run, { replay: cex.replay });
    expect(validate(JSON.parse(itfText(itf))), JSON.stringify(validate.errors)).toBe(true);
    const back = readItf(itfText(itf));
    expect(back.states.length).toBe(cex.trace.length + 1);
    expect(back.states.at(-1)!.values['mbt::actionTaken']).toBe(
      `${cex.trace.at(-1)!.thread}: ${cex.trace.at(-1)!.step}`,
    );
  });

  it('replays on v5.4, and on v5.13 no longer violates', () => {
    const rec = decodeToken(cex.replay);
    expect(replay(instanceFor(arm64V54, rec), rec).verdict).toBe('reproduced');
    const fixed = replay(instanceFor(arm64V513, rec), rec, labelsOf(inst, rec));
    expect(fixed.verdict).toBe('no-violation');
    expect(fixed.summary).toMatch(
      /^on arm64-v5\.13 the schedule runs all \d+ steps and no property is violated/,
    );
  });

  it('the CLI does the same: check --format race, then replay --model arm64-v5.13 exits 0', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'kvmc-seed-'));
    const io = memoryIo({ cwd });
    expect(await runCli(['check', 'arm64-v5.4', '--scenario', 'seed-race', '--format', 'race'], io)).toBe(1);
    const token = /^replay: kvmcheck replay (kc2\.\S+)$/m.exec(io.stdout)![1]!;
    expect(io.stdout).toMatch(/^vmm0 +vmm1$/m);
    const again = memoryIo({ cwd });
    expect(await runCli(['replay', token, '--model', 'arm64-v5.13'], again)).toBe(0);
    expect(again.stdout).toContain('✔ no violation: on arm64-v5.13');
  });

  it('the CLI takes --allow-longer <n|any>, and refuses anything else before searching', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'kvmc-seed-'));
    const io = memoryIo({ cwd });
    const args = ['check', 'arm64-v5.4', '--scenario', 'seed-race', '--json'];
    expect(await runCli([...args, '--allow-longer', '1'], io)).toBe(1);
    const out = JSON.parse(io.stdout) as { measures: { after: { steps: number; preemptions: number } } };
    expect(out.measures.after).toMatchObject({ steps: cex.measures.after.steps + 1, preemptions: 1 });
    const bad = memoryIo({ cwd });
    expect(await runCli([...args, '--allow-longer', 'lots'], bad)).toBe(2);
    // with --json the error is the JSON object on stdout
    const err = JSON.parse(bad.stdout) as { verdict: string; error: { code: string; hint: string } };
    expect(err).toMatchObject({ verdict: 'error', error: { code: 'E_USAGE' } });
    expect(err.error.hint).toContain('--allow-longer any');
    expect(bad.stderr).not.toContain('exploring');
  });
});
