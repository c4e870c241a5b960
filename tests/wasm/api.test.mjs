// The module's small API: presets, architecture checks, summaries, digits loading,
// drawing preprocessing and weights views, against hand-computed expectations.
import test from 'node:test';
import assert from 'node:assert/strict';
import { errorMessage, loadModuleWithDigits } from './helpers.mjs';

const { lab, count } = await loadModuleWithDigits();

test('api: loadDigits loads the 1797 shipped digits', () => {
  assert.equal(count, 1797);
});

test('api: presets lists the four built-in models', () => {
  assert.deepEqual([...lab.presets()].sort(), ['cnn', 'deep_mlp', 'linear', 'mlp']);
});

test('api: checkArchitecture summarises the mlp preset with exact parameter counts', () => {
  const summary = lab.checkArchitecture(lab.presetArchitecture('mlp'));
  // 64*128 + 128 = 8320 for the hidden dense layer, 128*10 + 10 = 1290 for the output.
  assert.equal(summary.totalParams, 8320 + 1290);
  assert.deepEqual(summary.inputShape, [64]);
  const dense = summary.layers.filter((row) => row.type === 'dense');
  assert.deepEqual(dense.map((row) => row.params), [8320, 1290]);
  assert.deepEqual(dense.map((row) => row.outputShape), [[128], [10]]);
  assert.equal(typeof summary.text, 'string');
  assert.match(summary.text, /9,?610/);
});

test('api: checkArchitecture gives the cnn preset its image shapes', () => {
  const summary = lab.checkArchitecture(lab.presetArchitecture('cnn'));
  assert.deepEqual(summary.inputShape, [1, 8, 8]);
  // conv 3x3x16: 16*9+16 = 160; conv 3x3x32 on 16 channels: 32*16*9+32 = 4640;
  // dense on 32*2*2 = 128 features: 1280+10 = 1290.
  assert.equal(summary.totalParams, 160 + 4640 + 1290);
  const conv = summary.layers.filter((row) => row.type === 'conv2d');
  assert.deepEqual(conv.map((row) => row.outputShape), [[16, 8, 8], [32, 4, 4]]);
});

test('api: presetArchitecture with dropout adds dropout layers', () => {
  const summary = lab.checkArchitecture(lab.presetArchitecture('mlp', 0.25));
  assert.equal(summary.layers.filter((row) => row.type === 'dropout').length, 1);
});

test('api: preprocess treats a blank canvas as blank, RGBA and gray alike', () => {
  const rgba = new Uint8ClampedArray(40 * 30 * 4);  // transparent black: no ink
  const fromRgba = lab.preprocess(rgba, 40, 30);
  assert.equal(fromRgba.blank, true);
  assert.equal(fromRgba.features.length, 64);
  const gray = lab.preprocess(new Uint8Array(40 * 30), 40, 30);
  assert.equal(gray.blank, true);
});

test('api: preprocess gives the same features for an RGBA stroke and its gray ink', () => {
  const width = 64, height = 64;
  const gray = new Uint8Array(width * height);
  const rgba = new Uint8ClampedArray(width * height * 4);
  for (let y = 10; y < 54; ++y) {
    for (let x = 28; x < 36; ++x) {  // a thick vertical bar: a "1"
      gray[y * width + x] = 255;
      rgba.set([0, 0, 0, 255], (y * width + x) * 4);  // opaque black stroke on transparent
    }
  }
  const a = lab.preprocess(gray, width, height);
  const b = lab.preprocess(rgba, width, height);
  assert.equal(a.blank, false);
  assert.ok(a.features instanceof Float32Array);
  assert.deepEqual([...b.features], [...a.features]);
  for (const v of a.features) assert.ok(v >= 0 && v <= 1, `feature ${v} outside [0, 1]`);
  const ink = a.features.reduce((s, v) => s + v, 0);
  assert.ok(ink > 1, `a bar should leave ink in the features, got ${ink}`);
});

test('api: trainer weights views have the layer shapes and are copies', () => {
  const trainer = lab.createTrainer({ architecture: lab.presetArchitecture('mlp'), epochs: 1 });
  try {
    const first = trainer.firstWeights();
    assert.equal(first.type, 'dense');
    assert.equal(first.rows, 128);
    assert.equal(first.cols, 64);
    assert.equal(first.weight.length, 128 * 64);
    first.weight.fill(0);  // a copy: the model must not change
    assert.notDeepEqual([...trainer.firstWeights().weight.slice(0, 8)], [0, 0, 0, 0, 0, 0, 0, 0]);
    const last = trainer.layerWeights(2);
    assert.deepEqual([last.rows, last.cols], [10, 128]);
    assert.match(errorMessage(() => trainer.layerWeights(1)), /layer 1 \(relu\) has no weights/);
    assert.match(errorMessage(() => trainer.layerWeights(9)), /layer 9 does not exist/);
  } finally {
    trainer.delete();
  }
});

test('api: cnn conv weights report kernel and channels', () => {
  const trainer = lab.createTrainer({ architecture: lab.presetArchitecture('cnn'), epochs: 1 });
  try {
    const w = trainer.firstWeights();
    assert.equal(w.type, 'conv2d');
    assert.deepEqual([w.rows, w.cols, w.kernel, w.channels], [16, 9, 3, 1]);
  } finally {
    trainer.delete();
  }
});

test('api: test split is 20% stratified and its labels are digits', () => {
  const trainer = lab.createTrainer({ architecture: lab.presetArchitecture('linear'), epochs: 1 });
  try {
    const labels = trainer.testLabels();
    const features = trainer.testFeatures();
    assert.ok(labels instanceof Int32Array);
    assert.ok(Math.abs(labels.length - 1797 * 0.2) <= 10, `test size ${labels.length}`);
    assert.equal(features.length, labels.length * 64);
    for (let k = 0; k < 10; ++k) assert.ok(labels.filter((l) => l === k).length >= 30);
  } finally {
    trainer.delete();
  }
});

test('api: benchmark hooks measure the gemm ceiling and split like the engine', () => {
  const gflops = lab.gemmGflops(64, 3);
  assert.ok(Number.isFinite(gflops) && gflops > 0, `gemmGflops ${gflops}`);
  const { train, test: held } = lab.splitIndices(0.2, 42);
  assert.equal(train.length + held.length, 1797);
  const seen = new Set([...train, ...held]);
  assert.equal(seen.size, 1797);
  // The same rows a trainer with that seed and no validation holds out.
  const trainer = lab.createTrainer({ architecture: lab.presetArchitecture('linear'), validationShare: 0, seed: 42 });
  try {
    assert.equal(trainer.testLabels().length, held.length);
  } finally {
    trainer.delete();
  }
});
