export interface Written {
  readonly path: string;
  readonly resume: string;
  readonly at: number;
}
export interface Skipped {
  readonly path: string;
  readonly bytes: number;
  readonly maxBytes: number;
  readonly at: number;
}
export declare function checkpointReport(
  written: Written | undefined,
  skipped: Skipped | undefined,
  now?: number,
): string;
export declare function checkpointFields(
  written: { readonly path: string } | undefined,
  skipped: Omit<Skipped, 'path'> | undefined,
): { checkpoint?: string; checkpointSkipped?: { bytes: number; maxBytes: number } };
