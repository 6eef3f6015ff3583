export declare const GRACE_MS: number;
export declare const LONG_GRACE_MS: number;
export declare const GRACE_ENV: string;
export declare function stuckGraceMs(env: Record<string, string | undefined>): { ms: number; error?: string };

/** Model code that did not return after a stop request. */
export interface Stuck {
  readonly inside: boolean;
  readonly tid: number;
  readonly index: number;
  readonly kind: number;
  readonly frozenMs: number;
}

/** Thread, step and property names of the instance a worker runs. */
export interface RunNames {
  readonly threads: readonly { readonly name: string; readonly steps: readonly string[] }[];
  readonly properties: readonly string[];
}

export declare class Watch {
  constructor(control: SharedArrayBuffer, o?: { graceMs?: number; longGraceMs?: number; now?: () => number });
  requestStop(reason: 'interrupted' | 'time-limit'): void;
  readonly reason: 'interrupted' | 'time-limit' | undefined;
  pastDeadline(): boolean;
  check(): Stuck | undefined;
  where(): Omit<Stuck, 'frozenMs'>;
}

export declare function describeStuck(s: Omit<Stuck, 'frozenMs'>, names: RunNames | undefined): string;
