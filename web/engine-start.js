// Starts the page's two engine workers while the page's own modules are still loading (a
// classic script, run as soon as it arrives): each worker fetches and compiles its wasm
// module and the digits meanwhile, so a first model can be training by the time the page
// has loaded. main.js's WorkerClients take these workers over (worker-client.js,
// takeStartedWorker); a worker that fails before then keeps its error for them. The one-file
// build leaves this script out and the WorkerClients start their own workers.
(() => {
  const started = [];
  // Two: the predictor and the trainer (main.js start()).
  for (let i = 0; i < 2; ++i) {
    const worker = new Worker(new URL('worker.js', document.baseURI), { type: 'module' });
    worker.startError = null;
    worker.addEventListener('error', (event) => { worker.startError ??= event.message || 'unknown error'; });
    started.push(worker);
  }
  globalThis.digitlabStartedWorkers = started;
})();
