import type { SearchOptions } from '../explore/options.ts';

/**
 * Where a worker finds a model: the module that exports it (the bundled
 * registry or a user's file, as a file URL) and the model's name. Workers
 * load models themselves because models hold functions, which cannot cross
 * a thread boundary.
 */
export interface ModelRef {
  readonly module: string;
  readonly name: string;
}

/** One search to run in a worker. Everything here is structured-cloneable. */
export interface JobSpec {
  readonly model: ModelRef;
  readonly scenario: string | undefined;
  /** Parameter overrides, applied after the scenario's own values. */
  readonly params?: Readonly<Record<string, unknown>>;
  readonly options?: Partial<SearchOptions>;
  /** How a replay command names the model when it is not bundled (the file the user gave). */
  readonly modelFlag?: string;
}
