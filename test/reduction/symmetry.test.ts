import { describe, expect, it } from 'vitest';
import bench from '../../models/bench/kvm-bench.ts';
import { explore } from '../../src/driver/explore.ts';
import { successors } from '../../src/semantics/successors.ts';
import type { Instance } from '../../src/model/instance.ts';
import { instantiate } from '../../src/model/instance.ts';
import type { LockState, State } from '../../src/model/state.ts';
import { permuteLock } from '../../src/reduction/permute-locks.ts';
import lostUpdate from '../examples/lost-update.ts';
import { canonicalJson } from '../explore/reference-explorer.ts';

function permutations(xs: number[]): number[][] {
  if (xs.length <= 1) return [xs];
  return xs.flatMap((x, i) => permutations([...xs.slice(0, i), ...xs.slice(i + 1)]).map((p) => [x, ...p]));
}

/** Naive orbit count: every reachable state, identified up to every permutation of the symmetric threads. */
function naiveOrbits(inst: Instance): number {
  const sym = inst.threads.flatMap((t, i) => (t.symmetry ? [i] : []));
  const perms = permutations(sym).map((p) => {
    const map = Int32Array.from(inst.threads, (_, i) => i);
    sym.forEach((from, k) => (map[from] = p[k]!));
    return map;
  });
  const orbitKey = (s: State): string =>
    perms
      .map((map) => {
        const threads = s.threads.slice();
        s.threads.forEach((t, i) => (threads[map[i]!] = t));
        const locks: Record<string, LockState> = {};
        for (const [k, l] of Object.entries(s.locks)) locks[k] = permuteLock(l, map);
        return canonicalJson({ ...s, threads, locks });
      })
      .sort()[0]!;
  const seen = new Set<string>([canonicalJson(inst.init)]);
  const orbits = new Set<string>([orbitKey(inst.init)]);
  let frontier: State[] = [inst.init];
  while (frontier.length) {
    const next: State[] = [];
    for (const s of frontier)
      for (const t of successors(inst, s)) {
        const k = canonicalJson(t.next);
        if (seen.has(k)) continue;
        seen.add(k);
        orbits.add(orbitKey(t.next));
        next.push(t.next);
      }
    frontier = next;
  }
  return orbits.size;
}

describe('symmetry reduction', () => {
  it("kvm-bench, 2 vCPUs: exactly Rumur's exhaustive-symmetry counts (403,914 states, 1,016,885 rules)", () => {
    const r = explore(instantiate(bench, { params: { vcpus: 2 } }), { checkDeadlock: false, symmetry: true });
    expect(r.verdict).toBe('holds');
    expect(r.states).toBe(403_914);
    expect(r.transitions).toBe(1_016_885);
  }, 120_000);

  for (const [n, locked] of [
    [3, true],
    [3, false],
    [4, true],
  ] as const)
    it(`lost-update, ${n} threads${locked ? ' with the mutex' : ''}: as many states as a naive orbit count`, () => {
      const inst = instantiate(lostUpdate, { params: { threads: n, locked } });
      const r = explore(inst, { symmetry: true, search: 'bfs' });
      const full = explore(inst, {});
      expect(r.verdict).toBe(full.verdict);
      if (r.verdict === 'holds') expect(r.states).toBe(naiveOrbits(inst));
    });

  it('keeps BFS counterexamples shortest, with a trace that replays on the concrete model', () => {
    for (const params of [{ prefault: true }, { retry: false }, { wbug: true, remapPfn: true }]) {
      const inst = instantiate(bench, { params });
      const full = explore(inst, { checkDeadlock: false });
      const sym = explore(inst, { checkDeadlock: false, symmetry: true });
      expect(sym.verdict).toBe('violated');
      expect(sym.trace!.length).toBe(full.trace!.length);
      expect(sym.states).toBeLessThanOrEqual(full.states);
    }
  });
});
