// The custom-architecture editor's model: a list of layers <-> the engine's architecture
// JSON (engine/architecture.h). DOM-free; only checks what a form can check (numbers in
// range). Shape checking is the engine's job (dl.checkArchitecture).
import { t } from './i18n.js';

// Field specs per layer type: [name, label, default, min, max, integer].
export const LAYER_TYPES = Object.freeze({
  dense: { label: 'Dense', fields: [['units', 'Units', 64, 1, 4096, true]] },
  conv2d: {
    label: 'Conv 2D',
    fields: [
      ['filters', 'Filters', 16, 1, 512, true],
      ['kernel', 'Kernel', 3, 1, 15, true],
      ['stride', 'Stride', 1, 1, 8, true],
      ['padding', 'Padding', 1, 0, 8, true],
    ],
  },
  maxpool2d: { label: 'Max pool', fields: [['size', 'Size', 2, 1, 8, true], ['stride', 'Stride', 2, 1, 8, true]] },
  flatten: { label: 'Flatten', fields: [] },
  relu: { label: 'ReLU', fields: [] },
  leaky_relu: { label: 'Leaky ReLU', fields: [['alpha', 'Alpha', 0.01, 0, 1, false]] },
  sigmoid: { label: 'Sigmoid', fields: [] },
  tanh: { label: 'Tanh', fields: [] },
  dropout: { label: 'Dropout', fields: [['rate', 'Rate', 0.2, 0, 0.9, false]] },
});

export const INPUT_FLAT = 64;
export const INPUT_IMAGE = [1, 8, 8];

// A new layer of a type with its default fields.
export function makeLayer(type) {
  const spec = LAYER_TYPES[type];
  if (!spec) throw new Error(`unknown layer type "${type}"`);
  const layer = { type };
  for (const [name, , value] of spec.fields) layer[name] = value;
  return layer;
}

// Architecture JSON text -> { input, loss, layers } (layers keep any extra fields).
export function parseStack(text) {
  let json;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new Error(t('layerStack.notJson', { message: err.message }));
  }
  if (!json || !Array.isArray(json.layers)) throw new Error(t('layerStack.noLayers'));
  return {
    input: json.input ?? INPUT_FLAT,
    loss: json.loss ?? 'softmax_cross_entropy',
    layers: json.layers.map((layer) => ({ ...layer })),
  };
}

export function stackToText(stack) {
  return JSON.stringify({ input: stack.input, loss: stack.loss, layers: stack.layers });
}

// Returns a new stack with the layer at `from` moved by `delta` places (clamped).
export function moveLayer(stack, from, delta) {
  const layers = stack.layers.slice();
  const to = Math.max(0, Math.min(layers.length - 1, from + delta));
  const [layer] = layers.splice(from, 1);
  layers.splice(to, 0, layer);
  return { ...stack, layers };
}

export function removeLayer(stack, index) {
  return { ...stack, layers: stack.layers.filter((_, i) => i !== index) };
}

// Inserts a new layer of `type` at `index` (default: before the last layer, which is
// normally the 10-unit output).
export function insertLayer(stack, type, index = Math.max(0, stack.layers.length - 1)) {
  const layers = stack.layers.slice();
  layers.splice(index, 0, makeLayer(type));
  return { ...stack, layers };
}

// Sets one field from form text; returns { stack } or { error } (stack unchanged).
export function setLayerField(stack, index, name, text) {
  const layer = stack.layers[index];
  const spec = layer && LAYER_TYPES[layer.type]?.fields.find((f) => f[0] === name);
  if (!spec) throw new Error(`layer ${index + 1} has no field "${name}"`);
  const [, label, , min, max, integer] = spec;
  const value = Number(String(text).trim());
  if (String(text).trim() === '' || !Number.isFinite(value)) {
    return { error: `${label} must be a number.` };
  }
  if (integer && !Number.isInteger(value)) return { error: `${label} must be a whole number.` };
  if (value < min || value > max) return { error: `${label} must be between ${min} and ${max}.` };
  const layers = stack.layers.slice();
  layers[index] = { ...layer, [name]: value };
  return { stack: { ...stack, layers } };
}

// The 1-based layer position an engine message names ("layer 3 (dense): ..."), or 0.
export function layerFromMessage(message) {
  const match = /layer\s+#?(\d+)/i.exec(String(message));
  return match ? Number(match[1]) : 0;
}
