// The Chromium benchmark worker: one task per worker, {kind: 'digitlab'} or
// {kind: 'tfjs', backend}, answered with {lines} (JSON line objects) or {error}.
// TF.js is loaded from its UMD bundles (they set globalThis.tf), served from node_modules.
import { loadDigitlab } from '/web/digitlab.js';
import { benchDigitlab, benchDigitlabGemm, benchTimeToAccuracy } from '../digitlab-train.mjs';
import { benchTfjs, benchTfjsMatMul } from '../tfjs-train.mjs';

async function runDigitlab(models) {
  const engine = 'digitlab-wasm-chromium';
  const dl = await loadDigitlab();
  const bytes = new Uint8Array(await (await fetch('/data/digits.bin')).arrayBuffer());
  dl.loadDigits(bytes);
  // The page default trains with the font digits too (web/state.js fontDigits).
  if (typeof dl.loadFontDigits === 'function') {
    dl.loadFontDigits(new Uint8Array(await (await fetch('/data/font-digits.bin')).arrayBuffer()));
  }
  if (typeof dl.loadStrokeDigits === 'function') {  // and the stroke digits (strokeDigits)
    dl.loadStrokeDigits(new Uint8Array(await (await fetch('/data/stroke-digits.bin')).arrayBuffer()));
  }
  const lines = [benchDigitlabGemm(dl, engine)];
  for (const model of models) lines.push(benchDigitlab(dl, engine, model));
  lines.push(benchTimeToAccuracy(dl, engine));
  lines.push(benchTimeToAccuracy(dl, engine, { overrides: { augment: false } }));
  return lines;
}

async function runTfjs(backend, models, data) {
  await import('/node_modules/@tensorflow/tfjs/dist/tf.min.js');
  await import('/node_modules/@tensorflow/tfjs-backend-wasm/dist/tf-backend-wasm.min.js');
  const tf = globalThis.tf;
  if (backend === 'wasm') tf.wasm.setWasmPaths('/node_modules/@tensorflow/tfjs-backend-wasm/dist/');
  if (!(await tf.setBackend(backend))) throw new Error(`TF.js backend ${backend} failed to start`);
  await tf.ready();
  const engine = `tfjs-${backend}-chromium`;
  const lines = [await benchTfjsMatMul(tf, engine)];
  for (const model of models) lines.push({ ...(await benchTfjs(tf, engine, model, data)), split: data.splitSource });
  return lines;
}

self.onmessage = async ({ data: task }) => {
  try {
    const lines = task.kind === 'digitlab' ? await runDigitlab(task.models)
      : await runTfjs(task.backend, task.models, await (await fetch('/__bench/data.json')).json().then(revive));
    self.postMessage({ lines });
  } catch (error) {
    self.postMessage({ error: `${error.message}\n${error.stack || ''}` });
  }
};

// data.json holds plain arrays; the trainers want typed arrays.
function revive(d) {
  const part = (p) => ({ x: Float32Array.from(p.x), y: Int32Array.from(p.y) });
  return { train: part(d.train), test: part(d.test), splitSource: d.splitSource };
}
