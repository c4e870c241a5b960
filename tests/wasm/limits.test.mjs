// The wasm module under the engine's limits: the inputs that used to wrap 32-bit sizes and
// overwrite the whole heap are refused with a message and the module stays usable; models
// that cannot read digits or whose outputs overflow are refused; preprocess checks the
// engine's size limit before copying pixels; a getter that deletes a trainer during its
// own predict cannot make it touch freed memory; the module has a maximum memory.
import test from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ROOT, errorMessage, loadModuleWithDigits, denseModelBytes, modelFileBytes } from './helpers.mjs';

const { lab } = await loadModuleWithDigits();

// The module still trains and predicts after a refusal (a wrapped size used to leave
// "memory access out of bounds" for every later call).
function assertStillWorks() {
  const trainer = lab.createTrainer({ architecture: lab.presetArchitecture('linear'), epochs: 1, seed: 3 });
  try {
    assert.equal(trainer.train(1).batch, 1);
    assert.equal(trainer.predict(new Float32Array(64)).length, 10);
  } finally {
    trainer.delete();
  }
}

const conv = (filters, padding = 0) => ({ type: 'conv2d', filters, kernel: 1, padding });
const head = [{ type: 'maxpool2d', size: 8 }, { type: 'flatten' }, { type: 'dense', units: 10 }];

test('limits: the layer editor case (padded convs, batch 2048) is refused and the module keeps working', () => {
  const architecture = JSON.stringify({ input: [1, 8, 8], layers: [conv(1, 8), conv(1, 8), conv(1, 8), conv(512, 4), ...head] });
  const message = errorMessage(() => lab.createTrainer({ architecture, batchSize: 2048, epochs: 1 }));
  assert.match(message, /^trainer: the model \(input \(1, 8, 8\), 7 layers, 10 outputs\) needs \d+\.\d GiB for training with a batch of \d+ rows; the limit is 1 GiB \(layer 4 \(conv2d\) alone needs /);
  assertStillWorks();
});

test('limits: createTrainer with a 65536-filter conv and batch 1024 is refused and the module keeps working', () => {
  const architecture = JSON.stringify({ input: [1, 8, 8], layers: [conv(65536), ...head] });
  const message = errorMessage(() => lab.createTrainer({ architecture, batchSize: 1024, epochs: 1 }));
  assert.match(message, /^trainer: the model \(input \(1, 8, 8\), 4 layers, 10 outputs\) needs \d+\.\d GiB for training with a batch of 1024 rows; the limit is 1 GiB/);
  assertStillWorks();
});

test('limits: a 3 MB model with a 65536-filter conv loads and predicts 64 rows within the budget', () => {
  const bytes = modelFileBytes({ input: [1, 8, 8], loss: 'softmax_cross_entropy', layers: [conv(65536), ...head] }, [
    { name: 'conv2d_1.weight', rows: 65536, cols: 1, value: 0.5 }, { name: 'conv2d_1.bias', rows: 1, cols: 65536, value: 0 },
    { name: 'dense_1.weight', rows: 10, cols: 65536, value: 0 }, { name: 'dense_1.bias', rows: 1, cols: 10, value: 0 }]);
  assert.equal(bytes.length, 3146087);
  const model = lab.loadModel(bytes);
  try {
    // 64 rows at once used to need 1 GiB for the conv's output and 1 GiB more for its
    // product, past the module's 2 GiB; now they run in batches the budget holds.
    const probs = model.predict(new Float32Array(64 * 64).fill(1));
    assert.deepEqual([...probs].map((p) => p.toFixed(6)), Array(640).fill('0.100000'));
    assert.ok(lab.heapBytes() < 2 ** 30, `heap ${lab.heapBytes()} bytes`);
  } finally {
    model.delete();
  }
  assertStillWorks();
});

test('limits: a model without 10 outputs is refused for digits', () => {
  assert.equal(errorMessage(() => lab.loadModel(denseModelBytes(11, 0.01))),
    'loadModel: the model gives 11 outputs; a digits model needs 10, one per digit (make the last dense layer 10 units)');
  assert.match(errorMessage(() => lab.createTrainer({ architecture: '{"input": 64, "layers": [{"type": "dense", "units": 20000}]}' })),
    /^createTrainer: the model gives 20000 outputs; a digits model needs 10/);
});

test('limits: outputs that overflow float are refused, never returned as NaN', () => {
  const model = lab.loadModel(denseModelBytes(10, 3e38));
  try {
    assert.equal(errorMessage(() => model.predict(new Float32Array(64).fill(1))),
      "predict: the model's output for row 1 is not a finite number (its activations overflow float)");
  } finally {
    model.delete();
  }
});

test('limits: preprocess refuses sides over 4096 before copying the pixels', () => {
  const refusals = () => [
    errorMessage(() => lab.preprocess(new Uint8Array(8192 * 8 * 4), 8192, 8)),
    errorMessage(() => lab.preprocess(new Uint8Array(3 * 4 * 4 + 1), 3, 4)),
  ];
  refusals();  // the first refusal sizes the module's one reused error-message string
  const before = lab.heapBytes();
  assert.deepEqual(refusals(), ['preprocess: width and height must be in 1..4096, got 8192 x 8',
    'preprocess: 49 values, more than the limit of 48']);
  assert.equal(lab.heapBytes(), before);  // nothing was copied in
});

test('limits: a getter that deletes the trainer during its own predict does not reach freed memory', () => {
  const trainer = lab.createTrainer({ architecture: lab.presetArchitecture('mlp'), epochs: 1, seed: 3 });
  let deleted = false;
  class Deleting extends Float32Array {
    get length() {
      if (!deleted) { deleted = true; trainer.delete(); }
      return 64;
    }
  }
  assert.equal(errorMessage(() => trainer.predict(new Deleting(64))),
    'predict: the model was deleted while its argument was read (by a getter); nothing was computed');
  assert.ok(deleted);
  assertStillWorks();
});

test('limits: the module has a maximum memory of 2 GiB', () => {
  // The memory section of nn.wasm: limits flag 1 (has a maximum), then initial and maximum pages.
  const wasm = readFileSync(path.join(ROOT, 'web/nn.wasm'));
  const leb = (at) => { let v = 0, shift = 0, b; do { b = wasm[at++]; v += (b & 0x7f) * 2 ** shift; shift += 7; } while (b & 0x80); return [v, at]; };
  let at = 8, maximum;
  while (at < wasm.length) {
    const id = wasm[at];
    const [size, body] = leb(at + 1);
    if (id === 5) {
      const [, limits] = leb(body);  // one memory
      assert.equal(wasm[limits] & 1, 1, 'the memory has no maximum');
      const [, afterInitial] = leb(limits + 1);
      [maximum] = leb(afterInitial);
      break;
    }
    at = body + size;
  }
  assert.equal(maximum, 32768);  // 64 KiB pages: 2 GiB
});

test('limits: the page profile refuses a model whose one batch would hold Pause for seconds, naming its cost', async () => {
  const { lab } = await loadModuleWithDigits();
  const page = lab.settingsSchema().profiles.page;
  const big = JSON.stringify({ input: [64], layers: [{ type: 'dense', units: 4096 }, { type: 'relu' },
    { type: 'dense', units: 4096 }, { type: 'relu' }, { type: 'dense', units: 10 }] });
  const heap = lab.heapBytes();
  assert.throws(() => lab.createTrainer({ ...page, fontDigits: false, strokeDigits: false, architecture: big, batchSize: 2048 }),
    /one training batch of 2048 costs 209 GFLOP of products, over the limit of 0.5 GFLOP a batch \(max_batch_gflops\).*at most 4 here/);
  // Refused before the model is built: its 67 MB of weights were never allocated.
  assert.ok(lab.heapBytes() - heap < 1 << 20, `heap grew by ${lab.heapBytes() - heap} bytes`);
  const fits = lab.createTrainer({ ...page, fontDigits: false, strokeDigits: false, architecture: big, batchSize: 4 });
  assert.equal(fits.progress().epoch, 0);
  fits.delete();
});
