// digitlab's wasm module in Node 20: the gemm256 ceiling, mlp and cnn training, the
// augmentation's distortion rate ("augment") and the page default's time to 97% test
// accuracy, as JSON lines.
// Usage: node bench/wasm-node.mjs [--models mlp,cnn,augment]
import fs from 'node:fs';
import path from 'node:path';
import { loadDigitlab } from '../web/digitlab.js';
import { benchDigitlab, benchDigitlabGemm, benchTimeToAccuracy } from './digitlab-train.mjs';
import { REPO } from './node-data.mjs';

const ENGINE = 'digitlab-wasm-node';
const modelsArg = process.argv.indexOf('--models');
const models = modelsArg >= 0 ? process.argv[modelsArg + 1].split(',') : ['mlp', 'cnn', 'augment'];

const dl = await loadDigitlab();
dl.loadDigits(new Uint8Array(fs.readFileSync(path.join(REPO, 'data/digits.bin'))));
// The page default trains with the font digits too (web/state.js fontDigits).
if (typeof dl.loadFontDigits === 'function') {
  dl.loadFontDigits(new Uint8Array(fs.readFileSync(path.join(REPO, 'data/font-digits.bin'))));
}
if (typeof dl.loadStrokeDigits === 'function') {  // and the stroke digits (strokeDigits)
  dl.loadStrokeDigits(new Uint8Array(fs.readFileSync(path.join(REPO, 'data/stroke-digits.bin'))));
}
console.log(JSON.stringify(benchDigitlabGemm(dl, ENGINE)));
for (const model of models) console.log(JSON.stringify(benchDigitlab(dl, ENGINE, model)));
console.log(JSON.stringify(benchTimeToAccuracy(dl, ENGINE)));
console.log(JSON.stringify(benchTimeToAccuracy(dl, ENGINE, { overrides: { augment: false } })));
