// The page's settings: defaults, field parsing and validation, merging stored settings,
// and the TrainOptions handed to the engine (web/state.js).
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { DEFAULT_SETTINGS, mergeSettings, parseField, trainOptions, validateSettings } from '../../web/state.js';

test('state: the default settings are valid', () => {
  assert.deepEqual(validateSettings(DEFAULT_SETTINGS), {});
});

test('state: parseField accepts numbers in range and names the problem otherwise', () => {
  assert.deepEqual(parseField('batchSize', ' 64 '), { value: 64 });
  assert.deepEqual(parseField('learningRate', '1e-3'), { value: 0.001 });
  assert.equal(parseField('batchSize', '').error, 'Batch size is required.');
  assert.equal(parseField('batchSize', 'abc').error, 'Batch size must be a number, not "abc".');
  assert.equal(parseField('batchSize', '2.5').error, 'Batch size must be a whole number.');
  assert.equal(parseField('epochs', '0').error, 'Epochs must be between 1 and 10000.');
  assert.equal(parseField('learningRate', '0').error, 'Learning rate must be above 0 and at most 10.');
  assert.deepEqual(parseField('learningRate', '10'), { value: 10 });
  assert.equal(parseField('dropout', '0.95').error, 'Dropout must be between 0 and 0.9.');
  assert.equal(parseField('learningRate', 'Infinity').error, 'Learning rate must be a number, not "Infinity".');
  assert.throws(() => parseField('colour', '1'), /unknown field "colour"/);
});

test('state: validateSettings reports every bad field by name', () => {
  const errors = validateSettings({ ...DEFAULT_SETTINGS, batchSize: '0', seed: '-1', optimizer: 'lbfgs', preset: 'huge',
                                    lrSchedule: 'step' });
  assert.deepEqual(Object.keys(errors).sort(), ['batchSize', 'lrSchedule', 'optimizer', 'preset', 'seed']);
  assert.equal(errors.optimizer, 'Optimizer must be one of sgd, momentum, nesterov, adam.');
  assert.equal(errors.lrSchedule, 'Schedule must be one of constant, cosine.');
  assert.equal(errors.preset, 'Unknown architecture "huge".');
  const custom = validateSettings({ ...DEFAULT_SETTINGS, preset: 'custom', architecture: '  ' });
  assert.deepEqual(custom, { architecture: 'The custom architecture is empty: add layers.' });
});

test('state: mergeSettings keeps stored values of the right type and fills the rest', () => {
  const merged = mergeSettings({ epochs: 3, optimizer: 'sgd', batchSize: '64', unknown: 1 });
  assert.equal(merged.epochs, 3);
  assert.equal(merged.optimizer, 'sgd');
  assert.equal(merged.batchSize, DEFAULT_SETTINGS.batchSize);  // a string is not a number
  assert.equal('unknown' in merged, false);
  assert.deepEqual(mergeSettings(null), { ...DEFAULT_SETTINGS });
  // Stored values pass the checks typed ones do: a negative seed, an unknown optimizer and an
  // epoch count past the limit fall back to the defaults, and the caller learns which.
  const replaced = [];
  const repaired = mergeSettings({ seed: -5, optimizer: 'rmsprop', epochs: 1e9, batchSize: 64, l2: 'x' }, replaced);
  assert.equal(repaired.seed, DEFAULT_SETTINGS.seed);
  assert.equal(repaired.optimizer, DEFAULT_SETTINGS.optimizer);
  assert.equal(repaired.epochs, DEFAULT_SETTINGS.epochs);
  assert.equal(repaired.batchSize, 64);
  assert.deepEqual(replaced.sort(), ['epochs', 'l2', 'optimizer', 'seed']);
  assert.deepEqual(validateSettings(repaired), {});
});

test('state: trainOptions converts form text and drops copies when augmentation is off', () => {
  const options = trainOptions({ ...DEFAULT_SETTINGS, learningRate: '0.01', batchSize: '16', augment: false }, '{"x":1}');
  assert.deepEqual(options, {
    architecture: '{"x":1}', optimizer: 'adam', learningRate: 0.01, lrSchedule: 'cosine', batchSize: 16, epochs: 10,
    l1: 0, l2: 0, augment: false, augmentCopies: 0, fontDigitCopies: 0, seed: 42, fontDigits: true, strokeDigits: true,
    momentum: 0.9, testShare: 0.2, validationShare: 0.1, testEveryEpoch: true, testTarget: 0.97, maxBatchGflops: 0.5,
  });
  assert.equal(trainOptions(DEFAULT_SETTINGS, '').augmentCopies, DEFAULT_SETTINGS.augmentCopies);
});

test('state: font digits are on by default and pass through as a boolean', () => {
  assert.equal(DEFAULT_SETTINGS.fontDigits, true);
  assert.equal(trainOptions({ ...DEFAULT_SETTINGS, fontDigits: false }, '').fontDigits, false);
  assert.equal(trainOptions(DEFAULT_SETTINGS, '').fontDigits, true);
  assert.equal(mergeSettings({ fontDigits: 'yes' }).fontDigits, true);
  assert.equal(mergeSettings({ fontDigits: false }).fontDigits, false);
});
