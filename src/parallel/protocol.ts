import type { InstanceOptions } from '../model/instance.ts';
import type { BatchError, ExpansionOptions } from './expand-batch.ts';

/** What a worker is started with: how to load the model, and the search options that shape expansion. */
export interface WorkerInit {
  /** URL or absolute path of the module that exports the model. */
  readonly modelModule: string;
  /** Named export holding the model (default export when absent). */
  readonly exportName?: string;
  readonly instance: InstanceOptions;
  readonly options: ExpansionOptions;
}

/** A batch of frontier entries `[index, depth, n, ...words]`, with the shapes/leaves the worker may lack. */
export interface WorkerJob {
  readonly id: number;
  readonly entries: Int32Array;
  /** With sleep sets: each entry's sleep set when the batch was sent. */
  readonly sleeps: Int32Array | undefined;
  /** Each entry's stored fingerprint, 4 words (hi, lo, x, y): the worker need not hash the parents. */
  readonly known: Int32Array | undefined;
  readonly shapes: readonly string[];
  readonly leaves: readonly (string | number)[];
  /** A buffer for the output, recycled (transferred back) from an earlier reply. */
  readonly spare: Int32Array | undefined;
}

export interface WorkerReply {
  readonly id: number;
  /** The expansion (expand-batch.ts), possibly a view on the job's `spare`. */
  readonly out: Int32Array;
  readonly errors: readonly BatchError[];
  /** New shapes and leaf values met by the worker (empty when none). */
  readonly shapes: readonly string[];
  readonly leaves: readonly (string | number)[];
}
