// Model code runs in worker threads, where process.exit() would end the
// thread silently (the run would look finished, its result lost). Here it
// throws instead, so that a step, property or model file calling it is
// reported as the model error it is (E_STEP_THREW, E_INVARIANT_THREW,
// E_MODEL_LOAD, with the trace to the state where it happened).
export function forbidExit() {
  process.exit = (code) => {
    throw new Error(
      `model code called process.exit(${code === undefined ? '' : String(code)}); a model must not end the process`,
    );
  };
}
