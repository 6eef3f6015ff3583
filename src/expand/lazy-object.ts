import type { ShapeNode } from '../state/shape-node.ts';

/**
 * An object of a successor state whose members are decoded from the
 * parent's words only when a step touches them (copy on access): the step
 * gets a Proxy; its first read or write of a member gives that member a
 * fresh copy of its own. Members the step never touches stay shared with
 * the parent's decoded copy, and their words are copied, not re-encoded
 * (copy-on-access.ts).
 *
 * The proxy behaves as the plain object: enumerating it, spreading it or
 * deleting or defining members first decodes every member (the object is
 * then wholly the step's, like a whole decoded copy). Members are found
 * through the parent's shape node, so the object must have been decoded
 * from it.
 */
export class LazyObject {
  private node!: ShapeNode;
  private words!: Int32Array;
  /** Where the node's leaves start in `words`. */
  private base = 0;
  private parent!: Record<string, unknown>;
  /** The object being built (the proxy's target), while a step runs. */
  private target: Record<string, unknown> | undefined = undefined;
  private proxy: Record<string, unknown> | undefined = undefined;
  /** The step asked for the object in this transition. */
  used = false;
  /** Members given their own copy (1) in this transition. */
  loaded = new Uint8Array(0);
  /** Members the step read (1), as opposed to only assigned (the footprint check counts reads). */
  read = new Uint8Array(0);
  /** A member was added, deleted or defined: the keys may no longer be the parent's. */
  reshaped = false;
  private readonly handler: ProxyHandler<Record<string, unknown>>;

  constructor() {
    this.handler = {
      get: (t, k) => {
        if (typeof k === 'string' && t === this.target) {
          const i = this.node.keySet!.indexOf(k);
          if (i >= 0) {
            this.read[i] = 1;
            if (this.loaded[i] === 0) this.load(i);
          }
        }
        return t[k as string];
      },
      set: (t, k, v) => {
        if (typeof k === 'string' && t === this.target) {
          const i = this.node.keySet!.indexOf(k);
          if (i >= 0) this.loaded[i] = 1;
          else this.reshaped = true;
        }
        return Reflect.set(t, k, v);
      },
      has: (t, k) => Reflect.has(t, k),
      ownKeys: (t) => Reflect.ownKeys(this.complete(t)),
      getOwnPropertyDescriptor: (t, k) => Reflect.getOwnPropertyDescriptor(this.complete(t), k),
      defineProperty: (t, k, d) => {
        if (this.complete(t) === this.target) this.reshaped = true;
        return Reflect.defineProperty(t, k, d);
      },
      deleteProperty: (t, k) => {
        if (this.complete(t) === this.target) this.reshaped = true;
        return Reflect.deleteProperty(t, k);
      },
    };
  }

  /** Sets the parent: its decoded object, its shape node and where its leaves are. */
  begin(parent: Record<string, unknown>, node: ShapeNode, words: Int32Array, base: number): void {
    this.parent = parent;
    this.node = node;
    this.words = words;
    this.base = base;
    if (this.loaded.length < node.kids.length) {
      this.loaded = new Uint8Array(node.kids.length);
      this.read = new Uint8Array(node.kids.length);
    }
    this.reset();
  }

  /** Starts a transition: nothing touched yet. */
  reset(): void {
    this.target = undefined;
    this.proxy = undefined;
    this.used = false;
    this.loaded.fill(0);
    this.read.fill(0);
    this.reshaped = false;
  }

  /** The object a step writes through (made on first use in the transition). */
  view(): Record<string, unknown> {
    if (this.proxy === undefined) {
      this.used = true;
      this.target = this.node.keySet!.blank();
      this.proxy = new Proxy(this.target, this.handler);
    }
    return this.proxy;
  }

  /** Gives every member its own copy (the object is now wholly the step's). */
  whole(): void {
    this.view();
    this.complete(this.target!);
  }

  private complete(t: Record<string, unknown>): Record<string, unknown> {
    if (t === this.target) {
      for (let i = 0; i < this.node.kids.length; i++) if (this.loaded[i] === 0) this.load(i);
      this.read.fill(1); // enumerated, spread, or its members defined or deleted: all of it is read
    }
    return t;
  }

  /**
   * Ends the step: members never touched are the parent's own (shared, to
   * be read only), and the target becomes a complete plain object.
   * Returns it, or undefined when the step never touched the object.
   */
  finish(): Record<string, unknown> | undefined {
    const t = this.target;
    if (t === undefined) return undefined;
    const keys = this.node.keySet!.keys;
    for (let i = 0; i < keys.length; i++) if (this.loaded[i] === 0) t[keys[i]!] = this.parent[keys[i]!];
    this.target = undefined; // a proxy kept by the step now reads and writes the plain object
    return t;
  }

  /** Has the step set a member to undefined (which makes it absent, another shape)? */
  undefinedMember(): boolean {
    const t = this.target!;
    const keys = this.node.keySet!.keys;
    for (let i = 0; i < keys.length; i++) if (this.loaded[i] === 1 && t[keys[i]!] === undefined) return true;
    return false;
  }

  /** Member `i` of the object being built (after the step, before `finish`). */
  member(i: number): unknown {
    return this.target![this.node.keySet!.keys[i]!];
  }

  private load(i: number): void {
    const k = this.node.kids[i]!;
    this.loaded[i] = 1;
    this.target![this.node.keySet!.keys[i]!] = k.dec(
      this.words,
      this.base + this.node.offsets[i]!,
      k as never,
    );
  }
}
