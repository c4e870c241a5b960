// Where the page's own files are: next to this module, or, in the one-file build
// (scripts/build-single.mjs), the data: and blob: URLs that build put in
// globalThis.DIGITLAB_ASSETS before any module ran. The same modules run either way.

// name: a path relative to web/ ("worker.js", "nn.wasm", "generated/digits.bin").
export function assetUrl(name) {
  const injected = globalThis.DIGITLAB_ASSETS?.[name];
  return injected ?? new URL(`./${name}`, import.meta.url).href;
}

// How to start the engine worker: 'module' (worker.js itself), or 'classic' (the one-file
// build's loader script, which then imports worker.js).
export function workerType() {
  return globalThis.DIGITLAB_ASSETS?.workerType ?? 'module';
}
