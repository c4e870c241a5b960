// Font digits in wasm: loadFontDigits() keeps data/font-digits.bin in the module, and a
// trainer made with {fontDigits: true} trains on exactly that many more samples while its
// test split stays the dataset's own. Bad bytes and a missing load give Errors.
import test from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ROOT, errorMessage, loadModuleWithDigits, trainSamples } from './helpers.mjs';

const FONT_FILE = path.join(ROOT, 'data/font-digits.bin');
const fontBytes = readFileSync(FONT_FILE);
const { lab, count } = await loadModuleWithDigits();
const MLP = lab.presetArchitecture('mlp');
// batch size 1: batchesPerEpoch is the number of training samples.
const ONE_BY_ONE = { architecture: MLP, epochs: 1, batchSize: 1, seed: 3 };

test('font digits: asking for them before loading them is an Error that says what to load', () => {
  const message = errorMessage(() => lab.createTrainer({ ...ONE_BY_ONE, fontDigits: true }));
  assert.match(message, /fontDigits is true but no font digits are loaded.*loadFontDigits/);
});

test('font digits: bad bytes give an Error and keep the module usable', () => {
  assert.match(errorMessage(() => lab.loadFontDigits(new Uint8Array(0))), /loadFontDigits: the font digits file is empty/);
  const truncated = fontBytes.subarray(0, fontBytes.length - 1);
  assert.match(errorMessage(() => lab.loadFontDigits(truncated)), /.+/);
  const garbage = new Uint8Array(fontBytes.length).fill(7);
  assert.match(errorMessage(() => lab.loadFontDigits(garbage)), /.+/);
  assert.match(errorMessage(() => lab.loadFontDigits('not bytes')), /loadFontDigits: expected a typed array/);
  const trainer = lab.createTrainer({ ...ONE_BY_ONE });
  assert.equal(trainer.progress().epoch, 0);
  trainer.delete();
});

test('font digits: the training split grows by the font count, the test split does not change', () => {
  const fonts = lab.loadFontDigits(fontBytes);
  assert.equal(fonts, (fontBytes.length - 16) / 65);
  assert.ok(fonts >= 1000, `only ${fonts} font digits`);
  const plain = trainSamples(lab, { ...ONE_BY_ONE });
  const withFonts = trainSamples(lab, { ...ONE_BY_ONE, fontDigits: true });
  const off = trainSamples(lab, { ...ONE_BY_ONE, fontDigits: false });
  assert.equal(withFonts.train, plain.train + fonts);
  assert.equal(off.train, plain.train);
  assert.deepEqual(withFonts.test, plain.test);
  assert.ok(plain.train < count);
});

test('font digits: augmentation distorts the dataset digits only; the fonts join every epoch as they are', () => {
  const options = { architecture: MLP, epochs: 1, augment: true, augmentCopies: 2, seed: 3 };
  const plain = lab.createTrainer(options);
  const withFonts = lab.createTrainer({ ...options, fontDigits: true });
  try {
    const fonts = lab.loadFontDigits(fontBytes);
    assert.equal(withFonts.progress().toPrepare, plain.progress().toPrepare);
    let p = withFonts.train(100000);
    while (!p.done) p = withFonts.train(100000);
    let q = plain.train(100000);
    while (!q.done) q = plain.train(100000);
    assert.equal(p.samplesSeen, q.samplesSeen + fonts);
  } finally {
    plain.delete();
    withFonts.delete();
  }
});

test('font digits: fontDigits must be a boolean', () => {
  assert.match(errorMessage(() => lab.createTrainer({ ...ONE_BY_ONE, fontDigits: 'yes' })), /fontDigits must be true or false/);
});
