/** Makes process.exit() throw in this thread (model code must not end it). */
export declare function forbidExit(): void;
