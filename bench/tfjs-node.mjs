// TF.js peers in Node: the `cpu` and `wasm` backends (tfjs-node is not available here).
// Prints one JSON line per (backend, model) and a tf.matMul 256^3 line per backend.
// Usage: node bench/tfjs-node.mjs [cpu|wasm ...] [--models mlp,cnn]
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { benchTfjs, benchTfjsMatMul } from './tfjs-train.mjs';
import { loadSplitDigits, REPO } from './node-data.mjs';

const args = process.argv.slice(2);
const modelsArg = args.indexOf('--models');
const models = modelsArg >= 0 ? args[modelsArg + 1].split(',') : ['mlp', 'cnn'];
const backends = args.filter((a, i) => !a.startsWith('--') && (modelsArg < 0 || i !== modelsArg + 1));

setWasmPaths(path.join(REPO, 'node_modules/@tensorflow/tfjs-backend-wasm/dist') + '/');
const data = loadSplitDigits();
for (const backend of backends.length ? backends : ['cpu', 'wasm']) {
  await tf.setBackend(backend);
  await tf.ready();
  const engine = `tfjs-${backend}-node`;
  console.log(JSON.stringify(await benchTfjsMatMul(tf, engine)));
  for (const model of models) {
    const line = await benchTfjs(tf, engine, model, data);
    console.log(JSON.stringify({ ...line, split: data.splitSource }));
  }
}
