// Shared setup for the wasm tests (node --test tests/wasm/): loads the built module through
// web/digitlab.js with the shipped digits, and runs the native CLI. Missing build outputs
// fail the tests with the command that makes them; nothing is skipped.
import { existsSync, readFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { crc32 } from 'node:zlib';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const DIGITS_FILE = path.join(ROOT, 'data/digits.bin');
export const NATIVE_CLI = path.join(ROOT, 'build/native/digitlab');

function requireFile(file, howToMake) {
  if (!existsSync(file)) throw new Error(`${path.relative(ROOT, file)} is missing: ${howToMake}`);
}

// A fresh module instance with the digits loaded; the second value is the digit count.
export async function loadModuleWithDigits() {
  requireFile(path.join(ROOT, 'web/nn.wasm'), 'build it with: bash scripts/build-wasm.sh');
  requireFile(DIGITS_FILE, 'the data engineer ships it (data/digits.bin)');
  const { loadDigitlab } = await import(path.join(ROOT, 'web/digitlab.js'));
  const lab = await loadDigitlab({ wasmBinary: readFileSync(path.join(ROOT, 'web/nn.wasm')) });
  const count = lab.loadDigits(readFileSync(DIGITS_FILE));
  return { lab, count };
}

// Runs build/native/digitlab with args; throws (failing the test) when it is not built or
// exits non-zero, quoting its stderr.
export function runNative(args) {
  requireFile(NATIVE_CLI, 'build the native CLI with: bash scripts/build-native.sh');
  const result = spawnSync(NATIVE_CLI, args, { cwd: ROOT, encoding: 'utf8', timeout: 120000 });
  if (result.error) throw result.error;
  if (result.status !== 0) {
    throw new Error(`digitlab ${args.join(' ')} exited with ${result.status}:\n${result.stderr}${result.stdout}`);
  }
  return result.stdout;
}

// Expects fn to throw a real Error whose message matches pattern.
export function errorMessage(fn) {
  try {
    fn();
  } catch (error) {
    if (!(error instanceof Error)) throw new Error(`expected an Error, got ${typeof error}: ${error}`);
    return error.message;
  }
  throw new Error('expected an Error, but the call succeeded');
}

// A short mlp run used by several tests (seeded, so reproducible).
export const QUICK_MLP = { epochs: 2, batchSize: 32, seed: 7 };

// A model file (engine/model_file.cpp's layout) from an architecture object and its tensors
// [{ name, rows, cols, value }], every value of a tensor the same: for tests that need a
// file the engine would not train (11 outputs, weights that overflow, a huge conv).
export function modelFileBytes(architecture, tensors) {
  const u32 = (v) => { const b = Buffer.alloc(4); b.writeUInt32LE(v); return b; };
  const str = (s) => Buffer.concat([u32(Buffer.byteLength(s)), Buffer.from(s)]);
  const parts = [Buffer.from('DGTLMODL'), u32(1), str(JSON.stringify(architecture)), u32(tensors.length)];
  for (const { name, rows, cols, value } of tensors) {
    const floats = Buffer.alloc(4 * rows * cols);
    for (let i = 0; i < rows * cols; ++i) floats.writeFloatLE(value, 4 * i);
    parts.push(str(name), u32(rows), u32(cols), floats);
  }
  const body = Buffer.concat(parts);
  return Buffer.concat([body, u32(crc32(body))]);
}

// One dense layer from 64 features to `units` outputs, every weight `weight`.
export function denseModelBytes(units, weight) {
  return modelFileBytes({ input: 64, loss: 'softmax_cross_entropy', layers: [{ type: 'dense', units, init: 'xavier' }] },
    [{ name: 'dense_1.weight', rows: units, cols: 64, value: weight }, { name: 'dense_1.bias', rows: 1, cols: units, value: 0 }]);
}

// How many samples a trainer made with `options` trains on an epoch (options with batchSize 1:
// batchesPerEpoch) and its test labels; the trainer is deleted.
export function trainSamples(lab, options) {
  const trainer = lab.createTrainer(options);
  try {
    return { train: trainer.progress().batchesPerEpoch, test: trainer.testLabels() };
  } finally {
    trainer.delete();
  }
}
