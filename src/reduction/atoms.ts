/**
 * The atoms of a model's footprints: paths of `g` (`'s2'`, `'s2.3'`) and
 * `lock:<name>`, numbered as they are met. Each atom knows the atoms it
 * conflicts with (itself, its prefixes and its extensions) among those that
 * existed when it was created; atoms of state-dependent footprints are
 * created during the search, which is why the bitset tests look both ways
 * (bitset.ts).
 */
export class Atoms {
  private readonly index = new Map<string, number>();
  private readonly names: string[] = [];
  private readonly closures: Uint32Array[] = [];

  get size(): number {
    return this.names.length;
  }

  /** Words a bitset over the current atoms needs. */
  get words(): number {
    return Math.max(1, Math.ceil(this.names.length / 32));
  }

  /** The atom of `path`, created (with its conflicts) if new. */
  of(path: string): number {
    let a = this.index.get(path);
    if (a !== undefined) return a;
    a = this.names.length;
    this.index.set(path, a);
    this.names.push(path);
    const c = new Uint32Array(Math.ceil((a + 1) / 32));
    this.names.forEach((q, j) => {
      if (j === a || related(path, q)) c[j >>> 5]! |= 1 << (j & 31);
    });
    this.closures.push(c);
    // Older atoms learn of this one only if they were created in the same batch (see `seal`).
    return a;
  }

  /**
   * Recomputes every closure against all atoms: called once the model's
   * static atoms are all known, so that bitsets built from them are complete
   * among themselves.
   */
  seal(): void {
    for (let a = 0; a < this.names.length; a++) {
      const c = new Uint32Array(this.words);
      this.names.forEach((q, j) => {
        if (j === a || related(this.names[a]!, q)) c[j >>> 5]! |= 1 << (j & 31);
      });
      this.closures[a] = c;
    }
  }

  closure(a: number): Uint32Array {
    return this.closures[a]!;
  }
}

function related(p: string, q: string): boolean {
  return p === q || p.startsWith(`${q}.`) || q.startsWith(`${p}.`);
}
