export declare const WORD: Readonly<{
  STOP: 0;
  BEAT: 1;
  INSIDE: 2;
  TID: 3;
  PC: 4;
  KIND: 5;
  BUSY: 6;
}>;
export declare const KIND: Readonly<{ GUARD: 0; RUN: 1; PROPERTY: 2 }>;
export declare const STOP_REASONS: readonly ['', 'interrupted', 'time-limit'];
export declare const CONTROL_BYTES: 48;
export declare const DEADLINE_F64: 4;
export declare function newControlBlock(): SharedArrayBuffer;
