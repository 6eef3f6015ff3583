import { describe, expect, it } from 'vitest';
import { bundledModels } from '../../src/cli/load-model.ts';
import { counterexampleView } from '../../src/counterexample/view.ts';
import { lockUses, stateView, touches } from '../../src/counterexample/state-view.ts';
import { explore } from '../../src/driver/explore.ts';
import { instantiate } from '../../src/model/instance.ts';
import abba from '../examples/abba.ts';
import peterson from '../examples/peterson.ts';

describe('the whole state, grouped', () => {
  it("every field of a KVM model's state is in one of its display groups (none is left to 'other')", async () => {
    const kvm = (await bundledModels()).filter((m) => m.display?.groups);
    expect(kvm.length).toBeGreaterThan(3);
    for (const m of kvm) {
      const inst = instantiate(m, { scenario: Object.keys(m.scenarios)[0] });
      const g = inst.init.g as Record<string, unknown>;
      const listed = (m.display?.groups ?? []).flatMap((x) => x.fields);
      for (const f of Object.keys(g)) expect(listed, `${m.name}: ${f}`).toContain(f);
      const titles = stateView(inst, inst.init).map((x) => x.title);
      expect(titles).not.toContain('other');
      expect(titles.slice(-2)).toEqual(['locks', 'threads']);
    }
  });

  it('shows tables by index without their empty entries, and never cuts a value', async () => {
    const m = (await bundledModels()).find((x) => x.name === 'arm64-v5.4')!;
    const inst = instantiate(m, { scenario: 'seed-race' });
    const view = counterexampleView(inst, explore(inst))!;
    const last = view.states.at(-1)!;
    const s2 = last.find((x) => x.title === 'stage-2')!;
    // the violation maps gfn 0 (the only entry): keyed by its gfn, the whole leaf
    expect(s2.rows.filter((r) => r.key.startsWith('gfn '))).toEqual([
      { key: 'gfn 0', value: '{dev: true, pfn: 16, w: true}', path: 's2[0]' },
    ]);
    // and before the eager map there is no entry at all: the table says it is empty
    const first = view.states[0]!.find((x) => x.title === 'stage-2')!;
    expect(first.rows.find((r) => r.path === 's2')).toEqual({ key: 's2', value: '(empty)', path: 's2' });
    // one state per step and the initial one; threads say where each thread is
    expect(view.states).toHaveLength(view.result.trace!.length + 1);
    const threads = last.find((x) => x.title === 'threads')!.rows;
    expect(threads.map((r) => r.key)).toEqual(inst.threads.map((t) => t.name));
    for (const r of threads) expect(r.value).toMatch(/^(at |done)/);
    // values are whole however long
    const memslots = last.find((x) => x.title === 'memslots')!.rows;
    for (const r of memslots) expect(r.value).not.toContain('…');
  });

  it('knows which locks each thread holds and which one it waits for (the ABBA deadlock)', () => {
    const inst = instantiate(abba, { scenario: 'abba' });
    const view = counterexampleView(inst, explore(inst))!;
    const stuck = view.locks.at(-1)!;
    const of = (t: string) => stuck.find((u) => u.thread === t)!;
    expect(of('left').holds).toEqual([{ lock: 'lock_a', mode: 'exclusive' }]);
    expect(of('left').waits).toEqual({ lock: 'lock_b', mode: 'exclusive' });
    expect(of('right').holds).toEqual([{ lock: 'lock_b', mode: 'exclusive' }]);
    expect(of('right').waits).toEqual({ lock: 'lock_a', mode: 'exclusive' });
    // before the first step nobody holds or waits
    expect(lockUses(inst, inst.init).every((u) => u.holds.length === 0 && u.waits === undefined)).toBe(true);
  });

  it('marks a row changed by a step at, under or above its path', () => {
    expect(touches('s2[0]', 's2[0].pfn')).toBe(true);
    expect(touches('s2[0]', 's2[0]')).toBe(true);
    expect(touches('ghost.updating', 'ghost')).toBe(true);
    expect(touches('s2[1]', 's2[10]')).toBe(false);
    expect(touches('seq', 'seqlock')).toBe(false);
    // a model without display hints: a group per top-level field
    const inst = instantiate(peterson, { scenario: 'broken' });
    expect(stateView(inst, inst.init).map((x) => x.title)).toEqual([
      ...Object.keys(inst.init.g as object),
      'threads',
    ]);
  });
});
