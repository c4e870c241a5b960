// What a layer does to a real digit: a 3x3 convolution (pick a kernel or type one), a 2x2
// max-pool, or a dense layer of 16 units (its initial weights from a seed), each applied by
// the engine's own layer; the output is drawn next to the digit, with its shape.
import { paintGrid } from '../views/grid-image.js';
import { el } from './dom.js';

const KERNELS = {
  edges: [-1, -1, -1, -1, 8, -1, -1, -1, -1],
  vertical: [-1, 0, 1, -2, 0, 2, -1, 0, 1],
  blur: [1, 2, 1, 2, 4, 2, 1, 2, 1].map((v) => v / 16),
  identity: [0, 0, 0, 0, 1, 0, 0, 0, 0],
};
const LAYERS = {
  conv2d: { type: 'conv2d', filters: 1, kernel: 3, padding: 1 },
  maxpool2d: { type: 'maxpool2d', size: 2 },
  dense: { type: 'dense', units: 16 },
};

export function layerWidget(engine, digits) {
  let index = 0;
  let type = 'conv2d';
  let kernel = [...KERNELS.edges];
  const root = el('div', { className: 'lesson-widget', attrs: { 'data-widget': 'layers' } });
  const typeSelect = el('select', { attrs: { name: 'layer' } });
  for (const name of Object.keys(LAYERS)) typeSelect.append(el('option', { key: `lesson.layers.${name}`, attrs: { value: name } }));
  typeSelect.addEventListener('change', () => { type = typeSelect.value; kernelBox.hidden = type !== 'conv2d'; update(); });
  const next = el('button', { className: 'secondary small', key: 'lesson.layers.nextDigit', attrs: { type: 'button' } });
  next.addEventListener('click', () => { index = (index + 1) % (digits.length / 64); update(); });
  const kernelSelect = el('select', { attrs: { name: 'kernel' } });
  for (const name of Object.keys(KERNELS)) kernelSelect.append(el('option', { key: `lesson.layers.kernel.${name}`, attrs: { value: name } }));
  const cells = kernel.map((v, i) => {
    const input = el('input', { attrs: { type: 'number', step: 'any', 'data-kernel': String(i) } });
    input.value = String(v);
    input.addEventListener('change', () => { kernel[i] = Number(input.value); update(); });
    return input;
  });
  kernelSelect.addEventListener('change', () => {
    kernel = [...KERNELS[kernelSelect.value]];
    cells.forEach((input, i) => { input.value = String(Math.round(kernel[i] * 1000) / 1000); });
    update();
  });
  const kernelBox = el('div', { className: 'kernel-box' }, [el('label', { className: 'lesson-slider' }, [
    el('span', { key: 'lesson.layers.kernel' }), kernelSelect]), el('div', { className: 'kernel-grid' }, cells)]);
  const input = el('canvas', { className: 'lesson-digit' });
  const output = el('canvas', { className: 'lesson-digit' });
  const shape = el('p', { className: 'muted small', attrs: { 'data-output': 'shape' } });
  const error = el('p', { className: 'message error', attrs: { role: 'alert' } });
  error.hidden = true;
  root.append(
    el('div', { className: 'lesson-controls' }, [el('label', { className: 'lesson-slider' }, [el('span', { key: 'lesson.layers.layer' }), typeSelect]), next]),
    kernelBox,
    el('div', { className: 'layer-images' }, [
      el('figure', {}, [input, el('figcaption', { key: 'lesson.layers.input' })]),
      el('figure', {}, [output, el('figcaption', { key: 'lesson.layers.output' }), shape])]),
    error);

  async function update() {
    const digit = digits.subarray(index * 64, index * 64 + 64);
    paintGrid(input, digit, [1, 8, 8]);
    root.dataset.input = JSON.stringify(Array.from(digit));
    try {
      const weights = type === 'conv2d' ? Float32Array.from(kernel) : null;
      const bias = type === 'conv2d' ? Float32Array.of(0) : null;
      const r = await engine('layer', [JSON.stringify(LAYERS[type]), digit, weights, bias, 7]);
      paintGrid(output, r.output, r.shape);
      shape.textContent = r.shape.join(' × ');
      root.dataset.output = JSON.stringify(Array.from(r.output));
      error.hidden = true;
    } catch (err) {
      error.textContent = err.message;
      error.hidden = false;
    }
    root.dataset.computed = String(Number(root.dataset.computed ?? 0) + 1);
  }
  update();
  return root;
}
