import type { State } from '../model/state.ts';

/** States waiting to be expanded, with their visited-set index and depth. */
export interface Frontier {
  readonly size: number;
  push(state: State, index: number, depth: number): void;
  /** Removes the next entry and returns its state; `index`/`depth` then describe it. */
  pop(): State;
  readonly index: number;
  readonly depth: number;
}

/** FIFO queue: breadth-first search. Compacts itself so memory follows the live size. */
export class BfsQueue implements Frontier {
  private states: State[] = [];
  private indices: number[] = [];
  private depths: number[] = [];
  private head = 0;
  index = -1;
  depth = 0;

  get size(): number {
    return this.states.length - this.head;
  }

  push(state: State, index: number, depth: number): void {
    this.states.push(state);
    this.indices.push(index);
    this.depths.push(depth);
  }

  pop(): State {
    const h = this.head++;
    const s = this.states[h]!;
    this.index = this.indices[h]!;
    this.depth = this.depths[h]!;
    if (this.head >= 65536 && this.head * 2 >= this.states.length) {
      this.states = this.states.slice(this.head);
      this.indices = this.indices.slice(this.head);
      this.depths = this.depths.slice(this.head);
      this.head = 0;
    }
    return s;
  }
}

/** LIFO stack: depth-first search. */
export class DfsStack implements Frontier {
  private states: State[] = [];
  private indices: number[] = [];
  private depths: number[] = [];
  index = -1;
  depth = 0;

  get size(): number {
    return this.states.length;
  }

  push(state: State, index: number, depth: number): void {
    this.states.push(state);
    this.indices.push(index);
    this.depths.push(depth);
  }

  pop(): State {
    this.index = this.indices.pop()!;
    this.depth = this.depths.pop()!;
    return this.states.pop()!;
  }
}
