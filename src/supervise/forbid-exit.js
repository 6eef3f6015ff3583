// Model code runs in worker threads, where process.exit() would end the
// thread silently (the run would look finished, its result lost). Here it
// throws instead, so that a step, property or model file calling it is
// reported as the model error it is (E_STEP_THREW, E_INVARIANT_THREW,
// E_MODEL_LOAD, with the trace to the state where it happened).
//
// Node itself ends a worker thread through process.exit() after an uncaught
// exception (a model file that fails to load, say), once it has marked the
// process as exiting and sent the error to the parent. That call must go
// through: throwing inside Node's fatal-exception handler aborts the whole
// process (V8 "ToLocalChecked Empty MaybeLocal"), taking the parent with it.
export function forbidExit() {
  const exit = process.exit.bind(process);
  process.exit = (code) => {
    if (process._exiting) return exit(code);
    throw new Error(
      `model code called process.exit(${code === undefined ? '' : String(code)}); a model must not end the process`,
    );
  };
}
