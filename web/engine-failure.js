// Tells an engine refusal (a JS Error with the engine's message; the module stays usable)
// from a failure of the wasm module itself (a trap: "memory access out of bounds", "null
// function or function signature mismatch"), after which no later call can be trusted and
// the worker must be replaced. Used in the worker; importable in Node for tests.
const TRAP_MESSAGES = /memory access out of bounds|null function|function signature mismatch|table index is out of bounds|unreachable|Aborted\(/;

export function isEngineFailure(err) {
  if (typeof WebAssembly !== 'undefined' && err instanceof WebAssembly.RuntimeError) return true;
  return TRAP_MESSAGES.test(String(err?.message ?? err));
}
