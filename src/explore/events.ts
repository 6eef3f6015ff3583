import type { SearchResult } from './result.ts';
import type { SearchStats } from './stats.ts';

/** The engine prints nothing; it emits these events. */
export type SearchEvent =
  | {
      readonly type: 'start';
      readonly model: string;
      readonly scenario: string | undefined;
      readonly threads: readonly string[];
    }
  | { readonly type: 'progress'; readonly stats: SearchStats }
  | { readonly type: 'level'; readonly depth: number; readonly size: number; readonly stats: SearchStats }
  | { readonly type: 'done'; readonly result: SearchResult };

export type SearchListener = (e: SearchEvent) => void;
