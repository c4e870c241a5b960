// Stroke digits in wasm: loadStrokeDigits() keeps data/stroke-digits.bin in the module, and a
// trainer made with {strokeDigits: true} trains on exactly that many more samples (after the
// font digits when both are on) while its test split stays the dataset's own. Bad bytes and
// a missing load give Errors.
import test from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ROOT, errorMessage, loadModuleWithDigits, trainSamples } from './helpers.mjs';

const strokeBytes = readFileSync(path.join(ROOT, 'data/stroke-digits.bin'));
const fontBytes = readFileSync(path.join(ROOT, 'data/font-digits.bin'));
const { lab } = await loadModuleWithDigits();
// batch size 1: batchesPerEpoch is the number of training samples.
const ONE_BY_ONE = { architecture: lab.presetArchitecture('mlp'), epochs: 1, batchSize: 1, seed: 3 };

test('stroke digits: asking for them before loading them is an Error that says what to load', () => {
  const message = errorMessage(() => lab.createTrainer({ ...ONE_BY_ONE, strokeDigits: true }));
  assert.match(message, /strokeDigits is true but no stroke digits are loaded.*loadStrokeDigits/);
});

test('stroke digits: bad bytes give an Error and keep the module usable', () => {
  assert.match(errorMessage(() => lab.loadStrokeDigits(new Uint8Array(0))), /loadStrokeDigits: the stroke digits file is empty/);
  assert.match(errorMessage(() => lab.loadStrokeDigits(strokeBytes.subarray(0, strokeBytes.length - 1))), /.+/);
  assert.match(errorMessage(() => lab.loadStrokeDigits('not bytes')), /loadStrokeDigits: expected a typed array/);
  const trainer = lab.createTrainer({ ...ONE_BY_ONE });
  assert.equal(trainer.progress().epoch, 0);
  trainer.delete();
});

test('stroke digits: the training split grows by 2000 with them and by fonts + 2000 with both', () => {
  assert.equal(lab.loadStrokeDigits(strokeBytes), 2000);
  const fonts = lab.loadFontDigits(fontBytes);
  const plain = trainSamples(lab, { ...ONE_BY_ONE });
  const strokes = trainSamples(lab, { ...ONE_BY_ONE, strokeDigits: true });
  const both = trainSamples(lab, { ...ONE_BY_ONE, strokeDigits: true, fontDigits: true });
  assert.equal(strokes.train, plain.train + 2000);
  assert.equal(both.train, plain.train + fonts + 2000);
  assert.deepEqual(strokes.test, plain.test);
  assert.deepEqual(both.test, plain.test);
  assert.match(errorMessage(() => lab.createTrainer({ ...ONE_BY_ONE, strokeDigits: 1 })), /strokeDigits must be true or false/);
});
