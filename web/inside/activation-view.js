// Draws one layer's values for one sample (a LayerActivation from the engine: name, type,
// shape, values): an image shape [c, h, w] as one small map per channel, a flat one as a
// strip of cells, one per unit. Signed values (dLoss/dOutput, logits) in blue (negative)
// and orange (positive) scaled by the largest magnitude; non-negative ones as ink.
import { t } from '../i18n.js';

const MAX_MAPS = 16;
const MAX_CELLS = 256;

// A new element showing the activation; caption: a few words under it.
export function activationView(activation, caption = '') {
  const figure = document.createElement('figure');
  figure.className = 'activation';
  const { shape, values } = activation;
  let max = 0;
  let signed = false;
  for (const v of values) {
    max = Math.max(max, Math.abs(v));
    if (v < 0) signed = true;
  }
  max = max || 1;
  const body = document.createElement('div');
  if (shape.length === 3) {
    const [c, h, w] = shape;
    body.className = 'maps';
    for (let channel = 0; channel < Math.min(c, MAX_MAPS); channel += 1) {
      body.append(mapCanvas(values.subarray(channel * h * w, (channel + 1) * h * w), w, h, max, signed,
        t('inside.act.channel', { name: activation.name, n: channel + 1 })));
    }
  } else {
    body.className = 'strip';
    const count = Math.min(values.length, MAX_CELLS);
    body.append(mapCanvas(values.subarray(0, count), count, 1, max, signed,
      t('inside.act.values', { name: activation.name, count: values.length })));
  }
  const text = document.createElement('figcaption');
  const params = { caption: caption || activation.name, shape: shape.join('×'), largest: formatNumber(max) };
  text.textContent = shape.length === 3 && shape[0] > MAX_MAPS
    ? t('inside.act.captionFirst', { ...params, shown: MAX_MAPS, channels: shape[0] })
    : t('inside.act.caption', params);
  figure.append(body, text);
  return figure;
}

function mapCanvas(values, width, height, max, signed, label) {
  const canvas = document.createElement('canvas');
  canvas.width = width;
  canvas.height = height;
  canvas.className = height === 1 ? 'strip-cells' : 'map';
  canvas.setAttribute('role', 'img');
  canvas.setAttribute('aria-label', label);
  canvas.title = label;
  const ctx = canvas.getContext('2d');
  const image = ctx.createImageData(width, height);
  for (let i = 0; i < width * height; i += 1) image.data.set(color(values[i] / max, signed), i * 4);
  ctx.putImageData(image, 0, 0);
  return canvas;
}

function color(t, signed) {
  if (!signed) {
    const shade = Math.round(255 - Math.max(0, Math.min(1, t)) * 228);
    return [shade, shade, Math.min(255, shade + 8), 255];
  }
  const a = Math.min(1, Math.abs(t));
  // white -> blue (negative) or white -> orange (positive)
  return t < 0 ? [Math.round(255 - a * 196), Math.round(255 - a * 144), Math.round(255 - a * 31), 255]
    : [Math.round(255 - a * 31), Math.round(255 - a * 134), Math.round(255 - a * 196), 255];
}

// Numbers as the inside view prints them: 4 significant digits, exponent when tiny or huge.
export function formatNumber(v) {
  if (!Number.isFinite(v)) return String(v);
  if (v === 0) return '0';
  const a = Math.abs(v);
  return a >= 1e-3 && a < 1e5 ? String(Number(v.toPrecision(4))) : v.toExponential(2);
}
