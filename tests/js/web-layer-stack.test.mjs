// The custom-architecture editor's model (web/layer-stack.js): JSON round trip, editing
// operations and field checks.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import {
  insertLayer, layerFromMessage, makeLayer, moveLayer, parseStack, removeLayer, setLayerField, stackToText,
} from '../../web/layer-stack.js';

const MLP = '{"input":64,"loss":"softmax_cross_entropy","layers":[{"type":"dense","units":128},{"type":"relu"},{"type":"dense","units":10}]}';

test('layer-stack: parse and serialize round-trip an architecture', () => {
  const stack = parseStack(MLP);
  assert.equal(stack.layers.length, 3);
  assert.equal(stack.input, 64);
  assert.deepEqual(JSON.parse(stackToText(stack)), JSON.parse(MLP));
  assert.deepEqual(parseStack('{"layers":[]}'), { input: 64, loss: 'softmax_cross_entropy', layers: [] });
});

test('layer-stack: parse rejects text that is not an architecture', () => {
  assert.throws(() => parseStack('{oops'), /not valid JSON/);
  assert.throws(() => parseStack('{"input":64}'), /no "layers" list/);
});

test('layer-stack: insert, move and remove give new stacks and leave the old one alone', () => {
  const stack = parseStack(MLP);
  const inserted = insertLayer(stack, 'dropout');
  assert.deepEqual(inserted.layers.map((l) => l.type), ['dense', 'relu', 'dropout', 'dense']);
  assert.equal(inserted.layers[2].rate, 0.2);
  assert.equal(stack.layers.length, 3);
  const moved = moveLayer(inserted, 2, -2);
  assert.deepEqual(moved.layers.map((l) => l.type), ['dropout', 'dense', 'relu', 'dense']);
  assert.deepEqual(moveLayer(moved, 0, -1).layers.map((l) => l.type), ['dropout', 'dense', 'relu', 'dense']);
  assert.deepEqual(removeLayer(moved, 0).layers.map((l) => l.type), ['dense', 'relu', 'dense']);
  assert.deepEqual(makeLayer('conv2d'), { type: 'conv2d', filters: 16, kernel: 3, stride: 1, padding: 1 });
  assert.throws(() => makeLayer('attention'), /unknown layer type "attention"/);
});

test('layer-stack: setLayerField checks the value and names the field', () => {
  const stack = parseStack(MLP);
  assert.equal(setLayerField(stack, 0, 'units', '32').stack.layers[0].units, 32);
  assert.equal(setLayerField(stack, 0, 'units', '0').error, 'Units must be between 1 and 4096.');
  assert.equal(setLayerField(stack, 0, 'units', '2.5').error, 'Units must be a whole number.');
  assert.equal(setLayerField(stack, 0, 'units', '').error, 'Units must be a number.');
  assert.equal(stack.layers[0].units, 128);
  assert.throws(() => setLayerField(stack, 1, 'units', '3'), /layer 2 has no field "units"/);
});

test('layer-stack: layerFromMessage finds the layer an engine message names', () => {
  assert.equal(layerFromMessage('layer 3 (dense): input shape [16, 2, 2] ...'), 3);
  assert.equal(layerFromMessage('Layer #12 (conv2d) kernel 9 larger than input 8x8'), 12);
  assert.equal(layerFromMessage('loss must be softmax_cross_entropy'), 0);
});
